import { useState, useSyncExternalStore, type ReactNode } from "react";
import {
  DATE_FIELDS,
  EXTRA_ROWS,
  MAX_CATEGORIES,
  MAX_RUBRIC_CRITERIA,
  MAX_TRANCHES,
  TRANCHE_TRIGGERS,
  type SettingField,
} from "~/domain/rounds";
import { splitMessage } from "~/domain/messages";
import { ORGANIZATION_KINDS } from "~/domain/organizations";
import { BUDGET_CATEGORIES, budgetCategoryName } from "~/domain/proposals";
import { ControlFrame, ErrorList, type ControlProps } from "~/components/form";
import { useLocale, useT } from "~/lib/i18n";

/** Form values as typed: strings, and rows of strings. */
export type RoundFormValues = Record<string, unknown>;
type Row = Record<string, string | undefined>;

/** Translates a message key that may carry "|" parameters; a `previous` parameter names a field. */
export function useMessage() {
  const t = useT();
  return (message: string) => {
    const { key, params } = splitMessage(message);
    return params?.previous ? t(key, { ...params, previous: t(`rounds.field.${params.previous}`) }) : t(message);
  };
}

/** A field's errors, translated as the round form's messages are. */
export function MessageList({ id, errors }: { id?: string; errors?: string[] }) {
  return <ErrorList id={id} errors={errors} translate={useMessage()} />;
}

/** The round form's inputs: a frozen setting is read-only and looks it. */
export const roundInputClass =
  "mt-1 block w-full rounded border border-slate-400 bg-white px-3 py-2 text-base text-slate-900 aria-[invalid=true]:border-red-700 read-only:border-slate-200 read-only:bg-slate-100 read-only:text-slate-600";

const selectClass =
  "mt-1 block w-full rounded border border-slate-400 bg-white px-3 py-2 text-base text-slate-900 aria-[invalid=true]:border-red-700 disabled:border-slate-200 disabled:bg-slate-100 disabled:text-slate-600";

const str = (v: unknown) => (v === undefined || v === null ? "" : String(v));

/** "Frozen": said after the label of a setting that may not change in the round's current phase. */
function LockedBadge({ locked }: { locked?: boolean }) {
  const t = useT();
  return locked ? <span className="ml-2 rounded bg-slate-200 px-1.5 text-xs font-normal text-slate-700">{t("rounds.locked")}</span> : null;
}

/**
 * One setting's label, hint and errors around its control (id `${formId}-${name}`); `children`
 * draws the control with the id and wiring it is given. The set-up page draws its own fields with it.
 */
export function RoundField({
  formId,
  name,
  label,
  hint,
  errors,
  children,
  locked,
  required,
}: {
  formId: string;
  name: string;
  label: string;
  hint?: ReactNode;
  errors?: string[];
  children: (control: ControlProps) => ReactNode;
  locked?: boolean;
  /** marked with an asterisk (the form says what it means) and aria-required on the control */
  required?: boolean;
}) {
  const labelled = (
    <>
      {label}
      {required ? (
        <span className="ml-1 text-red-800" aria-hidden="true">
          *
        </span>
      ) : null}
      <LockedBadge locked={locked} />
    </>
  );
  return (
    <ControlFrame id={`${formId}-${name}`} label={labelled} hint={hint} errors={errors} translate={useMessage()}>
      {(control) => children(required ? { ...control, "aria-required": true } : control)}
    </ControlFrame>
  );
}

const noSubscription = () => () => {};
const useHydrated = () => useSyncExternalStore(noSubscription, () => true, () => false);

interface FormContext {
  formId: string;
  values: RoundFormValues;
  errors: Record<string, string[] | undefined>;
  locked: (field: SettingField) => boolean;
}

