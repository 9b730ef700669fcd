import { z } from "zod";

/**
 * The catalogue of personal data (PIPL arts. 44–47; docs/decisions/017-personal-data-rights.md):
 * every column that holds personal information or points at a person's account, what it is, why
 * it is kept, who sees it, how long it is kept and what deleting the account does to it. Pure.
 *
 * Three things are driven by it:
 * - docs/privacy.md is generated from it (`npm run privacy:doc`; a test fails when the file is
 *   out of date);
 * - the "download my data" export (services/privacy/export.server.ts) exports the rows of every
 *   table with a `subject` and counts the rows that merely name the account — adding a table to
 *   the export is adding its entry here;
 * - an integration test enumerates the migrated database's columns and fails for a column that
 *   references User, or whose name looks personal, without an entry here or in NOT_PERSONAL.
 */

/** The canonical retention periods (shared with the public privacy notice; keep them identical). */
export const RETENTION = {
  account: {
    data: "Account: name, e-mail, password hash, language",
    keptFor: "while the account exists",
    onDeletion: "erased (name → stable pseudonym such as 已注销用户-7K2M9Q; e-mail → non-deliverable placeholder; password hash destroyed)",
  },
  signIn: { data: "Sign-in history: session IP and browser", keptFor: "180 days", onDeletion: "erased" },
  phone: {
    data: "Mobile number (encrypted, with a keyed hash to find the account by) and SMS codes (a keyed hash only)",
    keptFor: "the number while the account exists (a new number replaces it); a code 5 minutes to use, deleted 2 days after",
    onDeletion: "number and codes erased; SMS notices lose the number and text (see e-mails and SMS)",
  },
  wechat: {
    data: "WeChat identifiers (openid, unionid) of a linked WeChat; WeChat sign-ins in progress",
    keptFor: "the identifiers while the account exists; a sign-in in progress 10 minutes, deleted a day after",
    onDeletion: "erased (signing in with that WeChat again makes a new account)",
  },
  consent: {
    data: "Consent records (privacy-notice version accepted, when, IP, browser; donation consents)",
    keptFor: "3 years after the account ends, as proof of consent",
    onDeletion: "kept, linked to the pseudonym only; IP and browser erased",
  },
  gifts: {
    data: "Gifts: donor name, e-mail, message (receipts and ledger)",
    keptFor: "30 years (Measures on the Management of Accounting Archives: accounting vouchers)",
    onDeletion: "name, e-mail and message removed; amount, date, receipt number and ledger entries kept under the pseudonym",
  },
  participation: {
    data: "Needs posted, votes cast, objections filed",
    keptFor: "for as long as the round's records are kept (10 years)",
    onDeletion: "kept without the person's name (pseudonym)",
  },
  proposals: {
    data: "Proposals written for an organisation",
    keptFor: "10 years with the round's records (they belong to the organisation)",
    onDeletion: "kept; the writer shown as the pseudonym",
  },
  uploads: {
    data: "Uploaded files (photos, attachments)",
    keptFor: "with the record they belong to",
    onDeletion: "files of the person's own needs erased; files of an organisation's proposals/projects kept",
  },
  audit: {
    data: "Audit log",
    keptFor: "permanently (tamper-evident chain)",
    onDeletion: "holds no names or contacts, only pseudonymous ids; unchanged",
  },
  mail: {
    data: "E-mails and SMS notices in the outbox / local mail store",
    keptFor: "90 days",
    onDeletion: "recipient address or number and body of the person's e-mails and SMS erased",
  },
  exports: { data: "Data exports (ZIP)", keptFor: "7 days, then deleted", onDeletion: "deleted" },
} as const;

export type RetentionKey = keyof typeof RETENTION;

/** The rows of the retention table in the order of the privacy notice. */
export const RETENTION_ROWS = Object.entries(RETENTION).map(([key, row]) => ({ key: key as RetentionKey, ...row }));

/** How long the machinery keeps what the table says (housekeeping and the export job read these). */
export const RETENTION_DAYS = { signIn: 180, mail: 90, exports: 7 } as const;

/**
 * What deleting the account does to a column:
 * - erase: the value is removed (row deleted, or set to null / a placeholder);
 * - pseudonymise: the row is kept; the value becomes the pseudonym, or is an account id that
 *   from then on names only the pseudonymised account;
 * - keep: kept as it is (it identifies no one once the account is pseudonymised).
 */
export type OnDeletion = "erase" | "pseudonymise" | "keep";

export interface PersonalColumn {
  column: string;
  what: string;
  purpose: string;
  seenBy: string;
  retention: RetentionKey;
  onDeletion: OnDeletion;
  /** left out of the person's export, with the reason (a secret, or other people's data) */
  notExported?: string;
}

export interface PersonalTable {
  /** the model's name, which is also the SQL table's */
  table: string;
  about: string;
  /**
   * How the person's own rows are found for the export: rows whose `byUser` column holds their
   * account id or whose `byEmail` column holds their e-mail address. Tables without a subject
   * hold the account only as a reference (who decided, who entered …): the export counts those
   * rows per column instead of copying other people's records.
   */
  subject?: { byUser: readonly string[]; byEmail?: readonly string[] };
  columns: readonly PersonalColumn[];
}

const OFFICIALS = "officials of the area (and administrators)";
const ROUND_RECORD = "id of the official who did it: kept with the round's records, names only the pseudonym after deletion";

/** An account id recording which member of staff did something (a work record, not exported row by row). */
function staffRef(column: string, what: string, retention: RetentionKey = "participation"): PersonalColumn {
  return { column, what, purpose: ROUND_RECORD, seenBy: OFFICIALS, retention, onDeletion: "pseudonymise" };
}

