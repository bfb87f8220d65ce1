"use client";

import { useState } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import { FieldError, Input, Label } from "@/components/ui/field";
import { credentialWriteSchema, otherSlot, type CredentialWriteInput } from "@/lib/connections/schemas";
import type { PublicConnection } from "@/lib/connections/row";
import { applyServerErrors } from "../../../tenant-api-keys/_components/server-errors";
import { switchSlotAction, testCredentialAction, writeCredentialAction } from "../actions";

/**
 * Update Credentials: the new credential is written into the inactive slot and tested against
 * the real system; Save switches to it only after the Test passed. A failed Test leaves the
 * active slot serving, keeps what was typed except the secret (write-only: never kept in the
 * page once sent), and says why.
 */
export function UpdateCredentialsDialog({ connection, onClose }: { connection: PublicConnection; onClose: () => void }) {
  const target = otherSlot(connection.activeSlot);
  const [outcome, setOutcome] = useState<{ passed: boolean; message: string; version: number } | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  // Each write bumps the connection's version: a second Test in the same dialog sends the new one.
  const [version, setVersion] = useState(connection.version);
  const isPostgres = connection.kind === "postgresql";
  const current = connection.slots.find((s) => s.active);
  const {
    register,
    handleSubmit,
    setError,
    resetField,
    formState: { errors, isSubmitting },
  } = useForm<CredentialWriteInput>({
    resolver: zodResolver(credentialWriteSchema),
    defaultValues: { username: isPostgres ? (current?.username ?? "") : "", secret: "" },
  });

  const onTest = handleSubmit(async (values) => {
    setFormError(null);
    setOutcome(null);
    const written = await writeCredentialAction(connection.id, values, version);
    // The secret has left the page: it is never kept in the form, whatever happens next.
    resetField("secret", { defaultValue: "" });
    if (!written.ok) return setFormError(applyServerErrors(written.error, setError, ["username", "secret"]));
    setVersion(written.value.version);
    if (connection.kind === "secret") {
      return setOutcome({ passed: false, message: "Written. A generic secret has no system to test: save it untested.", version: written.value.version });
    }
    const tested = await testCredentialAction(connection.id, target);
    if (!tested.ok) return setFormError(tested.error.message);
    setVersion(tested.value.connection.version);
    setOutcome({ passed: tested.value.passed, message: tested.value.message, version: tested.value.connection.version });
  });

  async function save(untested: boolean) {
    if (!outcome) return;
    setSaving(true);
    const result = await switchSlotAction(connection.id, { untested, expectedVersion: outcome.version });
    setSaving(false);
    if (result.ok) return onClose();
    setFormError(result.error.message);
  }

  const busy = isSubmitting || saving;
  return (
    <Dialog open onOpenChange={(open) => !open && !busy && onClose()}>
      <DialogContent className="max-w-lg">
        <DialogTitle>Update Credentials: {connection.name}</DialogTitle>
        <DialogDescription>
          The new credential goes into the <strong>{target}</strong> slot; the {connection.activeSlot} slot keeps serving until you Save.
        </DialogDescription>
        <form onSubmit={onTest} noValidate className="mt-4 space-y-4">
          {formError && (
            <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
              {formError}
            </p>
          )}
          {isPostgres && (
            <div>
              <Label htmlFor="credential-username">User</Label>
              <Input id="credential-username" autoComplete="off" aria-invalid={!!errors.username} {...register("username")} />
              <FieldError message={errors.username?.message} />
            </div>
          )}
          <div>
            <Label htmlFor="credential-secret">{isPostgres ? "Password" : "Secret"}</Label>
            <Input id="credential-secret" type="password" autoComplete="new-password" aria-invalid={!!errors.secret} {...register("secret")} />
            <FieldError message={errors.secret?.message} />
          </div>
          {outcome && (
            <p role="status" className={`rounded-md px-3 py-2 text-sm ${outcome.passed ? "bg-green-50 text-green-800" : "bg-amber-50 text-amber-900"}`}>
              {outcome.passed ? "Test passed: " : "Test did not pass: "}
              {outcome.message}
            </p>
          )}
          <div className="flex flex-wrap justify-end gap-3 pt-2">
            <Button variant="secondary" disabled={busy} onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" variant="secondary" disabled={busy}>
              {isSubmitting ? "Testing…" : "Test"}
            </Button>
            {outcome && !outcome.passed && (
              <Button variant="secondary" disabled={busy} onClick={() => save(true)}>
                Save untested
              </Button>
            )}
            <Button disabled={busy || !outcome?.passed} onClick={() => save(false)}>
              {saving ? "Saving…" : "Save"}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