/** A yes/no setting. A frozen one is shown disabled and still submitted (hidden input) as it is. */
function CheckboxInput({ ctx, name }: { ctx: FormContext; name: "blindReview" | "zScore" | "orgInRoundArea" | "refuseTroubledOrgs" | "requiresDeliberation" }) {
  const t = useT();
  const locked = ctx.locked(name);
  const checked = str(ctx.values[name]) === "on" || ctx.values[name] === true;
  const id = `${ctx.formId}-${name}`;
  return (
    <div>
      <label htmlFor={id} className="flex items-start gap-2 text-sm font-medium text-slate-800">
        <input id={id} type="checkbox" name={locked ? undefined : name} defaultChecked={checked} disabled={locked} className="mt-1" aria-describedby={`${id}-hint`} />
        <span>
          {t(`rounds.field.${name}`)}
          <LockedBadge locked={locked} />
        </span>
      </label>
      {locked && checked ? <input type="hidden" name={name} value="on" /> : null}
      <p id={`${id}-hint`} className="mt-1 text-sm text-slate-600">{t(`rounds.hint.${name}`)}</p>
    </div>
  );
}

function TextInput({ ctx, name, field, type = "text", inputMode, hint, maxLength }: {
  ctx: FormContext;
  name: string;
  field?: SettingField;
  type?: "text" | "date";
  inputMode?: "numeric" | "decimal" | "text";
  hint?: ReactNode;
  maxLength?: number;
}) {
  const t = useT();
  const locked = field ? ctx.locked(field) : false;
  return (
    <RoundField formId={ctx.formId} name={name} label={t(`rounds.field.${name}`)} hint={hint} errors={ctx.errors[name]} locked={locked} required={!locked && REQUIRED.has(name)}>
      {(p) => (
        <input
          {...p}
          name={name}
          type={type}
          inputMode={inputMode}
          maxLength={maxLength}
          defaultValue={str(ctx.values[name])}
          readOnly={locked}
          className={roundInputClass}
        />
      )}
    </RoundField>
  );
}

/** Rows of a table (categories, rubric, tranches): filled rows plus EXTRA_ROWS blank ones; JS adds more. */
function useRows(values: unknown, max: number, locked: boolean) {
  const hydrated = useHydrated();
  const [extra, setExtra] = useState(0);
  const rows = (Array.isArray(values) ? values : []) as Row[];
  const count = locked ? rows.length : Math.min(max + EXTRA_ROWS, rows.length + EXTRA_ROWS + extra);
  const canAdd = hydrated && !locked && count < max + EXTRA_ROWS;
  return { rows, count, canAdd, add: () => setExtra((n) => n + 1) };
}

function sumOf(root: HTMLElement, suffix: string) {
  let total = 0;
  root.querySelectorAll<HTMLInputElement>(`input[name$="${suffix}"]`).forEach((i) => {
    const n = Number(i.value);
    if (Number.isFinite(n)) total += n;
  });
  return total;
}

/** One column of a table of rows: a text input, or (with `choices`) a select of them. */
interface Column {
  key: string;
  maxLength?: number;
  inputMode?: "numeric";
  choices?: readonly string[];
}

/**
 * The settings made of rows: how many rows, the columns of a row ("Category 2 Key" labels its
 * cells), the hint above them, and the live sum (of a column, out of 100) some of them show.
 */
const TABLES: Record<
  "categories" | "rubric" | "trancheSchedule",
  { max: number; rowLabel: string; columns: readonly Column[]; grid: string; testId: string; hint?: string; sum?: { column: string; id: string; text: string; testId: string } }
> = {
  categories: {
    max: MAX_CATEGORIES,
    rowLabel: "rounds.field.category.n",
    columns: [{ key: "key", maxLength: 40 }, { key: "nameZh", maxLength: 30 }, { key: "nameEn", maxLength: 60 }],
    grid: "sm:grid-cols-[8rem_1fr_1fr]",
    testId: "category-rows",
    hint: "rounds.field.key.hint",
  },
  rubric: {
    max: MAX_RUBRIC_CRITERIA,
    rowLabel: "rounds.field.criterion.n",
    columns: [{ key: "key", maxLength: 40 }, { key: "nameZh", maxLength: 40 }, { key: "nameEn", maxLength: 80 }, { key: "maxPoints", inputMode: "numeric", maxLength: 3 }],
    grid: "sm:grid-cols-[7rem_1fr_1fr_6rem]",
    testId: "rubric-rows",
    sum: { column: "maxPoints", id: "rubric-sum", text: "rounds.field.rubricSum", testId: "rubric-sum" },
  },
  trancheSchedule: {
    max: MAX_TRANCHES,
    rowLabel: "rounds.field.tranche.n",
    columns: [{ key: "percent", inputMode: "numeric", maxLength: 3 }, { key: "trigger", choices: TRANCHE_TRIGGERS }],
    grid: "sm:grid-cols-[8rem_1fr]",
    testId: "tranche-rows",
    sum: { column: "percent", id: "tranche-sum", text: "rounds.field.trancheSum", testId: "tranche-sum" },
  },
};

