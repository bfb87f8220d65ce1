"use client";

/** A group of checkboxes that filter on one field; the selection is a comma list in the URL. */
export function FacetedFilter<T extends string>({
  legend,
  param,
  options,
  selected,
  onChange,
}: {
  legend: string;
  param: string;
  options: readonly { value: T; label: string }[];
  selected: readonly T[];
  onChange: (param: string, value: string | null) => void;
}) {
  return (
    <fieldset className="flex items-center gap-3 rounded-md border border-slate-200 bg-white px-3 py-1.5 text-sm">
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
              onChange={() => {
                const next = checked ? selected.filter((v) => v !== option.value) : [...selected, option.value];
                onChange(param, next.length ? next.join(",") : null);
              }}
            />
            {option.label}
          </label>
        );
      })}
    </fieldset>
  );
}
