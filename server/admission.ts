import type { NextFunction, Request, Response } from "express";
import { logger } from "../app/lib/logger.server.ts";

/**
 * Admission control: at most `concurrent` requests are inside the app at once; the next ones
 * wait their turn (the app slows down), and when `queue` are already waiting, or one has waited
 * `maxWaitMs`, the request is answered 503 with Retry-After before anything of it has run.
 * So an oversubscribed server never starts work it cannot finish in time (a transaction that
 * cannot get a connection, a half-done action): it answers later, or says so at once.
 */
export function admission(opts: { concurrent: number; queue: number; maxWaitMs: number; retryAfterSeconds?: number }) {
  let active = 0;
  const waiting: { admit: () => void; timer: NodeJS.Timeout }[] = [];
  const retryAfter = String(opts.retryAfterSeconds ?? 5);

  const release = () => {
    const next = waiting.shift();
    if (next) {
      clearTimeout(next.timer);
      next.admit();
    } else active--;
  };

  const busy = (res: Response, reason: string) => {
    logger.warn({ active, waiting: waiting.length, reason }, "request refused: server busy");
    res
      .status(503)
      .set({ "Retry-After": retryAfter, "Cache-Control": "no-store", "Content-Type": "text/plain; charset=utf-8" })
      .send("服务器繁忙，请稍后再试 / The server is busy; please try again shortly\n");
  };

  const middleware = (req: Request, res: Response, next: NextFunction) => {
    let released = false;
    const done = () => {
      if (released) return;
      released = true;
      release();
    };
    const enter = () => {
      res.once("finish", done);
      res.once("close", done);
      next();
    };
    if (active < opts.concurrent) {
      active++;
      return enter();
    }
    if (waiting.length >= opts.queue) return busy(res, "queue full");
    const entry = {
      admit: enter,
      timer: setTimeout(() => {
        const i = waiting.indexOf(entry);
        if (i >= 0) waiting.splice(i, 1);
        busy(res, "waited too long");
      }, opts.maxWaitMs),
    };
    // a client that gave up while waiting leaves the queue
    req.once("close", () => {
      const i = waiting.indexOf(entry);
      if (i >= 0 && !res.headersSent) {
        waiting.splice(i, 1);
        clearTimeout(entry.timer);
      }
    });
    waiting.push(entry);
  };
  return Object.assign(middleware, { state: () => ({ active, waiting: waiting.length }) });
}