export const PERSONAL_DATA: readonly PersonalTable[] = [
  {
    table: "User",
    about: "the account",
    subject: { byUser: ["id"] },
    columns: [
      { column: "id", what: "account id", purpose: "links the person's records", seenBy: "the person; officials through the records", retention: "account", onDeletion: "keep" },
      { column: "name", what: "name", purpose: "greeting, shown on the person's contributions", seenBy: "the person; officials; judges do not see applicants' names in blind review", retention: "account", onDeletion: "pseudonymise" },
      { column: "email", what: "e-mail address", purpose: "sign-in and notifications", seenBy: "the person; administrators", retention: "account", onDeletion: "erase" },
      { column: "emailVerifiedAt", what: "when the e-mail address was confirmed", purpose: "proves the address belongs to the person", seenBy: "the person", retention: "account", onDeletion: "erase" },
      { column: "passwordHash", what: "password hash (argon2id)", purpose: "sign-in", seenBy: "no one", retention: "account", onDeletion: "erase", notExported: "a secret" },
      { column: "locale", what: "language", purpose: "pages and e-mails in the person's language", seenBy: "the person", retention: "account", onDeletion: "keep" },
      { column: "largeText", what: "大字版 (large text) chosen on the account", purpose: "pages in large text in every browser the person signs in on", seenBy: "the person", retention: "account", onDeletion: "keep" },
      { column: "phoneEnc", what: "mobile number, encrypted", purpose: "sign-in by SMS code and SMS notices", seenBy: "the person, masked", retention: "phone", onDeletion: "erase" },
      { column: "phoneHmac", what: "keyed hash of the mobile number", purpose: "finds the account by number without decrypting", seenBy: "no one", retention: "phone", onDeletion: "erase", notExported: "a keyed hash, meaningless without the key" },
      { column: "phoneVerifiedAt", what: "when the mobile number was confirmed by a code", purpose: "proves the number belongs to the person", seenBy: "the person", retention: "phone", onDeletion: "erase" },
      { column: "notifyBy", what: "whether notices come by e-mail or SMS", purpose: "the person's choice of channel", seenBy: "the person", retention: "account", onDeletion: "keep" },
      { column: "deletedAt", what: "when the account was deleted", purpose: "marks the pseudonymised account", seenBy: "administrators", retention: "account", onDeletion: "keep" },
    ],
  },
  {
    table: "Session",
    about: "sign-in history",
    subject: { byUser: ["userId"] },
    columns: [
      { column: "userId", what: "account signed in", purpose: "the session belongs to the person", seenBy: "the person (count of sessions)", retention: "signIn", onDeletion: "erase" },
      { column: "ip", what: "IP address at sign-in", purpose: "security (spotting a stolen session)", seenBy: "administrators", retention: "signIn", onDeletion: "erase" },
      { column: "userAgent", what: "browser", purpose: "security (spotting a stolen session)", seenBy: "administrators", retention: "signIn", onDeletion: "erase" },
    ],
  },
  {
    table: "WechatIdentity",
    about: "the WeChat identity the account signs in with (Official Account web authorisation)",
    subject: { byUser: ["userId"] },
    columns: [
      { column: "userId", what: "account the WeChat identity signs in to", purpose: "sign-in with WeChat", seenBy: "no one (the person sees that WeChat is linked)", retention: "wechat", onDeletion: "erase" },
      { column: "openIdHmac", what: "keyed HMAC of the WeChat openid (the person's id under the platform's Official Account; the openid itself is not kept)", purpose: "sign-in with WeChat", seenBy: "no one", retention: "wechat", onDeletion: "erase" },
      { column: "unionIdHmac", what: "keyed HMAC of the WeChat unionid (the person's id across the operator's WeChat apps; the unionid itself is not kept)", purpose: "sign-in with WeChat", seenBy: "no one", retention: "wechat", onDeletion: "erase" },
      { column: "openId", what: "WeChat openid of an identity stored before the HMACs, replaced by its HMAC at its next sign-in", purpose: "sign-in with WeChat", seenBy: "no one", retention: "wechat", onDeletion: "erase" },
      { column: "unionId", what: "WeChat unionid of an identity stored before the HMACs, replaced by its HMAC at its next sign-in", purpose: "sign-in with WeChat", seenBy: "no one", retention: "wechat", onDeletion: "erase" },
    ],
  },
  {
    table: "WechatAuthState",
    about: "WeChat authorisations begun in a browser (ten minutes, used once)",
    subject: { byUser: ["userId"] },
    columns: [{ column: "userId", what: "signed-in account that asked to link WeChat", purpose: "link WeChat to that account only", seenBy: "no one", retention: "wechat", onDeletion: "erase" }],
  },
  {
    table: "EmailToken",
    about: "e-mailed verification and password-reset links",
    subject: { byUser: ["userId"] },
    columns: [{ column: "userId", what: "account the link is for", purpose: "verify the e-mail address, reset the password", seenBy: "no one", retention: "account", onDeletion: "erase" }],
  },
  {
    table: "SmsCode",
    about: "SMS sign-in, number-change and deletion codes (a keyed hash only)",
    subject: { byUser: ["userId"] },
    columns: [
      { column: "phoneHmac", what: "keyed hash of the number a code was sent to", purpose: "checks the code typed for that number", seenBy: "no one", retention: "phone", onDeletion: "erase", notExported: "a keyed hash, kept at most two days" },
      { column: "userId", what: "account changing its number or confirming its deletion", purpose: "only that account can use the code", seenBy: "no one", retention: "phone", onDeletion: "erase", notExported: "a used or expired code, kept at most two days" },
    ],
  },
  {
    table: "RateLimitBucket",
    about: "sign-in attempt counters",
    columns: [
      { column: "key", what: "e-mail address or IP address an attempt counter is kept for", purpose: "stops password guessing", seenBy: "no one", retention: "signIn", onDeletion: "erase", notExported: "counters of failed attempts, kept at most two days" },
    ],
  },
  {
    table: "RoleGrant",
    about: "roles (official, judge, foundation manager, administrator)",
    subject: { byUser: ["userId"] },
    columns: [
      { column: "userId", what: "who holds the role", purpose: "permissions", seenBy: OFFICIALS, retention: "participation", onDeletion: "pseudonymise" },
      staffRef("grantedById", "who granted the role"),
    ],
  },
  {
    table: "Invitation",
    about: "invitations to take a role",
    subject: { byUser: [], byEmail: ["email"] },
    columns: [
      { column: "email", what: "invited e-mail address", purpose: "sending the invitation", seenBy: OFFICIALS, retention: "account", onDeletion: "erase" },
      staffRef("invitedById", "who invited"),
    ],
  },
  {
    table: "OrganizationMember",
    about: "memberships of organisations",
    subject: { byUser: ["userId"] },
    columns: [
      { column: "userId", what: "member's account", purpose: "who may act for the organisation", seenBy: "the organisation's members; officials", retention: "proposals", onDeletion: "pseudonymise" },
      { column: "name", what: "member's name (members need not have accounts)", purpose: "resident teams list their members", seenBy: "the organisation's members; officials", retention: "proposals", onDeletion: "pseudonymise" },
    ],
  },
  {
    table: "Notification",
    about: "in-app inbox",
    subject: { byUser: ["userId"] },
    columns: [
      { column: "userId", what: "recipient", purpose: "the person's inbox", seenBy: "the person", retention: "mail", onDeletion: "erase" },
      { column: "params", what: "what the notice is about (may name other people)", purpose: "the text of the notice", seenBy: "the recipient", retention: "mail", onDeletion: "pseudonymise" },
    ],
  },
  {
    table: "EmailMessage",
    about: "e-mails in the outbox and the local mail store",
    subject: { byUser: ["userId"], byEmail: ["toAddress"] },
    columns: [
      { column: "toAddress", what: "recipient address", purpose: "delivery", seenBy: "administrators (delivery log)", retention: "mail", onDeletion: "erase" },
      { column: "userId", what: "recipient's account", purpose: "delivery log", seenBy: "administrators", retention: "mail", onDeletion: "erase" },
      { column: "subject", what: "subject (may name the person)", purpose: "the e-mail", seenBy: "the recipient; administrators in local mail mode", retention: "mail", onDeletion: "erase" },
      { column: "html", what: "body (greets the person by name)", purpose: "the e-mail", seenBy: "the recipient; administrators in local mail mode", retention: "mail", onDeletion: "erase" },
      { column: "text", what: "plain-text body", purpose: "the e-mail", seenBy: "the recipient; administrators in local mail mode", retention: "mail", onDeletion: "erase" },
      { column: "smsParams", what: "an SMS notice's summary and link", purpose: "the SMS", seenBy: "the recipient; administrators in local SMS mode", retention: "mail", onDeletion: "erase" },
    ],
  },
  {
    table: "Upload",
    about: "uploaded files",
    subject: { byUser: ["uploadedById"] },
    columns: [
      { column: "uploadedById", what: "who uploaded it", purpose: "responsibility for the file", seenBy: OFFICIALS, retention: "uploads", onDeletion: "pseudonymise" },
      { column: "originalName", what: "the file's name as uploaded", purpose: "download name", seenBy: "whoever may see the record it belongs to", retention: "uploads", onDeletion: "keep" },
    ],
  },
  {
    table: "Need",
    about: "needs posted by residents",
    subject: { byUser: ["authorId"] },
    columns: [
      { column: "authorId", what: "who posted it", purpose: "one person's needs, curation", seenBy: "officials (the public page shows no author)", retention: "participation", onDeletion: "pseudonymise" },
      { column: "title", what: "what the resident wrote", purpose: "the need", seenBy: "everyone (public)", retention: "participation", onDeletion: "keep" },
      { column: "description", what: "what the resident wrote", purpose: "the need", seenBy: "everyone (public)", retention: "participation", onDeletion: "keep" },
      { column: "photoUploadId", what: "photo the resident attached", purpose: "shows the need", seenBy: "everyone (public)", retention: "uploads", onDeletion: "erase" },
      staffRef("curatedById", "who curated it"),
    ],
  },
  {
    table: "NeedVote",
    about: "votes for needs",
    subject: { byUser: ["userId"] },
    columns: [{ column: "userId", what: "who voted", purpose: "one vote per person", seenBy: "no one (only counts are shown)", retention: "participation", onDeletion: "pseudonymise" }],
  },
  {
    table: "NeedComment",
    about: "comments and officials' replies on needs",
    subject: { byUser: ["authorId"] },
    columns: [
      { column: "authorId", what: "who wrote it", purpose: "the comment's author, shown by their masked name", seenBy: "everyone (public), as the masked name", retention: "participation", onDeletion: "pseudonymise" },
      { column: "body", what: "what the person wrote", purpose: "the conversation about the need", seenBy: "everyone (public) unless hidden by an official", retention: "participation", onDeletion: "keep" },
      staffRef("hiddenById", "who hid it"),
    ],
  },
  {
    table: "CommunityRoleGrant",
    about: "roles in a community's self-government (branch secretary, committee member, residents' representative, supervision committee)",
    subject: { byUser: ["userId"] },
    columns: [
      { column: "userId", what: "who holds the role", purpose: "who may propose, record or remark on a community matter", seenBy: OFFICIALS, retention: "participation", onDeletion: "pseudonymise" },
      staffRef("grantedById", "who granted the role"),
    ],
  },
  {
    table: "Matter",
    about: "community matters proposed for deliberation (提议)",
    columns: [
      staffRef("proposedById", "who proposed the matter"),
      staffRef("onlineVotingOpenedById", "who opened the representatives' online voting"),
      staffRef("onlineVotingClosedById", "who closed the representatives' online voting"),
    ],
  },
  {
    table: "MatterOnlineVote",
    about: "residents' representatives' online votes on a matter, beside the paper count",
    subject: { byUser: ["userId"] },
    columns: [
      { column: "userId", what: "which representative voted", purpose: "one vote per representative and matter; the public sees the counts, never who voted", seenBy: "the representative (their own vote); the audit log's readers", retention: "participation", onDeletion: "pseudonymise" },
    ],
  },
  {
    table: "MatterReview",
    about: "records of the meetings that reviewed a matter (审议)",
    columns: [
      {
        column: "officeHolders",
        what: "names of the office holders who attended the meeting, as written in its record",
        purpose: "the public record of a community decision (两公开): who sat on the body that decided",
        seenBy: "everyone (public)",
        retention: "participation",
        onDeletion: "keep",
        notExported: "typed names, not linked to any account",
      },
      staffRef("recordedById", "who entered the record"),
    ],
  },
  {
    table: "MatterResolution",
    about: "resolutions of the residents' bodies on a matter (决议)",
    columns: [staffRef("recordedById", "who entered the resolution")],
  },
  {
    table: "MatterRemark",
    about: "supervision committee members' remarks on a matter's steps",
    subject: { byUser: ["authorId"] },
    columns: [
      { column: "authorId", what: "who wrote the remark", purpose: "a remark of the supervision committee, shown publicly as from the committee", seenBy: "officials; the public sees the committee, not the member", retention: "participation", onDeletion: "pseudonymise" },
    ],
  },
  {
    table: "Volunteer",
    about: "registrations as a community's volunteer (报到), as a Party member (党员报到) or not",
    subject: { byUser: ["userId"] },
    columns: [
      { column: "userId", what: "who registered", purpose: "the volunteer; their name is on the public volunteer wall only with their consent (showOnWall)", seenBy: "officials of the community; the public sees the name only with consent", retention: "participation", onDeletion: "pseudonymise" },
      { column: "partyMember", what: "whether the person registered as a Party member", purpose: "党员报到: Party members report to the community they live in", seenBy: "the person and officials of the community (never public)", retention: "participation", onDeletion: "erase" },
      { column: "partyBranch", what: "the Party branch they report from", purpose: "党员报到", seenBy: "the person and officials of the community (never public)", retention: "participation", onDeletion: "erase" },
      { column: "skills", what: "skills offered", purpose: "matching volunteers to wishes", seenBy: "the person and officials of the community", retention: "participation", onDeletion: "erase" },
      { column: "availability", what: "when they are available", purpose: "matching volunteers to wishes", seenBy: "the person and officials of the community", retention: "participation", onDeletion: "erase" },
      { column: "showOnWall", what: "consent to the name on the public volunteer wall", purpose: "names are public only with consent", seenBy: "the person and officials of the community", retention: "participation", onDeletion: "erase" },
      staffRef("decidedById", "who confirmed or declined the registration"),
    ],
  },
  {
    table: "Wish",
    about: "small wishes (微心愿): who took, fulfilled, answered and ruled",
    subject: { byUser: ["takenById"] },
    columns: [
      { column: "takenById", what: "who took the wish (as a volunteer or for a pairing unit)", purpose: "the taker fulfils it and their hours are recorded", seenBy: "officials of the community; the public sees a volunteer's name only with consent, a pairing unit's name always", retention: "participation", onDeletion: "pseudonymise" },
      { column: "markedById", what: "who marked the need a small wish", purpose: "the record of the wish", seenBy: OFFICIALS, retention: "participation", onDeletion: "pseudonymise" },
      { column: "answeredById", what: "who confirmed or disputed the fulfilment", purpose: "the resident's answer", seenBy: OFFICIALS, retention: "participation", onDeletion: "pseudonymise" },
      staffRef("ruledById", "who ruled on the dispute"),
    ],
  },
  {
    table: "VolunteerHours",
    about: "volunteer hours (服务时长) per fulfilled wish and project shift",
    columns: [staffRef("recordedById", "who recorded the hours (the confirming resident or the official)")],
  },
  {
    table: "PartnerUnit",
    about: "partner units (结对单位): the contact person of a unit paired with communities",
    columns: [
      { column: "contactName", what: "the unit's contact person", purpose: "the community reaches the unit", seenBy: "officials of the communities the unit is paired with (never public)", retention: "participation", onDeletion: "keep", notExported: "a unit's record, not the account holder's" },
      { column: "contactPhoneEnc", what: "the contact's mobile, encrypted", purpose: "the community reaches the unit", seenBy: "officials of the communities the unit is paired with, masked (never public)", retention: "participation", onDeletion: "keep", notExported: "a unit's record, not the account holder's" },
      staffRef("createdById", "who registered the unit"),
    ],
  },
  {
    table: "PartnerPairing",
    about: "pairings of partner units with communities",
    columns: [staffRef("createdById", "who paired the unit"), staffRef("endedById", "who ended the pairing")],
  },
  {
    table: "PartnerMember",
    about: "accounts that act for a partner unit",
    subject: { byUser: ["userId"] },
    columns: [
      { column: "userId", what: "the member's account", purpose: "the member takes small wishes for the unit and reads its received-goods notes; deleting the account ends the membership", seenBy: "officials of the communities the unit is paired with", retention: "participation", onDeletion: "pseudonymise" },
      staffRef("grantedById", "who granted the membership"),
      staffRef("revokedById", "who revoked the membership"),
    ],
  },
  {
    table: "PartnerInvitation",
    about: "e-mailed invitations to act for a partner unit",
    subject: { byUser: ["acceptedById"], byEmail: ["email"] },
    columns: [
      { column: "email", what: "invited e-mail address", purpose: "sending the invitation", seenBy: "officials of the communities the unit is paired with (masked)", retention: "account", onDeletion: "erase" },
      { column: "acceptedById", what: "the account that accepted", purpose: "who became a member through the invitation", seenBy: OFFICIALS, retention: "participation", onDeletion: "pseudonymise" },
      staffRef("invitedById", "who invited"),
      staffRef("revokedById", "who revoked the invitation"),
    ],
  },
  {
    table: "ProjectAdoption",
    about: "projects adopted (认领) by partner units",
    columns: [staffRef("createdById", "who recorded the adoption")],
  },
  {
    table: "InKindGift",
    about: "the in-kind gifts register (实物及服务捐赠)",
    columns: [
      { column: "giverName", what: "a named giver who is not a partner unit", purpose: "the register and the giver's received-goods note; public only when the giver agreed (giverPublic)", seenBy: "officials of the community; the public only with the giver's agreement", retention: "gifts", onDeletion: "keep", notExported: "the giver is not an account holder" },
      staffRef("receivedById", "the account that received the gift", "gifts"),
      staffRef("recordedById", "who recorded the gift", "gifts"),
    ],
  },
  {
    table: "Training",
    about: "trainings (能力培训) an official published",
    columns: [staffRef("publishedById", "who published the training")],
  },
  {
    table: "TrainingSignup",
    about: "sign-ups for a training and their attendance",
    subject: { byUser: ["userId"] },
    columns: [
      { column: "userId", what: "who signed up", purpose: "seats, check-in and the attendance certificate; never on the public list", seenBy: "the person and officials of the training's area", retention: "participation", onDeletion: "pseudonymise" },
      staffRef("markedById", "who marked the attendance"),
    ],
  },
  {
    table: "TrainingMaterial",
    about: "files attached to a training",
    columns: [staffRef("addedById", "who attached the file")],
  },
  {
    table: "Incubation",
    about: "organizations in incubation (培育孵化)",
    columns: [staffRef("createdById", "who took the organization in"), staffRef("mentorId", "the mentor (an expert with the MENTOR role)")],
  },
  {
    table: "MentorLog",
    about: "mentoring log entries (辅导记录)",
    columns: [staffRef("authorId", "the mentor or official who wrote the entry")],
  },
  {
    table: "NeedFollow",
    about: "needs a person follows",
    subject: { byUser: ["userId"] },
    columns: [{ column: "userId", what: "who follows it", purpose: "tells the person when the need moves or an official replies", seenBy: "the person", retention: "participation", onDeletion: "erase" }],
  },
  {
    table: "Proposal",
    about: "proposals written for an organisation",
    subject: { byUser: ["createdById"] },
    columns: [
      { column: "createdById", what: "who wrote it", purpose: "the writer edits the draft", seenBy: "the organisation's members; officials", retention: "proposals", onDeletion: "pseudonymise" },
      { column: "snapshot", what: "frozen copy as submitted, naming the submitter", purpose: "what was applied for", seenBy: "the organisation's members; officials; judges", retention: "proposals", onDeletion: "pseudonymise" },
      staffRef("submittedById", "who submitted it", "proposals"),
      staffRef("withdrawnById", "who withdrew it", "proposals"),
      staffRef("screenedById", "who screened it"),
      staffRef("updatedById", "who last edited the draft", "proposals"),
    ],
  },
  {
    table: "ProposalTeamMember",
    about: "the team a proposal names",
    columns: [
      { column: "name", what: "team member's name as typed by the writer", purpose: "who will carry out the project", seenBy: "the organisation's members; officials; judges", retention: "proposals", onDeletion: "pseudonymise", notExported: "typed by the writer, not linked to an account; the erased person's own name is replaced" },
    ],
  },
  {
    table: "ScreeningDecision",
    about: "screening decisions",
    columns: [staffRef("decidedById", "who decided")],
  },
  {
    table: "RoundJudge",
    about: "judge seats",
    subject: { byUser: ["userId"], byEmail: ["email"] },
    columns: [
      { column: "userId", what: "judge's account", purpose: "the judge's work", seenBy: OFFICIALS, retention: "participation", onDeletion: "pseudonymise" },
      { column: "name", what: "judge's name", purpose: "the panel list", seenBy: OFFICIALS, retention: "participation", onDeletion: "pseudonymise" },
      { column: "email", what: "judge's e-mail address", purpose: "the invitation", seenBy: OFFICIALS, retention: "participation", onDeletion: "erase" },
      staffRef("invitedById", "who invited the judge"),
    ],
  },
  { table: "ReviewAssignment", about: "judge assignments", columns: [staffRef("createdById", "who assigned")] },
  { table: "RoadshowScore", about: "roadshow scores", columns: [staffRef("enteredById", "who entered the score")] },
  {
    table: "PublicVote",
    about: "public votes for proposals",
    subject: { byUser: ["userId"] },
    columns: [{ column: "userId", what: "who voted", purpose: "one vote per person", seenBy: "no one (only counts are shown)", retention: "participation", onDeletion: "pseudonymise" }],
  },
  { table: "AllocationOverride", about: "allocation overrides", columns: [staffRef("createdById", "who overrode"), staffRef("revokedById", "who revoked")] },
  { table: "CalendarYearEntry", about: "statutory calendar entries", columns: [staffRef("enteredById", "who entered the year")] },
  {
    table: "Objection",
    about: "objections to published awards",
    subject: { byUser: ["userId"] },
    columns: [
      { column: "userId", what: "who objected", purpose: "answering the objector", seenBy: "officials only (the reason is public)", retention: "participation", onDeletion: "pseudonymise" },
      { column: "reason", what: "what the objector wrote", purpose: "the objection", seenBy: "everyone (public)", retention: "participation", onDeletion: "keep" },
      { column: "attachmentUploadId", what: "evidence attached", purpose: "the objection", seenBy: "officials", retention: "participation", onDeletion: "keep" },
      staffRef("resolvedById", "who resolved it"),
    ],
  },
  { table: "PoolDraw", about: "requests to fund a round's pool", columns: [staffRef("requestedById", "who asked"), staffRef("decidedById", "who decided")] },
  { table: "Appropriation", about: "government appropriations booked into foundations", columns: [staffRef("recordedById", "who recorded the appropriation")] },
  { table: "RankingNotice", about: "published quarterly rankings (通报); the public notice names the area, not the official", columns: [staffRef("publishedById", "who published the notice")] },
  { table: "PublishedReport", about: "published round and annual reports; the public page names the round's area or the foundation, not the official", columns: [staffRef("publishedById", "who published the report")] },
  { table: "ShowcaseCase", about: "showcase cases (优秀案例); the public page names the project and its area, not the official", columns: [staffRef("markedById", "who marked the case"), staffRef("withdrawnById", "who withdrew it")] },
  { table: "Round", about: "rounds", columns: [staffRef("createdById", "who created the round")] },
  {
    table: "Project",
    about: "funded projects",
    columns: [staffRef("acceptedById", "who accepted the agreement for the organisation", "proposals"), staffRef("countersignedById", "who countersigned")],
  },
  { table: "Tranche", about: "tranche releases (four eyes)", columns: [staffRef("preparedById", "who prepared the release"), staffRef("approvedById", "who approved it")] },
  {
    table: "MilestoneReport",
    about: "milestone reports",
    columns: [staffRef("authorId", "who wrote the report", "proposals"), staffRef("decidedById", "who decided")],
  },
  { table: "ReportDecision", about: "decisions on reports", columns: [staffRef("decidedById", "who decided")] },
  {
    table: "Expense",
    about: "project spending",
    columns: [
      staffRef("submittedById", "who submitted it", "gifts"),
      staffRef("decidedById", "who decided", "gifts"),
      { column: "payee", what: "who was paid (a shop, or a person)", purpose: "accounting voucher", seenBy: "the organisation; officials (never public)", retention: "gifts", onDeletion: "keep", notExported: "not linked to an account" },
    ],
  },
  { table: "BudgetAdjustment", about: "budget adjustments", columns: [staffRef("requestedById", "who asked"), staffRef("decidedById", "who decided")] },
  {
    table: "Beneficiary",
    about: "beneficiaries registered for call-backs (not account holders)",
    columns: [
      { column: "nameEnc", what: "beneficiary's name, encrypted (AES-256-GCM)", purpose: "call-backs", seenBy: "officials, by an audited reveal", retention: "participation", onDeletion: "keep", notExported: "a third party's data, not linked to an account" },
      { column: "phoneEnc", what: "beneficiary's phone, encrypted", purpose: "call-backs", seenBy: "officials, by an audited reveal", retention: "participation", onDeletion: "keep", notExported: "a third party's data, not linked to an account" },
      { column: "phoneHmac", what: "keyed hash of the phone", purpose: "finds duplicates without decrypting", seenBy: "no one", retention: "participation", onDeletion: "keep", notExported: "a third party's data, not linked to an account" },
      { column: "consentNote", what: "how the beneficiary consented", purpose: "proof of consent", seenBy: "officials", retention: "participation", onDeletion: "keep", notExported: "a third party's data, not linked to an account" },
      staffRef("registeredById", "who registered the beneficiary"),
    ],
  },
  { table: "CallSample", about: "call-back samples", columns: [staffRef("drawnById", "who drew the sample")] },
  {
    table: "CallRecord",
    about: "call-back records",
    columns: [
      staffRef("calledById", "who made the call"),
      { column: "note", what: "what the caller noted", purpose: "call-back follow-up", seenBy: "officials", retention: "participation", onDeletion: "keep", notExported: "about a beneficiary, not an account holder" },
    ],
  },
  { table: "Evaluation", about: "final evaluations", columns: [staffRef("evaluatorId", "the evaluator"), staffRef("invitedById", "who invited the evaluator")] },
  {
    table: "Donation",
    about: "gifts",
    subject: { byUser: ["userId"], byEmail: ["email"] },
    columns: [
      { column: "userId", what: "donor's account", purpose: "the donor's list of gifts", seenBy: "the donor; the foundation's managers", retention: "gifts", onDeletion: "pseudonymise" },
      { column: "donorName", what: "donor's name (optional)", purpose: "receipt; donor wall and open data only with the donor's naming consent", seenBy: "the foundation's managers; the public only with the naming consent", retention: "gifts", onDeletion: "erase" },
      { column: "email", what: "where the receipt goes", purpose: "receipt", seenBy: "the foundation's managers (never public)", retention: "gifts", onDeletion: "erase" },
      { column: "message", what: "donor's message", purpose: "shown with the gift when the donor consented to be named", seenBy: "the foundation's managers; the public only with the naming consent", retention: "gifts", onDeletion: "erase" },
    ],
  },
  {
    table: "RecurringGift",
    about: "monthly gifts",
    subject: { byUser: ["userId"], byEmail: ["email"] },
    columns: [
      { column: "userId", what: "donor's account", purpose: "the donor's monthly gifts", seenBy: "the donor; the foundation's managers", retention: "gifts", onDeletion: "pseudonymise" },
      { column: "donorName", what: "donor's name", purpose: "receipts of each month's gift", seenBy: "the foundation's managers", retention: "gifts", onDeletion: "erase" },
      { column: "email", what: "where receipts go", purpose: "receipts", seenBy: "the foundation's managers", retention: "gifts", onDeletion: "erase" },
      { column: "message", what: "donor's message", purpose: "shown with each gift", seenBy: "the foundation's managers", retention: "gifts", onDeletion: "erase" },
      { column: "customerId", what: "the payment provider's customer id", purpose: "the subscription's card and invoices", seenBy: "the foundation's managers", retention: "gifts", onDeletion: "erase" },
    ],
  },
  {
    table: "Consent",
    about: "consents given: the privacy notice (at sign-up, again when it changes), a gift's privacy terms, being named publicly with a gift",
    subject: { byUser: ["userId"] },
    columns: [
      { column: "userId", what: "who accepted (set for a gift only when the donor was signed in)", purpose: "proof of what the person agreed to", seenBy: "the person; administrators", retention: "consent", onDeletion: "pseudonymise" },
      { column: "ip", what: "IP address the consent was given from", purpose: "proof of consent (from where)", seenBy: "administrators", retention: "consent", onDeletion: "erase" },
      { column: "userAgent", what: "browser the consent was given from", purpose: "proof of consent (from where)", seenBy: "administrators", retention: "consent", onDeletion: "erase" },
    ],
  },
  {
    table: "DirectedInvitation",
    about: "directed-fundraising invitations (定向募捐码) a foundation's managers issue",
    columns: [staffRef("createdById", "who issued the invitation", "gifts"), staffRef("revokedById", "who revoked it", "gifts")],
  },
  { table: "MatchingCampaign", about: "matching campaigns", columns: [staffRef("createdById", "who created the campaign", "gifts"), staffRef("closedById", "who ended the campaign early", "gifts")] },
  { table: "RefundRequest", about: "refund requests", columns: [staffRef("requestedById", "who asked for the refund", "gifts")] },
  { table: "LedgerTransaction", about: "the double-entry ledger", columns: [staffRef("actorId", "who caused the posting", "gifts")] },
  {
    table: "AuditLog",
    about: "the hash-chained audit log",
    subject: { byUser: ["actorId"] },
    columns: [
      { column: "actorId", what: "who did it", purpose: "accountability", seenBy: "administrators", retention: "audit", onDeletion: "keep" },
      { column: "before", what: "the record's state before (ids, no names or contacts)", purpose: "accountability", seenBy: "administrators", retention: "audit", onDeletion: "pseudonymise", notExported: "states of records, often other people's" },
      { column: "after", what: "the record's state after (ids, no names or contacts)", purpose: "accountability", seenBy: "administrators", retention: "audit", onDeletion: "pseudonymise", notExported: "states of records, often other people's" },
    ],
  },
  {
    table: "PersonalDataExport",
    about: "the person's requests for a copy of their data",
    subject: { byUser: ["userId"] },
    columns: [
      { column: "userId", what: "whose data", purpose: "the export", seenBy: "the person", retention: "exports", onDeletion: "erase" },
      staffRef("requestedById", "the official who filed it for the person", "exports"),
      { column: "identityCheck", what: "how the official checked the person's identity", purpose: "proof the request came from the person", seenBy: OFFICIALS, retention: "exports", onDeletion: "erase" },
      { column: "tokenHash", what: "hash of the download link's token", purpose: "the download link", seenBy: "no one", retention: "exports", onDeletion: "erase", notExported: "a secret" },
      { column: "storageKey", what: "where the ZIP is stored", purpose: "the download", seenBy: "no one", retention: "exports", onDeletion: "erase", notExported: "internal" },
    ],
  },
];

