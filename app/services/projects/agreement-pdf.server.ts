import { createRequire } from "node:module";
import PDFDocument from "pdfkit";
import type { AgreementTerms } from "~/domain/agreement";
import { formatFen } from "~/domain/money";
import { BUDGET_CATEGORIES } from "~/domain/proposals";
import { formatDateTime, translate, type Locale } from "~/lib/i18n";
import { agreementView } from "./projects.server";

/**
 * The grant agreement as a PDF (pdfkit, with Noto Sans SC from the npm package
 * @expo-google-fonts/noto-sans-sc embedded as a subset: the document reads the same on any
 * machine, with or without Chinese system fonts). See docs/decisions/011.
 */

const require = createRequire(import.meta.url);
let fontPaths: { regular: string; bold: string } | undefined;
function fonts() {
  fontPaths ??= {
    regular: require.resolve("@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf"),
    bold: require.resolve("@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf"),
  };
  return fontPaths;
}

export interface SignatureLines {
  acceptedBy: string | null;
  acceptedAt: Date | null;
  countersignedBy: string | null;
  countersignedAt: Date | null;
  termsSha256: string;
}

/** Renders the agreement in `locale`; resolves to the PDF bytes. */
export function renderAgreementPdf(terms: AgreementTerms, signatures: SignatureLines, locale: Locale): Promise<Buffer> {
  const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
  const zh = locale === "zh-CN";
  const doc = new PDFDocument({ size: "A4", margin: 56, info: { Title: `${terms.referenceNo} ${t("agreement.pdf.title")}`, Subject: terms.title } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const { regular, bold } = fonts();
  doc.registerFont("body", regular);
  doc.registerFont("bold", bold);

  const heading = (text: string) => doc.moveDown(0.8).font("bold").fontSize(12).text(text).moveDown(0.3).font("body").fontSize(10);
  const line = (label: string, value: string) => doc.font("bold").text(`${label}：`, { continued: true }).font("body").text(value);

  doc.font("bold").fontSize(16).text(t("agreement.pdf.title"), { align: "center" });
  doc.font("body").fontSize(10).text(`${terms.referenceNo} · ${terms.round.code} ${terms.round.title}`, { align: "center" }).moveDown();

  heading(t("agreement.parties"));
  line(t("agreement.funder"), `${zh ? terms.funder.areaNameZh : terms.funder.areaNameEn} · ${zh ? terms.funder.foundationNameZh : terms.funder.foundationNameEn}`);
  line(t("agreement.grantee"), terms.grantee.name);
  line(t("agreement.project"), `${terms.referenceNo} ${terms.title}`);
  line(t("agreement.community"), terms.community ? (zh ? terms.community.nameZh : terms.community.nameEn) : "—");
  line(t("agreement.amount"), formatFen(terms.awardFen));
  line(t("agreement.requested"), formatFen(terms.requestedFen));
  line(t("agreement.coFunding"), formatFen(terms.coFundingFen));
  line(t("agreement.beneficiaries"), terms.beneficiaryCount == null ? "—" : String(terms.beneficiaryCount));
  if (terms.summary) doc.moveDown(0.3).text(terms.summary);

  heading(t("agreement.budget"));
  for (const l of terms.budget) {
    const c = BUDGET_CATEGORIES.find((x) => x.key === l.category);
    doc.text(`${l.position}. ${c ? (zh ? c.nameZh : c.nameEn) : l.category} · ${l.item}    ${t("agreement.budget.requested")} ${formatFen(l.requestedFen)}    ${t("agreement.budget.agreed")} ${formatFen(l.agreedFen)}`);
  }

  heading(t("agreement.milestones"));
  for (const m of terms.milestones) {
    doc.text(`${m.position}. ${m.title} · ${m.dueOn ? t("agreement.milestone.due", { date: m.dueOn }) : t("agreement.milestone.noDue")}${m.deliverable ? ` — ${m.deliverable}` : ""}`);
  }

  heading(t("agreement.tranches"));
  for (const tr of terms.tranches) {
    const tied = tr.milestonePosition ? ` · ${t("tranche.tiedTo", { position: tr.milestonePosition, title: terms.milestones[tr.milestonePosition - 1]?.title ?? "" })}` : "";
    doc.text(`${t("tranche.number", { n: tr.position })}: ${t("tranche.amount", { percent: tr.percent, amount: formatFen(tr.amountFen) })} · ${t(`tranche.trigger.${tr.trigger}`)}${tied}`);
  }

  heading(t("agreement.obligations"));
  terms.obligations.forEach((o, i) => doc.text(`${i + 1}. ${zh ? o.zh : o.en}`, { paragraphGap: 3 }));
  doc.moveDown(0.3).text(t("agreement.passScore", { score: terms.evaluationPassScore }));

  heading(t("agreement.pdf.signatures"));
  doc.text(signatures.acceptedAt ? t("agreement.acceptedBy", { name: signatures.acceptedBy ?? "—", date: formatDateTime(locale, signatures.acceptedAt) }) : t("agreement.notAccepted"));
  doc.text(
    signatures.countersignedAt
      ? t("agreement.countersignedBy", { name: signatures.countersignedBy ?? "—", date: formatDateTime(locale, signatures.countersignedAt) })
      : t("agreement.notCountersigned"),
  );
  doc.moveDown().fontSize(8).fillColor("#475569").text(t("agreement.hash", { hash: signatures.termsSha256 }));
  doc.text(t("agreement.generatedAt", { date: formatDateTime(locale, terms.generatedAt) }));
  doc.end();
  return done;
}

/** The PDF of a project's agreement for someone allowed to see it (grantee, official). */
export async function agreementPdf(viewer: Parameters<typeof agreementView>[0], referenceNo: string, locale: Locale): Promise<{ bytes: Buffer; filename: string }> {
  const view = await agreementView(viewer, referenceNo);
  const bytes = await renderAgreementPdf(
    view.terms,
    {
      acceptedBy: view.project.acceptedBy,
      acceptedAt: view.project.acceptedAt,
      countersignedBy: view.project.countersignedBy,
      countersignedAt: view.project.countersignedAt,
      termsSha256: view.project.termsSha256,
    },
    locale,
  );
  return { bytes, filename: `${referenceNo}-agreement.pdf` };
}
