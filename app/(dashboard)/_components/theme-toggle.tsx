"use client";

import { useState } from "react";
import { Monitor, Moon, Sun } from "lucide-react";
import { THEME_COOKIE, type ThemeChoice } from "@/lib/theme";

const CHOICES: { value: ThemeChoice; label: string; Icon: typeof Sun }[] = [
  { value: "system", label: "System theme", Icon: Monitor },
  { value: "light", label: "Light theme", Icon: Sun },
  { value: "dark", label: "Dark theme", Icon: Moon },
];

/** Shows the choice at once (the class on <html>) and keeps it for the next pages (the cookie). */
function applyTheme(next: ThemeChoice) {
  const root = document.documentElement;
  root.classList.remove("light", "dark");
  if (next !== "system") root.classList.add(next);
  const secure = location.protocol === "https:" ? "; secure" : "";
  document.cookie =
    next === "system"
      ? `${THEME_COOKIE}=; path=/; max-age=0; samesite=lax${secure}`
      : `${THEME_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax${secure}`;
}

/**
 * System, light or dark. The choice is a cookie, so the server renders the next page in it
 * straight away (no flash of the other theme, no inline script under the CSP); "system"
 * removes the cookie and the stylesheet follows prefers-color-scheme.
 */
export function ThemeToggle({ initial }: { initial: ThemeChoice }) {
  const [theme, setTheme] = useState(initial);

  function choose(next: ThemeChoice) {
    setTheme(next);
    applyTheme(next);
  }

  return (
    <div role="group" aria-label="Theme" className="inline-flex rounded-md border border-slate-200 p-0.5">
      {CHOICES.map(({ value, label, Icon }) => (
        <button
          key={value}
          type="button"
          aria-label={label}
          title={label}
          aria-pressed={theme === value}
          onClick={() => choose(value)}
          className={`rounded p-1 focus-visible:outline-2 focus-visible:outline-indigo-600 ${
            theme === value ? "bg-slate-100 text-slate-900" : "text-slate-500 hover:text-slate-800"
          }`}
        >
          <Icon aria-hidden="true" className="size-4" />
        </button>
      ))}
    </div>
  );
}
