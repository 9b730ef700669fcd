/**
 * 优秀案例: an official shows a closed project as a good example (docs/decisions/043). Pure rules
 * of what a case must have: the project is closed; a story and outcomes in Chinese (English
 * optional, both or neither); photos only from the project's approved reports, at most a few.
 */
export const STORY_MAX = 4000;
export const OUTCOMES_MAX = 2000;
export const REASON_MAX = 500;
export const PHOTOS_MAX = 6;

export type ShowcaseProblem =
  | "showcase.notClosed"
  | "showcase.storyRequired"
  | "showcase.storyLong"
  | "showcase.outcomesRequired"
  | "showcase.outcomesLong"
  | "showcase.englishPair"
  | "showcase.photoUnknown"
  | "showcase.photosMany";

export interface ShowcaseInput {
  storyZh: string;
  storyEn: string;
  outcomesZh: string;
  outcomesEn: string;
  photoIds: readonly string[];
}

const clean = (s: string) => s.replace(/\r\n/g, "\n").trim();
const length = (s: string) => [...s].length;

/** The case as it will be kept, or what is wrong with it, field by field. */
export function checkShowcase(
  input: ShowcaseInput,
  project: { status: string; photoIds: readonly string[] },
): { ok: true; value: { storyZh: string; storyEn: string | null; outcomesZh: string; outcomesEn: string | null; photoIds: string[] } } | { ok: false; problems: Partial<Record<keyof ShowcaseInput | "project", ShowcaseProblem>> } {
  const problems: Partial<Record<keyof ShowcaseInput | "project", ShowcaseProblem>> = {};
  if (project.status !== "CLOSED") problems.project = "showcase.notClosed";
  const storyZh = clean(input.storyZh);
  const storyEn = clean(input.storyEn);
  const outcomesZh = clean(input.outcomesZh);
  const outcomesEn = clean(input.outcomesEn);
  if (!storyZh) problems.storyZh = "showcase.storyRequired";
  else if (length(storyZh) > STORY_MAX) problems.storyZh = "showcase.storyLong";
  if (length(storyEn) > STORY_MAX) problems.storyEn = "showcase.storyLong";
  if (!outcomesZh) problems.outcomesZh = "showcase.outcomesRequired";
  else if (length(outcomesZh) > OUTCOMES_MAX) problems.outcomesZh = "showcase.outcomesLong";
  if (length(outcomesEn) > OUTCOMES_MAX) problems.outcomesEn = "showcase.outcomesLong";
  // an English page shows the English story and outcomes together, or the Chinese ones
  if (!problems.storyEn && !problems.outcomesEn && !storyEn !== !outcomesEn) problems[storyEn ? "outcomesEn" : "storyEn"] = "showcase.englishPair";
  const photoIds = [...new Set(input.photoIds)];
  if (photoIds.some((id) => !project.photoIds.includes(id))) problems.photoIds = "showcase.photoUnknown";
  else if (photoIds.length > PHOTOS_MAX) problems.photoIds = "showcase.photosMany";
  if (Object.keys(problems).length) return { ok: false, problems };
  return { ok: true, value: { storyZh, storyEn: storyEn || null, outcomesZh, outcomesEn: outcomesEn || null, photoIds } };
}

/** The withdrawal reason as kept, or null when it is missing or too long. */
export function withdrawReason(reason: string): string | null {
  const r = clean(reason);
  return r && length(r) <= REASON_MAX ? r : null;
}
