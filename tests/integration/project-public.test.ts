import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createMemoryRouter, RouterProvider } from "react-router";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { rejectsWithStatus } from "../support/actors";
import { db, uid } from "../support/db";
import { fundedProject, type ProjectFixture } from "../support/project-fixture";
import { BUDGET_CATEGORY_KEYS, budgetCategoryName } from "~/domain/proposals";
import { LocaleContext, type Locale } from "~/lib/i18n";
import { PUBLIC_PROJECT_STATUSES } from "~/services/public/access.server";
import { encryptPii, phoneHmac } from "~/lib/pii.server";
import { httpStatusOf } from "~/lib/permissions.server";
import ProjectsPage, { loader as listLoader } from "~/routes/projects";
import ProjectPublicPage, { loader as pageLoader } from "~/routes/projects.$ref";
import { loader as photoLoader } from "~/routes/projects.$ref.photos.$fileId";
import {
  listPublicProjects,
  parsePublicProjectQuery,
  publicProject,
  publicProjectFilters,
  workspaceAccess,
} from "~/services/public/project-public.server";
import { readUpload, saveUpload } from "~/lib/uploads.server";
import { numberedPagerIn } from "../support/keyset";

/** A small JPEG that carries EXIF metadata (as phone photos do: GPS, owner). */
async function jpegWithExif(color: string) {
  return sharp({ create: { width: 40, height: 30, channels: 3, background: color } })
    .withExif({ IFD0: { Artist: "EXIF-OWNER-SECRET", Copyright: "EXIF-SECRET" } })
    .jpeg()
    .toBuffer();
}

async function upload(bytes: Uint8Array, name: string, uploaderId: string) {
  return saveUpload(db(), { file: new File([bytes as Uint8Array<ArrayBuffer>], name, { type: "image/jpeg" }), kinds: ["image", "pdf"], uploaderId });
}

type Reports = Awaited<ReturnType<typeof seedReports>>;

/** Reports of project 1 in every state, with photos, files and officials' comments. */
async function seedReports(f: ProjectFixture) {
  const p = f.project;
  const [m1, m2] = p.milestones;
  const photo = await upload(await jpegWithExif("#c00"), "site.jpg", f.grantee.id);
  const thumb = await upload(await sharp({ create: { width: 8, height: 6, channels: 3, background: "#0c0" } }).jpeg().toBuffer(), "thumb.jpg", f.grantee.id);
  const hiddenPhoto = await upload(await jpegWithExif("#00c"), "hidden.jpg", f.grantee.id);
  const signIn = await upload(Buffer.from("%PDF-1.4\n% sign-in sheet with names\n"), "签到表.pdf", f.grantee.id);
  const report = (milestoneId: string, status: "DRAFT" | "SUBMITTED" | "RETURNED" | "APPROVED", narrative: string, comment: string | null = null) =>
    db().milestoneReport.create({
      data: {
        projectId: p.id,
        milestoneId,
        status,
        narrative,
        beneficiariesServed: 42,
        authorId: f.grantee.id,
        submittedAt: status === "DRAFT" ? null : new Date(),
        decidedAt: status === "APPROVED" || status === "RETURNED" ? new Date() : null,
        decidedById: status === "APPROVED" || status === "RETURNED" ? f.official.id : null,
        comment,
      },
    });
  const approved = await report(m1!.id, "APPROVED", "APPROVED-NARRATIVE 招募志愿者 30 名", "APPROVED-COMMENT-SECRET");
  await db().reportDecision.createMany({
    data: [
      { reportId: approved.id, decision: "RETURNED", comment: "EARLIER-RETURN-COMMENT-SECRET", decidedById: f.official.id },
      { reportId: approved.id, decision: "APPROVED", comment: "APPROVED-COMMENT-SECRET", decidedById: f.official.id },
    ],
  });
  await db().projectMilestone.update({ where: { id: m1!.id }, data: { status: "APPROVED", approvedAt: new Date() } });
  const returned = await report(m2!.id, "RETURNED", "RETURNED-NARRATIVE-SECRET", "RETURNED-COMMENT-SECRET");
  await db().reportDecision.create({ data: { reportId: returned.id, decision: "RETURNED", comment: "RETURNED-COMMENT-SECRET", decidedById: f.official.id } });
  await report(m2!.id, "DRAFT", "DRAFT-NARRATIVE-SECRET");
  await report(m2!.id, "SUBMITTED", "SUBMITTED-NARRATIVE-SECRET");

  const approvedPhoto = await db().reportFile.create({ data: { reportId: approved.id, kind: "PHOTO", uploadId: photo.id, thumbnailUploadId: thumb.id, caption: "活动现场" } });
  const approvedFile = await db().reportFile.create({ data: { reportId: approved.id, kind: "FILE", uploadId: signIn.id, caption: "SIGN-IN-SHEET-SECRET" } });
  const returnedPhoto = await db().reportFile.create({ data: { reportId: returned.id, kind: "PHOTO", uploadId: hiddenPhoto.id, caption: "RETURNED-PHOTO-SECRET" } });
  return { approved, returned, approvedPhoto, approvedFile, returnedPhoto, photo, thumb };
}

