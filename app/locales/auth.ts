import { defineMessages } from "./define";

/** Accounts and sessions: sign-up, verification, sign-in, password reset and change, /account. */
export default defineMessages({
  // fields
  "auth.field.name": { zh: "姓名", en: "Name" },
  "auth.field.email": { zh: "电子邮箱", en: "Email" },
  "auth.field.password": { zh: "密码", en: "Password" },
  "auth.field.newPassword": { zh: "新密码", en: "New password" },
  "auth.field.currentPassword": { zh: "当前密码", en: "Current password" },
  "auth.hint.name": { zh: "用于平台内显示，可填写真实姓名或常用称呼。", en: "Shown on the platform: your real name or the name people know you by." },
  "auth.hint.password": {
    zh: "至少 10 个字符。可以用一句容易记住的话。",
    en: "At least 10 characters. A phrase you can remember works well.",
  },

  // errors (Zod and services)
  "auth.error.passwordTooShort": { zh: "密码至少需要 10 个字符", en: "The password needs at least 10 characters" },
  "auth.error.passwordTooLong": { zh: "密码不能超过 200 个字符", en: "The password may have at most 200 characters" },
  "auth.error.samePassword": { zh: "新密码不能与当前密码相同", en: "The new password must differ from the current one" },
  "auth.error.emailTaken": {
    zh: "该邮箱已注册。请直接登录；如忘记密码，可以重置。",
    en: "An account with this email already exists. Sign in, or reset your password if you forgot it.",
  },
  "auth.error.invalidCredentials": { zh: "邮箱或密码不正确。", en: "The email or password is incorrect." },
  "auth.error.rateLimited": {
    zh: "尝试次数过多，为保护账户已暂时停止受理。",
    en: "Too many attempts. To protect the account, further attempts are paused for now.",
  },
  "auth.error.retryIn": { zh: "请在 {minutes} 分钟后再试。", en: "Please try again in {minutes} min." },
  "auth.error.currentPasswordWrong": { zh: "当前密码不正确", en: "The current password is incorrect" },
  "auth.error.resetInvalid": {
    zh: "此重置链接无效。请确认复制了完整的链接，或重新申请。",
    en: "This reset link is not valid. Check that you copied the whole link, or ask for a new one.",
  },
  "auth.error.resetExpired": {
    zh: "此重置链接已过期（有效期 1 小时）。请重新申请。",
    en: "This reset link has expired (links are valid for 1 hour). Please ask for a new one.",
  },
  "auth.error.resetUsed": {
    zh: "此重置链接已使用过，每个链接只能使用一次。如需再次重置，请重新申请。",
    en: "This reset link has already been used; each link works once. Ask for a new one to reset again.",
  },
  "auth.error.verifyInvalid": {
    zh: "此验证链接无效。请确认复制了完整的链接。",
    en: "This verification link is not valid. Check that you copied the whole link.",
  },
  "auth.error.verifyExpired": {
    zh: "此验证链接已过期（有效期 24 小时）。请登录后重新发送验证邮件。",
    en: "This verification link has expired (links are valid for 24 hours). Sign in and send a new one.",
  },
  "auth.error.verifyUsed": {
    zh: "此验证链接已使用过，每个链接只能使用一次。",
    en: "This verification link has already been used; each link works once.",
  },

  // sign-up
  "auth.signup.title": { zh: "注册账户", en: "Create an account" },
  "auth.signup.intro": {
    zh: "注册后即可提出社区需求、参与投票、申报项目和捐赠。我们只收集必要的信息。",
    en: "With an account you can post community needs, vote, submit proposals and donate. We collect only what is needed.",
  },
  "auth.signup.submit": { zh: "注册", en: "Sign up" },
  "auth.signup.haveAccount": { zh: "已有账户？", en: "Already have an account?" },
  "auth.signup.signInLink": { zh: "登录", en: "Sign in" },

  // sign-in
  "auth.login.title": { zh: "登录", en: "Sign in" },
  "auth.login.submit": { zh: "登录", en: "Sign in" },
  "auth.login.forgot": { zh: "忘记密码？", en: "Forgot your password?" },
  "auth.login.noAccount": { zh: "还没有账户？", en: "No account yet?" },
  "auth.login.signUpLink": { zh: "注册", en: "Sign up" },
  "auth.demo.title": { zh: "演示账户", en: "Demo accounts" },
  "auth.demo.body": {
    zh: "演示模式下，以下账户的密码均为：",
    en: "In demo mode every account below uses the password:",
  },
  "auth.demo.role.official": { zh: "街道工作人员", en: "Subdistrict official" },
  "auth.demo.role.communityOfficial": { zh: "社区工作人员", en: "Community official" },
  "auth.demo.role.reviewer": { zh: "街道财务复核（第二位工作人员）", en: "Subdistrict finance reviewer (second official)" },
  "auth.demo.role.applicantOrg": { zh: "申报方（社会组织）", en: "Applicant (social organization)" },
  "auth.demo.role.applicantTeam": { zh: "申报方（居民团队）", en: "Applicant (resident team)" },
  "auth.demo.role.judge": { zh: "评审专家", en: "Judge" },
  "auth.demo.role.foundationManager": { zh: "基金管理人", en: "Foundation manager" },
  "auth.demo.role.donor": { zh: "捐赠人", en: "Donor" },
  "auth.demo.role.resident": { zh: "居民", en: "Resident" },

  // verification
  "auth.verify.title": { zh: "验证邮箱", en: "Verify your email" },
  "auth.verify.done": { zh: "邮箱已验证，谢谢！", en: "Your email is verified. Thank you!" },
  "auth.verify.alreadyVerified": { zh: "您的邮箱已经验证，无需再次操作。", en: "Your email is already verified; nothing more to do." },
  "auth.verify.checkInbox": {
    zh: "我们已向 {email} 发送了一封验证邮件。请打开邮件中的链接完成验证，链接 24 小时内有效。",
    en: "We sent a verification email to {email}. Open the link in it to finish; the link is valid for 24 hours.",
  },
  "auth.verify.notReceived": {
    zh: "没有收到？请检查垃圾邮件箱，或重新发送。",
    en: "Nothing arrived? Check your spam folder, or send it again.",
  },
  "auth.verify.resend": { zh: "重新发送验证邮件", en: "Send the verification email again" },
  "auth.verify.resent": { zh: "已重新发送验证邮件，请查收。", en: "We sent the verification email again." },
  "auth.verify.continue": { zh: "继续", en: "Continue" },
  "auth.verify.signInToResend": { zh: "登录后可以重新发送验证邮件。", en: "Sign in to send a new verification email." },
  "auth.verifyBanner.text": {
    zh: "您的邮箱尚未验证。验证后才能确保收到项目和捐赠通知。",
    en: "Your email is not verified yet. Verify it to be sure you receive project and donation notices.",
  },
  "auth.verifyBanner.link": { zh: "去验证", en: "Verify now" },

  // forgot / reset
  "auth.forgot.title": { zh: "找回密码", en: "Forgot your password" },
  "auth.forgot.intro": {
    zh: "请输入注册时使用的邮箱，我们会发送一个重置密码的链接。",
    en: "Enter the email you signed up with and we will send you a link to reset your password.",
  },
  "auth.forgot.submit": { zh: "发送重置链接", en: "Send the reset link" },
  "auth.forgot.sent": {
    zh: "如果 {email} 已注册，我们已向该邮箱发送了重置链接，1 小时内有效。请查收（也请检查垃圾邮件箱）。",
    en: "If {email} has an account, we have sent it a reset link, valid for 1 hour. Check your inbox (and spam folder).",
  },
  "auth.forgot.backToSignIn": { zh: "返回登录", en: "Back to sign in" },
  "auth.reset.title": { zh: "设置新密码", en: "Choose a new password" },
  "auth.reset.intro": {
    zh: "设置新密码后，您在所有设备上的登录都会退出，并在此处重新登录。",
    en: "After you set a new password, you are signed out on every device and signed in again here.",
  },
  "auth.reset.submit": { zh: "保存新密码", en: "Save the new password" },
  "auth.reset.requestNew": { zh: "重新申请重置链接", en: "Ask for a new reset link" },

  // account
  "auth.account.title": { zh: "我的账户", en: "My account" },
  "auth.account.profile": { zh: "基本信息", en: "Profile" },
  "auth.account.emailStatus": { zh: "邮箱状态", en: "Email status" },
  "auth.account.verified": { zh: "已验证", en: "Verified" },
  "auth.account.unverified": { zh: "未验证", en: "Not verified" },
  "auth.account.memberSince": { zh: "注册时间", en: "Member since" },
  "auth.account.sessions": { zh: "登录中的设备", en: "Signed-in devices" },
  "auth.account.roles": { zh: "角色", en: "Roles" },
  "auth.account.organizations": { zh: "所属组织", en: "Organizations" },
  "auth.account.residentOnly": { zh: "居民（所有账户均可提出需求、投票和捐赠）", en: "Resident (every account can post needs, vote and donate)" },
  "auth.account.language": { zh: "界面与邮件语言", en: "Language of pages and emails" },
  "auth.account.languageSave": { zh: "保存语言", en: "Save language" },
  "auth.account.lang.zh-CN": { zh: "简体中文", en: "简体中文 (Simplified Chinese)" },
  "auth.account.lang.en": { zh: "English（英文）", en: "English" },
  "auth.account.password": { zh: "修改密码", en: "Change password" },
  "auth.account.passwordIntro": {
    zh: "修改后，其他设备上的登录会全部退出。",
    en: "After the change you are signed out on every other device.",
  },
  "auth.account.passwordSubmit": { zh: "修改密码", en: "Change password" },
  "auth.account.notice.passwordChanged": {
    zh: "密码已修改，其他设备上的登录已全部退出。",
    en: "Your password is changed; every other device has been signed out.",
  },
  "auth.account.notice.passwordReset": {
    zh: "新密码已生效，您已重新登录；其他设备上的登录已全部退出。",
    en: "Your new password is in place and you are signed in; every other device has been signed out.",
  },
  "auth.account.notice.languageSaved": { zh: "语言设置已保存。", en: "Language saved." },
});