/**
 * Columns the enumeration test would take for personal (they reference User, or their name looks
 * personal) that are not, with the reason.
 */
export const NOT_PERSONAL: Readonly<Record<string, string>> = {
  "Area.nameZh": "the name of an area",
  "Area.nameEn": "the name of an area",
  "Organization.name": "the name of an organisation (a legal or community body, public on its proposals)",
  "Foundation.nameZh": "the name of a foundation",
  "Foundation.nameEn": "the name of a foundation",
  "LedgerAccount.nameZh": "the name of a ledger account (foundation, round, grantee organisation)",
  "LedgerAccount.nameEn": "the name of a ledger account (foundation, round, grantee organisation)",
  "EmailMessage.messageId": "the SMTP Message-ID the platform made up for the row",
  "ProjectAlert.emailedAt": "when an alert digest was sent (no address)",
  "MatchingCampaign.sponsorName": "a campaign's sponsor: a government body or company, public by design",
  "PartnerUnit.name": "the name of a partner unit (a company or public body), public by design",
};

/** Columns the enumeration test takes for personal: they reference User, or their name matches one of these. */
export const PERSONAL_NAME_PATTERNS: readonly RegExp[] = [
  /name/i,
  /email/i,
  /phone/i,
  /idnumber/i,
  /address/i,
  /(^ip$|Ip$)/,
  /useragent/i,
  /message/i,
  /contact/i,
  /ById$/,
  /^(userId|actorId|authorId|evaluatorId)$/,
];

