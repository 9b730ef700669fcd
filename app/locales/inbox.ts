import { defineMessages } from "./define";

/**
 * The in-app inbox. A notification stores a `kind` and `params` (app/lib/notify.server.ts); its
 * text is `inbox.<kind>.title` / `inbox.<kind>.body`, rendered in the reader's language when read
 * (app/services/inbox.server.ts). Conventions for params:
 * - `role`: a Role enum value (OFFICIAL, JUDGE, …), shown through the `role.<ROLE>` messages;
 * - `xZh` + `xEn` (e.g. `areaZh`, `areaEn`): a bilingual name, shown as `{x}` in the reader's
 *   language (it wins over a plain `x` passed alongside); a plain `area` alone is shown as it is.
 * Adding a kind: both messages here, then `notify(tx, { userId, kind, params })`.
 */
export default defineMessages({
  "inbox.title": { zh: "消息", en: "Inbox" },
  "inbox.subtitle": {
    zh: "与您的账户、申报、评审和捐赠有关的通知。",
    en: "Notices about your account, proposals, reviews and donations.",
  },
  "inbox.empty": { zh: "暂无消息", en: "No messages yet" },
  "inbox.emptyHint": {
    zh: "有新的通知时会显示在这里，页面顶部的“消息”旁会出现未读数。",
    en: "New notices appear here, and the number of unread ones is shown next to “Inbox” at the top of the page.",
  },
  "inbox.unreadCount": { zh: "{count} 条未读", en: "{count} unread" },
  "inbox.allRead": { zh: "全部已读", en: "All read" },
  "inbox.unread": { zh: "未读", en: "Unread" },
  "inbox.markRead": { zh: "标为已读", en: "Mark as read" },
  "inbox.markAllRead": { zh: "全部标为已读", en: "Mark all as read" },
  "inbox.open": { zh: "查看详情", en: "Open" },
  "inbox.notFound": { zh: "没有这条消息。", en: "There is no such message." },
  "inbox.receivedAt": { zh: "收到时间", en: "Received" },

  // ── kinds ──
  "inbox.welcome.title": { zh: "欢迎加入社区公益创投平台", en: "Welcome to Community Venture Philanthropy" },
  "inbox.welcome.body": {
    zh: "您可以浏览社区需求并点赞、发布新的需求、关注项目进展和社区基金的每一笔收支。加入或登记社会组织、居民团队后即可申报项目。",
    en: "You can browse and upvote community needs, post new ones, and follow every project and every fen of the community foundations. Join or register an organization or resident team to submit proposals.",
  },
  "inbox.roleGranted.title": { zh: "您已获授{area}的{role}权限", en: "You are now {role} for {area}" },
  "inbox.roleGranted.body": {
    zh: "您的账户已获授{area}的{role}权限，相应的功能已在菜单中开放。",
    en: "Your account has been granted the {role} role for {area}; the matching features are now in your menu.",
  },
  "inbox.invitationAccepted.title": { zh: "{email} 已接受邀请", en: "{email} accepted your invitation" },
  "inbox.invitationAccepted.body": {
    zh: "{email} 已接受您的邀请，成为{area}的{role}。",
    en: "{email} accepted your invitation and is now {role} for {area}.",
  },
  // shown for a kind this version of the app does not know (e.g. written by a newer release)
  "inbox.generic.title": { zh: "新通知", en: "New notice" },
  "inbox.generic.body": { zh: "您有一条新通知。", en: "You have a new notice." },
});
