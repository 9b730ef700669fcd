import { createContext, useContext, type ReactNode } from "react";
import { Form, Link } from "react-router";
import { useLocale, useT } from "~/lib/i18n";
import { localName } from "~/lib/names";
import { SelectOptions, type OptionGroup, type SelectOption } from "./select-options";

/*
 * The GET filter forms of list pages (they work without JavaScript): a bar, its labelled selects
 * and inputs, and the row that applies or clears them. Inside a FilterBar a control's id is the
 * bar's prefix and the control's name ("needs-status"), and its value the bar's value of that name.
 */

export const selectClass = "mt-1 block w-full rounded border border-slate-400 bg-white px-3 py-2 text-base text-slate-900";

/** The small controls of a one-select filter at the top of a short list. */
const compactSelectClass = "mt-1 rounded border border-slate-400 bg-white px-2 py-1";

export type FilterOption = SelectOption;

type FilterValues = Readonly<Record<string, string | number | null | undefined>>;

interface FilterContextValue {
  idPrefix?: string;
  values: FilterValues;
  compact: boolean;
}

const FilterContext = createContext<FilterContextValue>({ values: {}, compact: false });

/** The id and value of the bar's control called `name`, unless the control names its own. */
function useFilterControl(name: string, id: string | undefined, value: string | number | null | undefined) {
  const bar = useContext(FilterContext);
  const own = value !== undefined ? value : bar.values[name];
  return { id: id ?? `${bar.idPrefix}-${name}`, value: own === null || own === undefined ? "" : String(own), compact: bar.compact };
}

/**
 * The filter form of a list: `label` names it as a search landmark; `values` are the filters in
 * force (what each control shows); `compact` draws small controls in a row (a one-select filter).
 */
export function FilterBar({
  label,
  idPrefix,
  values = {},
  compact = false,
  className,
  children,
}: {
  label?: string;
  idPrefix?: string;
  values?: FilterValues;
  compact?: boolean;
  className: string;
  children: ReactNode;
}) {
  return (
    <FilterContext.Provider value={{ idPrefix, values, compact }}>
      <Form method="get" role={label ? "search" : undefined} aria-label={label} className={className}>
        {children}
      </Form>
    </FilterContext.Provider>
  );
}

/**
 * One labelled `<select>` of a filter form. `allLabel` adds a first "all" option with an empty
 * value; `groups` render as `<optgroup>`s after `options`.
 */
export function FilterSelect({
  id,
  name,
  label,
  value,
  allLabel,
  options = [],
  groups = [],
}: {
  id?: string;
  name: string;
  label: ReactNode;
  value?: string | null;
  allLabel?: string;
  options?: readonly FilterOption[];
  groups?: readonly OptionGroup[];
}) {
  const control = useFilterControl(name, id, value);
  return (
    <div>
      <label htmlFor={control.id} className={control.compact ? "block text-sm text-slate-700" : "block text-sm font-medium text-slate-800"}>
        {label}
      </label>
      <select id={control.id} name={name} defaultValue={control.value} className={control.compact ? compactSelectClass : selectClass}>
        <SelectOptions empty={allLabel} options={options} groups={groups} />
      </select>
    </div>
  );
}

/** One labelled text input of a filter form: a search (the default) or a date; a hint under it if given. */
export function FilterInput({
  name,
  label,
  type = "search",
  placeholder,
  hint,
  maxLength,
  className,
}: {
  name: string;
  label: ReactNode;
  type?: "search" | "date";
  placeholder?: string;
  hint?: ReactNode;
  maxLength?: number;
  className?: string;
}) {
  const control = useFilterControl(name, undefined, undefined);
  const hintId = `${control.id}-hint`;
  return (
    <div className={className}>
      <label htmlFor={control.id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <input
        id={control.id}
        type={type}
        name={name}
        defaultValue={control.value}
        placeholder={placeholder}
        maxLength={maxLength}
        aria-describedby={hint ? hintId : undefined}
        className={selectClass}
      />
      {hint ? (
        <p id={hintId} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** A query parameter the form carries along unchanged (the page size …); nothing when `value` is null. */
export function KeepParam({ name, value }: { name: string; value: string | number | null | undefined }) {
  return value === null || value === undefined ? null : <input type="hidden" name={name} value={value} />;
}

/**
 * The button that applies a filter form, and the link back to the unfiltered list when
 * `clearTo` is given; `children` come first (hidden parameters the form keeps).
 */
export function FilterActions({
  apply,
  clear,
  clearTo,
  className = "flex items-end",
  children,
}: {
  apply: string;
  clear?: string;
  clearTo?: string | null;
  className?: string;
  children?: ReactNode;
}) {
  const { compact } = useContext(FilterContext);
  const button = (
    <button type="submit" className={compact ? "rounded border border-slate-400 px-3 py-1" : "rounded bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800"}>
      {apply}
    </button>
  );
  if (compact) return button;
  return (
    <div className={className}>
      {children}
      {button}
      {clearTo ? (
        <Link to={clearTo} className="py-2 text-sm text-slate-700 underline">
          {clear}
        </Link>
      ) : null}
    </div>
  );
}

type Named = { code: string; nameZh: string; nameEn: string };

/**
 * The options of a community filter, a group per subdistrict: the whole subdistrict first (its
 * code, labelled with `wholeKey`), then each of its communities.
 */
export function useCommunityGroups() {
  const t = useT();
  const locale = useLocale();
  return (groups: readonly (Named & { communities: readonly Named[] })[], wholeKey: string) =>
    groups.map((g) => ({
      label: localName(locale, g),
      options: [{ value: g.code, label: t(wholeKey, { name: localName(locale, g) }) }, ...g.communities.map((c) => ({ value: c.code, label: localName(locale, c) }))],
    }));
}