/** Is a column personal-looking by name alone? */
export const looksPersonal = (column: string) => PERSONAL_NAME_PATTERNS.some((p) => p.test(column));

/** "Table.column" of every catalogue column. */
export function catalogued(): Set<string> {
  return new Set(PERSONAL_DATA.flatMap((t) => t.columns.map((c) => `${t.table}.${c.column}`)));
}

/** Tables whose rows are the person's own: copied into the export. */
export const subjectTables = () => PERSONAL_DATA.filter((t): t is PersonalTable & { subject: NonNullable<PersonalTable["subject"]> } => !!t.subject);

/**
 * Columns that name an account without making the row the person's own: the export counts rows
 * per column (an official's decisions are the organisation's records, not the official's data).
 */
export function referenceColumns(): { table: string; column: string }[] {
  return PERSONAL_DATA.flatMap((t) =>
    t.columns.filter((c) => /(ById|^actorId|^authorId|^evaluatorId)$/.test(c.column) && !t.subject?.byUser.includes(c.column)).map((c) => ({ table: t.table, column: c.column })),
  );
}

/** Secrets no export carries, whatever table they are in: hashes of passwords and of link or session tokens. */
export const SECRET_COLUMNS: readonly string[] = ["passwordHash", "tokenHash"];

/** Columns of a table left out of the export. */
export function unexportedColumns(table: string): Set<string> {
  const t = PERSONAL_DATA.find((x) => x.table === table);
  return new Set([...SECRET_COLUMNS, ...(t?.columns ?? []).filter((c) => c.notExported).map((c) => c.column)]);
}

