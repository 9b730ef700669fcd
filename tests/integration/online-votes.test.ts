import { describe, expect, it } from "vitest";
import { fail, invalid } from "~/lib/result";
import { grantCommunityRole, proposeMatter, recordResolution, recordReview } from "~/services/deliberation/deliberation.server";
import { castOnlineVote, closeOnlineVoting, onlineVotingOf, openOnlineVoting } from "~/services/deliberation/online-votes.server";
import { datasetRows } from "~/services/public/open-data.server";
import { person, rejectsWithStatus } from "../support/actors";
import { db, makeAreaTree } from "../support/db";
import { dayFromToday, makeNeed } from "../support/need-fixture";

const review = {
  body: "PARTY_MEMBERS_MEETING",
  meetingOn: dayFromToday(-5),
  place: "社区党群服务中心会议室",
  attendeesEntitled: "25",
  attendeesPresent: "21",
  officeHolders: "张书记",
  minutes: "与会党员代表逐项讨论了议题，建议提交居民代表会议表决。",
  outcome: "FORWARD",
  reasons: "需求真实、群众呼声高。",
};

/** A community with its official, three registered representatives and a forwarded matter. */
async function setting() {
  const { communities } = await makeAreaTree(2);
  const community = communities[0]!;
  const official = await person([{ role: "OFFICIAL", area: community }]);
  const representatives = [await person(), await person(), await person()];
  for (const r of representatives) expect(await grantCommunityRole(official, community.code, { email: r.email, role: "RESIDENT_REPRESENTATIVE" })).toEqual({ ok: true });
  const need = await makeNeed(community.id);
  const { number } = (await proposeMatter(official, community.code, { title: "楼道照明议题", needs: String(need.number), rationale: "居民反映的问题需要社区统一议定。" })) as { number: number };
  return { community, other: communities[1]!, official, representatives, number };
}

describe("online voting by registered representatives at 决议", () => {
  it("the official opens it on a forwarded matter; each representative votes once and sees their vote; the public sees counts beside the paper count", async () => {
    const s = await setting();
    const [r1, r2, r3] = s.representatives as [(typeof s.representatives)[0], (typeof s.representatives)[0], (typeof s.representatives)[0]];
    // not before the review forwarded it
    expect(await openOnlineVoting(s.official, s.number)).toEqual(fail(409, "deliberation.error.notForwarded"));
    expect(await recordReview(s.official, s.number, review, [])).toEqual({ ok: true });
    await rejectsWithStatus(openOnlineVoting(r1, s.number), 403);
    expect((await onlineVotingOf(s.number, s.official)).allowed).toMatchObject({ open: true, vote: false });
    expect(await openOnlineVoting(s.official, s.number)).toEqual({ ok: true });
    expect(await openOnlineVoting(s.official, s.number)).toEqual(fail(409, "deliberation.error.votingOpened"));
    expect(await db().notification.count({ where: { userId: { in: s.representatives.map((r) => r.id) }, kind: "onlineVotingOpened" } })).toBe(3);

    // the official is no representative, nor is a stranger
    await rejectsWithStatus(castOnlineVote(s.official, s.number, { choice: "FOR" }), 403);
    await rejectsWithStatus(castOnlineVote(await person(), s.number, { choice: "FOR" }), 403);
    expect(await castOnlineVote(r1, s.number, { choice: "MAYBE" })).toEqual(invalid({ choice: ["deliberation.error.choice"] }));

    // a double vote at once leaves one vote
    const twice = await Promise.all([castOnlineVote(r1, s.number, { choice: "FOR" }), castOnlineVote(r1, s.number, { choice: "AGAINST" })]);
    expect(twice.filter((r) => r.ok)).toHaveLength(1);
    expect(twice.find((r) => !r.ok)).toEqual(fail(409, "deliberation.error.alreadyVoted"));
    expect(await castOnlineVote(r2, s.number, { choice: "ABSTAIN" })).toEqual({ ok: true });
    const mine = await onlineVotingOf(s.number, r1);
    expect(mine.mine).toBe((await db().matterOnlineVote.findFirstOrThrow({ where: { userId: r1.id } })).choice);
    expect(mine.allowed.vote).toBe(false);
    expect((await onlineVotingOf(s.number, r3)).allowed.vote).toBe(true);

    await rejectsWithStatus(closeOnlineVoting(r1, s.number), 403);
    expect(await closeOnlineVoting(s.official, s.number)).toEqual({ ok: true });
    expect(await castOnlineVote(r3, s.number, { choice: "FOR" })).toEqual(fail(409, "deliberation.error.votingNotOpen"));

    // the public: counts, no names, and no one's own vote
    const shown = await onlineVotingOf(s.number, null);
    expect(shown).toMatchObject({ state: "CLOSED", representatives: 3, mine: null, tally: { voted: 2, abstentions: 1 } });
    expect(shown.tally.votesFor + shown.tally.votesAgainst).toBe(1);
    expect(JSON.stringify(shown)).not.toContain(r1.id);

    // the paper resolution still decides; the online counts stay beside it, in open data too
    expect(
      await recordResolution(s.official, s.number, {
        body: "REPRESENTATIVES_MEETING",
        meetingOn: dayFromToday(-1),
        place: "社区议事厅",
        entitled: "40",
        present: "30",
        votesFor: "16",
        votesAgainst: "0",
        abstentions: "0",
        text: "同意将该议题列为本年度公益创投选题，并公开实施过程。",
      }),
    ).toEqual({ ok: true, passed: true });
    const rows = [];
    for await (const batch of datasetRows("deliberation-matters")) rows.push(...batch);
    expect(rows.find((r) => r.number === s.number)).toMatchObject({ votes_for: 16, online_voted: 2, online_abstentions: 1, passed: true });
    expect((await db().auditLog.findMany({ where: { action: { startsWith: "matter.onlineVot" } }, select: { action: true }, orderBy: { seq: "asc" } })).map((a) => a.action)).toEqual([
      "matter.onlineVotingOpen",
      "matter.onlineVote",
      "matter.onlineVote",
      "matter.onlineVotingClose",
    ]);
  });

  it("a representative of another community does not vote here", async () => {
    const s = await setting();
    await recordReview(s.official, s.number, review, []);
    await openOnlineVoting(s.official, s.number);
    const otherOfficial = await person([{ role: "OFFICIAL", area: s.other }]);
    const outsider = await person();
    await grantCommunityRole(otherOfficial, s.other.code, { email: outsider.email, role: "RESIDENT_REPRESENTATIVE" });
    await rejectsWithStatus(castOnlineVote(outsider, s.number, { choice: "FOR" }), 403);
    await rejectsWithStatus(openOnlineVoting(otherOfficial, s.number), 403);
  });
});
