import type { Metadata } from "next";
import { connection } from "next/server";
import { cookies } from "next/headers";
import { THEME_COOKIE, themeChoice } from "@/lib/theme";
import "./globals.css";
import { Toaster } from "@/components/toaster";

export const metadata: Metadata = {
  title: { default: "Keyward", template: "%s · Keyward" },
  description: "Tenant API key management",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page is rendered per request: its scripts carry that request's CSP nonce (proxy.ts).
  // A prerendered page would have none, and the browser would refuse to run it.
  await connection();
  // The theme switch's choice (a cookie), rendered into the page so that it never flashes the
  // other theme first; no class means the stylesheet follows the system (app/globals.css).
  const theme = themeChoice((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" className={theme === "system" ? undefined : theme}>
      <body className="min-h-screen font-sans">
        {children}
        <Toaster />
      </body>
    </html>
  );
}
