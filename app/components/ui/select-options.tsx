/** One choice of a `<select>`. */
export interface SelectOption {
  value: string;
  label: string;
}

export interface OptionGroup {
  label: string;
  options: readonly SelectOption[];
}

/**
 * The children of a `<select>`: an optional first choice with an empty value (`empty`: "all",
 * "choose…"), then `options`, then `groups` as `<optgroup>`s. Filter selects and form selects both use it.
 */
export function SelectOptions({ empty, options = [], groups = [] }: { empty?: string; options?: readonly SelectOption[]; groups?: readonly OptionGroup[] }) {
  const option = (o: SelectOption) => (
    <option key={o.value} value={o.value}>
      {o.label}
    </option>
  );
  return (
    <>
      {empty !== undefined ? <option value="">{empty}</option> : null}
      {options.map(option)}
      {groups.map((g) => (
        <optgroup key={g.label} label={g.label}>
          {g.options.map(option)}
        </optgroup>
      ))}
    </>
  );
}
