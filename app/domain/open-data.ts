/**
 * Open data (PRODUCT.md "Transparency"): the catalogue of every public table, downloadable as CSV
 * and JSON at stable URLs /open-data/<name>.csv and /open-data/<name>.json. Pure: names,
 * descriptions in both languages and the columns (name, type, description) of each dataset. The
 * service (services/open-data.server.ts) produces exactly these columns in this order; its row
 * types are derived from this file, so a column cannot be added on one side only.
 *
 * Conventions of every dataset: money in integer fen (columns ending in `_fen`), instants as ISO
 * 8601 with the +08:00 offset (Asia/Shanghai), days as YYYY-MM-DD (Asia/Shanghai), empty cells
 * (CSV) / null (JSON) for "none". Personal data is never included: no donor e-mail or account,
 * no anonymous donor's name, no payee, no beneficiary, no author of a need, no judge.
 */

/** Version of the columns of every dataset; a change that breaks readers (a column renamed or removed) bumps it. */
export const OPEN_DATA_VERSION = 1;
import { shanghaiDay, shanghaiIso } from "~/lib/time";

export const OPEN_DATA_LICENCE = {
  name: "CC BY 4.0",
  url: "https://creativecommons.org/licenses/by/4.0/",
} as const;

export const OPEN_DATA_FORMATS = ["csv", "json"] as const;
export type OpenDataFormat = (typeof OPEN_DATA_FORMATS)[number];

export type ColumnType = "string" | "integer" | "number" | "boolean" | "datetime" | "date";

export interface OpenDataColumn {
  readonly name: string;
  readonly type: ColumnType;
  readonly zh: string;
  readonly en: string;
}

export interface OpenDataset {
  readonly name: string;
  readonly titleZh: string;
  readonly titleEn: string;
  readonly descriptionZh: string;
  readonly descriptionEn: string;
  readonly columns: readonly OpenDataColumn[];
}

const col = <const N extends string>(name: N, type: ColumnType, zh: string, en: string) => ({ name, type, zh, en }) as const;

