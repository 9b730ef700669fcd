import type { ReactNode } from "react";

export const selectClass = "mt-1 block w-full rounded border border-slate-400 bg-white px-3 py-2 text-base text-slate-900";

export interface FilterOption {
  value: string;
  label: string;
}

/**
 * One labelled `<select>` of a list's GET filter form (works without JavaScript). `allLabel`
 * adds a first "all" option with an empty value; `groups` render as `<optgroup>`s after `options`.
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
  id: string;
  name: string;
  label: ReactNode;
  value: string | null | undefined;
  allLabel?: string;
  options?: readonly FilterOption[];
  groups?: readonly { label: string; options: readonly FilterOption[] }[];
}) {
  const option = (o: FilterOption) => (
    <option key={o.value} value={o.value}>
      {o.label}
    </option>
  );
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <select id={id} name={name} defaultValue={value ?? ""} className={selectClass}>
        {allLabel !== undefined ? <option value="">{allLabel}</option> : null}
        {options.map(option)}
        {groups.map((g) => (
          <optgroup key={g.label} label={g.label}>
            {g.options.map(option)}
          </optgroup>
        ))}
      </select>
    </div>
  );
}
