import { defineMessages } from "./define";

export default defineMessages({
  "email.greeting": { zh: "{name}，您好：", en: "Hello {name}," },
  "email.footer": {
    zh: "这是一封系统通知邮件，请勿直接回复。",
    en: "This is an automatic notification; please do not reply.",
  },
  "email.linkFallback": {
    zh: "如果按钮无法打开，请复制此链接到浏览器：{link}",
    en: "If the button does not work, copy this link into your browser: {link}",
  },
  "email.verify.subject": { zh: "请验证您的电子邮箱", en: "Please verify your email address" },
  "email.verify.body": {
    zh: "感谢注册社区公益创投平台。请点击下方按钮验证邮箱，链接 24 小时内有效。",
    en: "Thank you for signing up. Click the button below to verify your email; the link is valid for 24 hours.",
  },
  "email.verify.button": { zh: "验证邮箱", en: "Verify email" },
  "email.reset.subject": { zh: "重置您的密码", en: "Reset your password" },
  "email.reset.body": {
    zh: "我们收到了重置密码的请求。请点击下方按钮设置新密码，链接 1 小时内有效且只能使用一次。如果不是您本人操作，请忽略此邮件，您的密码不会改变。",
    en: "We received a request to reset your password. Click the button below to choose a new one; the link works once, for 1 hour. If it was not you, ignore this email and your password stays the same.",
  },
  "email.reset.button": { zh: "设置新密码", en: "Choose a new password" },
  "email.invitation.subject": { zh: "{inviter} 邀请您担任{area}的{role}", en: "{inviter} invites you to be {role} for {area}" },
  "email.invitation.body": {
    zh: "{inviter} 邀请您在社区公益创投平台担任{area}的{role}。请点击下方按钮接受邀请；如尚无账户，请先用本邮箱注册。邀请 7 天内有效。",
    en: "{inviter} invites you to act as {role} for {area} on the Community Venture Philanthropy platform. Click below to accept; if you have no account yet, sign up with this email address first. The invitation is valid for 7 days.",
  },
  "email.invitation.button": { zh: "接受邀请", en: "Accept the invitation" },
  "email.roleGranted.subject": { zh: "您已获授{area}的{role}权限", en: "You are now {role} for {area}" },
  "email.roleGranted.body": {
    zh: "您的账户已获授{area}的{role}权限，登录后即可使用相应功能。",
    en: "Your account has been granted the {role} role for {area}. Sign in to use it.",
  },
  "email.roleGranted.button": { zh: "打开平台", en: "Open the platform" },
  // ── local mail preview / delivery log (/admin/mail) ──
  "mailPreview.title": { zh: "邮件", en: "Email" },
  "mailPreview.subtitleLocal": {
    zh: "系统生成的全部邮件（含正文），最新的在前。",
    en: "Every email the system produced, with its content, newest first.",
  },
  "mailPreview.subtitleSmtp": {
    zh: "邮件投递记录：状态、尝试次数和最近一次错误。邮件已通过 SMTP 发出，此处不显示正文。",
    en: "Delivery log: status, attempts and the last error. Emails go out through SMTP; their content is not shown here.",
  },
  "mailPreview.empty": { zh: "还没有邮件", en: "No emails yet" },
  "mailPreview.to": { zh: "收件人", en: "Recipient" },
  "mailPreview.toLine": { zh: "收件人：{to}", en: "To: {to}" },
  "mailPreview.subject": { zh: "主题", en: "Subject" },
  "mailPreview.template": { zh: "模板", en: "Template" },
  "mailPreview.language": { zh: "语言", en: "Language" },
  "mailPreview.status": { zh: "状态", en: "Status" },
  "mailPreview.attempts": { zh: "尝试次数", en: "Attempts" },
  "mailPreview.lastError": { zh: "最近一次错误", en: "Last error" },
  "mailPreview.createdAt": { zh: "生成时间", en: "Created" },
  "mailPreview.sentAt": { zh: "处理时间", en: "Processed" },
  "mailPreview.messageId": { zh: "Message-ID", en: "Message-ID" },
  "mailPreview.open": { zh: "查看", en: "View" },
  "mailPreview.back": { zh: "返回邮件列表", en: "Back to all emails" },
  "mailPreview.linksHidden": {
    zh: "本邮件中代收件人操作的链接（验证、重置密码、邀请、捐赠页面）已隐藏：只有收件人本人能看到。您的查看已记入审计日志。",
    en: "Links that act for the recipient (verification, password reset, invitations, gift pages) are hidden: only the recipient sees them. Your view was recorded in the audit log.",
  },
  "mailPreview.textPart": { zh: "纯文本正文", en: "Plain-text part" },
  "mailPreview.htmlPart": { zh: "HTML 正文", en: "HTML part" },
  "mailPreview.htmlFrameTitle": { zh: "邮件 HTML 预览", en: "Email HTML preview" },
  "mailPreview.bodyHidden": {
    zh: "SMTP 模式下不显示邮件正文。",
    en: "Email content is not shown in SMTP mode.",
  },
  "mailPreview.status.QUEUED": { zh: "排队中", en: "Queued" },
  "mailPreview.status.SENT": { zh: "已发送", en: "Sent" },
  "mailPreview.status.STORED_LOCALLY": { zh: "已保存（本地）", en: "Kept locally" },
  "mailPreview.status.FAILED": { zh: "发送失败", en: "Failed" },
  "mailPreview.locale.zh_CN": { zh: "中文", en: "Chinese" },
  "mailPreview.locale.en": { zh: "英文", en: "English" },
});
