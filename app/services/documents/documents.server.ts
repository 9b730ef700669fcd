import { canonicalJson } from "~/domain/audit-chain";
import { categoriesOf } from "~/domain/rounds";
import { contentDisposition } from "~/lib/uploads.server";
import { sha256 } from "~/lib/crypto.server";
import { db } from "~/lib/db.server";
import { appUrl } from "~/lib/env.server";
import type { Locale } from "~/lib/i18n";
import { notFound } from "~/lib/permissions.server";
import type { Actor } from "~/services/accounts/actor.server";
import { publishedRound } from "~/services/awards/access.server";
import { resultsPage } from "~/services/awards/awards.server";
import { audit } from "~/services/books/audit.server";
import { loadProposalFor } from "~/services/proposals/proposals.server";
import { roundForOfficial } from "~/services/review/access.server";
import { rankingNotice } from "~/services/areas/ranking-notice.server";
import { renderNoticePdf, renderProposalPdf, renderRankingNoticePdf, renderResultsPdf, renderScreeningPdf, type NoticeDocument, type ResultsDocument, type ScreeningDocument } from "./render.server";

/**
 * The printed documents as downloads (docs/decisions/032): each reads its data with its wing's
 * access rule, renders it (render.server.ts) and answers with the PDF. Generated per request and
 * deterministic: the same data gives the same bytes (the PDF's date is the data's last change),
 * so the ETag is the bytes' SHA-256. Every download of a document that is not public is audited
 * ("document.download": which document, of what, and the SHA-256 of the bytes handed out).
 */

export interface PdfFile {
  bytes: Buffer;
  filename: string;
}

/** The answer carrying a PDF: an attachment with a UTF-8 filename, never cached by a shared cache unless `public`. */
export function pdfResponse(file: PdfFile, options: { public?: boolean } = {}): Response {
  return new Response(new Uint8Array(file.bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": contentDisposition("attachment", file.filename),
      "Content-Length": String(file.bytes.length),
      ETag: `"${sha256(file.bytes)}"`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": options.public ? "public, no-cache" : "private, no-store",
    },
  });
}

/** Records that `actor` took a copy of a document that is not public, with the SHA-256 of the bytes. */
export async function auditDownload(actor: Pick<Actor, "id">, document: string, objectType: string, objectId: string, file: PdfFile): Promise<void> {
  await db().$transaction((tx) =>
    audit(tx, { actorId: actor.id, action: "document.download", objectType, objectId, after: { document, filename: file.filename, sha256: sha256(file.bytes) } }),
  );
}

const named = { select: { nameZh: true, nameEn: true } } as const;
const localFile = (locale: Locale, stem: string, zh: string, en: string) => `${stem}-${locale === "en" ? en : zh}.pdf`;
const latest = (dates: readonly (Date | null | undefined)[]) => new Date(Math.max(0, ...dates.filter((d): d is Date => !!d).map((d) => d.getTime())));

async function issuingBodies(roundId: string) {
  return db().round.findUniqueOrThrow({ where: { id: roundId }, select: { area: named, foundation: named } });
}

// ───────────────────────────── 公示 ─────────────────────────────

/** The data of the public notice as printed; 404 before the awards are published (like the notice page). */
export async function noticeDocument(code: string): Promise<NoticeDocument> {
  const round = await publishedRound(code);
  const [{ area, foundation }, awards] = await Promise.all([
    issuingBodies(round.id),
    db().award.findMany({
      where: { roundId: round.id },
      orderBy: { rank: "asc" },
      select: {
        rank: true,
        outcome: true,
        awardFen: true,
        noticeStartsAt: true,
        noticeEndsAt: true,
        version: true,
        proposal: { select: { referenceNo: true, title: true, organization: { select: { name: true } }, community: named } },
      },
    }),
  ]);
  const startsAt = awards.length ? new Date(Math.min(...awards.map((a) => a.noticeStartsAt.getTime()))) : round.awardsPublishedAt;
  const endsAt = awards.length ? latest(awards.map((a) => a.noticeEndsAt)) : round.awardsPublishedAt;
  const data = {
    round: { code: round.code, title: round.title, noticeDays: round.noticeDays },
    area,
    foundation,
    publishedAt: round.awardsPublishedAt,
    finalizedAt: round.awardsFinalizedAt,
    startsAt,
    endsAt,
    awards: awards.map((a) => ({
      rank: a.rank,
      referenceNo: a.proposal.referenceNo ?? "",
      title: a.proposal.title,
      organization: a.proposal.organization.name,
      community: a.proposal.community,
      awardFen: a.awardFen,
      outcome: a.outcome as string,
      restarted: a.version > 1,
    })),
  };
  return {
    ...data,
    objectionUrl: `${appUrl()}/rounds/${encodeURIComponent(round.code)}/notice`,
    sha256: sha256(canonicalJson(data)),
    asOf: latest([round.awardsPublishedAt, round.awardsFinalizedAt, ...awards.map((a) => a.noticeStartsAt)]),
  };
}

