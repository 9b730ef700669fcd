import { expect, test, type Browser, type Page } from "@playwright/test";
import { createRound, e2eDatabase, freshOfficial, linkIn, mailTo, moveToNextPhase, roundCode, signIn } from "./support";

/**
 * Review, awards, notice and objections in one journey, on a round of its own: the official sets
 * up a round with two eligible proposals (the proposals are inserted: the journey of flow.spec.ts
 * covers applying and screening), invites a judge who accepts by the emailed link, assigns five judges per proposal
 * automatically; the judges score, one declaring a conflict of interest first and being replaced;
 * the official reads the ranking, publishes the awards; a resident objects; the official dismisses
 * it with a published reason; the notice ends (the only step arranged in the database: five
 * working days cannot pass in a test) and the finalisation job makes the awards final, commits the
 * money and emails the applicants over SMTP.
 */
test.setTimeout(300_000);

const JUDGES = ["judge1@danghu.example", "judge2@danghu.example", "judge3@danghu.example", "judge4@danghu.example", "resident01@danghu.example"];
const INVITED = "judge5@danghu.example";

async function as(browser: Browser, email: string): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  return { page, close: () => context.close() };
}


const CRITERIA = ["需求契合度", "项目设计与可行性", "团队执行能力", "预算合理性", "可持续性与居民参与"];
/** Totals 85 and 72 (halves included). */
const SCORES = [
  [21, 21, 17, 13, 13],
  [18, 18, 14.5, 11, 10.5],
];

/** Fills the default rubric's five scores and submits the sheet. */
async function score(page: Page, proposalId: string, points: readonly number[]) {
  await page.goto(`/judging/sheets/${proposalId}`);
  for (const [i, label] of CRITERIA.entries()) await page.getByLabel(`${label}得分`).fill(String(points[i]));
  await page.getByText("提交评分", { exact: true }).click();
  await page.getByRole("button", { name: "确认提交" }).click();
  await expect(page.getByText("评分已提交。")).toBeVisible();
}

