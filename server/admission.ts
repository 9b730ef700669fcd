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
  const waiting: { admit: () => void; timer: NodeJS.Timeout | undefined }[] = [];
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
    let stage: "waiting" | "inside" | "out" = "waiting";
    const leave = () => {
      if (stage === "inside") release();
      stage = "out";
    };
    const enter = () => {
      // the client left while this request waited: nothing is run for it, and its place goes on
      if (res.destroyed || res.writableEnded || req.socket.destroyed) {
        stage = "inside";
        return leave();
      }
      stage = "inside";
      res.once("finish", leave);
      next();
    };
    // The response's "close" comes when it is sent or when the connection drops, whichever is
    // first, and it is registered before the request can wait: a request whose client goes away
    // leaves the queue, or gives back its place if it was inside, however it ends. (The request's
    // own "close" is not enough: a body nobody read keeps it from firing.)
    res.once("close", () => {
      if (stage === "waiting") {
        const i = waiting.indexOf(entry);
        if (i >= 0) {
          waiting.splice(i, 1);
          clearTimeout(entry.timer);
        }
      }
      leave();
    });
    const entry = {
      admit: enter,
      timer: undefined as NodeJS.Timeout | undefined,
    };
    if (active < opts.concurrent) {
      active++;
      return enter();
    }
    if (waiting.length >= opts.queue) {
      stage = "out";
      return busy(res, "queue full");
    }
    entry.timer = setTimeout(() => {
      const i = waiting.indexOf(entry);
      if (i >= 0) waiting.splice(i, 1);
      stage = "out";
      busy(res, "waited too long");
    }, opts.maxWaitMs);
    waiting.push(entry);
  };
  return Object.assign(middleware, { state: () => ({ active, waiting: waiting.length }) });
}