/** One cell of a row: a frozen text is read-only, a frozen choice disabled and submitted hidden. */
function Cell({ ctx, name, value, label, locked, column }: { ctx: FormContext; name: string; value: string; label: string; locked: boolean; column: Column }) {
  const t = useT();
  const id = `${ctx.formId}-${name}`;
  const errors = ctx.errors[name];
  const wiring = { id, "aria-invalid": errors?.length ? true : undefined, "aria-describedby": errors?.length ? `${id}-errors` : undefined };
  return (
    <div>
      <label htmlFor={id} className="block text-xs text-slate-700">
        {label}
      </label>
      {column.choices ? (
        <>
          {locked ? <input type="hidden" name={name} value={value} /> : null}
          <select {...wiring} name={locked ? undefined : name} defaultValue={value} disabled={locked} className={selectClass}>
            <option value="">{t(`rounds.field.${column.key}.placeholder`)}</option>
            {column.choices.map((k) => (
              <option key={k} value={k}>
                {t(`rounds.${column.key}.${k}`)}
              </option>
            ))}
          </select>
        </>
      ) : (
        <input {...wiring} name={name} defaultValue={value} readOnly={locked} inputMode={column.inputMode} maxLength={column.maxLength} className={roundInputClass} />
      )}
      <MessageList id={`${id}-errors`} errors={errors} />
    </div>
  );
}

/** "Total: N": a live sum of a setting's numbers, marked while it is not 100. */
function SumLine({ id, total, text, testId }: { id: string; total: number; text: string; testId?: string }) {
  return (
    <p id={id} aria-live="polite" data-testid={testId} className={total === 100 ? "text-sm text-slate-700" : "text-sm font-medium text-amber-800"}>
      {text}
    </p>
  );
}

/**
 * A setting made of rows (TABLES): its legend (frozen or not), hint, errors, the rows, their live
 * sum, and the button that adds a row once JavaScript runs.
 */
function RowsSetting({ ctx, field }: { ctx: FormContext; field: keyof typeof TABLES }) {
  const t = useT();
  const table = TABLES[field];
  const locked = ctx.locked(field);
  const { rows, count, canAdd, add } = useRows(ctx.values[field], table.max, locked);
  const sum = table.sum;
  const [total, setTotal] = useState(sum ? rows.reduce((s, r) => s + (Number(r?.[sum.column]) || 0), 0) : 0);
  const hintId = `${ctx.formId}-${field}-hint`;
  const sumId = sum ? `${ctx.formId}-${sum.id}` : undefined;
  return (
    <fieldset
      className="space-y-3"
      aria-describedby={`${sumId ?? hintId} ${ctx.formId}-${field}-errors`}
      onInput={sum ? (e) => setTotal(sumOf(e.currentTarget, `.${sum.column}`)) : undefined}
    >
      <legend className="text-sm font-medium text-slate-800">
        {t(`rounds.field.${field}`)}
        <LockedBadge locked={locked} />
      </legend>
      {table.hint ? (
        <p id={hintId} className="text-sm text-slate-600">
          {t(table.hint)}
        </p>
      ) : null}
      <MessageList id={`${ctx.formId}-${field}-errors`} errors={ctx.errors[field]} />
      <ol className="space-y-2" data-testid={table.testId}>
        {Array.from({ length: count }, (_, i) => (
          <li key={i} className={`grid grid-cols-1 gap-2 rounded border border-slate-200 p-2 ${table.grid}`}>
            {table.columns.map((c) => (
              <Cell
                key={c.key}
                ctx={ctx}
                name={`${field}[${i}].${c.key}`}
                value={str(rows[i]?.[c.key])}
                label={`${t(table.rowLabel, { n: i + 1 })} ${t(`rounds.field.${c.key}`)}`}
                locked={locked}
                column={c}
              />
            ))}
          </li>
        ))}
      </ol>
      {sum && sumId ? <SumLine id={sumId} total={total} text={t(sum.text, { total })} testId={sum.testId} /> : null}
      {canAdd ? (
        <button type="button" onClick={add} className="rounded border border-slate-300 px-3 py-1 text-sm">
          {t("rounds.field.addRow")}
        </button>
      ) : null}
    </fieldset>
  );
}

