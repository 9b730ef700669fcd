import admin from "./admin.json";
import auth from "./auth.json";
import common from "./common.json";
import email from "./email.json";
import inbox from "./inbox.json";
import publicPages from "./public.json";
import needs from "./needs.json";
import proposals from "./proposals.json";
import rounds from "./rounds.json";
import screening from "./screening.json";
import review from "./review.json";
import scoring from "./scoring.json";
import awards from "./awards.json";
import storage from "./storage.json";
import projects from "./projects.json";
import monitoring from "./monitoring.json";
import callbacks from "./callbacks.json";
import dashboard from "./dashboard.json";
import projectPublic from "./project-public.json";
import donations from "./donations.json";
import givingDonor from "./giving-donor.json";
import givingFoundation from "./giving-foundation.json";
import transparency from "./transparency.json";
import calendar from "./calendar.json";

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
  transparency,
  calendar,
} satisfies Record<string, Catalog>;

type Catalogues = typeof catalogues;
type AllOf<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** Every message of every catalogue, by key (a key belongs to one catalogue: see i18n.test.ts). */
export const messages: AllOf<Catalogues[keyof Catalogues]> = Object.assign({}, ...Object.values(catalogues));

export type MessageKey = keyof typeof messages;
