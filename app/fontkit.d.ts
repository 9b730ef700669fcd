/** The little of fontkit (pdfkit's font engine) that lib/pdf.server.ts uses: parsing a font once to share it between documents. */
declare module "fontkit" {
  export interface Font {
    layout(text: string): unknown;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
