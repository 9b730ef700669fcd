import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { create, type Font } from "fontkit";
import PDFDocument from "pdfkit";
import { translate, type Locale } from "~/lib/i18n";

/**
 * The printed documents' toolkit (docs/decisions/032): A4 pages with a frame — the issuing office
 * and the document's reference at the top of every page, a fingerprint line (a SHA-256 the reader
 * can check against the platform) and "第 N 页 / 共 M 页" at the bottom of every page — titles,
 * headings kept with what follows them, label/value lines, bordered tables that break across pages
 * repeating their header row, and signature/seal blocks kept whole on one page.
 *
 * Noto Sans SC (the npm package @expo-google-fonts/noto-sans-sc) is embedded as a subset, so the
 * document prints the same on any machine with or without Chinese fonts.
 *
 * Deterministic: the PDF's dates come from the data (`FrameOptions.date`), never from the clock,
 * and pdfkit derives the file ID from them; the same data gives the same bytes.
 */

const require = createRequire(import.meta.url);
let parsed: { regular: Font; bold: Font } | undefined;
/**
 * The two weights, parsed once per process and shared by every document: each document keeps its
 * own subset of the glyphs it uses, and the shared font's glyph caches make later documents several
 * times faster to write. The bytes written do not depend on what the caches hold.
 */
function fonts() {
  parsed ??= {
    regular: create(readFileSync(require.resolve("@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf"))),
    bold: create(readFileSync(require.resolve("@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf"))),
  };
  return parsed;
}

/** Page margins in points: wide enough top and bottom for the frame's header and footer. */
export const MARGINS = { top: 70, bottom: 70, left: 56, right: 56 } as const;
const MUTED = "#475569";
const RULE = "#94a3b8";

export interface FrameOptions {
  locale: Locale;
  /** the document's title: the PDF's Title and the heading of its first page */
  title: string;
  /** the issuing office (出具单位), at the top of every page */
  issuer: string;
  /** the document's reference (e.g. a proposal's number), at the top right of every page */
  reference?: string | null;
  /** the fingerprint line at the bottom of every page: a label and the SHA-256 it shows */
  fingerprint?: { label: string; sha256: string } | null;
  /** the data's own date (the last change it shows): the PDF's creation date, so the bytes depend on the data alone */
  date: Date;
  subject?: string;
  /** A4 turned sideways, for wide sheets */
  landscape?: boolean;
  /** deflate the page contents (default true; tests may turn it off to read the raw operators) */
  compress?: boolean;
}

export interface Column {
  header: string;
  /** a share of the text width, relative to the other columns' */
  width: number;
  align?: "left" | "center" | "right";
}

export interface SignatureBlock {
  /** e.g. 甲方（资助方） */
  party: string;
  /** the party's name (an office, an organization) */
  name: string;
  /** what the platform recorded of this party's signature (e.g. "confirmed online by … on …"); empty when nothing yet */
  recorded: string[];
  /** whether the block has a seal area (盖章处) */
  seal: boolean;
}

/** One document being written; `end()` draws the frame on every page and resolves to the bytes. */
export class PdfWriter {
  readonly doc: PDFKit.PDFDocument;
  readonly locale: Locale;
  private readonly options: FrameOptions;
  private readonly bytes: Promise<Buffer>;

  constructor(options: FrameOptions) {
    this.options = options;
    this.locale = options.locale;
    this.doc = new PDFDocument({
      size: "A4",
      layout: options.landscape ? "landscape" : "portrait",
      margins: { ...MARGINS },
      bufferPages: true,
      compress: options.compress ?? true,
      lang: options.locale === "en" ? "en" : "zh-CN",
      info: {
        Title: options.title,
        Subject: options.subject ?? options.title,
        Author: options.issuer,
        Creator: "Community venture philanthropy platform",
        Producer: "PDFKit",
        CreationDate: options.date,
        ModDate: options.date,
      },
    });
    const chunks: Buffer[] = [];
    this.bytes = new Promise<Buffer>((resolve, reject) => {
      this.doc.on("data", (c: Buffer) => chunks.push(c));
      this.doc.on("end", () => resolve(Buffer.concat(chunks)));
      this.doc.on("error", reject);
    });
    const { regular, bold } = fonts();
    // pdfkit takes a parsed fontkit font as it takes a file (its types list only files and bytes)
    this.doc.registerFont("body", regular as unknown as Buffer);
    this.doc.registerFont("bold", bold as unknown as Buffer);
    this.doc.font("body").fontSize(10).fillColor("black");
  }