/** Expenses of project 1 in every state, with receipts, on the fixture's three budget lines. */
async function seedExpenses(f: ProjectFixture) {
  const p = f.project;
  const [l1, l2] = p.budgetLines;
  const receipt = await upload(await jpegWithExif("#888"), "receipt.jpg", f.grantee.id);
  const expense = (amountFen: number, status: "SUBMITTED" | "RETURNED" | "APPROVED", budgetLineId: string | null, extra: { payee?: string; description?: string; comment?: string } = {}) =>
    db().expense.create({
      data: {
        projectId: p.id,
        spentOn: new Date("2026-08-01T10:00:00+08:00"),
        payee: extra.payee ?? "PAYEE-SECRET 张三",
        amountFen,
        budgetLineId,
        description: extra.description ?? "买米面油",
        status,
        submittedById: f.grantee.id,
        comment: extra.comment ?? null,
      },
    });
  const e1 = await expense(120_000, "APPROVED", l1!.id);
  await expense(30_050, "APPROVED", l1!.id, { description: "长".repeat(300) });
  await expense(100_000, "APPROVED", l2!.id);
  await expense(5_000, "APPROVED", null);
  await expense(999_900, "SUBMITTED", l1!.id, { description: "SUBMITTED-EXPENSE-SECRET" });
  await expense(888_800, "RETURNED", l2!.id, { description: "RETURNED-EXPENSE-SECRET", comment: "EXPENSE-COMMENT-SECRET" });
  await db().expenseReceipt.create({ data: { expenseId: e1.id, uploadId: receipt.id, sha256: receipt.sha256 } });
  return { receipt };
}

/** Beneficiaries registered as lib/pii.server.ts stores them, and a month of call-backs. */
async function seedCallbacks(f: ProjectFixture) {
  const p = f.project;
  const outcomes = ["SATISFIED", "SATISFIED", "SATISFIED", "PARTLY", "NOT_SATISFIED", "UNREACHED", "UNREACHED", null] as const;
  const people = outcomes.map((_, i) => {
    const name = `李秀英${uid().slice(0, 3)}${i}`;
    const phone = `138${String(Math.floor(Math.random() * 1e4)).padStart(4, "0")}${String(i).padStart(4, "0")}`;
    return { name, phone, nameEnc: encryptPii(name), phoneEnc: encryptPii(phone), phoneHmac: phoneHmac(phone) };
  });
  const sample = await db().callSample.create({ data: { projectId: p.id, month: "2026-09", seed: "seed-1", size: outcomes.length, drawnById: f.official.id } });
  for (const [i, who] of people.entries()) {
    const b = await db().beneficiary.create({
      data: { projectId: p.id, nameEnc: who.nameEnc, phoneEnc: who.phoneEnc, phoneHmac: who.phoneHmac, consentAt: new Date(), consentNote: "CONSENT-NOTE-SECRET", registeredById: f.grantee.id },
    });
    const outcome = outcomes[i]!;
    await db().callRecord.create({
      data: { sampleId: sample.id, beneficiaryId: b.id, outcome, note: outcome ? `CALL-NOTE-SECRET ${who.name}` : "", calledById: outcome ? f.official.id : null, calledAt: outcome ? new Date() : null },
    });
  }
  return people;
}