// ── pseudonyms ──

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** Six Crockford base-32 characters derived from the digest of an account id (stable; no I, L, O, U). */
export function pseudonymCode(digest: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 6) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length === 6) break;
  }
  return out;
}

export const PSEUDONYM_PREFIX = "已注销用户-";

/** "已注销用户-7K2M9Q": what an erased account is called wherever it is still shown. */
export const pseudonymName = (code: string) => `${PSEUDONYM_PREFIX}${code}`;

/** The non-deliverable address an erased account keeps (RFC 2606 reserves .invalid). */
export const erasedEmail = (code: string, userId: string) => `erased-${code.toLowerCase()}-${userId}@erased.invalid`;

export const isErasedEmail = (email: string) => email.endsWith("@erased.invalid");

/** How a text (JSON or not) spells `value` inside a JSON string: what to search JSON columns for. */
export const jsonSpelling = (value: string) => JSON.stringify(value).slice(1, -1);

/**
 * Replaces every occurrence of each needle in every string of a JSON value (keys kept). Used to
 * remove an erased person's name and e-mail from JSON records.
 */
export function replaceInJson(value: unknown, needles: readonly string[], replacement: string): unknown {
  if (typeof value === "string") return needles.reduce((s, n) => (n ? s.split(n).join(replacement) : s), value);
  if (Array.isArray(value)) return value.map((v) => replaceInJson(v, needles, replacement));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceInJson(v, needles, replacement)]));
  return value;
}