  t(key: string, params?: Record<string, string | number>): string {
    return translate(this.locale, key, params);
  }

  get left(): number {
    return MARGINS.left;
  }
  get width(): number {
    return this.doc.page.width - MARGINS.left - MARGINS.right;
  }
  private get bottom(): number {
    return this.doc.page.height - MARGINS.bottom;
  }

  /** Starts a new page unless `height` points still fit on this one. */
  ensureSpace(height: number): this {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
    return this;
  }

  /** The document's title (centred) and an optional line under it. */
  title(text: string, sub?: string): this {
    this.doc.font("bold").fontSize(16).fillColor("black").text(text, this.left, this.doc.y, { width: this.width, align: "center" });
    if (sub) this.doc.font("body").fontSize(10).fillColor(MUTED).text(sub, { width: this.width, align: "center" });
    this.doc.fillColor("black").font("body").fontSize(10).moveDown(0.8);
    return this;
  }

  /** A section heading, never alone at the foot of a page: it moves on with room for three lines after it. */
  heading(text: string): this {
    this.doc.font("bold").fontSize(12);
    const h = this.doc.heightOfString(text, { width: this.width });
    this.ensureSpace(h + 8 + 3 * this.doc.font("body").fontSize(10).currentLineHeight(true));
    this.doc.moveDown(0.5).font("bold").fontSize(12).fillColor("black").text(text, this.left, this.doc.y, { width: this.width });
    this.doc.moveDown(0.3).font("body").fontSize(10);
    return this;
  }

  /** Running text; starts on a new page rather than leave a single line at the foot of this one. */
  paragraph(text: string, options: { muted?: boolean; size?: number } = {}): this {
    const size = options.size ?? 10;
    this.doc.font("body").fontSize(size);
    const line = this.doc.currentLineHeight(true);
    const h = this.doc.heightOfString(text || " ", { width: this.width });
    if (h > line * 1.5 && this.doc.y + line * 2 > this.bottom) this.doc.addPage();
    this.doc.fillColor(options.muted ? MUTED : "black").text(text || "—", this.left, this.doc.y, { width: this.width, paragraphGap: 4 });
    this.doc.fillColor("black").fontSize(10);
    return this;
  }

  /** Label：value lines. */
  fields(pairs: readonly (readonly [string, string])[]): this {
    for (const [label, value] of pairs) {
      this.doc.font("bold").fontSize(10).fillColor("black").text(`${label}：`, this.left, this.doc.y, { width: this.width, continued: true }).font("body").text(value || "—");
    }
    return this;
  }

  /**
   * A bordered table: rows break across pages and the header row is repeated at the top of each
   * page the table continues on. A row taller than a page is cut to the page (with an ellipsis).
   */
  table(columns: readonly Column[], rows: readonly (readonly string[])[], options: { size?: number } = {}): this {
    const doc = this.doc;
    const size = options.size ?? 9;
    const pad = 4;
    const share = columns.reduce((s, c) => s + c.width, 0);
    const widths = columns.map((c) => (c.width / share) * this.width);
    const measure = (cells: readonly string[], font: "body" | "bold") => {
      doc.font(font).fontSize(size);
      return Math.max(...cells.map((c, i) => doc.heightOfString(c || " ", { width: widths[i]! - 2 * pad }))) + 2 * pad;
    };
    const paint = (cells: readonly string[], font: "body" | "bold", height: number, fill: string | null) => {
      const top = doc.y;
      let x = this.left;
      if (fill) doc.rect(this.left, top, this.width, height).fill(fill);
      doc.font(font).fontSize(size).fillColor("black");
      cells.forEach((c, i) => {
        if (c) doc.text(c, x + pad, top + pad, { width: widths[i]! - 2 * pad, height: height - 2 * pad, align: columns[i]!.align ?? "left", ellipsis: true });
        x += widths[i]!;
      });
      doc.lineWidth(0.5).strokeColor(RULE).rect(this.left, top, this.width, height).stroke();
      x = this.left;
      for (const w of widths.slice(0, -1)) {
        x += w;
        doc.moveTo(x, top).lineTo(x, top + height).stroke();
      }
      doc.strokeColor("black").fillColor("black");
      doc.x = this.left;
      doc.y = top + height;
    };
    const headers = columns.map((c) => c.header);
    const headHeight = measure(headers, "bold");
    const room = () => this.bottom - MARGINS.top - headHeight;
    const first = rows[0] ? Math.min(measure(rows[0], "body"), room()) : 0;
    this.ensureSpace(headHeight + first);
    paint(headers, "bold", headHeight, "#e2e8f0");
    rows.forEach((row, i) => {
      const height = Math.min(measure(row, "body"), room());
      if (doc.y + height > this.bottom) {
        doc.addPage();
        paint(headers, "bold", headHeight, "#e2e8f0");
      }
      paint(row, "body", height, i % 2 ? "#f8fafc" : null);
    });
    doc.font("body").fontSize(10).moveDown(0.5);
    return this;
  }

