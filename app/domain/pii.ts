/**
 * Beneficiaries' personal data (PIPL, PRODUCT.md): how names and phone numbers are checked,
 * normalised and shown masked. Pure; the encryption itself is in lib/pii.server.ts.
 */

const FULL_WIDTH_DIGIT = /[\uFF10-\uFF19]/g;

/**
 * A mainland mobile number as typed → its 11 digits ("13812345678"), or null when it is not one.
 * Accepts spaces, dashes, dots, brackets, full-width digits and a +86 / 0086 / 86 prefix.
 */
export function normalisePhone(input: string): string | null {
  let s = input.replace(FULL_WIDTH_DIGIT, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/[\s\-.()（）\u3000]/g, "");
  if (s.startsWith("+86")) s = s.slice(3);
  else if (s.startsWith("0086")) s = s.slice(4);
  else if (s.length === 13 && s.startsWith("86")) s = s.slice(2);
  return /^1[3-9]\d{9}$/.test(s) ? s : null;
}

export const isMainlandMobile = (input: string) => normalisePhone(input) !== null;

/** "13812345678" → "138****5678". Anything else keeps at most its first 3 and last 4 characters. */
export function maskPhone(phone: string): string {
  const chars = Array.from(phone);
  if (chars.length >= 11) return `${chars.slice(0, 3).join("")}${"*".repeat(chars.length - 7)}${chars.slice(-4).join("")}`;
  if (chars.length >= 8) return `${chars.slice(0, 2).join("")}${"*".repeat(chars.length - 4)}${chars.slice(-2).join("")}`;
  return "*".repeat(Math.max(chars.length, 4));
}

/** "张三丰" → "张**", "李四" → "李*", "王" → "*". Only the first character stays visible. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return "*";
  return `${chars[0]}${"*".repeat(chars.length - 1)}`;
}

/** "wang.fang@example.com" → "wa***@example.com" (enough to recognise, not to copy). */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return "***";
  const local = email.slice(0, at);
  return `${local.slice(0, local.length > 2 ? 2 : 1)}***${email.slice(at)}`;
}

export const BENEFICIARY_NAME_MAX = 40;
export const CONSENT_NOTE_MAX = 200;

/** How the beneficiary agreed to be registered and called back. */
export const CONSENT_METHODS = ["ORAL", "WRITTEN", "GUARDIAN"] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

/** The stored consent note: the method, then the registrar's free words ("ORAL|到场登记时口头同意"). */
export function encodeConsent(method: ConsentMethod, note: string): string {
  const n = note.trim();
  return n ? `${method}|${n}` : method;
}

export function decodeConsent(stored: string): { method: ConsentMethod | null; note: string } {
  const bar = stored.indexOf("|");
  const head = bar < 0 ? stored : stored.slice(0, bar);
  const method = (CONSENT_METHODS as readonly string[]).includes(head) ? (head as ConsentMethod) : null;
  if (!method) return { method: null, note: stored };
  return { method, note: bar < 0 ? "" : stored.slice(bar + 1) };
}
