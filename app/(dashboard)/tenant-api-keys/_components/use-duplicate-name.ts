"use client";

import { useEffect, useState } from "react";
import { duplicateKeyNameAction } from "../actions";

/**
 * The warning the Generate and Edit forms show while the typed name is another key's (of
 * this tenant, not revoked). It does not block: two keys may share a name, but the list and
 * the dialogs would then tell them apart only by prefix. Asked after a pause in typing.
 */
export function useDuplicateName(name: string | undefined, exceptKeyId?: string): string | null {
  const [warning, setWarning] = useState<string | null>(null);
  useEffect(() => {
    const typed = (name ?? "").trim();
    if (typed.length < 2) {
      const clear = setTimeout(() => setWarning(null), 0);
      return () => clearTimeout(clear);
    }
    let current = true;
    const timer = setTimeout(async () => {
      const result = await duplicateKeyNameAction(typed, exceptKeyId);
      if (!current) return;
      setWarning(
        result.ok && result.value
          ? `Another key is already named "${result.value.name}" (${result.value.prefix}…). You can keep the name, but a distinct one tells them apart.`
          : null,
      );
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [name, exceptKeyId]);
  return warning;
}