/**
 * Which organization kinds may apply: one checkbox per kind (none ticked = every kind). Frozen,
 * the boxes are disabled and the ticked kinds still submitted (hidden inputs).
 */
function OrgKindsSetting({ ctx }: { ctx: FormContext }) {
  const t = useT();
  const locked = ctx.locked("eligibleOrgKinds");
  const ticked = new Set((Array.isArray(ctx.values.eligibleOrgKinds) ? ctx.values.eligibleOrgKinds : [ctx.values.eligibleOrgKinds]).map(str));
  const base = `${ctx.formId}-eligibleOrgKinds`;
  const errors = ctx.errors.eligibleOrgKinds;
  return (
    <fieldset className="space-y-2" aria-describedby={`${base}-hint ${base}-errors`} data-testid="eligible-kinds">
      <legend className="text-sm font-medium text-slate-800">
        {t("rounds.field.eligibleOrgKinds")}
        <LockedBadge locked={locked} />
      </legend>
      <p id={`${base}-hint`} className="text-sm text-slate-600">{t("rounds.hint.eligibleOrgKinds")}</p>
      <div className="flex flex-wrap gap-x-6 gap-y-2">
        {ORGANIZATION_KINDS.map((k) => (
          <label key={k} htmlFor={`${base}-${k}`} className="flex items-center gap-2 text-sm text-slate-800">
            <input id={`${base}-${k}`} type="checkbox" name={locked ? undefined : "eligibleOrgKinds"} value={k} defaultChecked={ticked.has(k)} disabled={locked} />
            {t(`org.kind.${k}`)}
            {locked && ticked.has(k) ? <input type="hidden" name="eligibleOrgKinds" value={k} /> : null}
          </label>
        ))}
      </div>
      <MessageList id={`${base}-errors`} errors={errors} />
    </fieldset>
  );
}

/**
 * Caps per budget category: one row per category, a percent of the requested total and an
 * amount, blank = no cap. Labour's percent cell is the round's labour cap (`labourCapPercent`).
 */
function BudgetCapsSetting({ ctx }: { ctx: FormContext }) {
  const t = useT();
  const locale = useLocale();
  const locked = ctx.locked("budgetCaps");
  const labourLocked = ctx.locked("labourCapPercent");
  const rows = (Array.isArray(ctx.values.budgetCaps) ? ctx.values.budgetCaps : []) as Row[];
  const base = `${ctx.formId}-budgetCaps`;
  return (
    <fieldset className="space-y-2" aria-describedby={`${base}-hint ${base}-errors`}>
      <legend className="text-sm font-medium text-slate-800">
        {t("rounds.field.budgetCaps")}
        <LockedBadge locked={locked} />
      </legend>
      <p id={`${base}-hint`} className="text-sm text-slate-600">{t("rounds.hint.budgetCaps")}</p>
      <MessageList id={`${base}-errors`} errors={ctx.errors.budgetCaps} />
      <ol className="space-y-2" data-testid="budget-cap-rows">
        {BUDGET_CATEGORIES.map((c, i) => {
          const row = rows.find((r) => r?.category === c.key) ?? {};
          const name = budgetCategoryName(c.key, locale);
          const labour = c.key === "LABOUR";
          return (
            <li key={c.key} className="grid grid-cols-1 gap-2 rounded border border-slate-200 p-2 sm:grid-cols-[10rem_1fr_1fr] sm:items-end">
              <p className="text-sm font-medium text-slate-800">{name}</p>
              <input type="hidden" name={`budgetCaps[${i}].category`} value={c.key} />
              {labour ? (
                <Cell
                  ctx={ctx}
                  name="labourCapPercent"
                  value={str(ctx.values.labourCapPercent)}
                  label={`${name} ${t("rounds.field.capPercent")}`}
                  locked={labourLocked}
                  column={{ key: "percent", inputMode: "numeric", maxLength: 3 }}
                />
              ) : (
                <Cell
                  ctx={ctx}
                  name={`budgetCaps[${i}].percent`}
                  value={str(row.percent)}
                  label={`${name} ${t("rounds.field.capPercent")}`}
                  locked={locked}
                  column={{ key: "percent", inputMode: "numeric", maxLength: 3 }}
                />
              )}
              <Cell ctx={ctx} name={`budgetCaps[${i}].amount`} value={str(row.amount)} label={`${name} ${t("rounds.field.capAmount")}`} locked={locked} column={{ key: "amount", maxLength: 16 }} />
            </li>
          );
        })}
      </ol>
    </fieldset>
  );
}

