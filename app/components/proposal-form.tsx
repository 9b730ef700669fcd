import type { FieldMetadata, FormMetadata, SubmissionResult } from "@conform-to/react";
import type { ComponentProps, ReactNode } from "react";
import { Form } from "react-router";
import { ControlFrame, ErrorList, getFormProps, inputClass, SelectField, SubmitButton, TextareaField, TextField, useZodForm } from "~/components/form";
import type { CategoryDefinition } from "~/domain/categories";
import { fenToInput, formatFen, parseMoney } from "~/domain/money";
import {
  BENEFICIARY_GROUPS,
  BUDGET_CATEGORIES,
  DraftSchema,
  labourWithinCap,
  MAX_BUDGET_LINES,
  MAX_MILESTONES,
  MAX_TEAM,
  type Draft,
  type DraftProgress,
} from "~/domain/proposals";
import { withParams } from "~/domain/messages";
import { formatDateTime, useLocale, useT, type T } from "~/lib/i18n";
import { localName } from "~/lib/names";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Meta = FieldMetadata<any, any, string[]>;

/** A text input of the draft form: the common field, never filled in by the browser's memory. */
function Input({ meta, inputMode, placeholder, ...field }: { meta: Meta; label: string; hint?: ReactNode; className?: string; inputMode?: "numeric" | "decimal" | "text"; type?: "text" | "date"; placeholder?: string }) {
  return <TextField meta={meta} {...field} inputProps={{ inputMode, placeholder, autoComplete: "off" }} />;
}

