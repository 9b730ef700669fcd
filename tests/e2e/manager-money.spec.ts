import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import Stripe from "stripe";
import { e2eDatabase, e2eDataDir, signIn, uniqueEmail } from "./support";

/**
 * A foundation's manager and the money events nobody clicks: the payer's bank disputes a gift
 * (this spec plays Stripe: a signed charge.dispute.created, delivered twice, to the real webhook,
 * as demo payments mode signs its own events), and the manager finds the notice in the inbox with
 * the deadline, and the gift's page explains it; then the manager ends a matching campaign early,
 * after a confirmation, and its public page says where the unused pool went.
 */
const FUND = "danghu-community-fund";
const API_VERSION = "2026-10-28.endive";

/** A Stripe-format event signed with the demo webhook secret, POSTed to /webhooks/stripe. */
async function sendStripeEvent(request: APIRequestContext, type: string, object: Record<string, unknown>) {
  const secret = fs.readFileSync(path.join(e2eDataDir(), "stripe-demo-webhook.secret"), "utf8").trim();
  const event = { id: `evt_${crypto.randomBytes(12).toString("hex")}`, object: "event", api_version: API_VERSION, created: Math.floor(Date.now() / 1000), livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, type, data: { object } };
  const payload = JSON.stringify(event);
  const signature = new Stripe("sk_test_e2e").webhooks.generateTestHeaderString({ payload, secret });
  const response = await request.post("/webhooks/stripe", { data: payload, headers: { "content-type": "application/json", "stripe-signature": signature } });
  expect(response.status()).toBe(200);
  return event;
}

test("a dispute reaches the manager's inbox once, with its deadline; the gift's page explains it", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const email = uniqueEmail("disputed");
  await page.goto(`/foundations/${FUND}/donate`);
  await page.getByLabel("捐赠金额（元）").fill("66");
  await page.getByLabel("支付宝").check();
  await page.getByRole("textbox", { name: /^姓名或称呼/ }).fill("争议测试");
  await page.getByLabel("电子邮箱（接收收据）").fill(email);
  await page.getByLabel("我已阅读并同意以上说明").check();
  await page.getByRole("button", { name: "前往支付" }).click();
  await page.getByRole("button", { name: "支付 ¥66.00" }).click();
  await expect(page.getByTestId("donation-status")).toHaveText("捐赠成功");

  const client = await e2eDatabase();
  const { rows } = await client.query<{ ref: string; paymentIntentId: string }>(`SELECT ref, "paymentIntentId" FROM "Donation" WHERE email = $1`, [email]);
  await client.end();
  const gift = rows[0]!;

  // the bank's dispute, due in 2027 (Asia/Shanghai 2027/1/6 08:00), delivered twice and once more as an update
  const dispute = {
    id: `du_${crypto.randomBytes(10).toString("hex")}`,
    object: "dispute",
    amount: 6_600,
    currency: "cny",
    charge: `ch_${crypto.randomBytes(10).toString("hex")}`,
    payment_intent: gift.paymentIntentId,
    status: "needs_response",
    reason: "fraudulent",
    evidence_details: { due_by: Date.UTC(2027, 0, 6, 0, 0) / 1000, has_evidence: false, past_due: false, submission_count: 0 },
    livemode: false,
  };
  await sendStripeEvent(page.request, "charge.dispute.created", dispute);
  await sendStripeEvent(page.request, "charge.dispute.updated", dispute);
  await sendStripeEvent(page.request, "charge.dispute.created", dispute);

  const manager = await browser.newPage();
  await signIn(manager, "foundation@danghu.example");
  await manager.goto("/inbox");
  const notice = manager.getByTestId("inbox-item").filter({ hasText: gift.ref });
  await expect(notice).toHaveCount(1);
  await expect(notice).toContainText("捐赠被提出争议");
  await expect(notice).toContainText("¥66.00");
  await expect(notice).toContainText("2027");
  // opening the notice marks it read and goes to its link
  await notice.getByRole("button", { name: "查看详情" }).click();
  await expect(manager).toHaveURL(new RegExp(`/admin/foundations/${FUND}/donations/${gift.ref}`));
  await expect(manager.getByTestId("dispute-open")).toContainText("¥66.00");
  await expect(manager.getByTestId("dispute-open")).toContainText("2027");
  // a disputed gift cannot be refunded meanwhile
  await expect(manager.getByLabel("退款金额（元）")).toHaveCount(0);
  await manager.close();
});