const forbiddenStrings = (people: Awaited<ReturnType<typeof seedCallbacks>>) => [
  // the whole ciphertexts and their encrypted parts alone
  ...people.flatMap((p) => [p.name, p.phone, p.nameEnc, p.phoneEnc, p.nameEnc.split(":")[3]!, p.phoneEnc.split(":")[3]!, p.phoneHmac]),
  "CONSENT-NOTE-SECRET",
  "CALL-NOTE-SECRET",
  "DRAFT-NARRATIVE-SECRET",
  "SUBMITTED-NARRATIVE-SECRET",
  "RETURNED-NARRATIVE-SECRET",
  "RETURNED-COMMENT-SECRET",
  "APPROVED-COMMENT-SECRET",
  "EARLIER-RETURN-COMMENT-SECRET",
  "RETURNED-PHOTO-SECRET",
  "SIGN-IN-SHEET-SECRET",
  "PAYEE-SECRET",
  "SUBMITTED-EXPENSE-SECRET",
  "RETURNED-EXPENSE-SECRET",
  "EXPENSE-COMMENT-SECRET",
  "BANK-REF-SECRET",
];

async function seedAll() {
  const f = await fundedProject({ count: 2 });
  const reports: Reports = await seedReports(f);
  const expenses = await seedExpenses(f);
  const people = await seedCallbacks(f);
  // the first tranche was paid
  const t1 = f.project.tranches[0]!;
  await db().tranche.update({
    where: { id: t1.id },
    data: { status: "RELEASED", transferRef: "BANK-REF-SECRET", preparedById: f.official.id, approvedById: f.official2.id, preparedAt: new Date(), releasedAt: new Date("2026-06-01T09:00:00+08:00") },
  });
  return { f, reports, expenses, people };
}

const photoRequest = (ref: string, fileId: string, thumb = false) =>
  photoLoader({ request: new Request(`http://localhost/projects/${ref}/photos/${fileId}${thumb ? "?thumb=1" : ""}`), params: { ref, fileId }, context: {} } as never);

async function statusOf(promise: Promise<unknown>) {
  try {
    const r = await promise;
    return r instanceof Response ? r.status : 200;
  } catch (e) {
    return httpStatusOf(e);
  }
}