function Checkboxes({ meta, legend, options, hint }: { meta: Meta; legend: string; options: { value: string; label: ReactNode }[]; hint?: ReactNode }) {
  const initial = meta.initialValue;
  const checked = new Set(Array.isArray(initial) ? (initial as string[]) : typeof initial === "string" ? [initial] : []);
  return (
    <fieldset aria-describedby={meta.errors ? meta.errorId : undefined} id={meta.id}>
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      {hint ? <p className="mt-1 text-sm text-slate-600">{hint}</p> : null}
      <div className="mt-2 grid gap-2 sm:grid-cols-2">
        {options.map((o, i) => (
          <label key={`${meta.key ?? ""}-${o.value}`} className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              name={meta.name}
              value={o.value}
              defaultChecked={checked.has(o.value)}
              id={i === 0 ? undefined : `${meta.id}-${i}`}
              className="mt-1 h-4 w-4"
            />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      <ErrorList id={meta.errorId} errors={meta.errors} />
    </fieldset>
  );
}

/** The button that removes a row of one of the form's lists, named for screen readers by its section and number. */
function RemoveRow({ button, section, n }: { button: ComponentProps<"button">; section: string; n: number }) {
  const t = useT();
  return (
    <button {...button} className="mt-6 rounded border border-slate-300 px-2 py-1 text-sm" aria-label={t("proposal.removeRowN", { section: t(section), n })}>
      {t("proposal.removeRow")}
    </button>
  );
}

/** A text input of a list's row; `numbered`: its label names the row ("Milestone 2"). */
interface RowInput {
  key: string;
  label: string;
  numbered?: boolean;
  type?: "date";
}

/**
 * The form's lists: how many rows at most, and at least when the form opens (blank ones to fill
 * in, so that it works without JavaScript), a blank row, the section that names them, the add
 * button's label, a row's columns on a wide screen, and the inputs of a row (a budget line draws its own).
 */
const LISTS: Record<"milestones" | "budgetLines" | "team", { max: number; min: number; blank: Record<string, string>; section: string; add: string; grid: string; inputs?: RowInput[] }> = {
  milestones: {
    max: MAX_MILESTONES, min: 3, section: "proposal.section.milestones", add: "proposal.addMilestone", grid: "sm:grid-cols-[2fr_1fr_2fr_auto]",
    blank: { title: "", dueOn: "", deliverable: "" },
    inputs: [{ key: "title", label: "proposal.field.milestone.titleN", numbered: true }, { key: "dueOn", label: "proposal.field.milestone.dueOn", type: "date" }, { key: "deliverable", label: "proposal.field.milestone.deliverable" }],
  },
  budgetLines: {
    max: MAX_BUDGET_LINES, min: 4, section: "proposal.section.budget", add: "proposal.addLine", grid: "sm:grid-cols-[1.3fr_2fr_0.8fr_1.2fr_1fr_auto]",
    blank: { category: "MATERIALS", item: "", quantity: "", unitPrice: "" },
  },
  team: {
    max: MAX_TEAM, min: 3, section: "proposal.section.team", add: "proposal.addMember", grid: "sm:grid-cols-[1fr_1fr_2fr_auto]",
    blank: { name: "", role: "", experience: "" },
    inputs: [{ key: "name", label: "proposal.field.member.nameN", numbered: true }, { key: "role", label: "proposal.field.member.role" }, { key: "experience", label: "proposal.field.member.experience" }],
  },
};

/**
 * One of the form's lists (LISTS): its errors, its rows — each ends with its remove button; `cells`
 * draws a row's fields unless the list's inputs do — and the button that adds a row while there is room.
 */
function RowList({
  form,
  list,
  kind,
  cells,
}: {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  form: FormMetadata<any, string[]>;
  list: Meta;
  kind: keyof typeof LISTS;
  cells?: (row: Record<string, Meta>, i: number) => ReactNode;
}) {
  const t = useT();
  const spec = LISTS[kind];
  const rows = (list as FieldMetadata<Record<string, string>[], Record<string, unknown>, string[]>).getFieldList();
  const inputs = (f: Record<string, Meta>, i: number) =>
    (spec.inputs ?? []).map((c) => <Input key={c.key} meta={f[c.key]!} type={c.type} label={c.numbered ? t(c.label, { n: i + 1 }) : t(c.label)} />);
  return (
    <>
      <ErrorList id={list.errorId} errors={list.errors} />
      <ol className="space-y-3">
        {rows.map((row, i) => (
          <li key={row.key} className={`grid gap-2 rounded border border-slate-200 p-3 ${spec.grid} sm:items-start`}>
            {(cells ?? inputs)(row.getFieldset() as Record<string, Meta>, i)}
            <RemoveRow button={form.remove.getButtonProps({ name: list.name, index: i })} section={spec.section} n={i + 1} />
          </li>
        ))}
      </ol>
      {rows.length < spec.max ? (
        <button {...form.insert.getButtonProps({ name: list.name, defaultValue: spec.blank as never })} className="rounded border border-slate-300 px-3 py-1 text-sm">
          {t(spec.add)}
        </button>
      ) : null}
    </>
  );
}

/** The rows a list starts with: what is saved plus blank rows to fill in (so it works without JavaScript). */
const padded = <R,>(rows: R[], { blank, min, max }: { blank: R; min: number; max: number }) => {
  const out = [...rows];
  while (out.length < Math.min(max, Math.max(min, rows.length + 1))) out.push(blank);
  return out;
};

export function draftDefaults(draft: Draft) {
  return {
    title: draft.title,
    summary: draft.summary,
    communityId: draft.communityId ?? "",
    category: draft.category ?? "",
    needIds: draft.needIds,
    beneficiaryGroups: draft.beneficiaryGroups,
    beneficiaryCount: draft.beneficiaryCount === null ? "" : String(draft.beneficiaryCount),
    activityPlan: draft.activityPlan,
    coFunding: draft.coFundingFen ? fenToInput(draft.coFundingFen) : "",
    milestones: padded(
      draft.milestones.map((m) => ({ title: m.title, dueOn: m.dueOn ?? "", deliverable: m.deliverable })),
      LISTS.milestones,
    ),
    budgetLines: padded(
      draft.budgetLines.map((l) => ({
        category: l.category,
        item: l.item,
        quantity: l.quantity ? String(l.quantity) : "",
        unitPrice: l.unitPriceFen ? fenToInput(l.unitPriceFen) : "",
      })),
      LISTS.budgetLines,
    ),
    team: padded(
      draft.team.map((m) => ({ name: m.name, role: m.role, experience: m.experience })),
      LISTS.team,
    ),
  };
}

/** quantity × unit price of what is typed now, or null while either is not a valid number. */
function typedLineTotal(quantity: unknown, unitPrice: unknown): number | null {
  const q = typeof quantity === "string" ? quantity.replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[\s,，]/g, "") : "";
  if (!/^\d+$/.test(q)) return null;
  const p = typeof unitPrice === "string" ? parseMoney(unitPrice) : null;
  if (!p?.ok) return null;
  const total = Number(q) * p.fen;
  return Number.isSafeInteger(total) ? total : null;
}

export interface ProposalFormProps {
  id: string;
  version: number;
  draft: Draft;
  round: {
    minAwardFen: number;
    maxAwardFen: number;
    labourCapPercent: number;
    categories: CategoryDefinition[];
    implementationFrom: string;
    implementationTo: string;
  };
  communities: { id: string; nameZh: string; nameEn: string }[];
  topics: { id: string; number: number; title: string; area: { nameZh: string; nameEn: string } }[];
  attachmentsSection: ReactNode;
  /** fields filled in and the round's rules not yet met (domain/proposals.ts draftProgress) */
  progress: DraftProgress;
  lastSaved: { by: string | null; at: string };
  result: SubmissionResult<string[]> | null | undefined;
  notice?: ReactNode;
  /** the heading over the list of errors: what became of the draft ("not submitted", "saved but for …") */
  problemsHeading?: string;
  /** every rule was met: the submission waits for the applicant's confirmation (in the bar at the bottom) */
  confirming?: { title: string; totalFen: number } | null;
}

const FIELD_LABELS: Record<string, string> = {
  title: "proposal.field.title",
  summary: "proposal.field.summary",
  communityId: "proposal.field.community",
  category: "proposal.field.category",
  needIds: "proposal.field.needs",
  beneficiaryGroups: "proposal.field.beneficiaryGroups",
  beneficiaryCount: "proposal.field.beneficiaryCount",
  activityPlan: "proposal.field.activityPlan",
  coFunding: "proposal.field.coFunding",
  milestones: "proposal.section.milestones",
  budgetLines: "proposal.section.budget",
  team: "proposal.section.team",
  "milestones.title": "proposal.field.milestone.title",
  "milestones.dueOn": "proposal.field.milestone.dueOn",
  "milestones.deliverable": "proposal.field.milestone.deliverable",
  "budgetLines.category": "proposal.field.line.category",
  "budgetLines.item": "proposal.field.line.item",
  "budgetLines.quantity": "proposal.field.line.quantity",
  "budgetLines.unitPrice": "proposal.field.line.unitPrice",
  "team.name": "proposal.field.member.name",
  "team.role": "proposal.field.member.role",
  "team.experience": "proposal.field.member.experience",
};

/** "budgetLines[2].unitPrice" → "单价（预算第 3 行）". */
export function fieldLabel(t: T, name: string): string {
  const m = /^(\w+)\[(\d+)\]\.(\w+)$/.exec(name);
  if (m) return t("proposal.fieldInRow", { field: t(FIELD_LABELS[`${m[1]}.${m[3]}`] ?? name), section: t(FIELD_LABELS[m[1]!] ?? m[1]!), row: Number(m[2]) + 1 });
  return t(FIELD_LABELS[name] ?? name);
}

/** The draft form: every field, rows that can be added and removed, live totals, progress, save and submit. */
export function ProposalForm(props: ProposalFormProps) {
  const t = useT();
  const locale = useLocale();
  const [form, fields] = useZodForm(DraftSchema, props.result, { id: `proposal-${props.id}`, defaultValue: draftDefaults(props.draft), sendWithErrors: ["save", "submit"] });
  const lines = fields.budgetLines.getFieldList();

  const lineTotals = lines.map((l) => {
    const f = l.getFieldset();
    return { category: (f.category.value as string | undefined) ?? "", total: typedLineTotal(f.quantity.value, f.unitPrice.value) };
  });
  const grand = lineTotals.reduce((a, l) => a + (l.total ?? 0), 0);
  const labour = lineTotals.filter((l) => l.category === "LABOUR").reduce((a, l) => a + (l.total ?? 0), 0);
  const labourShare = grand ? Math.round((labour * 1000) / grand) / 10 : 0;
  const labourOk = labourWithinCap(labour, grand, props.round.labourCapPercent);
  const inRange = grand >= props.round.minAwardFen && grand <= props.round.maxAwardFen;

  const errorEntries = Object.entries(form.allErrors).filter(([, errs]) => errs.length);
  const { done, total, missing, unmet, ready } = props.progress;
  const percent = Math.round((done / total) * 100);

  return (
    <div className="space-y-6">
      <section aria-labelledby="progress-h" className="rounded-lg bg-white p-4 shadow-sm">
        <h2 id="progress-h" className="text-sm font-medium text-slate-800">
          {t("proposal.progress", { done, total })}
          {unmet.length ? ` · ${t("proposal.progress.rulesCount", { count: unmet.length })}` : ""}
        </h2>
        <div
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={total}
          aria-valuenow={done}
          aria-label={t("proposal.progress", { done, total })}
          className="mt-2 h-2 w-full rounded bg-slate-200"
        >
          <div className={`h-2 rounded ${unmet.length ? "bg-amber-600" : "bg-brand-700"}`} style={{ width: `${percent}%` }} />
        </div>
        {missing.length ? (
          <div className="mt-2 text-sm text-slate-700">
            <p>{t("proposal.progress.missing")}</p>
            <ul className="ml-5 list-disc" data-testid="missing-list">
              {missing.map((m) => (
                <li key={m.key}>{t(m.key)}</li>
              ))}
            </ul>
          </div>
        ) : null}
        {unmet.length ? (
          <div className="mt-2 text-sm text-amber-950">
            <p>{t("proposal.progress.unmet")}</p>
            <ul className="ml-5 list-disc" data-testid="unmet-rules">
              {unmet.map((u, i) => (
                <li key={`${u.key}-${i}`}>{t(u.params ? withParams(u.key, u.params) : u.key)}</li>
              ))}
            </ul>
          </div>
        ) : null}
        {ready ? <p className="mt-2 text-sm text-emerald-800" data-testid="ready">{t("proposal.progress.complete")}</p> : null}
        <p className="mt-2 text-xs text-slate-500">
          {t("proposal.lastSaved", { by: props.lastSaved.by ?? "—", at: formatDateTime(locale, props.lastSaved.at) })}
        </p>
      </section>

      {props.notice}

      {errorEntries.length ? (
        <div role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900" data-testid="problem-summary">
          <p className="font-medium">{t(props.problemsHeading ?? "proposal.problems.summary", { count: errorEntries.reduce((a, [, e]) => a + e.length, 0) })}</p>
          <ul className="ml-5 mt-1 list-disc">
            {errorEntries.flatMap(([name, errs]) =>
              errs.map((e) => (
                <li key={`${name}:${e}`}>
                  {name ? `${fieldLabel(t, name)}：` : ""}
                  {t(e)}
                </li>
              )),
            )}
          </ul>
        </div>
      ) : null}

      <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="space-y-8">
        <input type="hidden" name="version" value={props.version} />

        <section aria-labelledby="basics-h" className="space-y-4 rounded-lg bg-white p-5 shadow-sm">
          <h2 id="basics-h" className="text-lg font-semibold">
            {t("proposal.section.basics")}
          </h2>
          <Input meta={fields.title} label={t("proposal.field.title")} />
          <TextareaField meta={fields.summary} label={t("proposal.field.summary")} hint={t("proposal.field.summary.hint")} rows={3} />
          <div className="grid gap-4 sm:grid-cols-2">
            <SelectField
              meta={fields.communityId}
              label={t("proposal.field.community")}
              placeholder={t("proposal.choose")}
              options={props.communities.map((c) => ({ value: c.id, label: localName(locale, c) }))}
            />
            <SelectField
              meta={fields.category}
              label={t("proposal.field.category")}
              placeholder={t("proposal.choose")}
              options={props.round.categories.map((c) => ({ value: c.key, label: locale === "en" ? c.nameEn : c.nameZh }))}
            />
          </div>
          {props.topics.length ? (
            <Checkboxes
              meta={fields.needIds}
              legend={t("proposal.field.needs")}
              hint={t("proposal.field.needs.hint")}
              options={props.topics.map((n) => ({
                value: n.id,
                label: (
                  <>
                    #{n.number} {n.title} <span className="text-slate-500">· {localName(locale, n.area)}</span>
                  </>
                ),
              }))}
            />
          ) : (
            <p className="text-sm text-slate-600">{t("proposal.field.needs.none")}</p>
          )}
          <Checkboxes
            meta={fields.beneficiaryGroups}
            legend={t("proposal.field.beneficiaryGroups")}
            options={BENEFICIARY_GROUPS.map((g) => ({ value: g, label: t(`proposal.group.${g}`) }))}
          />
          <Input meta={fields.beneficiaryCount} label={t("proposal.field.beneficiaryCount")} inputMode="numeric" className="sm:w-1/2" />
          <TextareaField meta={fields.activityPlan} label={t("proposal.field.activityPlan")} hint={t("proposal.field.activityPlan.hint")} rows={6} />
        </section>

        <section aria-labelledby="milestones-h" className="space-y-3 rounded-lg bg-white p-5 shadow-sm">
          <h2 id="milestones-h" className="text-lg font-semibold">
            {t("proposal.section.milestones")}
          </h2>
          <p className="text-sm text-slate-600">{t("proposal.milestones.hint", { from: props.round.implementationFrom, to: props.round.implementationTo })}</p>
          <RowList form={form} list={fields.milestones} kind="milestones" />
        </section>

        <section aria-labelledby="budget-h" className="space-y-3 rounded-lg bg-white p-5 shadow-sm">
          <h2 id="budget-h" className="text-lg font-semibold">
            {t("proposal.section.budget")}
          </h2>
          <p className="text-sm text-slate-600">
            {t("proposal.budget.hint", {
              min: formatFen(props.round.minAwardFen),
              max: formatFen(props.round.maxAwardFen),
              cap: props.round.labourCapPercent,
            })}
          </p>
          <RowList
            form={form}
            list={fields.budgetLines}
            kind="budgetLines"
            cells={(f, i) => (
              <>
                <SelectField
                  meta={f.category!}
                  label={t("proposal.field.line.categoryN", { n: i + 1 })}
                  options={BUDGET_CATEGORIES.map((c) => ({ value: c.key, label: locale === "en" ? c.nameEn : c.nameZh }))}
                />
                <Input meta={f.item!} label={t("proposal.field.line.item")} />
                <Input meta={f.quantity!} label={t("proposal.field.line.quantity")} inputMode="numeric" />
                <Input meta={f.unitPrice!} label={t("proposal.field.line.unitPrice")} inputMode="decimal" placeholder="0.00" />
                <div className="text-sm">
                  <span className="block font-medium text-slate-800">{t("proposal.field.line.total")}</span>
                  <output className="mt-2 block tabular-nums" data-testid={`line-total-${i}`}>
                    {lineTotals[i]!.total === null ? "—" : formatFen(lineTotals[i]!.total)}
                  </output>
                </div>
              </>
            )}
          />
          <dl className="grid gap-2 rounded bg-slate-50 p-3 text-sm sm:grid-cols-3" aria-live="polite">
            <div>
              <dt className="text-slate-600">{t("proposal.total")}</dt>
              <dd className={`text-lg font-semibold tabular-nums ${grand && !inRange ? "text-red-800" : ""}`} data-testid="grand-total">
                {formatFen(grand)}
              </dd>
            </div>
            <div>
              <dt className="text-slate-600">{t("proposal.labourShare")}</dt>
              <dd className={`tabular-nums ${labourOk ? "" : "font-semibold text-red-800"}`} data-testid="labour-share">
                {t("proposal.labourShareValue", { share: labourShare, cap: props.round.labourCapPercent })}
              </dd>
            </div>
            <div>
              <Input meta={fields.coFunding} label={t("proposal.field.coFunding")} inputMode="decimal" hint={t("proposal.field.coFunding.hint")} />
            </div>
          </dl>
        </section>

        <section aria-labelledby="team-h" className="space-y-3 rounded-lg bg-white p-5 shadow-sm">
          <h2 id="team-h" className="text-lg font-semibold">
            {t("proposal.section.team")}
          </h2>
          <RowList form={form} list={fields.team} kind="team" />
        </section>

        <section aria-labelledby="attachments-h" className="space-y-3 rounded-lg bg-white p-5 shadow-sm">
          <h2 id="attachments-h" className="text-lg font-semibold">
            {t("proposal.section.attachments")}
          </h2>
          {props.attachmentsSection}
          <div className="grid gap-3 sm:grid-cols-2">
            {/* a new file control per saved version: a file once saved is not sent again with the next save */}
            <ControlFrame id="attachment" label={t("proposal.attachment.file")} hint={t("proposal.attachment.hint")}>
              {(p) => <input key={props.version} {...p} name="attachment" type="file" accept=".pdf,.jpg,.jpeg,.png,.webp,.gif,.docx,.odt,.xlsx,.ods" className="mt-1 block w-full text-sm" />}
            </ControlFrame>
            <ControlFrame id="attachmentLabel" label={t("proposal.attachment.label")}>
              {(p) => <input {...p} name="attachmentLabel" maxLength={100} className={inputClass} />}
            </ControlFrame>
          </div>
        </section>

        <div className="sticky bottom-0 flex flex-wrap items-center gap-3 border-t border-slate-200 bg-white/95 p-3">
          {/* both disable while a request is on its way: a double click sends one */}
          <SubmitButton name="intent" value="save" className="rounded border border-brand-700 px-4 py-2 font-medium text-brand-800 disabled:opacity-60">
            {t("proposal.saveDraft")}
          </SubmitButton>
          {props.confirming ? null : (
            <SubmitButton name="intent" value="submit" className="rounded bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800 disabled:opacity-60">
              {t("proposal.submit")}
            </SubmitButton>
          )}
          {props.confirming ? (
            // every rule is met and the draft is saved: one more, deliberate step submits it
            <div role="alertdialog" aria-labelledby="confirm-submit-h" className="w-full rounded border border-amber-300 bg-amber-50 p-3 text-sm" data-testid="confirm-submit">
              <p id="confirm-submit-h" className="font-medium">
                {t("proposal.submit.question", { title: props.confirming.title || t("proposal.untitled"), amount: formatFen(props.confirming.totalFen) })}
              </p>
              <p className="mt-1">{t("proposal.submit.final")}</p>
              <input type="hidden" name="confirmed" value="1" />
              <div className="mt-2 flex flex-wrap gap-3">
                <SubmitButton name="intent" value="submit">{t("proposal.submit.confirm")}</SubmitButton>
              </div>
            </div>
          ) : (
            <span className="text-sm text-slate-600">{t("proposal.submit.hint")}</span>
          )}
        </div>
      </Form>
    </div>
  );
}
