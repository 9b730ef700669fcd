/**
 * Preloaded (`node --import tsx --import ./tests/support/shifted-clock.ts server/main.ts`) into an app
 * server that must live at another moment: `new Date()` and `Date.now()` start at SHIFTED_CLOCK (an ISO
 * instant) and time goes on from there; every other use of Date is untouched, and dates still pass
 * `instanceof Date`. For the Playwright journey that publishes a notice across a holiday that is not
 * the current one (tests/e2e/working-days.spec.ts). The database keeps its own time.
 */
const RealDate = Date;
const target = RealDate.parse(process.env.SHIFTED_CLOCK ?? "");
if (Number.isNaN(target)) throw new Error("SHIFTED_CLOCK must be an ISO 8601 instant");
const offset = target - RealDate.now();
const shiftedNow = () => RealDate.now() + offset;

globalThis.Date = new Proxy(RealDate, {
  construct: (D, args: unknown[]) => (args.length === 0 ? new D(shiftedNow()) : new D(...(args as [string]))),
  apply: () => new RealDate(shiftedNow()).toString(),
  get: (D, key, receiver) => (key === "now" ? shiftedNow : Reflect.get(D, key, receiver)),
});
