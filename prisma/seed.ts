/**
 * Seeds the demo district (docs: README "Demo"). Runs on first start in demo mode, or by hand
 * with `npm run db:seed` (which also starts the embedded database when DATABASE_URL is unset).
 */
import { seedTrainings } from "./demo-trainings.ts";
import { seedDemoRankingNotice } from "./demo-ranking-notice.ts";
import { seedDemoReports } from "./demo-reports.ts";
import { refreshAlerts } from "../app/services/projects/alerts.server.ts";
import { seedDemoGiving } from "./demo-giving.ts";
import { seedDemoPartners } from "./demo-partners.ts";
import { PRIVACY_NOTICE_VERSION } from "../app/domain/privacy-notice.ts";
import { db } from "../app/lib/db.server.ts";
import { hashPassword } from "../app/lib/password.server.ts";
import { shanghaiDay } from "../app/lib/time.ts";
import { accountCodes, transfer } from "../app/domain/ledger.ts";
import { usccCheckChar } from "../app/domain/uscc.ts";
import { ensureAccount, postTransaction } from "../app/services/books/ledger.server.ts";
import { audit } from "../app/services/books/audit.server.ts";
import { demoAt, setDemoToday } from "./demo-clock.ts";
import { seedDemoRounds } from "./demo-rounds.ts";
import {
  APPROPRIATION_FEN,
  COMMUNITIES,
  DEMO_ACCOUNTS,
  DEMO_PASSWORD,
  DISTRICT,
  SUBDISTRICT,
  VILLAGES,
} from "./demo-data.ts";

const SEED_LOCK = 4_242_777;

/**
 * Seeds once: returns false when the database already has areas (or another instance is seeding it).
 * The demo's dates follow `today` (prisma/demo-clock.ts): by default the Asia/Shanghai day it runs on.
 */
