/**
 * `npm run privacy:doc` — writes docs/privacy.md from the catalogue of personal data
 * (app/domain/personal-data.ts). A unit test fails when the committed file is out of date.
 */
import fs from "node:fs";
import { privacyMarkdown } from "../app/domain/privacy-doc.ts";

fs.writeFileSync("docs/privacy.md", privacyMarkdown());
console.log("wrote docs/privacy.md");
