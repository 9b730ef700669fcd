import { maskEmail, maskName, maskPhone } from "~/domain/pii";
import { PSEUDONYM_PREFIX } from "~/domain/personal-data";

/**
 * What the audit log viewer shows of a record's `before` and `after`: the keys that changed, one
 * line each, with personal data masked the way the rest of the app masks it on screen (names to
 * their first character, phone numbers to 138****5678, e-mail addresses to wa***@example.com)
 * and secrets and encrypted values never shown at all. Pure, so the page and the CSV export show
 * the same thing.
 */

/** A shown value: text (already masked), or a value that is never shown and why. */
export type DiffValue = { text: string } | { hidden: "encrypted" | "secret" };

export interface DiffLine {
  /** the key path, e.g. "phase" or "budget.totalFen" */
  key: string;
  change: "added" | "removed" | "changed";
  /** absent when the key was added */
  before?: DiffValue;
  /** absent when the key was removed */
  after?: DiffValue;
}

/** Values stored by lib/pii.server.ts encryptPii: "v1:<iv>:<tag>:<ciphertext>", base64 parts. */
const ENCRYPTED = /^v\d+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/;
/** Keys whose values are secrets or ciphertext, whatever they look like. */
const SECRET_KEY = /(password|token|secret|Enc$|Hash$|hmac)/i;
const EMAIL_KEY = /e-?mail/i;
const PHONE_KEY = /(phone|mobile|tel$)/i;
/** A person's name: "name", "memberName", "judge_name"…, not "nameZh"/"nameEn" (names of areas and rounds). */
const NAME_KEY = /(^name$|[a-z_]name$|^names?$)/i;
const EMAIL_VALUE = /[^\s@]+@[^\s@]+\.[^\s@]+/g;

/** The last segment of a key path, without array indexes: "members.0.name" → "name". */
const leafOf = (key: string) => key.split(".").filter((s) => !/^\d+$/.test(s)).at(-1) ?? key;

/** One value of one key as the viewer may see it. */
export function maskAuditValue(key: string, value: unknown): DiffValue {
  const leaf = leafOf(key);
  if (SECRET_KEY.test(leaf)) return { hidden: "secret" };
  if (typeof value === "string" && ENCRYPTED.test(value)) return { hidden: "encrypted" };
  if (value === null) return { text: "null" };
  if (typeof value !== "string") return { text: JSON.stringify(value) };
  if (EMAIL_KEY.test(leaf)) return { text: maskEmail(value) };
  if (PHONE_KEY.test(leaf)) return { text: maskPhone(value) };
  // an erasure's pseudonym is not a name: it stays readable
  if (NAME_KEY.test(leaf) && !value.startsWith(PSEUDONYM_PREFIX)) return { text: maskName(value) };
  // an address typed anywhere else (a note, a reason) is masked too
  return { text: value.replace(EMAIL_VALUE, (m) => maskEmail(m)) };
}

/**
 * A JSON value as key path → leaf value: nested objects and arrays become dotted paths
 * ("lines.0.item"); an empty object or array is a leaf; a non-object top-level value is the key "".
 */
export function flattenJson(value: unknown, prefix = "", out = new Map<string, unknown>()): Map<string, unknown> {
  if (value !== null && typeof value === "object" && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flattenJson(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (value !== undefined && (prefix !== "" || value !== null)) {
    out.set(prefix, value);
  }
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The changed keys between a record's `before` and `after` (JSON as stored; null for none),
 * in key order: added (only after), removed (only before), changed (both, different). Keys
 * with equal values are left out.
 */
export function auditDiff(before: unknown, after: unknown): DiffLine[] {
  const b = flattenJson(before ?? null);
  const a = flattenJson(after ?? null);
  const keys = [...new Set([...b.keys(), ...a.keys()])].sort();
  const lines: DiffLine[] = [];
  for (const key of keys) {
    const inB = b.has(key);
    const inA = a.has(key);
    if (inB && inA) {
      if (!same(b.get(key), a.get(key))) lines.push({ key, change: "changed", before: maskAuditValue(key, b.get(key)), after: maskAuditValue(key, a.get(key)) });
    } else if (inA) lines.push({ key, change: "added", after: maskAuditValue(key, a.get(key)) });
    else lines.push({ key, change: "removed", before: maskAuditValue(key, b.get(key)) });
  }
  return lines;
}

/** A line as plain text for the CSV export: "phase: DRAFT → OPEN", "note: + …", "old: − …". */
export function diffLineText(line: DiffLine, hiddenText: (why: "encrypted" | "secret") => string): string {
  const show = (v: DiffValue | undefined) => (v === undefined ? "" : "text" in v ? v.text : hiddenText(v.hidden));
  if (line.change === "added") return `${line.key}: + ${show(line.after)}`;
  if (line.change === "removed") return `${line.key}: − ${show(line.before)}`;
  return `${line.key}: ${show(line.before)} → ${show(line.after)}`;
}
