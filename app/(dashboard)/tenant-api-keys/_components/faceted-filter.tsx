"use client";

/** A group of checkboxes that filter on one field; the selection is a comma list in the URL. */
export function FacetedFilter<T extends string>({
  legend,
  options,
  selected,
  onChange,
}: {
  legend: string;
  options: readonly { value: T; label: string }[];
  selected: readonly string[];
  onChange: (values: string[]) => void;
}) {
  return (
    <fieldset className="flex flex-wrap items-center gap-x-3 gap-y-1 rounded-md border border-slate-200 bg-white px-3 py-1.5 text-sm">
      <legend className="sr-only">{legend}</legend>
      <span aria-hidden="true" className="font-medium text-slate-600">
        {legend}
      </span>
      {options.map((option) => {
        const checked = selected.includes(option.value);
        return (
          <label key={option.value} className="inline-flex items-center gap-1.5">
            <input
              type="checkbox"
              className="size-4 accent-indigo-600"
              checked={checked}
              onChange={() => onChange(checked ? selected.filter((v) => v !== option.value) : [...selected, option.value])}
            />
            {option.label}
          </label>
        );
      })}
    </fieldset>
  );
}
