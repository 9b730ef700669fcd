/**
 * The demo's volunteers (志愿者报到) and small wishes (微心愿) in 松枫社区: a dozen residents
 * registered, ten confirmed (three as Party members, eight of them on the volunteer wall), two
 * waiting for the community; ten small wishes, at least one in every state, with the hours of
 * the fulfilled ones. The demo resident posted one that waits for their confirmation. Dates are
 * the story's, moved to the seeding week (demo-clock.ts); every step is audited.
 */
import crypto from "node:crypto";
import sharp from "sharp";
import type { WishStatus } from "../app/domain/volunteers.ts";
import type { Tx } from "../app/lib/db.server.ts";
import { saveUpload } from "../app/lib/uploads.server.ts";
import { audit } from "../app/services/books/audit.server.ts";
import { demoAt, demoDay } from "./demo-clock.ts";

interface Person {
  id: string;
  name: string;
}

const SKILLS = ["家电维修", "理发", "陪老人聊天", "辅导作业", "代买代办", "电脑手机使用教学", "缝补衣物", "水电小修", "书法春联", "健康咨询", "接送孩子", "心理疏导"];
const AVAILABILITY = ["周末上午", "工作日晚上", "周六全天", "每周三下午", "节假日", "周末下午"];

/** The ten wishes: what is asked, its value in fen (0: nothing in money), and the state it reached. */
const WISHES: { title: string; description: string; valueFen: number; state: WishStatus; minutes?: number; rulingFulfilled?: boolean }[] = [
  { title: "想请人帮忙给老房子换个灯泡", description: "家住五楼，腿脚不便，卫生间的灯泡坏了够不着。", valueFen: 0, state: "OPEN" },
  { title: "希望有人每周陪我下一盘象棋", description: "老伴走后一个人在家，想找个人每周下下棋、说说话。", valueFen: 0, state: "OPEN" },
  { title: "孙子想要一套小学数学练习册", description: "孩子上三年级，想要一套配套练习册，约 60 元。", valueFen: 6_000, state: "TAKEN" },
  { title: "想学会用手机挂号看病", description: "子女在外地，想学会用手机预约医院门诊。", valueFen: 0, state: "TAKEN" },
  { title: "想要一台能听戏的收音机", description: "老收音机坏了，想要一台能收越剧频道的，约 120 元。", valueFen: 12_000, state: "FULFILLED", minutes: 90 },
  { title: "家里水龙头一直滴水", description: "厨房水龙头关不紧，想请懂水电的志愿者看看。", valueFen: 3_000, state: "FULFILLED", minutes: 60 },
  { title: "春节想要一副手写春联", description: "想请会书法的志愿者写一副春联贴在门口。", valueFen: 0, state: "CONFIRMED", minutes: 45 },
  { title: "想请人帮忙理个发", description: "行动不便出不了门，想请志愿者上门理发。", valueFen: 0, state: "CONFIRMED", minutes: 60 },
  { title: "想要一张助行椅", description: "出门买菜走不远，想要一张能坐的助行椅，约 200 元。", valueFen: 20_000, state: "DISPUTED", minutes: 120 },
  { title: "窗帘轨道掉了想修一下", description: "卧室窗帘轨道松脱，需要人帮忙重新固定。", valueFen: 0, state: "RESOLVED", minutes: 75, rulingFulfilled: true },
];

const ORDER: WishStatus[] = ["OPEN", "TAKEN", "FULFILLED", "CONFIRMED", "DISPUTED", "RESOLVED"];
const reached = (state: WishStatus, step: WishStatus) => ORDER.indexOf(state) >= ORDER.indexOf(step) && !(state === "CONFIRMED" && (step === "DISPUTED" || step === "RESOLVED"));