export const OPEN_DATASETS = [
  {
    name: "foundations",
    titleZh: "社区基金",
    titleEn: "Community foundations",
    descriptionZh: "每个社区基金（会）：名称、所在区域、公开募捐备案信息，以及按账本计算的可用余额和定向资金余额。",
    descriptionEn: "Every community foundation: names, area, public-fundraising filing, and the available and earmarked balances computed from the ledger.",
    columns: [
      col("slug", "string", "基金标识（网址中使用）", "Identifier used in URLs"),
      col("name_zh", "string", "中文名称", "Name in Chinese"),
      col("name_en", "string", "英文名称", "Name in English"),
      col("area_code", "string", "所在区域代码", "Code of its area"),
      col("fundraising_filing_no", "string", "公开募捐备案编号；为空表示只能开展定向募捐", "Public-fundraising filing number; empty = directed (定向) campaigns only"),
      col("fundraising_entity", "string", "持有备案的募捐主体", "Registered fundraising entity holding the filing"),
      col("balance_fen", "integer", "可用资金余额（分），等于账本中可用资金账户之和", "Available balance in fen: the sum of the ledger entries of its available-funds account"),
      col("earmarked_fen", "integer", "定向资金余额（分）：指定用于某一轮次或项目的捐赠", "Earmarked balance in fen: gifts restricted to one round or project"),
      col("created_at", "datetime", "创建时间", "When it was created"),
    ],
  },
  {
    name: "ledger-transactions",
    titleZh: "资金账本",
    titleEn: "Ledger",
    descriptionZh: "复式记账账本的每一笔分录（每行一条分录；同一交易的分录金额之和为零）。所有账户都是公共资金账户。",
    descriptionEn: "Every entry of the double-entry ledger (one row per entry; the entries of one transaction sum to zero). Every account holds public money.",
    columns: [
      col("transaction_id", "string", "交易编号", "Transaction id"),
      col("occurred_at", "datetime", "发生时间（所记录事项的日期，如拨付或支付日期）", "When it happened (the date of the event it records, such as the payment)"),
      col("kind", "string", "交易类型，如 DONATION、ROUND_POOL、TRANCHE_RELEASE", "Kind of transaction, e.g. DONATION, ROUND_POOL, TRANCHE_RELEASE"),
      col("memo", "string", "摘要（不含银行转账流水号）", "Memo (bank transfer references removed)"),
      col("account_code", "string", "账户代码，如 foundation:<编号>:available", "Account code, e.g. foundation:<id>:available"),
      col("account_kind", "string", "账户类型", "Kind of account"),
      col("account_name_zh", "string", "账户中文名称", "Account name in Chinese"),
      col("account_name_en", "string", "账户英文名称", "Account name in English"),
      col("amount_fen", "integer", "金额（分）；正数为资金进入该账户，负数为流出", "Amount in fen; positive = money into the account, negative = out of it"),
      col("created_at", "datetime", "记账时间（写入账本的时间，可能晚于发生时间）", "When it was written to the ledger (may be later than when it happened)"),
    ],
  },
  {
    name: "donations",
    titleZh: "捐赠",
    titleEn: "Donations",
    descriptionZh: "每一笔已支付的捐赠（含已退款和争议中的）。捐赠者未同意公开署名的显示为“爱心人士”，不含其留言；不含邮箱、账户或付款信息。",
    descriptionEn: "Every paid gift (refunded and disputed ones included). Donors who did not agree to be named publicly appear as 爱心人士, without their message; no e-mail, account or payment details.",
    columns: [
      col("ref", "string", "捐赠编号，如 G-7K2M9Q4T（可在透明度门户追踪）", "Gift reference, e.g. G-7K2M9Q4T (traceable in the transparency portal)"),
      col("paid_at", "datetime", "支付时间", "When it was paid"),
      col("foundation_slug", "string", "受赠基金标识", "Foundation that received it"),
      col("donor_name", "string", "捐赠者同意公开的名称；未同意公开署名的为“爱心人士”", "The donor's name when they agreed to be named publicly; otherwise 爱心人士"),
      col("amount_fen", "integer", "捐赠金额（分）", "Amount given in fen"),
      col("matched_fen", "integer", "配捐金额（分）", "Matching funds it drew in fen"),
      col("refunded_fen", "integer", "已退款金额（分）", "Amount refunded in fen"),
      col("status", "string", "状态：SUCCEEDED、PARTIALLY_REFUNDED、REFUNDED、DISPUTED（争议中，资金冻结）", "Status: SUCCEEDED, PARTIALLY_REFUNDED, REFUNDED, DISPUTED (held)"),
      col("earmark_round_code", "string", "定向的创投轮次代码；为空表示未定向到轮次", "Round the gift is earmarked for; empty = none"),
      col("earmark_project_ref", "string", "定向的资助项目编号；为空表示未定向到项目", "Funded project the gift is earmarked for; empty = none"),
      col("campaign_slug", "string", "配捐活动标识", "Matching campaign it asked to be matched by"),
      col("frequency", "string", "ONCE（单次）或 MONTHLY（月捐）", "ONCE or MONTHLY"),
      col("message", "string", "捐赠者留言（仅当捐赠者同意公开署名时；否则为空）", "Donor's message (only when the donor agreed to be named publicly; otherwise empty)"),
    ],
  },
  {
    name: "campaigns",
    titleZh: "配捐活动",
    titleEn: "Matching campaigns",
    descriptionZh: "每个配捐活动：配捐方、比例、单笔上限、时间窗口，以及按账本计算的注入、已配捐和剩余金额。",
    descriptionEn: "Every matching campaign: sponsor, ratio, per-gift cap, window, and the pool funded, matched and remaining, computed from the ledger.",
    columns: [
      col("slug", "string", "活动标识", "Campaign identifier"),
      col("foundation_slug", "string", "所属基金标识", "Foundation running it"),
      col("title_zh", "string", "中文标题", "Title in Chinese"),
      col("title_en", "string", "英文标题", "Title in English"),
      col("sponsor_name", "string", "配捐方名称", "Sponsor"),
      col("sponsor_kind", "string", "配捐方类型：GOVERNMENT（政府）或 COMPANY（企业）", "Sponsor kind: GOVERNMENT or COMPANY"),
      col("ratio_sponsor", "integer", "配捐比例中配捐方的份数（如 1:1 中的第一个 1）", "Sponsor's side of the ratio (the first 1 of 1:1)"),
      col("ratio_donor", "integer", "配捐比例中捐赠者的份数", "Donor's side of the ratio"),
      col("per_donation_cap_fen", "integer", "单笔配捐上限（分）；为空表示不设上限", "Most matched per gift in fen; empty = no cap"),
      col("starts_at", "datetime", "开始时间", "Window start"),
      col("ends_at", "datetime", "结束时间", "Window end"),
      col("pool_funded_fen", "integer", "配捐方注入资金池的总额（分）", "Money the sponsor put into the pool in fen"),
      col("matched_fen", "integer", "已配捐金额（分），扣除因退款退回的部分", "Matched so far in fen, net of matches returned by refunds"),
      col("remaining_fen", "integer", "资金池剩余金额（分）", "Left in the pool in fen"),
    ],
  },
  {
    name: "rounds",
    titleZh: "创投轮次",
    titleEn: "Rounds",
    descriptionZh: "每个已发布的公益创投轮次：所在区域、资助基金、阶段、资金池和资助额度范围、主要日期。",
    descriptionEn: "Every published round: area, funding foundation, phase, pool and award limits, key dates.",
    columns: [
      col("code", "string", "轮次代码", "Round code"),
      col("title", "string", "标题", "Title"),
      col("area_code", "string", "区域代码", "Area code"),
      col("foundation_slug", "string", "出资基金标识", "Foundation funding it"),
      col("phase", "string", "阶段：NEEDS、PROPOSALS、SCREENING、REVIEW、NOTICE、IMPLEMENTATION、CLOSED", "Phase: NEEDS, PROPOSALS, SCREENING, REVIEW, NOTICE, IMPLEMENTATION, CLOSED"),
      col("pool_fen", "integer", "资金池（分）", "Pool in fen"),
      col("min_award_fen", "integer", "单个项目最低资助额（分）", "Smallest award in fen"),
      col("max_award_fen", "integer", "单个项目最高资助额（分）", "Largest award in fen"),
      col("proposals_starts_at", "datetime", "开始接受申报", "Proposals open"),
      col("proposals_deadline", "datetime", "申报截止", "Proposals deadline"),
      col("implementation_starts_at", "datetime", "项目实施开始", "Implementation starts"),
      col("closes_at", "datetime", "轮次结束", "Round closes"),
    ],
  },
  {
    name: "needs",
    titleZh: "居民需求",
    titleEn: "Residents' needs",
    descriptionZh: "居民提出的社区需求（点单）及其状态和票数，与公开需求列表所示相同；不含提出者。",
    descriptionEn: "Needs residents posted for their community, with status and votes, as the public list shows them; never who posted them.",
    columns: [
      col("number", "integer", "需求编号（/needs/<编号>）", "Need number (/needs/<number>)"),
      col("title", "string", "标题", "Title"),
      col("category", "string", "类别：SELF_GOVERNANCE、PUBLIC_SERVICE、CULTURE_SPORTS", "Category: SELF_GOVERNANCE, PUBLIC_SERVICE, CULTURE_SPORTS"),
      col("status", "string", "状态：OPEN、PUBLISHED（已派单）、MERGED、REJECTED", "Status: OPEN, PUBLISHED (a round's call topic), MERGED, REJECTED"),
      col("area_code", "string", "社区代码", "Community code"),
      col("vote_count", "integer", "支持票数", "Votes"),
      col("round_code", "string", "派单到的轮次代码（仅 PUBLISHED）", "Round it is a call topic of (PUBLISHED only)"),
      col("merged_into_number", "integer", "合并到的需求编号（仅 MERGED）", "Need it was merged into (MERGED only)"),
      col("created_at", "datetime", "提出时间", "When it was posted"),
    ],
  },
  {
    name: "deliberation-matters",
    titleZh: "社区议题（三议）",
    titleEn: "Community matters (deliberation)",
    descriptionZh: "社区就居民需求开展的“三议”：提议、审议结果和居民代表会议或居民会议的决议票数，与议题公开页相同；不含记录人和监督委员姓名。",
    descriptionEn: "Communities' deliberation of residents' needs: the proposal, the review's outcome and the resolution's counts, as the matter's public page shows them; never who recorded them or which supervisor remarked.",
    columns: [
      col("number", "integer", "议题编号（/deliberation/<编号>）", "Matter number (/deliberation/<number>)"),
      col("area_code", "string", "社区代码", "Community code"),
      col("title", "string", "议题名称", "Title"),
      col("status", "string", "状态：PROPOSED、FORWARDED、DROPPED、PASSED、FAILED", "Status: PROPOSED, FORWARDED, DROPPED, PASSED, FAILED"),
      col("need_numbers", "string", "涉及的需求编号，以分号分隔", "Numbers of its needs, separated by semicolons"),
      col("proposed_at", "datetime", "提议时间", "When it was proposed"),
      col("reviews", "integer", "审议次数（退回修改后会再次审议）", "Review meetings held (a matter sent back is reviewed again)"),
      col("last_review_outcome", "string", "最近一次审议结果：FORWARD、REVISE、DROP", "Outcome of the latest review: FORWARD, REVISE, DROP"),
      col("resolution_body", "string", "决议机构：REPRESENTATIVES_MEETING（居民代表会议）、RESIDENTS_ASSEMBLY（居民会议）", "Resolving body: REPRESENTATIVES_MEETING, RESIDENTS_ASSEMBLY"),
      col("resolved_on", "date", "决议会议日期", "Day of the resolving meeting"),
      col("entitled", "integer", "应到人数", "Members entitled"),
      col("present", "integer", "实到人数", "Members present"),
      col("votes_for", "integer", "赞成票", "Votes for"),
      col("votes_against", "integer", "反对票", "Votes against"),
      col("abstentions", "integer", "弃权", "Abstentions"),
      col("passed", "boolean", "是否通过（按社区决议规则计算）", "Whether it passed (computed by the community's rules)"),
      col("remarks", "integer", "居务监督委员会意见条数", "Supervision committee remarks"),
      col("online_voting", "string", "居民代表网上投票：NONE（未开启）、OPEN（进行中）、CLOSED（已结束）；网上票数仅作记录，结果以纸质决议为准", "Representatives' online voting: NONE, OPEN, CLOSED; the online counts are a record beside the paper resolution, which decides"),
      col("online_voted", "integer", "网上投票人数", "Representatives who voted online"),
      col("online_for", "integer", "网上赞成票", "Online votes for"),
      col("online_against", "integer", "网上反对票", "Online votes against"),
      col("online_abstentions", "integer", "网上弃权", "Online abstentions"),
    ],
  },
  {
    name: "wishes",
    titleZh: "微心愿",
    titleEn: "Small wishes",
    descriptionZh: "居民的微心愿（认领办理的小需求）：状态、社区、类别、金额区间、各环节日期和服务时长，与社区志愿服务页相同；不含心愿人、认领人和任何个人信息。",
    descriptionEn: "Residents' small wishes (needs taken directly by volunteers or pairing units): state, community, category, amount band, the days of each step and the hours served, as the community's volunteering page shows them; never who wished or who took it.",
    columns: [
      col("need_number", "integer", "需求编号（/needs/<编号>）", "Need number (/needs/<number>)"),
      col("area_code", "string", "社区代码", "Community code"),
      col("category", "string", "类别：SELF_GOVERNANCE、PUBLIC_SERVICE、CULTURE_SPORTS", "Category: SELF_GOVERNANCE, PUBLIC_SERVICE, CULTURE_SPORTS"),
      col("status", "string", "状态：OPEN、TAKEN、FULFILLED、CONFIRMED、DISPUTED、RESOLVED", "Status: OPEN, TAKEN, FULFILLED, CONFIRMED, DISPUTED, RESOLVED"),
      col("amount_band", "string", "金额区间（元）：0（非资金类）、1-99、100-299、300-499、500+", "Amount band in yuan: 0 (asks for no money), 1-99, 100-299, 300-499, 500+"),
      col("taker_kind", "string", "认领方类别：VOLUNTEER（志愿者）、ORGANIZATION（结对单位）；为空表示未认领", "Who took it: VOLUNTEER or ORGANIZATION (pairing unit); empty = not taken"),
      col("marked_on", "date", "设为微心愿的日期", "Day it was marked a small wish"),
      col("taken_on", "date", "认领日期", "Day it was taken"),
      col("fulfilled_on", "date", "办结日期", "Day it was reported fulfilled"),
      col("hours", "number", "记入的服务时长（小时）；确认或裁定办结后记入", "Hours of service recorded (once confirmed or ruled fulfilled)"),
    ],
  },
  {
    name: "volunteer-hours",
    titleZh: "志愿服务时长",
    titleEn: "Volunteer hours",
    descriptionZh: "每个社区的志愿服务时长汇总：已确认的志愿者人数，微心愿服务和公益创投项目志愿服务的次数与时长（冲正后的净额）；不含志愿者个人信息。",
    descriptionEn: "Each community's volunteer hours in total: confirmed volunteers, and the entries and hours of small wishes and of funded projects' shifts (net of reversals); nothing of any volunteer.",
    columns: [
      col("area_code", "string", "社区代码", "Community code"),
      col("volunteers", "integer", "已确认的志愿者人数", "Confirmed volunteers"),
      col("wish_entries", "integer", "微心愿服务次数", "Small wishes served"),
      col("wish_hours", "number", "微心愿服务时长（小时）", "Hours on small wishes"),
      col("project_shifts", "integer", "项目志愿服务班次（已冲正的不计）", "Project shifts (reversed ones not counted)"),
      col("project_hours", "number", "项目志愿服务时长（小时）", "Hours on project shifts"),
      col("total_hours", "number", "服务时长合计（小时）", "Hours in all"),
    ],
  },
  {
    name: "awards",
    titleZh: "资助结果",
    titleEn: "Awards",
    descriptionZh: "已公示轮次的资助结果（公示中和已确定的），与公示页相同；不含评委姓名。",
    descriptionEn: "Results of rounds whose awards were published (under notice or final), as the public notice shows them; no judges.",
    columns: [
      col("round_code", "string", "轮次代码", "Round code"),
      col("rank", "integer", "排名", "Rank"),
      col("proposal_ref", "string", "申报编号", "Proposal reference"),
      col("title", "string", "项目名称", "Project title"),
      col("organization", "string", "申报组织", "Applicant organization"),
      col("community_code", "string", "服务社区代码", "Community served"),
      col("score", "number", "综合得分（0–100，两位小数）", "Composite score (0–100, two decimals)"),
      col("outcome", "string", "结果：FUNDED、PARTIAL、WAITLIST、BELOW_MINIMUM、EXCLUDED", "Outcome: FUNDED, PARTIAL, WAITLIST, BELOW_MINIMUM, EXCLUDED"),
      col("award_fen", "integer", "资助金额（分）", "Award in fen"),
      col("status", "string", "PROPOSED（公示中）或 FINAL（已确定）", "PROPOSED (under notice) or FINAL"),
      col("notice_ends_at", "datetime", "公示结束时间", "End of the public notice"),
    ],
  },
  {
    name: "projects",
    titleZh: "资助项目",
    titleEn: "Funded projects",
    descriptionZh: "每个资助项目：执行组织、服务社区、资助金额、已拨付（账本）和已核准支出。",
    descriptionEn: "Every funded project: implementing organization, community, award, paid (from the ledger) and approved spending.",
    columns: [
      col("ref", "string", "项目编号（/projects/<编号>）", "Project reference (/projects/<ref>)"),
      col("round_code", "string", "轮次代码", "Round code"),
      col("title", "string", "项目名称", "Title"),
      col("organization", "string", "执行组织", "Implementing organization"),
      col("community_code", "string", "服务社区代码", "Community served"),
      col("category", "string", "类别", "Category"),
      col("award_fen", "integer", "资助金额（分）", "Award in fen"),
      col("paid_fen", "integer", "已拨付金额（分），来自账本的拨付记录", "Paid to the grantee in fen, from the ledger's tranche postings"),
      col("spent_fen", "integer", "已核准支出（分）", "Approved spending in fen"),
      col("unspent_returned_fen", "integer", "结项时退回基金的金额（分）", "Returned to the foundation at closing in fen"),
      col("status", "string", "状态：AWAITING_ACCEPTANCE、AWAITING_COUNTERSIGN、ACTIVE、EVALUATION_FAILED、CLOSED", "Status: AWAITING_ACCEPTANCE, AWAITING_COUNTERSIGN, ACTIVE, EVALUATION_FAILED, CLOSED"),
    ],
  },
  {
    name: "tranches",
    titleZh: "分期拨付",
    titleEn: "Tranches",
    descriptionZh: "每个项目的分期拨付计划和状态；不含银行流水号和经办人。",
    descriptionEn: "Each project's instalments and their state; no bank references, no officials.",
    columns: [
      col("project_ref", "string", "项目编号", "Project reference"),
      col("position", "integer", "期次", "Instalment number"),
      col("percent", "integer", "占资助金额的百分比", "Percent of the award"),
      col("amount_fen", "integer", "金额（分）", "Amount in fen"),
      col("trigger", "string", "拨付条件：AGREEMENT、MIDTERM、FINAL", "Condition: AGREEMENT, MIDTERM, FINAL"),
      col("status", "string", "RELEASED（已拨付）、HELD（暂停）、PENDING（待拨付）", "RELEASED, HELD or PENDING"),
      col("released_at", "datetime", "拨付时间", "When it was paid"),
    ],
  },
  {
    name: "expenses",
    titleZh: "项目支出",
    titleEn: "Project expenses",
    descriptionZh: "项目已核准的支出，按预算科目；票据以 SHA-256 前 12 位公开（不公开票据图片和收款方）。",
    descriptionEn: "Approved project expenses by budget line; receipts as the first 12 hex digits of their SHA-256 (never the images or the payee).",
    columns: [
      col("expense_id", "string", "支出编号", "Expense id"),
      col("project_ref", "string", "项目编号", "Project reference"),
      col("spent_on", "date", "支出日期", "Day of spending"),
      col("budget_line_position", "integer", "预算科目序号；为空表示预算外支出", "Budget line number; empty = outside every line"),
      col("budget_line_item", "string", "预算科目名称", "Budget line"),
      col("budget_line_category", "string", "预算科目类别", "Budget line category"),
      col("amount_fen", "integer", "金额（分）", "Amount in fen"),
      col("description", "string", "说明（最多 120 字）", "Description (at most 120 characters)"),
      col("receipt_count", "integer", "票据数量", "Number of receipts"),
      col("receipt_hash_prefixes", "string", "各票据 SHA-256 的前 12 位，以空格分隔", "First 12 hex digits of each receipt's SHA-256, space separated"),
    ],
  },
  {
    name: "callback-summaries",
    titleZh: "回访满意度",
    titleEn: "Call-back results",
    descriptionZh: "每个项目受益人回访的结果统计（只有数量，不含任何受益人信息）。",
    descriptionEn: "Counts of each project's beneficiary call-back outcomes (counts only, nothing about any beneficiary).",
    columns: [
      col("project_ref", "string", "项目编号", "Project reference"),
      col("samples", "integer", "已抽样月份数", "Monthly samples drawn"),
      col("calls", "integer", "抽中回访人次", "Calls sampled"),
      col("satisfied", "integer", "满意", "Satisfied"),
      col("partly", "integer", "基本满意", "Partly satisfied"),
      col("not_satisfied", "integer", "不满意", "Not satisfied"),
      col("unreached", "integer", "未能联系", "Could not be reached"),
      col("pending", "integer", "尚未回访", "Not called yet"),
    ],
  },
  {
    name: "eligible-proposals",
    titleZh: "通过资格审查的申报",
    titleEn: "Eligible proposals",
    descriptionZh: "资格审查结束后公开的合格申报（与轮次公开申报列表相同，轮次进入评审阶段后才公开）；不含申报组织、撰写人或团队成员。",
    descriptionEn: "Proposals found eligible at screening, as the round's public list shows them once review begins; no applicant organization, writer or team members.",
    columns: [
      col("ref", "string", "申报编号", "Proposal reference"),
      col("round_code", "string", "轮次代码", "Round code"),
      col("title", "string", "项目名称", "Title"),
      col("community_code", "string", "服务社区代码", "Community served"),
      col("category", "string", "类别", "Category"),
      col("requested_fen", "integer", "申请资助金额（分）", "Amount requested in fen"),
      col("screened_at", "datetime", "资格审查通过时间", "When it was found eligible"),
    ],
  },
  {
    name: "objections",
    titleZh: "异议及处理结果",
    titleEn: "Objections and rulings",
    descriptionZh: "对已公示资助结果提出的异议：异议理由摘要、处理结果和日期，与公示页相同；不含异议人身份和附件。",
    descriptionEn: "Objections to published awards: a summary of the grounds, the ruling and the dates, as the public notice shows them; never who objected, nor the attachments.",
    columns: [
      col("round_code", "string", "轮次代码", "Round code"),
      col("proposal_ref", "string", "被异议的申报编号", "Proposal objected to"),
      col("grounds", "string", "异议理由摘要（最多 500 字）", "Summary of the grounds (at most 500 characters)"),
      col("status", "string", "处理结果：OPEN（处理中）、UPHELD（成立）、DISMISSED（不成立）", "Ruling: OPEN (pending), UPHELD or DISMISSED"),
      col("ruling", "string", "处理意见", "The ruling's reasons"),
      col("filed_at", "datetime", "提出时间", "When it was filed"),
      col("ruled_at", "datetime", "处理时间", "When it was ruled on"),
    ],
  },
  {
    name: "milestone-reports",
    titleZh: "里程碑报告",
    titleEn: "Milestone reports",
    descriptionZh: "项目里程碑已核准的进度报告（每行一份报告），与项目公开页相同；不含草稿、退回的报告、审核意见和撰写人。",
    descriptionEn: "Approved progress reports on project milestones (one row per report), as the public project page shows them; never drafts, returned reports, officials' comments or the writer.",
    columns: [
      col("project_ref", "string", "项目编号", "Project reference"),
      col("milestone_position", "integer", "里程碑序号", "Milestone number"),
      col("milestone_title", "string", "里程碑名称", "Milestone"),
      col("due_on", "date", "计划完成日期", "Day it was due"),
      col("submitted_at", "datetime", "报告提交时间", "When the report was submitted"),
      col("approved_at", "datetime", "报告核准时间", "When the report was approved"),
      col("report_text", "string", "报告正文", "The report's text"),
      col("people_served", "integer", "服务人数（报告所填）", "People served, as reported"),
      col("photo_count", "integer", "报告照片数量", "Photos in the report"),
    ],
  },
  {
    name: "areas",
    titleZh: "区域",
    titleEn: "Areas",
    descriptionZh: "区域树：区（县）、街道（镇）、社区（村），以及居民人数和小区（村小组）数。",
    descriptionEn: "The area tree: districts, subdistricts and towns, communities and villages, with residents and compounds (village groups).",
    columns: [
      col("code", "string", "区域代码", "Area code"),
      col("name_zh", "string", "中文名称", "Name in Chinese"),
      col("name_en", "string", "英文名称", "Name in English"),
      col("level", "string", "层级：CITY、DISTRICT、SUBDISTRICT、COMMUNITY、VILLAGE", "Level: CITY, DISTRICT, SUBDISTRICT, COMMUNITY, VILLAGE"),
      col("parent_code", "string", "上级区域代码；为空表示最高层级", "Code of the area above; empty = top level"),
      col("residents", "integer", "居民人数", "Residents"),
      col("subunits", "integer", "小区或村小组数", "Residential compounds or village groups"),
    ],
  },
  {
    name: "budget-lines",
    titleZh: "项目预算",
    titleEn: "Project budgets",
    descriptionZh: "每个资助项目的预算科目：协议约定金额和经核准调整后的金额，与项目公开页相同。",
    descriptionEn: "Each funded project's budget lines: the amount agreed and the amount after approved adjustments, as the public project page shows them.",
    columns: [
      col("project_ref", "string", "项目编号", "Project reference"),
      col("position", "integer", "预算科目序号", "Budget line number"),
      col("category", "string", "预算类别：LABOUR（人员劳务费）、MATERIALS（物资材料费）、VENUE（场地租赁费）、PUBLICITY（宣传印刷费）、TRAINING（培训与专家费）、OTHER（其他）", "Budget category: LABOUR, MATERIALS, VENUE, PUBLICITY, TRAINING (and experts), OTHER"),
      col("item", "string", "预算科目名称", "Budget line"),
      col("planned_fen", "integer", "协议约定金额（分）", "Amount agreed in fen"),
      col("approved_fen", "integer", "经核准调整后的预算金额（分）", "Amount after approved adjustments in fen"),
    ],
  },
] as const satisfies readonly OpenDataset[];

