import { extractText, getDocumentProxy } from "unpdf";

/** The text of each page of a PDF (pdf.js's legacy build through unpdf: pure JavaScript, no binary). */
export async function pdfPages(bytes: Uint8Array): Promise<string[]> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const { text } = await extractText(pdf, { mergePages: false });
  return text;
}

/** Whether the PDF embeds a font program (TrueType, CFF or OpenType), i.e. it prints the same without system fonts. */
export function embedsFont(bytes: Uint8Array): boolean {
  return /\/FontFile[23]\b/.test(Buffer.from(bytes).toString("latin1"));
}
