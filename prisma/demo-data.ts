/**
 * The demo district, from domain-sources/004 (当街办〔2017〕19号, annex tables 1 and 2):
 * 平湖市当湖街道, its 18 urban communities (16 established + 2 under construction) and 8
 * villages, with the number of residential compounds / village groups and resident counts.
 */
export const DISTRICT = { code: "pinghu", nameZh: "平湖市", nameEn: "Pinghu City" };
export const SUBDISTRICT = { code: "danghu", nameZh: "当湖街道", nameEn: "Danghu Subdistrict" };

export const COMMUNITIES: [code: string, nameZh: string, nameEn: string, compounds: number, residents: number][] = [
  ["songfeng", "松枫社区", "Songfeng Community", 11, 10914],
  ["fenghuang", "凤凰社区", "Fenghuang Community", 11, 16523],
  ["jiefang", "洁芳社区", "Jiefang Community", 8, 13745],
  ["shuidongdai", "水洞埭社区", "Shuidongdai Community", 13, 8781],
  ["meiyuan", "梅园社区", "Meiyuan Community", 9, 8632],
  ["nanhetou", "南河头社区", "Nanhetou Community", 12, 4731],
  ["dongsheng", "东升社区", "Dongsheng Community", 6, 13947],
  ["baihua", "百花社区", "Baihua Community", 12, 9677],
  ["nanshi", "南市社区", "Nanshi Community", 7, 4864],
  ["ruyi", "如意社区", "Ruyi Community", 13, 10868],
  ["binhu", "滨湖社区", "Binhu Community", 5, 10058],
  ["meilanyuan", "梅兰苑社区", "Meilanyuan Community", 5, 8346],
  ["yongfeng", "永丰社区", "Yongfeng Community", 8, 12243],
  ["beihelou", "北河溇社区", "Beihelou Community", 3, 6746],
  ["qiyuan", "启元社区", "Qiyuan Community", 3, 3143],
  ["donghu", "东湖社区", "Donghu Community", 8, 10586],
  ["muyang", "沐阳(通界桥)社区", "Muyang (Tongjieqiao) Community", 4, 1579],
  ["sangang", "三港新城社区", "Sangang New Town Community", 2, 1567],
];

export const VILLAGES: [code: string, nameZh: string, nameEn: string, groups: number, residents: number][] = [
  ["sanbei", "三北村", "Sanbei Village", 7, 1700],
  ["tangqiao", "塘桥村", "Tangqiao Village", 9, 2033],
  ["hongni", "虹霓村", "Hongni Village", 16, 3125],
  ["dasheng", "大胜村", "Dasheng Village", 1, 1185],
  ["qianjia", "钱家村", "Qianjia Village", 8, 1400],
  ["jinjia", "金家村", "Jinjia Village", 13, 2951],
  ["huangjiabang", "黄家浜村", "Huangjiabang Village", 14, 2390],
  ["tongjie", "通界村", "Tongjie Village", 18, 2634],
];

export { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../app/services/accounts/demo-accounts.ts";

/** 500万元 community development fund, first instalment (004, 六(二)). */
export const APPROPRIATION_FEN = 5_000_000 * 100;

/**
 * Twenty more residents (`resident01@danghu.example` … `resident20@danghu.example`, same
 * password): they post and upvote the demo needs, and the first twelve lead the demo
 * organizations below.
 */
export const DEMO_RESIDENTS: readonly { email: string; name: string }[] = [
  "沈国平", "顾美娟", "陆建明", "朱雪芳", "徐志刚", "蒋丽萍", "金伟东", "屠秀琴", "俞海林", "戴春燕",
  "胡永康", "马金凤", "姚振华", "许彩英", "曹立新", "潘月娥", "钟家豪", "严素珍", "吕文斌", "施佳怡",
].map((name, i) => ({ email: `resident${String(i + 1).padStart(2, "0")}@danghu.example`, name }));

/** The 6th round, last year (closed), and the 7th, now open for proposals (modelled on 003: 江宁区第七届公益创投微项目). */
export const ROUND_JN6 = { code: "JN6", title: "当湖街道第六届社区公益微创投", titleEn: "Danghu Subdistrict 6th Community Micro-Venture Philanthropy Round", poolFen: 500_000 * 100 } as const;
export const ROUND_JN7 = { code: "JN7", title: "当湖街道第七届社区公益微创投", titleEn: "Danghu Subdistrict 7th Community Micro-Venture Philanthropy Round", poolFen: 600_000 * 100 } as const;

/** A special round for older residents this autumn, now in REVIEW: the demo judges' sheets are open, some scored. */
export const ROUND_WL26 = { code: "WL26", title: "当湖街道2026年度为老服务专项微创投", titleEn: "Danghu Subdistrict 2026 Micro-Venture Round for Older Residents", poolFen: 150_000 * 100 } as const;