function WeightsFields({ ctx }: { ctx: FormContext }) {
  const t = useT();
  const names = ["weightReview", "weightRoadshow", "weightPublicVote"] as const;
  const locked = ctx.locked("weightReview");
  const [total, setTotal] = useState(names.reduce((s, n) => s + (Number(ctx.values[n]) || 0), 0));
  return (
    <fieldset
      className="space-y-2"
      aria-describedby={`${ctx.formId}-weights-sum ${ctx.formId}-weights-errors`}
      onInput={(e) => setTotal(sumOf(e.currentTarget, "Review") + sumOf(e.currentTarget, "Roadshow") + sumOf(e.currentTarget, "PublicVote"))}
    >
      <legend className="text-sm font-medium text-slate-800">
        {t("rounds.field.weights")}
        <LockedBadge locked={locked} />
      </legend>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        {names.map((n) => (
          <TextInput key={n} ctx={ctx} name={n} field={n} inputMode="numeric" maxLength={3} />
        ))}
      </div>
      <SumLine id={`${ctx.formId}-weights-sum`} total={total} text={t("rounds.field.weightSum", { total })} />
      <MessageList id={`${ctx.formId}-weights-errors`} errors={ctx.errors.weights} />
    </fieldset>
  );
}

function Section({ title, children, hint, level = 2 }: { title: string; children: ReactNode; hint?: string; level?: 2 | 3 }) {
  const Heading = level === 2 ? "h2" : "h3";
  return (
    <section className="space-y-4 rounded-lg bg-white p-5 shadow-sm sm:p-6">
      <Heading className="text-lg font-semibold">{title}</Heading>
      {hint ? <p className="text-sm text-slate-600">{hint}</p> : null}
      {children}
    </section>
  );
}

/** The settings a round cannot be created without (the form's schema requires them; most start from defaults). */
const REQUIRED: ReadonlySet<string> = new Set([
  "code",
  "areaId",
  "foundationId",
  "title",
  "poolFen",
  "minAwardFen",
  "maxAwardFen",
  "judgesPerProposal",
  "noticeDays",
  "labourCapPercent",
  "maxProposalsPerOrg",
  ...DATE_FIELDS,
]);
export const isRequiredSetting = (name: string) => REQUIRED.has(name);

/** The steps of the set-up form, in order; each is a section of the one form, reached from the step list. */
export const ROUND_STEPS = ["basics", "dates", "money", "rules", "review"] as const;
export type RoundStep = (typeof ROUND_STEPS)[number];

/** The name of a step: the last one creates a new round (`rounds.steps.review`) or saves an existing one. */
const stepName = (step: RoundStep, edit?: boolean) => (edit && step === "review" ? "rounds.steps.reviewSave" : `rounds.steps.${step}`);

/**
 * The round form's list of steps, on the set-up page and (`edit`) the round's own page: links to
 * each step's section (plain anchors: the form is one page and works without JavaScript), and the
 * key to the asterisk.
 */
export function RoundSteps({ edit }: { edit?: boolean }) {
  const t = useT();
  return (
    <nav aria-label={t(edit ? "rounds.steps.labelEdit" : "rounds.steps.label")} className="sticky top-0 z-10 -mx-1 rounded-lg border border-slate-200 bg-white/95 p-3 shadow-sm" data-testid="round-steps">
      <ol className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        {ROUND_STEPS.map((s, i) => (
          <li key={s}>
            <a href={`#step-${s}`} className="text-brand-700 underline">
              {t("rounds.steps.item", { n: i + 1, name: t(stepName(s, edit)) })}
            </a>
          </li>
        ))}
      </ol>
      <p className="mt-2 text-xs text-slate-600">
        <span className="text-red-800" aria-hidden="true">
          *
        </span>{" "}
        {t("rounds.steps.requiredKey")}
      </p>
    </nav>
  );
}

