"use client";

import { useEffect } from "react";
import { useRouter } from "next/navigation";

/** How often a visible page asks the server again: Last used moves within this, without a reload. */
export const AUTO_REFRESH_MS = 20_000;

/**
 * Re-renders the page's server components on window focus and every AUTO_REFRESH_MS while the
 * tab is visible, so that a rollout can be watched (traffic appearing in Last used). A hidden
 * tab asks nothing; it catches up the moment it is shown again. `refresh` defaults to the
 * router's; the key list passes one inside its list transition so its progress bar shows.
 */
export function useAutoRefresh(refresh?: () => void) {
  const router = useRouter();
  useEffect(() => {
    const run = refresh ?? (() => router.refresh());
    const visible = () => document.visibilityState === "visible";
    const timer = setInterval(() => {
      if (visible()) run();
    }, AUTO_REFRESH_MS);
    const onFocus = () => run();
    const onVisibility = () => {
      if (visible()) run();
    };
    window.addEventListener("focus", onFocus);
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      clearInterval(timer);
      window.removeEventListener("focus", onFocus);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [router, refresh]);
}

/** For server-rendered pages (a key's page): the hook as a component that renders nothing. */
export function AutoRefresh() {
  useAutoRefresh();
  return null;
}
