/** The inputs' look on the service account pages. */
export const input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
