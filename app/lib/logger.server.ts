import { AsyncLocalStorage } from "node:async_hooks";
import pino from "pino";

/** Per-request values every log line and error page can reach without passing them around. */
export interface RequestStore {
  requestId: string;
}

export const requestStore = new AsyncLocalStorage<RequestStore>();

export function currentRequestId(): string | undefined {
  return requestStore.getStore()?.requestId;
}

/**
 * Structured JSON logs on stdout. Each line carries the request id when logged inside a
 * request. Personal data is never logged: the redact list is a second line of defence.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: undefined,
  timestamp: pino.stdTimeFunctions.isoTime,
  mixin: () => {
    const requestId = currentRequestId();
    return requestId ? { requestId } : {};
  },
  redact: {
    paths: ["password", "*.password", "passwordHash", "*.passwordHash", "token", "*.token", "phone", "*.phone", "idNumber", "*.idNumber", "cookie", "*.cookie", "headers.cookie"],
    censor: "[redacted]",
  },
});
