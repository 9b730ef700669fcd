import { checkShowcase, withdrawReason, type ShowcaseInput } from "~/domain/showcase";
import { pageOf } from "~/domain/money";
import type { Prisma } from "~/generated/prisma/client";
import { db } from "~/lib/db.server";
import { notFound } from "~/lib/permissions.server";
import { fail, invalid, ok, type Result } from "~/lib/result";
import type { Actor } from "~/services/accounts/actor.server";
import { audit } from "~/services/books/audit.server";
import { projectByRef, requireProject } from "~/services/projects/access.server";

/**
 * 优秀案例 (docs/decisions/043): an official of a closed project's area marks it as a showcase
 * case with a story, outcomes and photos from its approved reports; the case is public on the
 * area's and the round's showcase pages until withdrawn with a reason. Every step is audited; the
 * table's trigger moves the public-data version in the same transaction.
 */

export const SHOWCASE_PER_PAGE = 12;

/** The photos a case may show: those of the project's approved milestone reports (public already, ADR 010). */
async function approvedPhotos(projectId: string) {
  return db().reportFile.findMany({
    where: { kind: "PHOTO", report: { projectId, status: "APPROVED" } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, caption: true },
  });
}

/** The official's editor: the project, its case (if any) and the photos to choose from. 403/404 as the project's official pages. */
export async function showcaseEditor(viewer: Actor, ref: string) {
  const { project } = await requireProject(viewer, ref, "official");
  const [current, photos] = await Promise.all([
    db().showcaseCase.findUnique({ where: { projectId: project.id }, select: { storyZh: true, storyEn: true, outcomesZh: true, outcomesEn: true, photoIds: true, markedAt: true, withdrawnAt: true, withdrawReason: true } }),
    approvedPhotos(project.id),
  ]);
  return {
    project: { referenceNo: project.referenceNo, title: project.title, status: project.status },
    current: current ? { ...current, markedAt: current.markedAt.toISOString(), withdrawnAt: current.withdrawnAt?.toISOString() ?? null } : null,
    photos,
  };
}

/** Marks (or marks again, replacing the story) a closed project as a showcase case: an official of its area. */
export async function markShowcase(viewer: Actor, ref: string, input: ShowcaseInput, now: Date = new Date()): Promise<Result> {
  await requireProject(viewer, ref, "official");
  return markShowcaseAs(viewer.id, ref, input, now);
}

/** Marks the case as `actorId` (already authorized: the official's action above, or the demo seed). */
export async function markShowcaseAs(actorId: string, ref: string, input: ShowcaseInput, now: Date = new Date()): Promise<Result> {
  const project = await projectByRef(db(), ref);
  const photos = await approvedPhotos(project.id);
  const checked = checkShowcase(input, { status: project.status, photoIds: photos.map((p) => p.id) });
  if (!checked.ok) {
    const { project: notClosed, ...fields } = checked.problems;
    return invalid(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, [v]])), notClosed ? [notClosed] : []);
  }
  const v = checked.value;
  await db().$transaction(async (tx) => {
    const before = await tx.showcaseCase.findUnique({ where: { projectId: project.id }, select: { storyZh: true, outcomesZh: true, photoIds: true, withdrawnAt: true } });
    const data = { ...v, markedById: actorId, markedAt: now, withdrawnAt: null, withdrawnById: null, withdrawReason: null };
    const c = await tx.showcaseCase.upsert({
      where: { projectId: project.id },
      create: { projectId: project.id, areaId: project.communityId ?? (await tx.round.findUniqueOrThrow({ where: { id: project.roundId }, select: { areaId: true } })).areaId, roundId: project.roundId, ...data },
      update: data,
      select: { id: true },
    });
    await audit(tx, { actorId, action: "showcase.mark", objectType: "ShowcaseCase", objectId: c.id, before: before ? { ...before, withdrawnAt: before.withdrawnAt?.toISOString() ?? null } : null, after: { project: project.referenceNo, storyZh: v.storyZh, outcomesZh: v.outcomesZh, english: v.storyEn !== null, photoIds: v.photoIds }, at: now });
  });
  return ok();
}

/** Withdraws a case from the public pages, with a reason. 404 when the project has no case shown. */
export async function withdrawShowcase(viewer: Actor, ref: string, reason: string, now: Date = new Date()): Promise<Result> {
  const { project } = await requireProject(viewer, ref, "official");
  const kept = withdrawReason(reason);
  if (!kept) return invalid({ reason: ["showcase.reasonRequired"] });
  const done = await db().$transaction(async (tx) => {
    const c = await tx.showcaseCase.findUnique({ where: { projectId: project.id }, select: { id: true, withdrawnAt: true } });
    if (!c || c.withdrawnAt) return false;
    await tx.showcaseCase.update({ where: { id: c.id }, data: { withdrawnAt: now, withdrawnById: viewer.id, withdrawReason: kept } });
    await audit(tx, { actorId: viewer.id, action: "showcase.withdraw", objectType: "ShowcaseCase", objectId: c.id, before: { withdrawnAt: null }, after: { project: project.referenceNo, reason: kept }, at: now });
    return true;
  });
  return done ? ok() : fail(404, "showcase.none404");
}

async function showcasePage(where: Prisma.ShowcaseCaseWhereInput, requestedPage: unknown) {
  const shown = { ...where, withdrawnAt: null };
  const total = await db().showcaseCase.count({ where: shown });
  const page = pageOf(requestedPage, total, SHOWCASE_PER_PAGE);
  const cases = await db().showcaseCase.findMany({
    where: shown,
    orderBy: [{ markedAt: "desc" }, { id: "asc" }],
    skip: page.skip,
    take: page.take,
    select: {
      storyZh: true,
      storyEn: true,
      outcomesZh: true,
      outcomesEn: true,
      photoIds: true,
      markedAt: true,
      project: { select: { referenceNo: true, title: true, category: true, organization: { select: { name: true } }, community: { select: { nameZh: true, nameEn: true } } } },
    },
  });
  return { total, page: page.page, pages: page.pages, cases: cases.map((c) => ({ ...c, markedAt: c.markedAt.toISOString() })) };
}

/** An area's showcase (its cases and those of the areas below it), numbered pages; 404 for an unknown area. */
export async function areaShowcase(code: string, requestedPage: unknown) {
  const area = await db().area.findUnique({ where: { code }, select: { code: true, path: true, nameZh: true, nameEn: true } });
  if (!area) notFound();
  return { area: { code: area.code, nameZh: area.nameZh, nameEn: area.nameEn }, ...(await showcasePage({ project: { areaPath: { startsWith: area.path } } }, requestedPage)) };
}

/** A round's showcase, numbered pages; 404 for an unknown round or one still in draft. */
export async function roundShowcase(code: string, requestedPage: unknown) {
  const round = await db().round.findUnique({ where: { code }, select: { id: true, code: true, title: true, titleEn: true, phase: true } });
  if (!round || round.phase === "DRAFT") notFound();
  return { round: { code: round.code, title: round.title, titleEn: round.titleEn }, ...(await showcasePage({ roundId: round.id }, requestedPage)) };
}
