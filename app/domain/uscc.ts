/**
 * 统一社会信用代码 (Unified Social Credit Code, GB 32100-2015): 18 characters from a 31-symbol
 * alphabet (digits and capitals without I, O, Z, S, V); the last is a check character computed
 * from the first 17 with weights 3^i mod 31.
 */
const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function usccCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = ALPHABET.indexOf(first17[i]!);
    if (v < 0) return null;
    sum += v * WEIGHTS[i]!;
  }
  const c = (31 - (sum % 31)) % 31;
  return ALPHABET[c]!;
}

/** Upper-cases and strips spaces, so that "91330482 mA2…" as typed is accepted. */
export function normalizeUscc(input: string): string {
  return input.replace(/[\s-]/g, "").toUpperCase();
}

export type UsccProblem = "length" | "characters" | "checksum";

export function usccProblem(input: string): UsccProblem | null {
  const code = normalizeUscc(input);
  if (code.length !== 18) return "length";
  if (![...code].every((ch) => ALPHABET.includes(ch))) return "characters";
  return usccCheckChar(code.slice(0, 17)) === code[17] ? null : "checksum";
}

export const isValidUscc = (input: string) => usccProblem(input) === null;
