/** The theme switch's cookie: "light" or "dark"; absent means "follow the system". */
export const THEME_COOKIE = "keyward-theme";

export type ThemeChoice = "system" | "light" | "dark";

export function themeChoice(cookie: string | undefined): ThemeChoice {
  return cookie === "light" || cookie === "dark" ? cookie : "system";
}
