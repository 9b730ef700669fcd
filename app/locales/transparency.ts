import { defineMessages } from "./define";

/** The transparency pages: the portal, the trace of one gift, open data. */
export default defineMessages({
  // ── the portal ──
  "transparency.title": { zh: "透明度门户", en: "Transparency portal" },
  "transparency.subtitle": {
    zh: "每一笔钱从哪里来、到哪里去，都由资金账本计算，任何人无需登录即可查看。",
    en: "Where every yuan comes from and where it goes, computed from the ledger — open to anyone, no sign-in needed.",
  },
  "transparency.lookup.title": { zh: "追踪您的捐赠", en: "Trace your gift" },
  "transparency.lookup.label": { zh: "捐赠编号或收据编号", en: "Gift reference or receipt number" },
  "transparency.lookup.hint": {
    zh: "例如 G-7K2M9Q4T 或 DH-2026-000042，见捐赠确认页和电子收据。",
    en: "For example G-7K2M9Q4T or DH-2026-000042 — on your thank-you page and your receipt.",
  },
  "transparency.lookup.submit": { zh: "查询去向", en: "Trace it" },
  "transparency.lookup.required": { zh: "请输入捐赠编号或收据编号", en: "Enter a gift reference or a receipt number" },
  "transparency.lookup.format": {
    zh: "格式不正确：捐赠编号形如 G-7K2M9Q4T，收据编号形如 DH-2026-000042",
    en: "Not a reference: gift references look like G-7K2M9Q4T, receipt numbers like DH-2026-000042",
  },
  "transparency.lookup.notFound": { zh: "没有找到这笔已支付的捐赠，请检查编号", en: "No paid gift has this reference; check what you typed" },

  "transparency.totals.title": { zh: "全部社区基金合计", en: "All foundations together" },
  "transparency.totals.note": {
    zh: "金额均由资金账本计算，精确到分；“项目已核准支出”是项目上报并经审核通过的支出。",
    en: "Every amount is computed from the ledger, to the fen; “spent” is what the projects reported and had approved.",
  },
  "transparency.totals.gifts": { zh: "收到捐赠", en: "Gifts received" },
  "transparency.totals.giftsCount": { zh: "共 {count} 笔", en: "{count} gifts" },
  "transparency.totals.matched": { zh: "配捐", en: "Matched by sponsors" },
  "transparency.totals.refunded": { zh: "已退款", en: "Refunded" },
  "transparency.totals.appropriations": { zh: "财政拨款", en: "Government appropriations" },
  "transparency.totals.roundPools": { zh: "划入创投资金池", en: "Put into round pools" },
  "transparency.totals.committed": { zh: "确定资助", en: "Committed to awards" },
  "transparency.totals.paid": { zh: "分期拨付给项目", en: "Paid to projects in tranches" },
  "transparency.totals.spent": { zh: "项目已核准支出", en: "Spent by projects (approved)" },
  "transparency.totals.returned": { zh: "结项退回基金", en: "Returned by closed projects" },
  "transparency.totals.available": { zh: "可用资金余额", en: "Available now" },
  "transparency.totals.earmarked": { zh: "定向资金余额", en: "Earmarked now" },

  "transparency.flow.title": { zh: "资金如何流动", en: "How the money moves" },
  "transparency.flow.intro": {
    zh: "每一步都是复式账本上的一笔记录：钱只会从一个账户转到另一个账户，不会凭空出现或消失。",
    en: "Every step is a posting in a double-entry ledger: money only moves from one account to another; it never appears or vanishes.",
  },
  "transparency.flow.amount": { zh: "累计 {amount}", en: "So far {amount}" },
  "transparency.flow.balance": { zh: "现有 {amount}", en: "Holding {amount} now" },
  "transparency.flow.gift.title": { zh: "捐赠", en: "Gift" },
  "transparency.flow.gift.text": {
    zh: "您向社区基金捐赠，可以指定用于某个创投轮次或某个资助项目（定向），也可以不指定（进入基金的可用资金）。配捐活动会按比例追加一笔配捐。",
    en: "You give to a community foundation — earmarked for a round or a funded project, or to its general funds. A matching campaign may add a match.",
  },
  "transparency.flow.gift.link": { zh: "选择社区基金", en: "Choose a foundation" },
  "transparency.flow.foundation.title": { zh: "社区基金", en: "Foundation" },
  "transparency.flow.foundation.text": {
    zh: "基金汇集捐赠、配捐和财政拨款。每个基金的余额和每一笔收支都公开。",
    en: "The foundation pools gifts, matches and appropriations. Its balance and every movement are public.",
  },
  "transparency.flow.foundation.link": { zh: "查看各基金的收支", en: "See each foundation's books" },
  "transparency.flow.pool.title": { zh: "创投资金池", en: "Round pool" },
  "transparency.flow.pool.text": {
    zh: "街道发起一轮公益创投时，从基金划出一笔钱作为这一轮的资金池。",
    en: "When officials open a round, the foundation moves money into that round's pool.",
  },
  "transparency.flow.pool.link": { zh: "查看创投轮次", en: "See the rounds" },
  "transparency.flow.award.title": { zh: "确定资助", en: "Award" },
  "transparency.flow.award.text": {
    zh: "专家评审、结果公示之后，资金池里的钱承诺给获得资助的项目。公示名单和评分公开。",
    en: "After expert review and the public notice, money in the pool is committed to the funded projects. The list and the scores are public.",
  },
  "transparency.flow.award.link": { zh: "查看各轮公示结果", en: "See each round's results" },
  "transparency.flow.tranches.title": { zh: "分期拨付", en: "Tranches" },
  "transparency.flow.tranches.text": {
    zh: "项目按协议分期拿到资金：签约后、中期里程碑通过后、终期评估合格后。每一期拨付都记在账本上。",
    en: "A project is paid in instalments under its agreement: on signing, after its mid-term milestone, after the final evaluation. Each payment is a ledger posting.",
  },
  "transparency.flow.tranches.link": { zh: "查看资助项目", en: "See the funded projects" },
  "transparency.flow.expenses.title": { zh: "支出和票据", en: "Expenses with receipts" },
  "transparency.flow.expenses.text": {
    zh: "项目的每一笔支出都要上传票据并经审核。公开页显示日期、预算科目、金额和票据指纹（SHA-256 前 12 位），不公开收款人和票据图片。",
    en: "Every expense is filed with its receipts and checked. Public pages show the date, budget line, amount and each receipt's fingerprint (first 12 hex digits of its SHA-256) — never the payee or the image.",
  },

  "transparency.flow.expenses.link": { zh: "查看项目的支出和票据", en: "See the projects' expenses and receipts" },

  "transparency.foundations.title": { zh: "各社区基金", en: "By foundation" },
  "transparency.foundations.empty": { zh: "还没有社区基金", en: "No foundations yet" },
  "transparency.col.foundation": { zh: "社区基金", en: "Foundation" },

  "transparency.openData.title": { zh: "开放数据", en: "Open data" },
  "transparency.openData.text": {
    zh: "所有公开数据表都可以下载为 CSV 和 JSON，每个字段都有说明，网址固定不变。",
    en: "Every public table can be downloaded as CSV and JSON, every column documented, at addresses that do not change.",
  },
  "transparency.openData.link": { zh: "前往开放数据", en: "Go to open data" },

  // ── one gift ──
  "transparency.gift.title": { zh: "捐赠 {ref} 的去向", en: "Where gift {ref} went" },
  "transparency.gift.back": { zh: "返回透明度门户", en: "Back to the transparency portal" },
  "transparency.gift.facts": { zh: "这笔捐赠", en: "The gift" },
  "transparency.gift.donor": { zh: "捐赠者", en: "Donor" },
  "transparency.gift.amount": { zh: "金额", en: "Amount" },
  "transparency.gift.date": { zh: "支付时间", en: "Paid" },
  "transparency.gift.monthly": { zh: "每月捐赠中的一次", en: "One charge of a monthly gift" },
  "transparency.gift.foundation": { zh: "受赠基金", en: "Foundation" },
  "transparency.gift.match": { zh: "配捐", en: "Match" },
  "transparency.gift.matchBy": { zh: "{amount}，由{sponsor}配捐（{campaign}）", en: "{amount} from {sponsor} ({campaign})" },
  "transparency.gift.noMatch": { zh: "无", en: "None" },
  "transparency.gift.refunded": { zh: "已退款 {amount}", en: "{amount} refunded" },
  "transparency.gift.status": { zh: "状态", en: "Status" },
  "transparency.gift.status.SUCCEEDED": { zh: "已到账", en: "Received" },
  "transparency.gift.status.PARTIALLY_REFUNDED": { zh: "部分退款", en: "Partly refunded" },
  "transparency.gift.status.REFUNDED": { zh: "已全额退款", en: "Refunded in full" },
  "transparency.gift.status.DISPUTED": { zh: "争议处理中，资金暂时冻结", en: "Disputed: the money is held until the dispute is settled" },
  "transparency.gift.privacy": {
    zh: "本页只显示公开信息：不显示捐赠者的联系方式，匿名捐赠显示为“爱心人士”；不显示收款人、受益人和票据图片。",
    en: "This page shows public information only: never a donor's contact details (anonymous donors appear as 爱心人士), payees, beneficiaries or receipt images.",
  },
  "transparency.gift.where": { zh: "钱去了哪里", en: "Where the money went" },
  "transparency.gift.returned": {
    zh: "这笔捐赠已全部退回（退款，或被付款银行撤回），没有留在基金。",
    en: "This gift was given back in full (refunded, or reversed by the payer's bank); none of it stayed with the foundation.",
  },
  "transparency.gift.disputed": {
    zh: "付款人对这笔付款提出了争议。争议解决前，这笔钱在基金账上冻结，不会被使用。",
    en: "The payer has disputed this payment. Until the dispute is settled the money is held in the foundation's books and not used.",
  },
  "transparency.gift.netNote": { zh: "以下按扣除退款后的 {amount} 计算。", en: "What follows counts {amount}, what is left after refunds." },
  "transparency.gift.matchNote": {
    zh: "配捐 {amount} 和您的捐赠进入同一个账户，一起使用。",
    en: "The match of {amount} went into the same account as your gift and is used with it.",
  },

  "transparency.project.intro": {
    zh: "您的捐赠定向用于资助项目 {ref}「{title}」，作为这个项目的定向资金由基金保管。下面是这个项目实际拿到的拨款和审核通过的支出。",
    en: "Your gift is earmarked for the funded project {ref} “{title}” and held by the foundation as restricted money for it. Below is what the project has been paid and what it has spent, as approved.",
  },
  "transparency.project.link": { zh: "查看项目公开页（里程碑、报告、回访）", en: "The project's public page (milestones, reports, call-backs)" },
  "transparency.project.award": { zh: "资助金额", en: "Award" },
  "transparency.project.organization": { zh: "执行组织", en: "Implementing organization" },
  "transparency.project.round": { zh: "所属轮次", en: "Round" },
  "transparency.project.status": { zh: "项目状态", en: "Project status" },
  "transparency.project.paidTitle": { zh: "已拨付给项目", en: "Paid to the project" },
  "transparency.project.paidNote": {
    zh: "来自资金账本：每一笔从该资助的“已承诺”账户转入“已拨付”账户的记录。",
    en: "From the ledger: every posting from the award's committed account to its paid account.",
  },
  "transparency.project.paidEmpty": { zh: "尚未拨付", en: "Nothing paid yet" },
  "transparency.project.col.tranche": { zh: "期次", en: "Tranche" },
  "transparency.project.col.date": { zh: "拨付时间", en: "Paid on" },
  "transparency.project.col.amount": { zh: "金额", en: "Amount" },
  "transparency.project.tranche": { zh: "第 {n} 期（{percent}%）", en: "No. {n} ({percent}%)" },
  "transparency.project.trancheUnknown": { zh: "拨付", en: "Payment" },
  "transparency.project.paidTotal": { zh: "合计已拨付 {amount}，尚待拨付 {left}", en: "{amount} paid in all; {left} still to be paid" },
  "transparency.project.spentTitle": { zh: "按预算科目的支出", en: "Spending by budget line" },
  "transparency.project.expensesTitle": { zh: "审核通过的支出和票据", en: "Approved expenses and their receipts" },

  "transparency.round.intro": {
    zh: "您的捐赠定向用于创投轮次「{title}」。下面是这一轮确定资助的项目，以及各项目已拿到的拨款和审核通过的支出。",
    en: "Your gift is earmarked for the round “{title}”. Below are the round's funded projects, what each has been paid and what each has spent, as approved.",
  },
  "transparency.round.empty": {
    zh: "这一轮还没有确定资助的项目。定向资金由基金保管，直到资助确定。",
    en: "This round has no final awards yet. The earmarked money is held by the foundation until they are decided.",
  },
  "transparency.round.link": { zh: "查看这一轮", en: "See the round" },

  "transparency.general.intro": {
    zh: "您的捐赠进入了{foundation}的可用资金。可用资金是汇在一起使用的，无法确定某一元钱具体去了哪里，所以下面按比例估算。",
    en: "Your gift went into the general funds of {foundation}. Money there is pooled, so which yuan went where cannot be known; what follows is a proportional estimate.",
  },
  "transparency.general.method": {
    zh: "估算方法：您的捐赠到账时，可用资金共有 {atArrival}（含您的捐赠），此后又收到 {since}，合计 {pot}。您的捐赠 {gift} 约占其中的 {share}。此后从可用资金划出的每一笔钱，我们都按这一比例计算其中来自您的部分。",
    en: "How we estimate: when your gift arrived the general funds held {atArrival} (your gift included), and {since} has come in since — {pot} in all. Your gift of {gift} is about {share} of it, so we count that share of every yuan moved out of the general funds since then as yours.",
  },
  "transparency.general.estimateNote": {
    zh: "这是按比例的估算，不是实际的资金对应关系。",
    en: "This is a proportional estimate, not an actual allocation of your money.",
  },
  "transparency.general.sinceTitle": { zh: "您的捐赠是这些的一部分", en: "Your gift is part of these" },
  "transparency.general.sinceEmpty": {
    zh: "您的捐赠到账以来，基金还没有从可用资金划出新的创投资金池，您的捐赠仍在可用资金中（目前余额 {balance}）。",
    en: "No round pool has been funded from the general funds since your gift arrived: it is still there (balance now {balance}).",
  },
  "transparency.general.remaining": {
    zh: "估算合计 {estimated} 来自您的捐赠；其余部分仍在可用资金中（目前余额 {balance}）。",
    en: "{estimated} in all is estimated to come from your gift; the rest is still in the general funds (balance now {balance}).",
  },
  "transparency.general.round.moved": { zh: "您的捐赠到账后从可用资金划入 {amount}", en: "{amount} moved in from the general funds since your gift" },
  "transparency.general.round.estimate": { zh: "估算来自您的捐赠：{amount}", en: "Estimated from your gift: {amount}" },
  "transparency.general.earlierTitle": { zh: "更早的轮次", en: "Earlier rounds" },
  "transparency.general.earlierNote": {
    zh: "这些轮次的资金池在您的捐赠到账之前就已划拨，不含您的捐赠，列出供参考。",
    en: "These pools were funded before your gift arrived, so they hold none of it; shown for context.",
  },
  "transparency.general.round.pool": { zh: "从可用资金划入 {amount}", en: "{amount} moved in from the general funds" },
  "transparency.general.noProjects": { zh: "这一轮还没有资助项目", en: "No funded projects in this round yet" },

  "transparency.col.project": { zh: "项目", en: "Project" },
  "transparency.col.organization": { zh: "执行组织", en: "Organization" },
  "transparency.col.award": { zh: "资助金额", en: "Award" },
  "transparency.col.paid": { zh: "已拨付", en: "Paid" },
  "transparency.col.spent": { zh: "已核准支出", en: "Spent (approved)" },
  "transparency.col.status": { zh: "状态", en: "Status" },
  "transparency.col.expenses": { zh: "{count} 笔支出", en: "{count} expenses" },

  // ── open data ──
  "openData.title": { zh: "开放数据", en: "Open data" },
  "openData.subtitle": {
    zh: "平台上所有公开的数据表，可下载为 CSV 和 JSON，每个字段都有说明。",
    en: "Every public table of the platform, as CSV and JSON, with every column documented.",
  },
  "openData.licence": { zh: "许可协议：{licence}。使用时请注明来源“{source}”。", en: "Licence: {licence}. Please credit “{source}”." },
  "openData.conventions.title": { zh: "数据约定", en: "Conventions" },
  "openData.conventions.money": {
    zh: "金额为整数，单位为分（字段名以 _fen 结尾）：¥12.34 记为 1234。",
    en: "Money is an integer number of fen (column names end in _fen): ¥12.34 is 1234.",
  },
  "openData.conventions.time": {
    zh: "时间为 ISO 8601 格式的北京时间（+08:00），日期为 YYYY-MM-DD。",
    en: "Times are ISO 8601 in China Standard Time (+08:00); days are YYYY-MM-DD.",
  },
  "openData.conventions.csv": {
    zh: "CSV 为 UTF-8 编码（带 BOM，Excel 可直接显示中文），符合 RFC 4180，第一行是字段名；空单元格表示“无”。以 = + - @ 开头的文本前加了单引号，防止表格软件把它当作公式执行。",
    en: "CSV is UTF-8 (with a BOM so Excel shows Chinese), RFC 4180, with a header row of column names; an empty cell means “none”. Text starting with = + - @ gets a leading apostrophe so spreadsheets do not run it as a formula.",
  },
  "openData.conventions.json": {
    zh: "JSON 是一个对象：dataset（数据集名称）、columns（字段说明）、rows（每行一个以字段名为键的对象），“无”为 null。",
    en: "JSON is one object: dataset (its name), columns (their documentation) and rows (one object per row, keyed by column name); “none” is null.",
  },
  "openData.conventions.privacy": {
    zh: "不包含任何个人信息：没有捐赠者的邮箱或账户、匿名捐赠者的姓名、收款人、受益人或需求提出者。",
    en: "No personal data: no donor e-mail or account, no anonymous donor's name, no payee, beneficiary or author of a need.",
  },
  "openData.conventions.version": {
    zh: "字段版本 {version}。网址不会改变；删除或改名字段时会提高版本号并提前公告。数据每次下载时实时生成，可缓存 5 分钟。",
    en: "Column version {version}. The addresses do not change; removing or renaming a column raises the version and is announced first. Files are generated when downloaded and may be cached for 5 minutes.",
  },
  "openData.datasets": { zh: "数据集", en: "Datasets" },
  "openData.rows": { zh: "{count} 行", en: "Rows: {count}" },
  "openData.updated": { zh: "最近更新：{date}", en: "Last updated {date}" },
  "openData.empty": { zh: "暂无数据", en: "No data yet" },
  "openData.download": { zh: "下载 {format}", en: "Download {format}" },
  "openData.downloadLabel": { zh: "下载“{name}”（{format}）", en: "Download “{name}” ({format})" },
  "openData.columns": { zh: "字段说明（{count} 个字段）", en: "Columns ({count})" },
  "openData.col.name": { zh: "字段", en: "Column" },
  "openData.col.type": { zh: "类型", en: "Type" },
  "openData.col.description": { zh: "说明", en: "Description" },
  "openData.type.string": { zh: "文本", en: "text" },
  "openData.type.integer": { zh: "整数", en: "integer" },
  "openData.type.number": { zh: "数值", en: "number" },
  "openData.type.boolean": { zh: "是/否", en: "true/false" },
  "openData.type.datetime": { zh: "时间", en: "date-time" },
  "openData.type.date": { zh: "日期", en: "date" },
  "openData.trace": { zh: "想知道一笔捐赠的去向？请到透明度门户查询。", en: "Want to know where one gift went? Trace it in the transparency portal." },
});