describe("public project page (两公开)", () => {
  it("shows the approved report only, never drafts, submitted or returned reports, nor officials' comments, nor non-photo files", async () => {
    const { f, reports } = await seedAll();
    const page = await publicProject(f.project.referenceNo);
    const [m1, m2, m3] = page.milestones;
    expect(m1).toMatchObject({ position: 1, status: "APPROVED" });
    expect(m1!.reports).toHaveLength(1);
    expect(m1!.reports[0]).toMatchObject({ id: reports.approved.id, narrative: "APPROVED-NARRATIVE 招募志愿者 30 名", beneficiariesServed: 42 });
    expect(m1!.reports[0]!.photos).toEqual([{ id: reports.approvedPhoto.id, caption: "活动现场", hasThumbnail: true }]);
    expect(m2!.reports).toEqual([]);
    expect(m3!.reports).toEqual([]);
    expect(page.project).toMatchObject({ summary: expect.stringContaining("助餐"), beneficiaryCount: 60, organization: { name: f.organizations[0]!.name } });
    const json = JSON.stringify(page);
    for (const s of ["DRAFT-NARRATIVE-SECRET", "SUBMITTED-NARRATIVE-SECRET", "RETURNED-NARRATIVE-SECRET", "RETURNED-COMMENT-SECRET", "APPROVED-COMMENT-SECRET", "EARLIER-RETURN-COMMENT-SECRET", "SIGN-IN-SHEET-SECRET", reports.approvedFile.id, reports.returnedPhoto.id, f.grantee.id, f.official.id]) {
      expect(json).not.toContain(s);
    }
  });

  it("lists tranches with which were released and when, never the bank reference or who approved", async () => {
    const { f } = await seedAll();
    const page = await publicProject(f.project.referenceNo);
    expect(page.tranches.map((t) => t.state)).toEqual(["RELEASED", "PENDING", "PENDING"]);
    expect(page.tranches[0]!.releasedAt).toEqual(new Date("2026-06-01T09:00:00+08:00"));
    expect(page.tranches[1]).toMatchObject({ trigger: "MIDTERM", milestonePosition: expect.any(Number), releasedAt: null });
    expect(page.tranches.reduce((s, t) => s + t.amountFen, 0)).toBe(f.project.awardFen);
    expect(page.project.releasedFen).toBe(f.project.tranches[0]!.amountFen);
    const json = JSON.stringify(page);
    expect(json).not.toContain("BANK-REF-SECRET");
    expect(json).not.toContain(f.official2.id);
  });

  it("totals spending by budget line from approved expenses only, with % used, off-budget spending and receipt fingerprints", async () => {
    const { f, expenses } = await seedAll();
    const page = await publicProject(f.project.referenceNo);
    const [l1, l2, l3] = page.budget.lines;
    expect(l1).toMatchObject({ position: 1, item: "助餐物资", budgetFen: 500_000, spentFen: 150_050, usedPercent: 30 });
    expect(l2).toMatchObject({ position: 2, budgetFen: 300_000, spentFen: 100_000, usedPercent: 33 });
    expect(l3).toMatchObject({ position: 3, budgetFen: 200_000, spentFen: 0, usedPercent: 0 });
    expect(page.budget).toMatchObject({ offBudgetFen: 5_000, budgetTotalFen: 1_000_000, spentTotalFen: 255_050 });
    expect(page.expenses.total).toBe(4);
    expect(page.expenses.items.map((e) => e.amountFen).sort((a, b) => a - b)).toEqual([5_000, 30_050, 100_000, 120_000]);
    const withReceipt = page.expenses.items.find((e) => e.amountFen === 120_000)!;
    expect(withReceipt).toMatchObject({ receiptCount: 1, receiptHashes: [expenses.receipt.sha256.slice(0, 12)], budgetLine: { position: 1, item: "助餐物资" } });
    expect([...page.expenses.items.find((e) => e.amountFen === 30_050)!.description].length).toBeLessThanOrEqual(120);
    const json = JSON.stringify(page);
    for (const s of ["PAYEE-SECRET", "张三", "SUBMITTED-EXPENSE-SECRET", "RETURNED-EXPENSE-SECRET", "EXPENSE-COMMENT-SECRET", expenses.receipt.id, expenses.receipt.sha256, expenses.receipt.storageKey]) {
      expect(json).not.toContain(s);
    }
  });

  it("shows call-back satisfaction as counts, and nothing of any beneficiary (names, phones, ciphertexts, notes)", async () => {
    const { f, people } = await seedAll();
    const page = await publicProject(f.project.referenceNo);
    expect(page.satisfaction).toEqual({ SATISFIED: 3, PARTLY: 1, NOT_SATISFIED: 1, UNREACHED: 2, pending: 1 });
    const json = JSON.stringify(page);
    for (const s of forbiddenStrings(people)) expect(json).not.toContain(s);
    const beneficiaryIds = await db().beneficiary.findMany({ where: { projectId: f.project.id }, select: { id: true } });
    for (const b of beneficiaryIds) expect(json).not.toContain(b.id);
  });

  it("the anonymous page loader data carries no personal data; the workspace link is only for members and officials", async () => {
    const { f, people } = await seedAll();
    const ref = f.project.referenceNo;
    const data = await pageLoader({ request: new Request(`http://localhost/projects/${ref}`), params: { ref }, context: {} } as never);
    expect(data.workspace).toBeNull();
    const json = JSON.stringify(data);
    for (const s of forbiddenStrings(people)) expect(json).not.toContain(s);

    expect(await workspaceAccess(f.grantee, ref)).toEqual({ official: false });
    expect(await workspaceAccess(f.official, ref)).toEqual({ official: true });
    expect(await workspaceAccess(f.communityOfficial, ref)).toEqual({ official: true });
    expect(await workspaceAccess(f.otherCommunityOfficial, ref)).toBeNull();
    expect(await workspaceAccess(f.outsider, ref)).toBeNull();
    expect(await workspaceAccess(f.nobody, ref)).toBeNull();
    expect(await workspaceAccess(null, ref)).toBeNull();
    // the grantee of project 1 is nobody to project 2
    expect(await workspaceAccess(f.grantee, f.projects[1]!.referenceNo)).toBeNull();
  });

  it("404 for an unknown reference", async () => {
    await rejectsWithStatus(publicProject(`NOPE-${uid()}`), 404);
  });
});