// ── who may act for a resident ──

/** How an official checked the identity of a resident who asked in person. */
export const IDENTITY_CHECKS = ["ID_CARD", "HOUSEHOLD_REGISTER", "PASSPORT", "OTHER"] as const;
export type IdentityCheck = (typeof IDENTITY_CHECKS)[number];

/** The person deletes their own account: their password and an explicit confirmation. */
export const DeleteAccountSchema = z.object({
  password: z.string({ error: "privacy.delete.passwordWrong" }).min(1, "privacy.delete.passwordWrong"),
  confirm: z.literal("on", { error: "privacy.delete.confirmRequired" }),
});

/** An official files a request for a resident who asked in person. */
export const ResidentRequestSchema = z.object({
  email: z.string({ error: "privacy.official.noAccount" }).trim().email("privacy.official.noAccount"),
  identityCheck: z.enum(IDENTITY_CHECKS, { error: "privacy.official.identityRequired" }),
});

/** …and, to delete the account, confirms the resident asked for it in person. */
export const ResidentDeletionSchema = ResidentRequestSchema.extend({
  confirm: z.literal("on", { error: "privacy.delete.confirmRequired" }),
});

// ── what blocks deletion ──

export type ErasureBlocker =
  | { kind: "staffRole"; roles: string[] }
  | { kind: "monthlyGift"; token: string }
  | { kind: "giftInProgress" }
  | { kind: "soleManager"; organizationId: string; organizationName: string };

