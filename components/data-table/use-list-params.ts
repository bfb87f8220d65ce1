"use client";

import { createContext, createElement, useCallback, useContext, useEffect, useRef, useTransition, type ReactNode, type TransitionStartFunction } from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";

type ListTransition = { pending: boolean; startTransition: TransitionStartFunction };

const ListTransitionContext = createContext<ListTransition | null>(null);

/**
 * One transition for every control of a list (toolbar, column headers, pagination): while the
 * server renders the next page, the list shows one progress indicator, whichever control asked.
 */
export function ListTransitionProvider({ children }: { children: ReactNode }) {
  const [pending, startTransition] = useTransition();
  return createElement(ListTransitionContext.Provider, { value: { pending, startTransition } }, children);
}

/** True while a list change (filter, sort, page, refresh) is on its way from the server. */
export function useListPending(): boolean {
  return useContext(ListTransitionContext)?.pending ?? false;
}

/**
 * List state (filters, sort, page) lives in the URL so that a view can be shared and reloaded.
 * Any change other than the page itself goes back to page 1. `optimistic` runs inside the same
 * transition, so a `useOptimistic` setter called there shows the change at once and gives way
 * to the server's answer when it arrives.
 */
export function useListParams() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [ownPending, ownStartTransition] = useTransition();
  const shared = useContext(ListTransitionContext);
  const startTransition = shared?.startTransition ?? ownStartTransition;

  // The URL asked for last, until the router shows it: a second change made while the first
  // is still on its way (two filters picked in quick succession) builds on the first instead of
  // on the URL of before, which would undo it.
  const asked = useRef<string | null>(null);
  const pending = shared?.pending ?? ownPending;
  const current = searchParams.toString();
  useEffect(() => {
    // Once nothing is on its way, the URL is the state again.
    if (!pending) asked.current = null;
  }, [pending, current]);

  const update = useCallback(
    (patch: Record<string, string | null>, optimistic?: () => void) => {
      const next = new URLSearchParams(asked.current ?? searchParams.toString());
      for (const [key, value] of Object.entries(patch)) {
        if (value === null || value === "") next.delete(key);
        else next.set(key, value);
      }
      if (!("page" in patch)) next.delete("page");
      const query = next.toString();
      asked.current = query === searchParams.toString() ? null : query;
      startTransition(() => {
        optimistic?.();
        router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
      });
    },
    [router, pathname, searchParams, startTransition],
  );

  return { update, pending };
}