export async function seedDemoIfEmpty(options: { today?: string } = {}): Promise<boolean> {
  setDemoToday(options.today ?? shanghaiDay(new Date()));
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const seeded = await db().$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK})`;
      if ((await tx.area.count()) > 0) return false;

      const district = await tx.area.create({
        data: { ...DISTRICT, level: "DISTRICT", path: `/${DISTRICT.code}/` },
      });
      const danghu = await tx.area.create({
        data: { ...SUBDISTRICT, level: "SUBDISTRICT", parentId: district.id, path: `${district.path}${SUBDISTRICT.code}/` },
      });
      const areaIds: Record<string, string> = {};
      let order = 0;
      for (const [code, nameZh, nameEn, subunits, residents] of COMMUNITIES) {
        const a = await tx.area.create({
          data: { code, nameZh, nameEn, subunits, residents, level: "COMMUNITY", parentId: danghu.id, path: `${danghu.path}${code}/`, sortOrder: order++ },
        });
        areaIds[code] = a.id;
      }
      for (const [code, nameZh, nameEn, subunits, residents] of VILLAGES) {
        const a = await tx.area.create({
          data: { code, nameZh, nameEn, subunits, residents, level: "VILLAGE", parentId: danghu.id, path: `${danghu.path}${code}/`, sortOrder: order++ },
        });
        areaIds[code] = a.id;
      }

      // the demo people accepted the current privacy notice (no browser: no address or user agent recorded)
      const user = (a: { email: string; name: string }) =>
        tx.user.create({ data: { email: a.email, name: a.name, passwordHash, emailVerifiedAt: new Date(), consents: { create: { kind: "PRIVACY_NOTICE", noticeVersion: PRIVACY_NOTICE_VERSION } } } });
      const official = await user(DEMO_ACCOUNTS.official);
      const communityOfficial = await user(DEMO_ACCOUNTS.communityOfficial);
      const reviewer = await user(DEMO_ACCOUNTS.reviewer);
      const applicantOrg = await user(DEMO_ACCOUNTS.applicantOrg);
      const applicantTeam = await user(DEMO_ACCOUNTS.applicantTeam);
      const judges = [];
      for (const j of DEMO_ACCOUNTS.judges) judges.push(await user(j));
      const manager = await user(DEMO_ACCOUNTS.foundationManager);
      const donor = await user(DEMO_ACCOUNTS.donor);
      const resident = await user(DEMO_ACCOUNTS.resident);

      const foundation = await tx.foundation.create({
        data: {
          slug: "danghu-community-fund",
          nameZh: "当湖街道社区发展基金",
          nameEn: "Danghu Community Development Fund",
          descriptionZh:
            "街道财政首期投入 500 万元设立，通过社会众筹、居民自筹及企业结对，以项目购买方式对接居民公共需求。",
          descriptionEn:
            "Set up with a first government instalment of ¥5 million; it buys projects that meet residents' common needs, topped up by crowdfunding, residents and partner companies.",
          areaId: danghu.id,
          // receipt prefixes are unique across foundations (the demo's micro-fund has DHWJ)
          receiptPrefix: "DH",
        },
      });

      const grant = (userId: string, role: "OFFICIAL" | "JUDGE" | "FOUNDATION_MANAGER", areaId: string, foundationId?: string) =>
        tx.roleGrant.create({ data: { userId, role, areaId, foundationId: foundationId ?? null, grantedById: null } });
      await grant(official.id, "OFFICIAL", danghu.id);
      await grant(communityOfficial.id, "OFFICIAL", areaIds.songfeng!);
      await grant(reviewer.id, "OFFICIAL", danghu.id);
      for (const j of judges) await grant(j.id, "JUDGE", danghu.id);
      await grant(manager.id, "FOUNDATION_MANAGER", danghu.id, foundation.id);

      const first17 = "52330482MJ0000017";
      const applicantOrganization = await tx.organization.create({
        data: {
          kind: "SOCIAL_ORGANIZATION",
          name: "平湖市友邻社会工作服务中心",
          uscc: first17 + usccCheckChar(first17),
          areaId: danghu.id,
          members: { create: [{ userId: applicantOrg.id, name: applicantOrg.name, position: "负责人" }] },
        },
      });
      const teamOrganization = await tx.organization.create({
        data: {
          kind: "RESIDENT_TEAM",
          name: "凤凰社区邻里互助队",
          areaId: areaIds.fenghuang!,
          members: {
            create: [
              { userId: applicantTeam.id, name: applicantTeam.name, position: "队长" },
              { name: "沈建华", position: "成员" },
              { name: "韩美玲", position: "成员" },
            ],
          },
        },
      });

      const available = accountCodes.foundationAvailable(foundation.id);
      const appropriation = accountCodes.externalAppropriation("danghu-finance");
      await ensureAccount(tx, {
        code: available,
        kind: "FOUNDATION_AVAILABLE",
        nameZh: `${foundation.nameZh} 可用资金`,
        nameEn: `${foundation.nameEn} — available funds`,
        foundationId: foundation.id,
      });
      await ensureAccount(tx, {
        code: appropriation,
        kind: "EXTERNAL_APPROPRIATION",
        nameZh: "当湖街道财政拨款",
        nameEn: "Danghu subdistrict budget appropriation",
      });
      const posted = await postTransaction(tx, {
        idempotencyKey: `seed:appropriation:${foundation.id}`,
        kind: "APPROPRIATION",
        memo: "街道社区发展基金首期投入 500 万元 / First instalment of the community development fund",
        // before last year's round JN6 drew its pool from it (dated 2025-10-08)
        occurredAt: demoAt("2025-10-01", 10),
        entries: transfer(appropriation, available, APPROPRIATION_FEN),
      });
      await audit(tx, {
        actorId: null,
        action: "ledger.appropriation",
        objectType: "LedgerTransaction",
        objectId: posted.transactionId,
        after: { foundation: foundation.slug, amountFen: APPROPRIATION_FEN },
      });

      // the 6th round (closed, screened proposals) and the 7th (open, about a hundred needs)
      await seedDemoRounds(tx, {
        passwordHash,
        areaIds,
        subdistrictId: danghu.id,
        officialId: official.id,
        reviewerId: reviewer.id,
        foundation,
        residentId: resident.id,
        donorId: donor.id,
        applicantOrg: { id: applicantOrganization.id, userId: applicantOrg.id, name: applicantOrganization.name },
        teamOrg: { id: teamOrganization.id, userId: applicantTeam.id, name: teamOrganization.name },
      });
      // trainings (one past with attendance, one coming up), a mentor and three incubated organizations
      await seedTrainings(tx, {
        passwordHash,
        officialId: official.id,
        danghuId: danghu.id,
        applicantOrg: { id: applicantOrganization.id, userId: applicantOrg.id },
        teamOrg: { id: teamOrganization.id, userId: applicantTeam.id },
      });
      return true;
    },
    // one transaction so that a failed first start leaves no half-seeded district; a bound for a
    // stuck seed, not a speed limit: on a busy two-core machine it has taken over a minute
    { timeout: 600_000, maxWait: 60_000 },
  );
  // the demo's overdue and over-budget projects show their alerts from the first start, not
  // from the next morning's run of the daily job
  if (seeded) {
    // gifts go through the webhook's own transactions, after the district exists
    await seedDemoGiving();
    await seedDemoPartners();
    await refreshAlerts();
    await seedDemoRankingNotice();
    await seedDemoReports();
  }
  return seeded;
}
