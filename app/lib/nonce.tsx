import { createContext, useContext } from "react";

/**
 * The Content-Security-Policy nonce of this response: the server renders React Router's scripts
 * with it, and the policy allows only scripts that carry it. In the browser it is empty (nonces
 * are not readable there, and hydration does not need them).
 */
export const NonceContext = createContext("");

export const useNonce = () => useContext(NonceContext);

/**
 * The policy for an HTML page. Scripts: only this response's own (nonce) and the app's files;
 * styles: the app's file and style attributes (charts and progress bars set widths inline);
 * forms: this site, Stripe Checkout, which a gift's form is redirected to, and `formOrigins` (the
 * WeChat authorisation page the 微信登录 form is redirected to, when configured): a browser applies
 * form-action to where a form's answer redirects too.
 */
export function contentSecurityPolicy(nonce: string, formOrigins: readonly string[] = []): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    ["form-action 'self' https://checkout.stripe.com", ...formOrigins].join(" "),
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join("; ");
}