  /**
   * A horizontal bar chart drawn in the page (no image): one row per item, its label on the left,
   * a bar as long as its share of the largest value, and the value as text after it. Kept whole
   * on one page.
   */
  bars(items: readonly { label: string; value: number; text: string }[]): this {
    if (!items.length) return this;
    const doc = this.doc;
    const rowHeight = 16;
    this.ensureSpace(items.length * rowHeight + 8);
    const labelWidth = this.width * 0.28;
    const textWidth = this.width * 0.22;
    const barRoom = this.width - labelWidth - textWidth - 8;
    const max = Math.max(1, ...items.map((i) => Math.abs(i.value)));
    for (const item of items) {
      const top = doc.y;
      doc.font("body").fontSize(9).fillColor("black").text(item.label, this.left, top + 3, { width: labelWidth - 4, height: rowHeight - 2, ellipsis: true });
      const length = Math.round((Math.abs(item.value) / max) * barRoom);
      if (length > 0) doc.rect(this.left + labelWidth, top + 3, length, rowHeight - 6).fill("#0f766e");
      doc.fillColor("black").text(item.text, this.left + labelWidth + length + 4, top + 3, { width: textWidth + barRoom - length, height: rowHeight - 2, ellipsis: true });
      doc.x = this.left;
      doc.y = top + rowHeight;
    }
    doc.font("body").fontSize(10).fillColor("black").moveDown(0.5);
    return this;
  }

  /**
   * Signature and seal blocks, two side by side, kept whole on one page together with `heading`.
   * Each: the party and its name, what the platform recorded of its signature, lines to sign and
   * date by hand, and a dashed circle where the seal goes.
   */
  signatures(heading: string, blocks: readonly SignatureBlock[]): this {
    const doc = this.doc;
    const gap = 16;
    const colWidth = (this.width - gap) / 2;
    /** the height of a block's name and recorded lines, above its lines to sign and date */
    const textHeight = (b: SignatureBlock) => {
      doc.font("body").fontSize(9);
      const recorded = b.recorded.reduce((h, r) => h + doc.heightOfString(r, { width: colWidth }), 0);
      doc.font("bold").fontSize(10);
      return doc.heightOfString(`${b.party}：${b.name}`, { width: colWidth }) + recorded;
    };
    const blockHeight = (b: SignatureBlock) => textHeight(b) + 110;
    const rows: SignatureBlock[][] = [];
    for (let i = 0; i < blocks.length; i += 2) rows.push(blocks.slice(i, i + 2));
    const heights = rows.map((r) => Math.max(...r.map(blockHeight)));
    doc.font("bold").fontSize(12);
    this.ensureSpace(doc.heightOfString(heading, { width: this.width }) + 12 + heights.reduce((a, b) => a + b, 0));
    this.heading(heading);
    rows.forEach((row, r) => {
      this.ensureSpace(heights[r]!);
      const top = doc.y;
      const linesTop = top + Math.max(...row.map(textHeight)) + 14;
      row.forEach((b, i) => {
        const x = this.left + i * (colWidth + gap);
        doc.font("bold").fontSize(10).fillColor("black").text(`${b.party}：${b.name}`, x, top, { width: colWidth });
        doc.font("body").fontSize(9).fillColor(MUTED);
        for (const line of b.recorded) doc.text(line, x, doc.y, { width: colWidth });
        doc.fillColor("black").fontSize(10);
        doc.text(`${this.t("doc.sign.signature")}：`, x, linesTop, { width: colWidth, lineBreak: false });
        doc.lineWidth(0.5).strokeColor("black").moveTo(x + 62, linesTop + 12).lineTo(x + colWidth * 0.55, linesTop + 12).stroke();
        doc.text(`${this.t("doc.sign.date")}：`, x, linesTop + 34, { width: colWidth, lineBreak: false });
        doc.moveTo(x + 62, linesTop + 46).lineTo(x + colWidth * 0.55, linesTop + 46).stroke();
        if (b.seal) {
          const cx = x + colWidth * 0.8;
          const cy = linesTop + 28;
          doc.save().lineWidth(0.8).dash(3, { space: 3 }).strokeColor(RULE).circle(cx, cy, 34).stroke().undash().restore();
          doc.font("body").fontSize(8).fillColor(MUTED).text(this.t("doc.sign.seal"), cx - 34, cy - 5, { width: 68, align: "center", lineBreak: false });
          doc.fillColor("black").fontSize(10);
        }
      });
      doc.x = this.left;
      doc.y = top + heights[r]!;
    });
    return this;
  }