describe("public photos", () => {
  it("serves a photo of an approved report without metadata, and its thumbnail, with public cache headers", async () => {
    const { f, reports } = await seedAll();
    const ref = f.project.referenceNo;
    const full = (await photoRequest(ref, reports.approvedPhoto.id)) as Response;
    expect(full.status).toBe(200);
    expect(full.headers.get("Content-Type")).toBe("image/jpeg");
    expect(full.headers.get("Cache-Control")).toBe("public, max-age=3600");
    expect(full.headers.get("X-Robots-Tag")).toContain("noimageindex");
    expect(full.headers.get("Content-Disposition")).toMatch(/^inline/);
    const bytes = Buffer.from(await full.arrayBuffer());
    const meta = await sharp(bytes).metadata();
    expect(meta).toMatchObject({ format: "jpeg", width: 40, height: 30 });
    expect(meta.exif).toBeUndefined();
    expect(bytes.includes(Buffer.from("EXIF-OWNER-SECRET"))).toBe(false);
    // the upload dropped it already: not even the stored original keeps the owner's metadata
    expect((await sharp((await readUpload(reports.photo.id))!.bytes).metadata()).exif).toBeUndefined();

    const thumb = (await photoRequest(ref, reports.approvedPhoto.id, true)) as Response;
    expect(thumb.status).toBe(200);
    expect((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).width).toBe(8);
  });

  it("answers 404 alike for a returned report's photo, a non-photo file, another project's reference and an unknown id", async () => {
    const { f, reports } = await seedAll();
    const ref = f.project.referenceNo;
    expect(await statusOf(photoRequest(ref, reports.returnedPhoto.id))).toBe(404);
    expect(await statusOf(photoRequest(ref, reports.returnedPhoto.id, true))).toBe(404);
    expect(await statusOf(photoRequest(ref, reports.approvedFile.id))).toBe(404);
    expect(await statusOf(photoRequest(f.projects[1]!.referenceNo, reports.approvedPhoto.id))).toBe(404);
    expect(await statusOf(photoRequest(ref, "00000000-0000-0000-0000-000000000000"))).toBe(404);
    expect(await statusOf(photoRequest(ref, "not-a-uuid"))).toBe(404);
    // once approved, the same photo is served
    await db().milestoneReport.update({ where: { id: reports.returned.id }, data: { status: "APPROVED" } });
    expect(await statusOf(photoRequest(ref, reports.returnedPhoto.id))).toBe(200);
  });
});