/** One step of the round form: its number and name as the heading, its sections below. */
export function RoundStepSection({ step, edit, children }: { step: RoundStep; edit?: boolean; children: ReactNode }) {
  const t = useT();
  const n = ROUND_STEPS.indexOf(step) + 1;
  return (
    <section id={`step-${step}`} aria-labelledby={`step-${step}-h`} className="scroll-mt-28 space-y-4" data-testid={`step-${step}`}>
      <h2 id={`step-${step}-h`} className="text-xl font-semibold">
        {t("rounds.steps.heading", { n, total: ROUND_STEPS.length, name: t(stepName(step, edit)) })}
      </h2>
      {children}
    </section>
  );
}

/**
 * The settings of a round, shared by the set-up and edit pages. Every input is a plain form
 * control with a name (so the form works without JavaScript); values come from what was typed
 * (a refused form) or from the round; settings frozen in the current phase are read-only.
 */
export function RoundSettingsFields({
  formId,
  values,
  errors,
  editable,
  head,
  steps,
}: {
  formId: string;
  values: RoundFormValues;
  errors: Record<string, string[] | undefined>;
  /** settings that may change; undefined: all (a new round) */
  editable?: readonly SettingField[];
  /** fields shown first (code, area, foundation on the set-up page) */
  head?: ReactNode;
  /** the form in steps (each a section of the one form, see RoundSteps); the page adds the last, its check and submit */
  steps?: boolean;
}) {
  const t = useT();
  const ctx: FormContext = { formId, values, errors, locked: (f) => (editable ? !editable.includes(f) : false) };
  const descriptionLocked = ctx.locked("description");
  const h = steps ? 3 : 2;
  const basics = (
    <Section title={t("rounds.section.basics")} level={h}>
      {head}
      <TextInput ctx={ctx} name="title" field="title" maxLength={80} />
      <TextInput ctx={ctx} name="titleEn" field="titleEn" maxLength={120} hint={t("rounds.field.titleEnHint")} />
      <RoundField formId={formId} name="description" label={t("rounds.field.description")} errors={errors.description} locked={descriptionLocked}>
        {(p) => <textarea {...p} name="description" rows={6} maxLength={4000} defaultValue={str(values.description)} readOnly={descriptionLocked} className={roundInputClass} />}
      </RoundField>
    </Section>
  );
  const money = (
    <Section title={t("rounds.section.money")} level={h}>
      <TextInput ctx={ctx} name="poolFen" field="poolFen" inputMode="decimal" hint={t("rounds.field.poolFen.hint")} />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <TextInput ctx={ctx} name="minAwardFen" field="minAwardFen" inputMode="decimal" />
        <TextInput ctx={ctx} name="maxAwardFen" field="maxAwardFen" inputMode="decimal" />
      </div>
    </Section>
  );
  const categories = (
    <Section title={t("rounds.section.categories")} level={h}>
      <RowsSetting ctx={ctx} field="categories" />
    </Section>
  );
  const rubric = (
    <Section title={t("rounds.section.rubric")} level={h}>
      <RowsSetting ctx={ctx} field="rubric" />
    </Section>
  );
  const review = (
    <Section title={t("rounds.section.review")} level={h}>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <TextInput ctx={ctx} name="judgesPerProposal" field="judgesPerProposal" inputMode="numeric" maxLength={2} />
        <TextInput ctx={ctx} name="noticeDays" field="noticeDays" inputMode="numeric" maxLength={2} />
      </div>
      <WeightsFields ctx={ctx} />
      <div className="mt-4 grid grid-cols-1 gap-4 sm:grid-cols-2">
        <CheckboxInput ctx={ctx} name="blindReview" />
        <CheckboxInput ctx={ctx} name="zScore" />
        <TextInput ctx={ctx} name="disagreementRange" field="disagreementRange" inputMode="numeric" maxLength={3} hint={t("rounds.hint.disagreementRange")} />
        <TextInput ctx={ctx} name="minScore" field="minScore" inputMode="numeric" maxLength={3} hint={t("rounds.hint.minScore")} />
        <TextInput ctx={ctx} name="communityCapFen" field="communityCapFen" inputMode="decimal" hint={t("rounds.hint.cap")} />
        <TextInput ctx={ctx} name="categoryCapFen" field="categoryCapFen" inputMode="decimal" hint={t("rounds.hint.cap")} />
      </div>
    </Section>
  );
  const tranches = (
    <Section title={t("rounds.section.tranches")} level={h}>
      <RowsSetting ctx={ctx} field="trancheSchedule" />
    </Section>
  );
  const rules = (
    <Section title={t("rounds.section.rules")} level={h}>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <TextInput ctx={ctx} name="maxProposalsPerOrg" field="maxProposalsPerOrg" inputMode="numeric" maxLength={2} />
      </div>
      <BudgetCapsSetting ctx={ctx} />
    </Section>
  );
  const eligibility = (
    <Section title={t("rounds.section.eligibility")} hint={t("rounds.section.eligibilityHint")} level={h}>
      <OrgKindsSetting ctx={ctx} />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <CheckboxInput ctx={ctx} name="orgInRoundArea" />
        <CheckboxInput ctx={ctx} name="refuseTroubledOrgs" />
        <CheckboxInput ctx={ctx} name="requiresDeliberation" />
        <TextInput ctx={ctx} name="maxOpenProjects" field="maxOpenProjects" inputMode="numeric" maxLength={2} hint={t("rounds.hint.maxOpenProjects")} />
      </div>
    </Section>
  );
  const dates = (
    <Section title={t("rounds.section.dates")} hint={t("rounds.section.datesHint")} level={h}>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        {DATE_FIELDS.map((f) => (
          <TextInput key={f} ctx={ctx} name={f} field={f} type="date" hint={f === "proposalsDeadline" ? t("rounds.field.proposalsDeadlineHint") : undefined} />
        ))}
      </div>
    </Section>
  );
  if (steps) {
    // the form in steps: basics → dates → money → rules (the review step is the page's own)
    return (
      <div className="space-y-8">
        <RoundStepSection step="basics">{basics}</RoundStepSection>
        <RoundStepSection step="dates">{dates}</RoundStepSection>
        <RoundStepSection step="money">
          {money}
          {tranches}
        </RoundStepSection>
        <RoundStepSection step="rules">
          {/* a new round's rules start from the defaults; an existing round's are its own */}
          {editable ? null : <p className="text-sm text-slate-700">{t("rounds.steps.rulesHint")}</p>}
          {categories}
          {rubric}
          {review}
          {rules}
          {eligibility}
        </RoundStepSection>
      </div>
    );
  }
  return (
    <div className="space-y-6">
      {basics}
      {money}
      {categories}
      {rubric}
      {review}
      {tranches}
      {rules}
      {eligibility}
      {dates}
    </div>
  );
}

