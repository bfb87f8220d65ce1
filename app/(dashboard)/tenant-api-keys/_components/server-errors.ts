import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import type { Failure } from "@/lib/result";

/**
 * Puts a server action's field errors next to their fields; returns the message to show above
 * the form for whatever is not tied to a field (limit reached, forbidden, database busy).
 */
export function applyServerErrors<T extends FieldValues>(
  error: Failure["error"],
  setError: UseFormSetError<T>,
  fields: readonly Path<T>[],
): string | null {
  let unplaced = error.code === "validation" ? null : error.message;
  for (const [field, messages] of Object.entries(error.fieldErrors ?? {})) {
    if ((fields as readonly string[]).includes(field)) {
      setError(field as Path<T>, { type: "server", message: messages[0] });
    } else {
      unplaced = messages[0];
    }
  }
  return unplaced;
}
