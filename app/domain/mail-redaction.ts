/**
 * Links in an email that act for its recipient — confirm the address, reset the password, accept
 * an invitation, open a gift's secret page — are keys. Whoever may read stored emails (local mail
 * mode) but is not the recipient sees them replaced, so reading the outbox never hands over an
 * account, an invitation or a donor's page.
 */

/** Paths whose link carries a secret (a token in the query or the path). */
const SECRET_LINK = /[?&]token=|\/(invitations|judging\/invitations|donations|giving\/monthly|checkout)\/[^/?#\s"'<>]+|\/reset-password|\/verify\b/i;

const URL_IN_TEXT = /https?:\/\/[^\s"'<>]+/g;

export const REDACTED_LINK = "[链接已隐藏 · link hidden]";

/** The text (or HTML) with every secret-carrying link replaced; other links are kept. */
export function redactActionLinks(content: string): string {
  return content.replace(URL_IN_TEXT, (url) => {
    let decoded = url;
    try {
      decoded = decodeURI(url.replace(/&amp;/g, "&"));
    } catch {
      decoded = url;
    }
    return SECRET_LINK.test(decoded) ? REDACTED_LINK : url;
  });
}
