import admin from "./admin.json" with { type: "json" };
import auth from "./auth.json" with { type: "json" };
import common from "./common.json" with { type: "json" };
import email from "./email.json" with { type: "json" };
import inbox from "./inbox.json" with { type: "json" };
import publicPages from "./public.json" with { type: "json" };
import needs from "./needs.json" with { type: "json" };
import proposals from "./proposals.json" with { type: "json" };
import rounds from "./rounds.json" with { type: "json" };
import screening from "./screening.json" with { type: "json" };
import review from "./review.json" with { type: "json" };
import scoring from "./scoring.json" with { type: "json" };
import awards from "./awards.json" with { type: "json" };
import storage from "./storage.json" with { type: "json" };
import projects from "./projects.json" with { type: "json" };
import monitoring from "./monitoring.json" with { type: "json" };
import callbacks from "./callbacks.json" with { type: "json" };
import dashboard from "./dashboard.json" with { type: "json" };
import projectPublic from "./project-public.json" with { type: "json" };
import donations from "./donations.json" with { type: "json" };
import givingDonor from "./giving-donor.json" with { type: "json" };
import givingFoundation from "./giving-foundation.json" with { type: "json" };
import givingDirected from "./giving-directed.json" with { type: "json" };
import transparency from "./transparency.json" with { type: "json" };
import calendar from "./calendar.json" with { type: "json" };
import privacy from "./privacy.json" with { type: "json" };
import audit from "./audit.json" with { type: "json" };
import exports from "./exports.json" with { type: "json" };
import work from "./work.json" with { type: "json" };
import reminders from "./reminders.json" with { type: "json" };
import funds from "./funds.json" with { type: "json" };
import givingMoney from "./giving-money.json" with { type: "json" };
import documents from "./documents.json" with { type: "json" };
import needsConversation from "./needs-conversation.json" with { type: "json" };
import pagination from "./pagination.json" with { type: "json" };
import community from "./community.json" with { type: "json" };
import home from "./home.json" with { type: "json" };
import deliberation from "./deliberation.json" with { type: "json" };
import rankingNotices from "./ranking-notices.json" with { type: "json" };
import volunteers from "./volunteers.json" with { type: "json" };
import trainings from "./trainings.json" with { type: "json" };
import reach from "./reach.json" with { type: "json" };
import wechat from "./wechat.json" with { type: "json" };
import shifts from "./shifts.json" with { type: "json" };
import partners from "./partners.json" with { type: "json" };
import reports from "./reports.json" with { type: "json" };
import sms from "./sms.json" with { type: "json" };

/** A message: both languages side by side, so neither can be forgotten. */
export type Message = { zh: string; en: string };
export type Catalog = Record<string, Message>;

/**
 * All message catalogues, one JSON file per topic (translators edit data, not code); a catalogue
 * whose entry lacks a language does not type-check here. Each is listed once.
 */
export const catalogues = {
  common,
  email,
  publicPages,
  auth,
  admin,
  inbox,
  storage,
  rounds,
  needs,
  proposals,
  screening,
  review,
  scoring,
  awards,
  projects,
  monitoring,
  callbacks,
  dashboard,
  projectPublic,
  donations,
  givingDonor,
  givingFoundation,
  givingDirected,
  transparency,
  calendar,
  privacy,
  audit,
  exports,
  work,
  reminders,
  funds,
  givingMoney,
  documents,
  needsConversation,
  pagination,
  community,
  home,
  deliberation,
  rankingNotices,
  volunteers,
  trainings,
  reach,
  wechat,
  shifts,
  partners,
  reports,
  sms,
} satisfies Record<string, Catalog>;

type Catalogues = typeof catalogues;
type AllOf<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** Every message of every catalogue, by key (a key belongs to one catalogue: see i18n.test.ts). */
export const messages: AllOf<Catalogues[keyof Catalogues]> = Object.assign({}, ...Object.values(catalogues));

export type MessageKey = keyof typeof messages;