/**
 * The public notice's bytes by what they are drawn from (its data's hash, date, language and
 * objection address): anyone may ask for it, so a burst of anonymous downloads draws it once.
 * A few entries: a notice is read in two languages, a handful of rounds at a time.
 */
const noticeCache = new Map<string, Buffer>();
const NOTICE_CACHE_SIZE = 16;

/** The notice as a PDF for anyone (public once published). */
export async function noticePdf(code: string, locale: Locale): Promise<PdfFile> {
  const d = await noticeDocument(code);
  const key = `${d.sha256}|${d.asOf.toISOString()}|${locale}|${d.objectionUrl}`;
  let bytes = noticeCache.get(key);
  if (!bytes) {
    bytes = await renderNoticePdf(d, locale);
    if (noticeCache.size >= NOTICE_CACHE_SIZE) noticeCache.delete(noticeCache.keys().next().value!);
    noticeCache.set(key, bytes);
  }
  return { bytes, filename: localFile(locale, d.round.code, "资助公示", "notice") };
}

// ───────────────────────────── 申报书 ─────────────────────────────

/**
 * The proposal as filed, from its frozen snapshot, for the organization's members and the
 * round's officials (404 for anyone else, and for a draft, which has not been filed). Audited.
 */
export async function proposalPdf(actor: Actor, id: string, locale: Locale): Promise<PdfFile> {
  const view = await loadProposalFor(actor, id);
  if (!view.snapshot || !view.snapshotSha256 || !view.referenceNo) notFound();
  const round = await db().round.findUniqueOrThrow({ where: { code: view.round.code }, select: { id: true } });
  const { area, foundation } = await issuingBodies(round.id);
  const bytes = await renderProposalPdf({ snapshot: view.snapshot, snapshotSha256: view.snapshotSha256, categories: view.round.categories, area, foundation }, locale);
  const file = { bytes, filename: localFile(locale, view.referenceNo, "申报书", "proposal") };
  await auditDownload(actor, "proposal", "Proposal", id, file);
  return file;
}

// ───────────────────────────── the officials' sheets ─────────────────────────────

