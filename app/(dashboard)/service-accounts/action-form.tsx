"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { Result } from "@/lib/result";

/**
 * A form whose fields go to a server action as one object; the action's refusal (its message
 * and field errors) is shown above the button, success refreshes the page or opens `goTo`.
 */
export function ActionForm({
  action,
  children,
  label,
  className,
  goTo,
}: {
  action: (input: Record<string, string>) => Promise<Result<{ id: string }>>;
  children: React.ReactNode;
  label: string;
  className?: string;
  /** Where to go after success: `{id}` becomes the result's id. Default: stay and refresh. */
  goTo?: string;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <form
      aria-label={label}
      className={className}
      onSubmit={(event) => {
        event.preventDefault();
        const input = Object.fromEntries([...new FormData(event.currentTarget)].map(([k, v]) => [k, String(v)]));
        start(async () => {
          const result = await action(input);
          if (!result.ok) {
            const fields = Object.values(result.error.fieldErrors ?? {}).flat();
            setError(fields.length ? fields.join(" ") : result.error.message);
            return;
          }
          setError(null);
          if (goTo) router.push(goTo.replace("{id}", encodeURIComponent(result.value.id)));
          else router.refresh();
        });
      }}
    >
      {children}
      {error && (
        <p role="alert" className="basis-full text-sm text-red-700">
          {error}
        </p>
      )}
      {pending && <span className="sr-only" role="status">Saving…</span>}
    </form>
  );
}
