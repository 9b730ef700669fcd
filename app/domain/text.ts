/**
 * Text as people may submit it. Bidirectional controls (U+202A–U+202E, U+2066–U+2069, the marks
 * U+200E, U+200F, U+061C) can make "\u202e士人心爱" display as 爱心人士; zero-width characters
 * (U+200B–U+200D, U+2060, U+FEFF) make two names that look the same differ. Neither belongs in a
 * name, a title or a description, so every submitted text loses them, and is put in Unicode NFC
 * so that the same characters are stored the same way.
 */
const INVISIBLE = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b-\u200d\u2060\ufeff\u180e]/g;

export function plainText(value: string): string {
  return value.normalize("NFC").replace(INVISIBLE, "");
}
