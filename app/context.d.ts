import "react-router";

declare module "react-router" {
  interface AppLoadContext {
    /** set by server/app.ts for every request; shown on error pages and in every log line */
    requestId: string;
    /** a fresh random nonce for this response's Content-Security-Policy */
    cspNonce: string;
  }
}
