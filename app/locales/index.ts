import admin from "./admin";
import auth from "./auth";
import common from "./common";
import email from "./email";
import inbox from "./inbox";
import publicPages from "./public";
import needs from "./needs";
import proposals from "./proposals";
import rounds from "./rounds";
import screening from "./screening";
import review from "./review";
import scoring from "./scoring";
import awards from "./awards";
import storage from "./storage";
import projects from "./projects";
import monitoring from "./monitoring";
import callbacks from "./callbacks";
import dashboard from "./dashboard";
import projectPublic from "./project-public";
import donations from "./donations";
import givingDonor from "./giving-donor";
import givingFoundation from "./giving-foundation";
import transparency from "./transparency";
import calendar from "./calendar";

/**
 * All message catalogues. Each feature keeps its own file (both languages side by side) and is
 * listed here once.
 */
export const messages = {
  ...common,
  ...email,
  ...publicPages,
  ...auth,
  ...admin,
  ...inbox,
  ...storage,
  ...rounds,
  ...needs,
  ...proposals,
  ...screening,
  ...review,
  ...scoring,
  ...awards,
  ...projects,
  ...monitoring,
  ...callbacks,
  ...dashboard,
  ...projectPublic,
  ...donations,
  ...givingDonor,
  ...givingFoundation,
  ...transparency,
  ...calendar,
};

export type MessageKey = keyof typeof messages;
