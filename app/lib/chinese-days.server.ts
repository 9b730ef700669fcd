import { createRequire } from "node:module";
import { arrangementsFromPackage, holidayNamesFromPackage, type ChineseDaysData } from "~/domain/statutory-calendar";
import type { YearArrangement } from "~/domain/working-days";

/**
 * The State Council's holiday arrangements as the chinese-days package ships them
 * (node_modules/chinese-days/dist/chinese-days.json: every year it covers, in the package itself, no
 * network). Read once: the package's data does not change while the process runs. The officials'
 * entries, which win over it, are read from the database for every computation
 * (services/areas/calendar.server.ts).
 */

const require = createRequire(import.meta.url);

export interface PackageCalendar {
  version: string;
  years: ReadonlyMap<number, YearArrangement>;
  names: ReadonlyMap<string, { zh: string; en: string }>;
}

let loaded: PackageCalendar | undefined;

export function packageCalendar(): PackageCalendar {
  if (!loaded) {
    const data = require("chinese-days/dist/chinese-days.json") as ChineseDaysData;
    const { version } = require("chinese-days/package.json") as { version: string };
    loaded = { version, years: arrangementsFromPackage(data), names: holidayNamesFromPackage(data) };
  }
  return loaded;
}