  /**
   * A QR code (its modules from `qrcode`'s `create`), drawn as black squares — vector, sharp at any
   * print size — `size` points wide with its quiet zone (4 modules) included, centred on the line.
   */
  qrCode(modules: { size: number; data: Uint8Array }, size: number): this {
    const doc = this.doc;
    const quiet = 4;
    const unit = size / (modules.size + 2 * quiet);
    const x0 = this.left + (this.width - size) / 2;
    this.ensureSpace(size);
    const y0 = doc.y;
    doc.save().rect(x0, y0, size, size).fill("white").fillColor("black");
    for (let r = 0; r < modules.size; r++) {
      for (let c = 0; c < modules.size; c++) {
        if (modules.data[r * modules.size + c]) doc.rect(x0 + (quiet + c) * unit, y0 + (quiet + r) * unit, unit, unit);
      }
    }
    doc.fill("black").restore();
    doc.x = this.left;
    doc.y = y0 + size;
    return this;
  }

  /** Draws the frame on every page (header, fingerprint, page numbers) and resolves to the PDF's bytes. */
  end(): Promise<Buffer> {
    const doc = this.doc;
    const { start, count } = doc.bufferedPageRange();
    for (let i = start; i < start + count; i++) {
      doc.switchToPage(i);
      // writing in the margins: with the bottom margin at 0 pdfkit adds no page for text below it
      const margins = doc.page.margins;
      doc.page.margins = { ...margins, top: 0, bottom: 0 };
      const w = doc.page.width - MARGINS.left - MARGINS.right;
      doc.font("body").fontSize(8).fillColor(MUTED);
      doc.text(this.options.issuer, MARGINS.left, 34, { width: w * 0.7, lineBreak: false, ellipsis: true });
      if (this.options.reference) doc.font("bold").text(this.options.reference, MARGINS.left + w * 0.7, 34, { width: w * 0.3, align: "right", lineBreak: false });
      doc.lineWidth(0.5).strokeColor(RULE).moveTo(MARGINS.left, 50).lineTo(MARGINS.left + w, 50).stroke();
      const foot = doc.page.height - 56;
      doc.moveTo(MARGINS.left, foot).lineTo(MARGINS.left + w, foot).stroke();
      doc.font("body").fontSize(7).fillColor(MUTED);
      if (this.options.fingerprint) {
        doc.text(`${this.options.fingerprint.label}：${this.options.fingerprint.sha256}`, MARGINS.left, foot + 6, { width: w, lineBreak: false });
      }
      doc.fontSize(8).text(this.t("doc.page", { n: i - start + 1, total: count }), MARGINS.left, foot + 20, { width: w, align: "center", lineBreak: false });
      doc.page.margins = margins;
    }
    doc.fillColor("black").strokeColor("black");
    doc.end();
    return this.bytes;
  }
}