describe("public project list", () => {
  it("lists every funded project with filters by round, community, status and title, and the released amount", async () => {
    const { f } = await seedAll();
    const round = f.round.code;
    const q = (s: string) => parsePublicProjectQuery(new URLSearchParams(s));
    const all = await listPublicProjects(q(`round=${round}`));
    expect(all.total).toBe(2);
    expect(all.items.map((p) => p.referenceNo).sort()).toEqual(f.projects.map((p) => p.referenceNo).sort());
    const first = all.items.find((p) => p.referenceNo === f.project.referenceNo)!;
    expect(first).toMatchObject({ title: f.project.title, organization: f.organizations[0]!.name, round: { code: round }, awardFen: 1_000_000, status: "ACTIVE", releasedFen: f.project.tranches[0]!.amountFen });
    expect(first.community).toMatchObject({ code: f.community1.code });

    expect((await listPublicProjects(q(`round=${round}&community=${f.community1.code}`))).items.map((p) => p.referenceNo)).toEqual([f.project.referenceNo]);
    expect((await listPublicProjects(q(`round=${round}&community=${f.root.code}`))).total).toBe(2);
    expect((await listPublicProjects(q(`round=${round}&community=nosuch${uid()}`))).total).toBe(0);

    await db().project.update({ where: { id: f.projects[1]!.id }, data: { status: "CLOSED" } });
    expect((await listPublicProjects(q(`round=${round}&status=CLOSED`))).items.map((p) => p.referenceNo)).toEqual([f.projects[1]!.referenceNo]);
    expect((await listPublicProjects(q(`round=${round}&status=bogus`))).total).toBe(2);

    await db().project.update({ where: { id: f.project.id }, data: { title: `独居老人助餐 ${uid()}` } });
    expect((await listPublicProjects(q(`round=${round}&q=${encodeURIComponent("助餐")}`))).items.map((p) => p.referenceNo)).toEqual([f.project.referenceNo]);
    expect((await listPublicProjects(q(`round=${round}&q=${encodeURIComponent("%")}`))).total).toBe(0);

    const filters = await publicProjectFilters();
    expect(filters.rounds.map((r) => r.code)).toContain(round);
    expect(filters.groups.find((g) => g.code === f.root.code)?.communities.map((c) => c.code)).toContain(f.community1.code);

    const json = JSON.stringify(await listLoader({ request: new Request(`http://localhost/projects?round=${round}`), params: {}, context: {} } as never));
    expect(json).toContain(f.project.referenceNo);
    expect(json).not.toContain("BANK-REF-SECRET");
  });

  it("pages by 20, clamps the page, and is empty for a round without projects", async () => {
    const { f } = await seedAll();
    const many = await fundedProject({ count: 21 });
    const q = (s: string) => parsePublicProjectQuery(new URLSearchParams(s));
    const p1 = await listPublicProjects(q(`round=${many.round.code}`));
    expect(p1).toMatchObject({ total: 21, page: 1, pages: 2 });
    expect(p1.items).toHaveLength(20);
    const p2 = await listPublicProjects(q(`round=${many.round.code}&page=9`));
    expect(p2).toMatchObject({ page: 2, pages: 2 });
    expect(p2.items).toHaveLength(1);
    expect(new Set([...p1.items, ...p2.items].map((p) => p.referenceNo)).size).toBe(21);
    const none = await listPublicProjects(q(`round=NONE${uid().slice(0, 4)}`));
    expect(none).toMatchObject({ total: 0, items: [], page: 1, pages: 1 });
    expect(f.round.code).not.toBe(many.round.code);
  });
});

/** A page component rendered to HTML with its loader's data, as the server would (no hydration). */
function renderPage(Component: unknown, loaderData: unknown, locale: Locale = "zh-CN") {
  const page = createElement(Component as never, { loaderData, params: {}, matches: [] } as never);
  // a data router (forms need one) with no loaders: ready at once, rendered synchronously
  const router = createMemoryRouter([{ path: "/", element: page }], { initialEntries: ["/"] });
  return renderToString(createElement(LocaleContext.Provider, { value: locale }, createElement(RouterProvider, { router })));
}