/** Message key of each kind of blocker (the page shows them with their links). */
export const BLOCKER_KEYS = {
  staffRole: "privacy.delete.blocked.staffRole",
  monthlyGift: "privacy.delete.blocked.monthlyGift",
  giftInProgress: "privacy.delete.blocked.giftInProgress",
  soleManager: "privacy.delete.blocked.soleManager",
} as const satisfies Record<ErasureBlocker["kind"], string>;

export interface ErasureFacts {
  /** active role grants */
  activeRoles: readonly string[];
  /** monthly gifts not cancelled */
  activeMonthlyGifts: readonly { token: string }[];
  /** one-time gifts whose payment is still being processed */
  giftsInProgress: number;
  /** organisations where the person is the only member with an account and which still have live work */
  soleManagerOf: readonly { id: string; name: string }[];
}

/**
 * Why an account cannot be deleted now, or nothing. A staff role must be revoked by a colleague
 * first (handover of their duties); a monthly gift must be cancelled first (the card would be
 * charged for a donor who no longer exists); a gift being paid must finish first (its receipt
 * needs the address); an organisation with live proposals or projects needs another member with
 * an account to carry them.
 */
export function erasureBlockers(f: ErasureFacts): ErasureBlocker[] {
  const out: ErasureBlocker[] = [];
  if (f.activeRoles.length) out.push({ kind: "staffRole", roles: [...new Set(f.activeRoles)].sort() });
  for (const g of f.activeMonthlyGifts) out.push({ kind: "monthlyGift", token: g.token });
  if (f.giftsInProgress > 0) out.push({ kind: "giftInProgress" });
  for (const o of f.soleManagerOf) out.push({ kind: "soleManager", organizationId: o.id, organizationName: o.name });
  return out;
}