test("the manager ends a matching campaign early, after a confirmation; the campaign page says the unused pool went back", async ({ page }) => {
  test.setTimeout(120_000);
  // a campaign that has not started yet, funded ¥3,000 by its sponsor (set up in the database: the
  // spec is about ending it; creating one is covered by the giving specs)
  const slug = `close-${Date.now().toString(36)}`;
  const sponsor = `结对单位${slug.slice(-4)}`;
  const client = await e2eDatabase();
  await client.query("BEGIN");
  const { rows } = await client.query<{ id: string }>(`SELECT id FROM "Foundation" WHERE slug = $1`, [FUND]);
  const foundationId = rows[0]!.id;
  const campaignId = crypto.randomUUID();
  await client.query(
    `INSERT INTO "MatchingCampaign" (id, slug, "foundationId", "titleZh", "titleEn", "descriptionZh", "descriptionEn", "sponsorName", "sponsorKind", "ratioSponsor", "ratioDonor", "startsAt", "endsAt", "eligibleProjectIds")
     VALUES ($1, $2, $3, '提前结束测试配捐', 'Early close test', '', '', $4, 'COMPANY', 1, 1, now() + interval '10 days', now() + interval '40 days', '{}')`,
    [campaignId, slug, foundationId, sponsor],
  );
  const sponsorAccount = crypto.randomUUID();
  const poolAccount = crypto.randomUUID();
  await client.query(`INSERT INTO "LedgerAccount" (id, code, kind, "nameZh", "nameEn", "ownerId") VALUES ($1, $2, 'EXTERNAL_SPONSOR', $3, $4, $5)`, [sponsorAccount, `external:sponsor:${campaignId}`, `配捐方 ${sponsor}`, `Sponsor ${sponsor}`, campaignId]);
  await client.query(`INSERT INTO "LedgerAccount" (id, code, kind, "nameZh", "nameEn", "foundationId", "ownerId") VALUES ($1, $2, 'MATCHING_POOL', '配捐资金池', 'Matching pool', $3, $4)`, [poolAccount, `campaign:${campaignId}:matching`, foundationId, campaignId]);
  const tx = crypto.randomUUID();
  await client.query(`INSERT INTO "LedgerTransaction" (id, "idempotencyKey", kind, memo) VALUES ($1, $2, 'CAMPAIGN_FUNDING', '配捐资金注入 / Matching pool funded')`, [tx, `campaign:${campaignId}:fund:initial`]);
  await client.query(`INSERT INTO "LedgerEntry" (id, "transactionId", "accountId", "amountFen") VALUES ($1, $2, $3, -300000), ($4, $2, $5, 300000)`, [crypto.randomUUID(), tx, sponsorAccount, crypto.randomUUID(), poolAccount]);
  await client.query("COMMIT");
  await client.end();

  await signIn(page, "foundation@danghu.example");
  await page.goto(`/admin/foundations/${FUND}`);
  const item = page.getByTestId("manager-campaigns").getByRole("listitem").filter({ hasText: "提前结束测试配捐" });
  await item.getByRole("button", { name: "结束活动…" }).click();
  const mine = page.getByTestId("manager-campaigns").getByRole("listitem").filter({ hasText: "提前结束测试配捐" });
  await expect(mine.getByText("确定现在结束“提前结束测试配捐”并退回未使用的¥3,000.00吗？")).toBeVisible();
  await mine.getByRole("button", { name: "确认结束并退回" }).click();
  await expect(page.getByText("配捐活动已结束，未使用的资金已退回。")).toBeVisible();
  await expect(page.getByTestId("manager-campaigns").getByRole("listitem").filter({ hasText: "提前结束测试配捐" }).getByTestId("campaign-closed")).toContainText("¥3,000.00");

  await page.goto(`/campaigns/${slug}`);
  await expect(page.getByTestId("campaign-closed")).toContainText(`配捐活动已结束，未使用的¥3,000.00已退回配捐方 ${sponsor}`);
  await expect(page.getByTestId("campaign-remaining")).toContainText("¥0.00");
});