describe("public pages rendered", () => {
  it("renders the project page in both languages with every message translated and no personal data; the workspace link only for members", async () => {
    const { f, people, reports } = await seedAll();
    const ref = f.project.referenceNo;
    const data = await pageLoader({ request: new Request(`http://localhost/projects/${ref}`), params: { ref }, context: {} } as never);
    for (const locale of ["zh-CN", "en"] as const) {
      const html = renderPage(ProjectPublicPage, data, locale);
      expect(html).not.toMatch(/projectPublic\./);
      expect(html).toContain("APPROVED-NARRATIVE");
      expect(html).toContain(`/projects/${ref}/photos/${reports.approvedPhoto.id}?thumb=1`);
      expect(html).not.toContain("workspace-link");
      for (const s of forbiddenStrings(people)) expect(html).not.toContain(s);
    }
    expect(renderPage(ProjectPublicPage, data, "zh-CN")).toContain("回访满意度");
    const html = renderPage(ProjectPublicPage, { ...data, workspace: { official: true } });
    expect(html).toContain("workspace-link");
    expect(html).toContain(`/projects/${ref}/agreement`);
    expect(html).toContain(`/projects/${ref}/callbacks`);
  });

  it("shows every code as a translated label: budget categories, project, tranche and milestone states", async () => {
    const { f } = await seedAll();
    const ref = f.project.referenceNo;
    const data = await pageLoader({ request: new Request(`http://localhost/projects/${ref}`), params: { ref }, context: {} } as never);
    const codes = [
      ...BUDGET_CATEGORY_KEYS,
      ...PUBLIC_PROJECT_STATUSES,
      "LOCKED", "RELEASABLE", "PREPARED", "RELEASED", "HELD", "PENDING",
      "AGREEMENT", "MIDTERM", "FINAL", "APPROVED",
      "PUBLIC_SERVICE", "SELF_GOVERNANCE", "CULTURE_SPORTS",
      "SUBDISTRICT", "COMMUNITY", "VILLAGE", "DISTRICT",
    ];
    for (const locale of ["zh-CN", "en"] as const) {
      const html = renderPage(ProjectPublicPage, data, locale);
      // the text a reader sees (markup removed), without the fixture's marker texts such as APPROVED-NARRATIVE
      const text = html.replace(/<[^>]*>/g, " ").replace(/\b[A-Z]+-[A-Z]+\b/g, " ");
      for (const code of codes) expect(text, `${locale}: ${code}`).not.toMatch(new RegExp(`\\b${code}\\b`));
      const labels = [...html.matchAll(/data-testid="budget-category">([^<]*)</g)].map((m) => m[1]);
      expect(labels).toEqual(f.project.budgetLines.map((l) => budgetCategoryName(l.category, locale)));
    }
    expect(renderPage(ProjectPublicPage, data, "zh-CN")).toContain("人员劳务费");
    expect(renderPage(ProjectPublicPage, data, "en")).toContain("Labour");
  });

  it("renders the list, and its empty state", async () => {
    const { f } = await seedAll();
    const list = await listLoader({ request: new Request(`http://localhost/projects?round=${f.round.code}`), params: {}, context: {} } as never);
    const html = renderPage(ProjectsPage, list);
    expect(html).not.toMatch(/projectPublic\./);
    expect(html).toContain(`/projects/${f.project.referenceNo}`);
    const empty = await listLoader({ request: new Request(`http://localhost/projects?round=NONE${uid().slice(0, 4)}`), params: {}, context: {} } as never);
    expect(renderPage(ProjectsPage, empty, "en")).toContain("No funded project matches");
    // a long list: numbered pages, the current one marked, each a plain link
    const pager = numberedPagerIn(renderPage(ProjectsPage, { ...list, list: { ...list.list, page: 5, pages: 12 } }, "en"))!;
    expect(pager).toMatchObject({ label: "Pages", current: "Current page: 5", prev: "/?page=4", next: "/?page=6" });
    expect(pager.links.map((l) => l.page)).toEqual([1, 2, 3, 4, 6, 10, 11, 12]);
    expect(pager.links[0]).toMatchObject({ href: "/", label: "Page 1" });
  });
});
