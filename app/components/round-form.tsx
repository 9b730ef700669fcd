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
import { useT } from "~/lib/i18n";

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

export function MessageList({ id, errors }: { id?: string; errors?: string[] }) {
  const m = useMessage();
  if (!errors?.length) return null;
  return (
    <ul id={id} className="mt-1 space-y-0.5 text-sm text-red-800" aria-live="polite">
      {errors.map((e) => (
        <li key={e}>{m(e)}</li>
      ))}
    </ul>
  );
}

const inputClass =
  "mt-1 block w-full rounded border border-slate-400 bg-white px-3 py-2 text-base text-slate-900 aria-[invalid=true]:border-red-700 read-only:border-slate-200 read-only:bg-slate-100 read-only:text-slate-600";

const selectClass =
  "mt-1 block w-full rounded border border-slate-400 bg-white px-3 py-2 text-base text-slate-900 aria-[invalid=true]:border-red-700 disabled:border-slate-200 disabled:bg-slate-100 disabled:text-slate-600";

const str = (v: unknown) => (v === undefined || v === null ? "" : String(v));

function Field({
  formId,
  name,
  label,
  hint,
  errors,
  children,
  locked,
}: {
  formId: string;
  name: string;
  label: string;
  hint?: ReactNode;
  errors?: string[];
  children: (props: { id: string; "aria-invalid"?: boolean; "aria-describedby"?: string }) => ReactNode;
  locked?: boolean;
}) {
  const t = useT();
  const id = `${formId}-${name}`;
  const described = [hint ? `${id}-hint` : null, errors?.length ? `${id}-errors` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
        {locked ? <span className="ml-2 rounded bg-slate-200 px-1.5 text-xs font-normal text-slate-700">{t("rounds.locked")}</span> : null}
      </label>
      {children({ id, "aria-invalid": errors?.length ? true : undefined, "aria-describedby": described })}
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-sm text-slate-600">
          {hint}
        </p>
      ) : null}
      <MessageList id={`${id}-errors`} errors={errors} />
    </div>
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
function CheckboxInput({ ctx, name }: { ctx: FormContext; name: "blindReview" | "zScore" }) {
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
          {locked ? <span className="ml-2 rounded bg-slate-200 px-1.5 text-xs font-normal text-slate-700">{t("rounds.locked")}</span> : null}
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
    <Field formId={ctx.formId} name={name} label={t(`rounds.field.${name}`)} hint={hint} errors={ctx.errors[name]} locked={locked}>
      {(p) => (
        <input
          {...p}
          name={name}
          type={type}
          inputMode={inputMode}
          maxLength={maxLength}
          defaultValue={str(ctx.values[name])}
          readOnly={locked}
          className={inputClass}
        />
      )}
    </Field>
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

function CellInput({ ctx, name, value, label, locked, inputMode, maxLength, width }: {
  ctx: FormContext;
  name: string;
  value: string;
  label: string;
  locked: boolean;
  inputMode?: "numeric" | "text";
  maxLength?: number;
  width?: string;
}) {
  const id = `${ctx.formId}-${name}`;
  const errors = ctx.errors[name];
  return (
    <div className={width}>
      <label htmlFor={id} className="block text-xs text-slate-700">
        {label}
      </label>
      <input
        id={id}
        name={name}
        defaultValue={value}
        readOnly={locked}
        inputMode={inputMode}
        maxLength={maxLength}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={errors?.length ? `${id}-errors` : undefined}
        className={inputClass}
      />
      <MessageList id={`${id}-errors`} errors={errors} />
    </div>
  );
}

function AddRow({ onClick }: { onClick: () => void }) {
  const t = useT();
  return (
    <button type="button" onClick={onClick} className="rounded border border-slate-300 px-3 py-1 text-sm">
      {t("rounds.field.addRow")}
    </button>
  );
}

function CategoriesTable({ ctx }: { ctx: FormContext }) {
  const t = useT();
  const locked = ctx.locked("categories");
  const { rows, count, canAdd, add } = useRows(ctx.values.categories, MAX_CATEGORIES, locked);
  return (
    <fieldset className="space-y-3" aria-describedby={`${ctx.formId}-categories-hint ${ctx.formId}-categories-errors`}>
      <legend className="text-sm font-medium text-slate-800">
        {t("rounds.field.categories")}
        {locked ? <span className="ml-2 rounded bg-slate-200 px-1.5 text-xs font-normal text-slate-700">{t("rounds.locked")}</span> : null}
      </legend>
      <p id={`${ctx.formId}-categories-hint`} className="text-sm text-slate-600">
        {t("rounds.field.key.hint")}
      </p>
      <MessageList id={`${ctx.formId}-categories-errors`} errors={ctx.errors.categories} />
      <ol className="space-y-2" data-testid="category-rows">
        {Array.from({ length: count }, (_, i) => (
          <li key={i} className="grid grid-cols-1 gap-2 rounded border border-slate-200 p-2 sm:grid-cols-[8rem_1fr_1fr]">
            <CellInput ctx={ctx} name={`categories[${i}].key`} value={str(rows[i]?.key)} label={`${t("rounds.field.category.n", { n: i + 1 })} ${t("rounds.field.key")}`} locked={locked} maxLength={40} />
            <CellInput ctx={ctx} name={`categories[${i}].nameZh`} value={str(rows[i]?.nameZh)} label={`${t("rounds.field.category.n", { n: i + 1 })} ${t("rounds.field.nameZh")}`} locked={locked} maxLength={30} />
            <CellInput ctx={ctx} name={`categories[${i}].nameEn`} value={str(rows[i]?.nameEn)} label={`${t("rounds.field.category.n", { n: i + 1 })} ${t("rounds.field.nameEn")}`} locked={locked} maxLength={60} />
          </li>
        ))}
      </ol>
      {canAdd ? <AddRow onClick={add} /> : null}
    </fieldset>
  );
}

function RubricTable({ ctx }: { ctx: FormContext }) {
  const t = useT();
  const locked = ctx.locked("rubric");
  const { rows, count, canAdd, add } = useRows(ctx.values.rubric, MAX_RUBRIC_CRITERIA, locked);
  const initial = rows.reduce((s, r) => s + (Number(r?.maxPoints) || 0), 0);
  const [total, setTotal] = useState(initial);
  return (
    <fieldset
      className="space-y-3"
      aria-describedby={`${ctx.formId}-rubric-sum ${ctx.formId}-rubric-errors`}
      onInput={(e) => setTotal(sumOf(e.currentTarget, ".maxPoints"))}
    >
      <legend className="text-sm font-medium text-slate-800">
        {t("rounds.field.rubric")}
        {locked ? <span className="ml-2 rounded bg-slate-200 px-1.5 text-xs font-normal text-slate-700">{t("rounds.locked")}</span> : null}
      </legend>
      <MessageList id={`${ctx.formId}-rubric-errors`} errors={ctx.errors.rubric} />
      <ol className="space-y-2" data-testid="rubric-rows">
        {Array.from({ length: count }, (_, i) => (
          <li key={i} className="grid grid-cols-1 gap-2 rounded border border-slate-200 p-2 sm:grid-cols-[7rem_1fr_1fr_6rem]">
            <CellInput ctx={ctx} name={`rubric[${i}].key`} value={str(rows[i]?.key)} label={`${t("rounds.field.criterion.n", { n: i + 1 })} ${t("rounds.field.key")}`} locked={locked} maxLength={40} />
            <CellInput ctx={ctx} name={`rubric[${i}].nameZh`} value={str(rows[i]?.nameZh)} label={`${t("rounds.field.criterion.n", { n: i + 1 })} ${t("rounds.field.nameZh")}`} locked={locked} maxLength={40} />
            <CellInput ctx={ctx} name={`rubric[${i}].nameEn`} value={str(rows[i]?.nameEn)} label={`${t("rounds.field.criterion.n", { n: i + 1 })} ${t("rounds.field.nameEn")}`} locked={locked} maxLength={80} />
            <CellInput ctx={ctx} name={`rubric[${i}].maxPoints`} value={str(rows[i]?.maxPoints)} label={`${t("rounds.field.criterion.n", { n: i + 1 })} ${t("rounds.field.maxPoints")}`} locked={locked} inputMode="numeric" maxLength={3} />
          </li>
        ))}
      </ol>
      <p id={`${ctx.formId}-rubric-sum`} aria-live="polite" data-testid="rubric-sum" className={total === 100 ? "text-sm text-slate-700" : "text-sm font-medium text-amber-800"}>
        {t("rounds.field.rubricSum", { total })}
      </p>
      {canAdd ? <AddRow onClick={add} /> : null}
    </fieldset>
  );
}

function TrancheTable({ ctx }: { ctx: FormContext }) {
  const t = useT();
  const locked = ctx.locked("trancheSchedule");
  const { rows, count, canAdd, add } = useRows(ctx.values.trancheSchedule, MAX_TRANCHES, locked);
  const [total, setTotal] = useState(rows.reduce((s, r) => s + (Number(r?.percent) || 0), 0));
  return (
    <fieldset
      className="space-y-3"
      aria-describedby={`${ctx.formId}-tranche-sum ${ctx.formId}-trancheSchedule-errors`}
      onInput={(e) => setTotal(sumOf(e.currentTarget, ".percent"))}
    >
      <legend className="text-sm font-medium text-slate-800">
        {t("rounds.field.trancheSchedule")}
        {locked ? <span className="ml-2 rounded bg-slate-200 px-1.5 text-xs font-normal text-slate-700">{t("rounds.locked")}</span> : null}
      </legend>
      <MessageList id={`${ctx.formId}-trancheSchedule-errors`} errors={ctx.errors.trancheSchedule} />
      <ol className="space-y-2" data-testid="tranche-rows">
        {Array.from({ length: count }, (_, i) => {
          const name = `trancheSchedule[${i}].trigger`;
          const id = `${ctx.formId}-${name}`;
          const errors = ctx.errors[name];
          return (
            <li key={i} className="grid grid-cols-1 gap-2 rounded border border-slate-200 p-2 sm:grid-cols-[8rem_1fr]">
              <CellInput ctx={ctx} name={`trancheSchedule[${i}].percent`} value={str(rows[i]?.percent)} label={`${t("rounds.field.tranche.n", { n: i + 1 })} ${t("rounds.field.percent")}`} locked={locked} inputMode="numeric" maxLength={3} />
              <div>
                <label htmlFor={id} className="block text-xs text-slate-700">
                  {`${t("rounds.field.tranche.n", { n: i + 1 })} ${t("rounds.field.trigger")}`}
                </label>
                {locked ? <input type="hidden" name={name} value={str(rows[i]?.trigger)} /> : null}
                <select
                  id={id}
                  name={locked ? undefined : name}
                  defaultValue={str(rows[i]?.trigger)}
                  disabled={locked}
                  aria-invalid={errors?.length ? true : undefined}
                  aria-describedby={errors?.length ? `${id}-errors` : undefined}
                  className={selectClass}
                >
                  <option value="">{t("rounds.field.trigger.placeholder")}</option>
                  {TRANCHE_TRIGGERS.map((k) => (
                    <option key={k} value={k}>
                      {t(`rounds.trigger.${k}`)}
                    </option>
                  ))}
                </select>
                <MessageList id={`${id}-errors`} errors={errors} />
              </div>
            </li>
          );
        })}
      </ol>
      <p id={`${ctx.formId}-tranche-sum`} aria-live="polite" data-testid="tranche-sum" className={total === 100 ? "text-sm text-slate-700" : "text-sm font-medium text-amber-800"}>
        {t("rounds.field.trancheSum", { total })}
      </p>
      {canAdd ? <AddRow onClick={add} /> : null}
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
        {locked ? <span className="ml-2 rounded bg-slate-200 px-1.5 text-xs font-normal text-slate-700">{t("rounds.locked")}</span> : null}
      </legend>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        {names.map((n) => (
          <TextInput key={n} ctx={ctx} name={n} field={n} inputMode="numeric" maxLength={3} />
        ))}
      </div>
      <p id={`${ctx.formId}-weights-sum`} aria-live="polite" className={total === 100 ? "text-sm text-slate-700" : "text-sm font-medium text-amber-800"}>
        {t("rounds.field.weightSum", { total })}
      </p>
      <MessageList id={`${ctx.formId}-weights-errors`} errors={ctx.errors.weights} />
    </fieldset>
  );
}

function Section({ title, children, hint }: { title: string; children: ReactNode; hint?: string }) {
  return (
    <section className="space-y-4 rounded-lg bg-white p-5 shadow-sm sm:p-6">
      <h2 className="text-lg font-semibold">{title}</h2>
      {hint ? <p className="text-sm text-slate-600">{hint}</p> : null}
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
}: {
  formId: string;
  values: RoundFormValues;
  errors: Record<string, string[] | undefined>;
  /** settings that may change; undefined: all (a new round) */
  editable?: readonly SettingField[];
  /** fields shown first (code, area, foundation on the set-up page) */
  head?: ReactNode;
}) {
  const t = useT();
  const ctx: FormContext = { formId, values, errors, locked: (f) => (editable ? !editable.includes(f) : false) };
  const descriptionLocked = ctx.locked("description");
  return (
    <div className="space-y-6">
      <Section title={t("rounds.section.basics")}>
        {head}
        <TextInput ctx={ctx} name="title" field="title" maxLength={80} />
        <Field formId={formId} name="description" label={t("rounds.field.description")} errors={errors.description} locked={descriptionLocked}>
          {(p) => <textarea {...p} name="description" rows={6} maxLength={4000} defaultValue={str(values.description)} readOnly={descriptionLocked} className={inputClass} />}
        </Field>
      </Section>

      <Section title={t("rounds.section.money")}>
        <TextInput ctx={ctx} name="poolFen" field="poolFen" inputMode="decimal" hint={t("rounds.field.poolFen.hint")} />
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <TextInput ctx={ctx} name="minAwardFen" field="minAwardFen" inputMode="decimal" />
          <TextInput ctx={ctx} name="maxAwardFen" field="maxAwardFen" inputMode="decimal" />
        </div>
      </Section>

      <Section title={t("rounds.section.categories")}>
        <CategoriesTable ctx={ctx} />
      </Section>

      <Section title={t("rounds.section.rubric")}>
        <RubricTable ctx={ctx} />
      </Section>

      <Section title={t("rounds.section.review")}>
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

      <Section title={t("rounds.section.tranches")}>
        <TrancheTable ctx={ctx} />
      </Section>

      <Section title={t("rounds.section.rules")}>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <TextInput ctx={ctx} name="labourCapPercent" field="labourCapPercent" inputMode="numeric" maxLength={3} />
          <TextInput ctx={ctx} name="maxProposalsPerOrg" field="maxProposalsPerOrg" inputMode="numeric" maxLength={2} />
        </div>
      </Section>

      <Section title={t("rounds.section.dates")} hint={t("rounds.section.datesHint")}>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
          {DATE_FIELDS.map((f) => (
            <TextInput key={f} ctx={ctx} name={f} field={f} type="date" />
          ))}
        </div>
      </Section>
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
