import { type RouteConfig, index, route } from "@react-router/dev/routes";

export default [
  index("routes/home.tsx"),
  route("language", "routes/language.tsx"),
  route("inbox", "routes/inbox.tsx"),
  route("admin/mail", "routes/admin.mail.tsx"),
  route("admin/mail/:id", "routes/admin.mail.$id.tsx"),
  route("signup", "routes/signup.tsx"),
  route("verify", "routes/verify.tsx"),
  route("login", "routes/login.tsx"),
  route("logout", "routes/logout.tsx"),
  route("forgot-password", "routes/forgot-password.tsx"),
  route("reset-password", "routes/reset-password.tsx"),
  route("account", "routes/account.tsx"),
  route("areas", "routes/areas.tsx"),
  route("areas/:code", "routes/areas.$code.tsx"),
  route("foundations", "routes/foundations.tsx"),
  route("foundations/:slug", "routes/foundations.$slug.tsx"),
  route("me", "routes/me.tsx"),
  route("organizations/new", "routes/organizations.new.tsx"),
  route("organizations/:id", "routes/organizations.$id.tsx"),
  route("admin", "routes/admin.tsx"),
  route("admin/areas/:code", "routes/admin.areas.$code.tsx"),
  route("invitations/:token", "routes/invitations.$token.tsx"),
  // rounds (issue 4)
  route("rounds", "routes/rounds.tsx"),
  route("rounds/:code", "routes/rounds.$code.tsx"),
  route("rounds/:code/proposals", "routes/rounds.$code.proposals.tsx"),
  route("rounds/:code/apply", "routes/rounds.$code.apply.tsx"),
  route("admin/rounds", "routes/admin.rounds.tsx"),
  route("admin/rounds/new", "routes/admin.rounds.new.tsx"),
  route("admin/rounds/:code", "routes/admin.rounds.$code.tsx"),
  route("admin/rounds/:code/screening", "routes/admin.rounds.$code.screening.tsx"),
  // needs
  route("needs", "routes/needs.tsx"),
  route("needs/new", "routes/needs.new.tsx"),
  route("needs/:number", "routes/needs.$number.tsx"),
  route("needs/:number/photo", "routes/needs.$number.photo.tsx"),
  route("admin/needs", "routes/admin.needs.tsx"),
  // proposals
  route("proposals", "routes/proposals.tsx"),
  route("proposals/:id", "routes/proposals.$id.tsx"),
  route("proposals/:id/edit", "routes/proposals.$id.edit.tsx"),
  route("proposals/:id/attachments/:attachmentId", "routes/proposals.$id.attachments.$attachmentId.tsx"),
  // judges and assignment (issue 5)
  // scoring (issue 5)
  // ranking, allocation, notice, objections, exports (issue 5)
  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;
