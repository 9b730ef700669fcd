/** Values a message fills into its `{placeholders}`. */
export type MessageParams = Record<string, string | number>;

/**
 * A message key that carries its own values, as validation errors must (Conform errors are plain
 * strings): `withParams("rounds.rubric.sum", { total: 95 })` → `rounds.rubric.sum|{"total":95}`.
 * `translate` (app/lib/i18n.ts) reads it back, so any error list shows it in the reader's language.
 */
export function withParams(key: string, params: MessageParams): string {
  return `${key}|${JSON.stringify(params)}`;
}

/** The key and values of a message made by `withParams` (or a plain key). */
export function splitMessage(message: string): { key: string; params?: MessageParams } {
  const bar = message.indexOf("|");
  if (bar < 0) return { key: message };
  try {
    const params: unknown = JSON.parse(message.slice(bar + 1));
    if (params && typeof params === "object") return { key: message.slice(0, bar), params: params as MessageParams };
  } catch {
    // not ours: the whole string is the key
  }
  return { key: message };
}