/** Banner for a refused form: "fix the marked errors", plus any form-level messages (version conflict). */
export function FormProblems({ status, formErrors }: { status?: string; formErrors?: string[] | null }) {
  const t = useT();
  const m = useMessage();
  if (status !== "error" && !formErrors?.length) return null;
  return (
    <div role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900" data-testid="form-problems">
      {formErrors?.length ? (
        <ul>
          {formErrors.map((e) => (
            <li key={e}>{m(e)}</li>
          ))}
        </ul>
      ) : (
        <p>{t("validation.formErrors")}</p>
      )}
    </div>
  );
}

const PHASE_STYLE: Record<string, string> = {
  DRAFT: "bg-slate-200 text-slate-800",
  NEEDS: "bg-sky-100 text-sky-900",
  PROPOSALS: "bg-emerald-100 text-emerald-900",
  SCREENING: "bg-amber-100 text-amber-900",
  REVIEW: "bg-violet-100 text-violet-900",
  NOTICE: "bg-orange-100 text-orange-900",
  IMPLEMENTATION: "bg-teal-100 text-teal-900",
  CLOSED: "bg-slate-100 text-slate-700",
};

/** The phase of a round as a coloured label (the text carries the meaning, not the colour). */
export function PhaseBadge({ phase }: { phase: string }) {
  const t = useT();
  return (
    <span className={`rounded px-2 py-0.5 text-sm ${PHASE_STYLE[phase] ?? ""}`} data-testid="phase-badge" data-phase={phase}>
      {t(`rounds.phase.${phase}`)}
    </span>
  );
}