test("评审 → 排名 → 分配 → 公示 → 异议 → 确定: judges score without conflicts, the awards are noticed, objected to and made final", async ({ browser }) => {
  const code = roundCode("V");
  const title = `评审全流程 ${code}`;
  const sql = await e2eDatabase();
  try {
    // 1. the official sets up a round and takes it to screening
    // the accounts' remembered language must be Chinese whatever other tests do with theirs
    await sql.query(`UPDATE "User" SET locale = 'zh_CN' WHERE email = ANY($1)`, [[...JUDGES, INVITED, "resident@danghu.example", "applicant@danghu.example", "team@danghu.example"]]);
    const official = await as(browser, await freshOfficial("评审专员"));
    const o = official.page;
    await createRound(o, code, title, "评审、公示与异议处理的全流程测试。");
    for (const next of ["需求征集", "项目申报", "资格审查"]) await moveToNextPhase(o, code, next);

    // two eligible proposals from the demo organizations of applicant@ and team@ (arranged)
    const { rows: [round] } = await sql.query<{ id: string }>(`SELECT id FROM "Round" WHERE code = $1`, [code]);
    const proposals: { id: string; ref: string; applicant: string }[] = [];
    for (const [i, applicant] of ["applicant@danghu.example", "team@danghu.example"].entries()) {
      const ref = `${code}-000${i + 1}`;
      const { rows: [p] } = await sql.query<{ id: string }>(
        `INSERT INTO "Proposal" (id, "roundId", "organizationId", "createdById", status, "referenceNo", title, summary, "communityId", category,
                                 "requestedFen", "submittedAt", "submittedById", snapshot, "snapshotSha256", "updatedAt")
         SELECT gen_random_uuid()::text, $1, m."organizationId", u.id, 'ELIGIBLE', $2, $3, '项目摘要', o."areaId", 'PUBLIC_SERVICE',
                1200000, now() - interval '1 minute' * $4, u.id, jsonb_build_object('title', $3::text, 'summary', '项目摘要'), repeat('0', 64), now()
           FROM "User" u JOIN "OrganizationMember" m ON m."userId" = u.id JOIN "Organization" o ON o.id = m."organizationId"
          WHERE u.email = $5 LIMIT 1 RETURNING id`,
        [round!.id, ref, `${i === 0 ? "银龄助餐" : "儿童托管"} ${code}`, 10 - i, applicant],
      );
      proposals.push({ id: p!.id, ref, applicant });
    }
    await moveToNextPhase(o, code, "专家评审");

    // 2. five judges have seats (arranged); a sixth is invited through the page and accepts by email
    for (const email of JUDGES) {
      await sql.query(
        `INSERT INTO "RoundJudge" (id, "roundId", email, name, "userId", status, "tokenHash", "expiresAt", "invitedById", "acceptedAt")
         SELECT gen_random_uuid()::text, $1, u.email, u.name, u.id, 'ACCEPTED', md5(random()::text), now() + interval '7 days', u.id, now() FROM "User" u WHERE u.email = $2`,
        [round!.id, email],
      );
    }
    await o.goto(`/admin/rounds/${code}/review`);
    await o.getByLabel("姓名", { exact: true }).fill("郑强");
    await o.getByLabel("邮箱", { exact: true }).fill(INVITED);
    await o.getByRole("button", { name: "发送邀请" }).click();
    await expect(o.getByTestId("done")).toHaveText("邀请邮件已发送。");
    const invitation = await mailTo(INVITED, (m) => m.subject.includes(title));
    const invited = await as(browser, INVITED);
    await invited.page.goto(new URL(linkIn(invitation, "/judging/invitations/")).pathname);
    await invited.page.getByLabel("我与本轮次的申报组织均无利益冲突").check();
    await invited.page.getByRole("button", { name: "接受邀请" }).click();
    await expect(invited.page.getByText("已接受邀请，谢谢！")).toBeVisible();

    // 3. automatic assignment: 5 judges per proposal, loads within one, shown in the matrix
    await o.goto(`/admin/rounds/${code}/review`);
    await o.getByRole("button", { name: "自动分配" }).click();
    await expect(o.getByTestId("done")).toContainText("分配已完成");
    await expect(o.getByTestId("matrix-summary")).toContainText("已分配 10 人次，评审人数不足的项目 0 个");
    await expect(o.getByTestId(`matrix-${proposals[0]!.ref}`)).toContainText("评审 5/5 人");
    await mailTo(INVITED, (m) => m.subject.includes("新的评审任务"));

    // 4. one judge on the first proposal declares a conflict: the judge left out replaces them
    const seatsOf = async (proposalId: string) =>
      (await sql.query<{ email: string }>(`SELECT j.email FROM "ReviewAssignment" a JOIN "RoundJudge" j ON j.id = a."roundJudgeId" WHERE a."proposalId" = $1 AND a."endedAt" IS NULL`, [proposalId])).rows.map((r) => r.email);
    const onFirst = await seatsOf(proposals[0]!.id);
    const leaving = onFirst[0]!;
    const replacement = [...JUDGES, INVITED].find((e) => !onFirst.includes(e))!;
    const conflicted = await as(browser, leaving);
    await conflicted.page.goto(`/judging/sheets/${proposals[0]!.id}`);
    await conflicted.page.getByText("我与此项目存在利益冲突").click();
    await conflicted.page.getByLabel("关系类型").selectOption({ label: "亲属或其他利害关系" });
    await conflicted.page.getByRole("button", { name: "申报利益冲突" }).click();
    await expect(conflicted.page.getByText("已记录利益冲突，该项目已改由其他专家评审。")).toBeVisible();
    expect((await conflicted.page.goto(`/judging/sheets/${proposals[0]!.id}`))?.status()).toBe(403);
    await conflicted.close();
    expect((await seatsOf(proposals[0]!.id)).sort()).toEqual([...onFirst.filter((e) => e !== leaving), replacement].sort());

    // 5. every judge scores what they hold: 85 points for the first proposal, 72 for the second
    for (const email of [...JUDGES, INVITED]) {
      const judge = email === INVITED ? invited : await as(browser, email);
      await judge.page.goto("/judging");
      for (const [i, p] of proposals.entries()) if ((await seatsOf(p.id)).includes(email)) await score(judge.page, p.id, SCORES[i]!);
      await judge.page.goto("/judging");
      await expect(judge.page.getByTestId(`queue-${code}`).getByTestId("queue-progress")).toHaveText(/已提交 (\d)\/\1/);
      await judge.close();
    }

    // 6. the ranking shows the trimmed means; publishing opens the notice
    await o.goto(`/admin/rounds/${code}/results`);
    await expect(o.getByTestId(`rank-${proposals[0]!.ref}`).getByTestId("composite")).toHaveText("85.00");
    await expect(o.getByTestId(`rank-${proposals[1]!.ref}`).getByTestId("composite")).toHaveText("72.00");
    await expect(o.getByTestId(`rank-${proposals[0]!.ref}`)).toContainText("5 份，去掉最高最低");
    await o.getByText("发布拟资助名单", { exact: true }).click();
    await o.getByRole("button", { name: "确认发布" }).click();
    await expect(o.getByRole("heading", { level: 1, name: "拟资助项目公示" })).toBeVisible();
    await expect(o.getByTestId(`notice-${proposals[0]!.ref}`).getByTestId("outcome")).toHaveText("资助");

    // 7. a resident objects; the official dismisses it with a published reason
    const resident = await as(browser, "resident@danghu.example");
    await resident.page.goto(`/rounds/${code}/notice`);
    await resident.page.getByLabel("异议项目").selectOption({ index: 1 });
    await resident.page.getByLabel("异议理由（10–2000 字）").fill("该项目与去年社区已开展的托管服务重复，请核查。");
    await resident.page.getByRole("button", { name: "提交异议" }).click();
    await expect(resident.page.getByText("异议已提交")).toBeVisible();
    await mailTo("resident@danghu.example", (m) => m.subject.includes(proposals[1]!.ref));
    await resident.close();

    await o.goto(`/admin/rounds/${code}/objections`);
    const item = o.getByTestId(`objection-${proposals[1]!.ref}`);
    await expect(item).toContainText("卫小红");
    await item.getByLabel("处理意见（公开）").fill("经核查，本项目服务对象与时段均与去年项目不同，不属重复申报。");
    await item.getByText("作出决定").click();
    await item.getByRole("button", { name: "确认" }).click();
    await expect(o.getByTestId("done")).toContainText("不予采纳");

    const publicPage = await browser.newPage();
    await publicPage.goto(`/rounds/${code}/notice`);
    await expect(publicPage.getByTestId("resolution")).toContainText("不属重复申报");
    await expect(publicPage.getByText("卫小红")).toHaveCount(0);

    // 8. the notice ends (arranged) and the finalisation job runs: awards final, applicants emailed
    await sql.query(`UPDATE "Award" SET "noticeEndsAt" = now() - interval '1 second' WHERE "roundId" = $1`, [round!.id]);
    await sql.query(`SELECT graphile_worker.add_job('finalize_awards', json_build_object('roundId', $1::text), job_key := 'finalize:' || $1, job_key_mode := 'replace')`, [round!.id]);
    for (const p of proposals) {
      const mail = await mailTo(p.applicant, (m) => m.subject.includes(p.ref) && m.subject.startsWith("评审结果"));
      expect(mail.subject).toContain("获得资助");
      expect(mail.text).toContain("¥12,000.00");
      // and each funded award became a project whose grant agreement waits for the applicant
      const agreement = await mailTo(p.applicant, (m) => m.subject === `资助协议待确认：${p.ref}`);
      expect(agreement.text).toContain(`/projects/${p.ref}/agreement`);
    }
    await publicPage.reload();
    await expect(publicPage.getByTestId(`notice-${proposals[0]!.ref}`).getByTestId("award-status")).toHaveText("已确定");
    const { rows: ledger } = await sql.query<{ balance: string }>(
      `SELECT coalesce(sum(e."amountFen"), 0)::text AS balance FROM "LedgerEntry" e JOIN "LedgerAccount" a ON a.id = e."accountId" WHERE a.code = $1`,
      [`round:${round!.id}:pool`],
    );
    expect(ledger[0]!.balance).toBe(String(3_000_000 - 2 * 1_200_000));
    await publicPage.close();
    await official.close();
  } finally {
    await sql.end();
  }
});
