import { notFound } from "./permissions.server";

/** A public reference number in a URL (/trainings/42): 1 to 999,999,999, else 404. */
export function referenceNumber(raw: string | undefined): number {
  const n = Number(raw);
  if (!/^\d{1,9}$/.test(raw ?? "") || !Number.isSafeInteger(n) || n < 1) notFound();
  return n;
}

/** A row id in a URL (a UUID), else 404. */
export function rowId(raw: string | undefined): string {
  if (!/^[0-9a-f-]{36}$/.test(raw ?? "")) notFound();
  return raw!;
}
