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
});