export type DatasetName = (typeof OPEN_DATASETS)[number]["name"];
type DatasetOf<N extends DatasetName> = Extract<(typeof OPEN_DATASETS)[number], { name: N }>;
export type ColumnName<N extends DatasetName> = DatasetOf<N>["columns"][number]["name"];

/** One cell: text, a number, a flag, or nothing. */
export type Cell = string | number | boolean | null;
/** One row of dataset N: exactly its documented columns. */
export type RowOf<N extends DatasetName> = { [K in ColumnName<N>]: Cell };

export function datasetByName(name: string): OpenDataset | null {
  return (OPEN_DATASETS as readonly OpenDataset[]).find((d) => d.name === name) ?? null;
}

/** "donations.csv" → the dataset and the format; anything else (unknown name or extension) → null. */
export function parseDataFile(file: string): { dataset: OpenDataset; format: OpenDataFormat } | null {
  const m = /^([a-z][a-z0-9-]*)\.(csv|json)$/.exec(file);
  if (!m) return null;
  const dataset = datasetByName(m[1]!);
  return dataset ? { dataset, format: m[2] as OpenDataFormat } : null;
}

/** The stable address of a dataset in a format. */
export const dataFileUrl = (name: string, format: OpenDataFormat) => `/open-data/${name}.${format}`;


export { shanghaiDay, shanghaiIso };

/**
 * A ledger memo as published. A tranche release's memo ends with the bank transfer reference
 * ("JN6-0003 第1期拨付 / tranche 1 paid · <reference>"), which is never public (the project page
 * does not show it either): it is cut off. Other memos are written by the code from references
 * (gift refs, round codes, project refs) and stay as they are.
 */
export function publicMemo(kind: string, memo: string): string {
  if (kind === "TRANCHE_RELEASE") {
    const cut = memo.indexOf(" · ");
    return cut >= 0 ? memo.slice(0, cut) : memo;
  }
  return memo;
}

/** Text shortened to `max` characters (code points) with an ellipsis, whitespace collapsed. */
export function shortenText(s: string, max: number): string {
  const chars = [...s.replace(/\s+/g, " ").trim()];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : chars.join("");
}

/**
 * A text cell as written to CSV. A spreadsheet runs a cell that starts with = + - @ (or a tab or
 * carriage return) as a formula; text typed by the public (a need's title, a donor's message)
 * could do harm that way, so such a cell gets a leading apostrophe — in CSV only (JSON carries the
 * text as it is). Numbers are never changed.
 */
export function csvSafeText(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}