export async function seedWishes(tx: Tx, ctx: { officialId: string; songfengId: string; demoResidentId: string; residents: readonly Person[] }) {
  // ── a dozen volunteers: the last twelve demo residents ──
  const people = ctx.residents.slice(-12);
  const volunteers: { id: string; person: Person }[] = [];
  for (const [i, person] of people.entries()) {
    const id = crypto.randomUUID();
    const confirmed = i < 10;
    const partyMember = i % 4 === 0;
    const registeredAt = demoAt(`2026-10-${String(10 + i).padStart(2, "0")}`, 9);
    const data = {
      partyMember,
      partyBranch: partyMember ? "松枫社区第一党支部" : null,
      skills: `${SKILLS[i % SKILLS.length]}、${SKILLS[(i + 5) % SKILLS.length]}`,
      availability: AVAILABILITY[i % AVAILABILITY.length]!,
      showOnWall: confirmed && i % 5 !== 4,
    };
    await tx.volunteer.create({
      data: { id, userId: person.id, areaId: ctx.songfengId, ...data, status: confirmed ? "CONFIRMED" : "PENDING", createdAt: registeredAt, ...(confirmed ? { decidedById: ctx.officialId, decidedAt: demoAt(`2026-10-${String(11 + i).padStart(2, "0")}`, 15) } : {}) },
    });
    await audit(tx, { actorId: person.id, action: "volunteer.register", objectType: "Volunteer", objectId: id, after: { areaId: ctx.songfengId, ...data, status: "PENDING" }, at: registeredAt });
    if (confirmed) {
      await audit(tx, { actorId: ctx.officialId, action: "volunteer.confirm", objectType: "Volunteer", objectId: id, before: { status: "PENDING" }, after: { status: "CONFIRMED" }, at: demoAt(`2026-10-${String(11 + i).padStart(2, "0")}`, 15) });
      volunteers.push({ id, person });
    }
  }

  // ── ten small wishes, posted by residents who are not volunteers (one by the demo resident) ──
  const authors = [ctx.demoResidentId, ...ctx.residents.slice(0, ctx.residents.length - 12).map((r) => r.id)];
  for (const [i, w] of WISHES.entries()) {
    const needId = crypto.randomUUID();
    const wishId = crypto.randomUUID();
    // the demo resident's wish is the first one waiting for confirmation
    const authorId = w.state === "FULFILLED" && i === WISHES.findIndex((x) => x.state === "FULFILLED") ? ctx.demoResidentId : authors[(i % (authors.length - 1)) + 1]!;
    const day = (d: number) => `2026-11-${String(1 + i + d).padStart(2, "0")}`;
    await tx.need.create({ data: { id: needId, areaId: ctx.songfengId, authorId, title: w.title, description: w.description, category: "PUBLIC_SERVICE", createdAt: demoAt(day(0), 8) } });
    const taker = volunteers[i % volunteers.length]!;
    const taken = reached(w.state, "TAKEN");
    const fulfilled = reached(w.state, "FULFILLED");
    const disputed = w.state === "DISPUTED" || w.state === "RESOLVED";
    const data = {
      id: wishId,
      needId,
      areaId: ctx.songfengId,
      valueFen: w.valueFen,
      status: w.state,
      markedById: authorId,
      createdAt: demoAt(day(0), 9),
      ...(taken ? { takerVolunteerId: taker.id, takenById: taker.person.id, takenAt: demoAt(day(1), 10) } : {}),
      ...(fulfilled ? { fulfilledAt: demoAt(day(3), 16), fulfilmentNote: `已上门完成：${w.title.replace(/^想|^希望/, "")}。`, fulfilmentMinutes: w.minutes! } : {}),
      ...(w.state === "CONFIRMED" || disputed ? { answeredAt: demoAt(day(4), 9), answeredById: authorId } : {}),
      ...(disputed ? { disputeReason: "东西送到了，但和说好的不一样，想请社区核实。" } : {}),
      ...(w.state === "RESOLVED" ? { ruledAt: demoAt(day(6), 11), ruledById: ctx.officialId, rulingFulfilled: w.rulingFulfilled!, rulingReason: "社区工作人员上门核实，已按约定完成。" } : {}),
    };
    // the confirmed wishes carry the taker's photo of the finished job (a plain scene: no faces)
    const photo = w.state === "CONFIRMED" ? await wishPhoto(tx, i, taker.person.id) : null;
    await tx.wish.create({ data: { ...data, ...(photo ? { photoUploadId: photo } : {}) } });
    const log = (actorId: string, action: string, at: Date, after: object) => audit(tx, { actorId, action, objectType: "Wish", objectId: wishId, after, at });
    await log(authorId, "wish.mark", demoAt(day(0), 9), { needId, valueFen: w.valueFen });
    if (taken) await log(taker.person.id, "wish.take", demoAt(day(1), 10), { status: "TAKEN", takerVolunteerId: taker.id });
    if (fulfilled) await log(taker.person.id, "wish.fulfil", demoAt(day(3), 16), { status: "FULFILLED", minutes: w.minutes });
    if (w.state === "CONFIRMED") await log(authorId, "wish.confirm", demoAt(day(4), 9), { status: "CONFIRMED" });
    if (disputed) await log(authorId, "wish.dispute", demoAt(day(4), 9), { status: "DISPUTED", reason: data.disputeReason });
    if (w.state === "RESOLVED") await log(ctx.officialId, "wish.rule", demoAt(day(6), 11), { status: "RESOLVED", fulfilled: w.rulingFulfilled });
    if (w.state === "CONFIRMED" || (w.state === "RESOLVED" && w.rulingFulfilled)) {
      const hoursId = crypto.randomUUID();
      await tx.volunteerHours.create({ data: { id: hoursId, areaId: ctx.songfengId, volunteerId: taker.id, minutes: w.minutes!, wishId, servedOn: demoDay(day(3)), note: w.title, recordedById: w.state === "RESOLVED" ? ctx.officialId : authorId } });
      await audit(tx, { actorId: w.state === "RESOLVED" ? ctx.officialId : authorId, action: "hours.record", objectType: "VolunteerHours", objectId: hoursId, after: { wishId, volunteerId: taker.id, minutes: w.minutes }, at: demoAt(day(w.state === "RESOLVED" ? 6 : 4), 12) });
    }
  }
}

/** A fulfilment photo: a plain coloured scene (the demo has no real photos), stored as an upload is. */
async function wishPhoto(tx: Tx, i: number, uploaderId: string): Promise<string> {
  const image = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 200 - i * 10, g: 220, b: 190 + i * 5 } } }).jpeg({ quality: 70 }).toBuffer();
  const upload = await saveUpload(tx, { file: new File([new Uint8Array(image)], "微心愿完成照片.jpg", { type: "image/jpeg" }), kinds: ["image"], uploaderId });
  return upload.id;
}
