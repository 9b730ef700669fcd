import "react-router";

declare module "react-router" {
  interface AppLoadContext {
    /** set by server/app.ts for every request; shown on error pages and in every log line */
    requestId: string;
    /** a fresh random nonce for this response's Content-Security-Policy */
    cspNonce: string;
    /** the public-data version, when the public-page cache read it for this request (ADR 020) */
    publicDataVersion?: string;
  }
}