/** The screening results of a round for its officials (403 for others, 404 for an unknown round). */
export async function screeningDocument(actor: Pick<Actor, "grants">, code: string): Promise<ScreeningDocument> {
  const round = await roundForOfficial(actor, code);
  const [{ area, foundation }, proposals] = await Promise.all([
    issuingBodies(round.id),
    db().proposal.findMany({
      where: { roundId: round.id, status: { in: ["SUBMITTED", "ELIGIBLE", "INELIGIBLE"] } },
      orderBy: { referenceNo: "asc" },
      select: {
        referenceNo: true,
        title: true,
        category: true,
        requestedFen: true,
        status: true,
        screeningReason: true,
        screenedAt: true,
        screenedById: true,
        submittedAt: true,
        organization: { select: { name: true } },
        community: named,
      },
    }),
  ]);
  const screenerIds = [...new Set(proposals.map((p) => p.screenedById).filter((x): x is string => !!x))];
  const names = new Map((await db().user.findMany({ where: { id: { in: screenerIds } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  const rows = proposals.map((p) => ({
    referenceNo: p.referenceNo ?? "",
    title: p.title,
    organization: p.organization.name,
    community: p.community,
    category: p.category,
    requestedFen: p.requestedFen,
    status: p.status as string,
    reason: p.status === "SUBMITTED" ? null : p.screeningReason,
    screenedBy: p.status === "SUBMITTED" || !p.screenedById ? null : (names.get(p.screenedById) ?? null),
    screenedAt: p.status === "SUBMITTED" ? null : p.screenedAt,
  }));
  const data = { round: { code: round.code, title: round.title }, area, foundation, rows };
  return {
    ...data,
    categories: categoriesOf(round.categories),
    sha256: sha256(canonicalJson(data)),
    asOf: latest([...proposals.map((p) => p.submittedAt), ...rows.map((r) => r.screenedAt)]),
  };
}

/** The screening results as a PDF for the round's officials; audited. */
export async function screeningPdf(actor: Actor, code: string, locale: Locale): Promise<PdfFile> {
  const d = await screeningDocument(actor, code);
  const file = { bytes: await renderScreeningPdf(d, locale), filename: localFile(locale, d.round.code, "资格审查结果", "screening") };
  await auditDownload(actor, "screening", "Round", code, file);
  return file;
}

/** The ranking and awards of a round for its officials (403 for others, 404 for an unknown round). */
export async function resultsDocument(actor: Pick<Actor, "grants">, code: string): Promise<ResultsDocument> {
  const page = await resultsPage(actor, code);
  const round = await db().round.findUniqueOrThrow({ where: { code }, select: { id: true, awardsPublishedAt: true, updatedAt: true } });
  const [{ area, foundation }, sheets, overrides, awards] = await Promise.all([
    issuingBodies(round.id),
    db().scoreSheet.aggregate({ where: { roundId: round.id }, _max: { updatedAt: true } }),
    db().allocationOverride.findMany({ where: { roundId: round.id }, select: { createdAt: true, revokedAt: true } }),
    db().award.aggregate({ where: { roundId: round.id }, _max: { updatedAt: true } }),
  ]);
  const awardOf = new Map(page.awards.map((a) => [a.proposalId, a]));
  const rows = page.rows.map((r) => {
    const award = awardOf.get(r.proposalId);
    return {
      rank: r.rank,
      referenceNo: r.referenceNo ?? "",
      title: r.title,
      organization: r.organization,
      community: r.community,
      composite: r.composite,
      judgeCount: r.judgeCount,
      requestedFen: r.requestedFen,
      outcome: (award?.outcome ?? r.line?.outcome ?? "") as string,
      awardFen: award?.awardFen ?? r.line?.awardFen ?? 0,
      status: (award?.status ?? "UNPUBLISHED") as string,
    };
  });
  const data = {
    round: { code: page.round.code, title: page.round.title, poolFen: page.round.poolFen, minScore: page.round.minScore, zScore: page.round.zScore, weights: page.round.weights },
    area,
    foundation,
    rows,
  };
  return {
    ...data,
    sha256: sha256(canonicalJson(data)),
    asOf: latest([round.updatedAt, round.awardsPublishedAt, sheets._max.updatedAt, awards._max.updatedAt, ...overrides.flatMap((o) => [o.createdAt, o.revokedAt])]),
  };
}

/** The ranking and awards as a PDF for the round's officials; audited. */
export async function resultsPdf(actor: Actor, code: string, locale: Locale): Promise<PdfFile> {
  const d = await resultsDocument(actor, code);
  const file = { bytes: await renderResultsPdf(d, locale), filename: localFile(locale, d.round.code, "排名及资助结果", "results") };
  await auditDownload(actor, "results", "Round", code, file);
  return file;
}

// ───────────────────────────── 通报 ─────────────────────────────

/** A published quarterly ranking as a PDF for anyone (it never changes); 404 for an unknown number. */
export async function rankingNoticePdf(number: number, locale: Locale): Promise<PdfFile> {
  const n = await rankingNotice(number);
  const bytes = await renderRankingNoticePdf(
    { ...n, publishedAt: new Date(n.publishedAt), asOf: new Date(n.asOf) },
    locale,
  );
  return { bytes, filename: localFile(locale, `${n.quarter}-${n.number}`, "排名通报", "ranking-notice") };
}
