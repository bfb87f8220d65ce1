"use client";

import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import { apiKeyUpdateSchema, type ApiKeyUpdateInput, type ApiKeyUpdateValues } from "@/lib/api-keys/schemas";
import { updateApiKeyAction } from "../actions";
import { KeyFormFields, type KeyGroupOption, type KeyOwnerOptions } from "./key-form-fields";
import type { KeyListItem } from "@/lib/api-keys/serialize";
import type { ApiKeyRow } from "@/lib/api-keys/row";
import { useDuplicateName } from "./use-duplicate-name";
import { applyServerErrors } from "./server-errors";
import { LimitFields, type LimitValues } from "./limit-fields";

/**
 * Edit name, description, group, service account, environment and IP allowlist; the secret and
 * the expiry stay as they are.
 */
export function EditKeyDialog({
  item,
  groups,
  owners,
  onClose,
  onSaved,
  initial,
  via,
  onCloseAutoFocus,
}: {
  item: KeyListItem;
  groups: KeyGroupOption[];
  /** The owner selects' choices; without them the form leaves the key's owner fields as they are. */
  owners?: KeyOwnerOptions;
  onClose: () => void;
  /** With the key as saved: its new name, for the toast. */
  onSaved: (key: ApiKeyRow) => void;
  onCloseAutoFocus?: (event: Event) => void;
  /** Changes the command bar proposes, shown in the form before anything is saved. */
  initial?: { name?: string; ipAllowlist?: string };
  via?: "assistant";
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    setValue,
    control,
    formState: { errors, isSubmitting },
  } = useForm<ApiKeyUpdateInput, unknown, ApiKeyUpdateValues>({
    resolver: zodResolver(apiKeyUpdateSchema),
    defaultValues: {
      name: initial?.name ?? item.name,
      description: item.description ?? "",
      groupId: item.group.id,
      ipAllowlist: initial?.ipAllowlist ?? item.ipAllowlist,
      rateLimits: item.rateLimits,
      credits: item.credits,
      creditsRefill: item.creditsRefill,
      // Only with the selects on screen: an absent field keeps what the key has (the schema).
      ...(owners ? { serviceAccountId: item.serviceAccount?.id ?? "", environmentId: item.environment?.id ?? "" } : {}),
    },
  });
  const nameWarning = useDuplicateName(useWatch({ control, name: "name" }), item.id);
  const setLimits = (values: LimitValues) => {
    setValue("rateLimits", values.rateLimits);
    setValue("credits", values.credits);
    setValue("creditsRefill", values.creditsRefill);
  };

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    const result = await updateApiKeyAction(item.id, values, item.version, via);
    if (result.ok) return onSaved(result.value);
    setFormError(applyServerErrors(result.error, setError, ["name", "description", "groupId", "serviceAccountId", "environmentId", "ipAllowlist", "rateLimits", "credits", "creditsRefill"]));
  });

  return (
    <Dialog open onOpenChange={(open) => !open && !isSubmitting && onClose()}>
      <DialogContent width="form" onCloseAutoFocus={onCloseAutoFocus}>
        <DialogTitle>Edit API Key</DialogTitle>
        <DialogDescription>
          Change how <strong>{item.name}</strong> ({item.prefix}…) is described and what it may access. The secret and
          the expiration date stay the same; rotating keeps the expiry too. For another expiry, generate a new key and
          revoke this one.
        </DialogDescription>
        <form onSubmit={onSubmit} noValidate className="mt-4 space-y-4">
          {formError && (
            <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
              {formError}
            </p>
          )}
          <KeyFormFields register={register} errors={errors} groups={groups} owners={owners} idPrefix="edit" nameWarning={nameWarning} />
          <LimitFields
            onChange={setLimits}
            errors={errors}
            initial={{ rateLimits: item.rateLimits, credits: item.credits, creditsRefill: item.creditsRefill }}
            groupLimits={groups.find((g) => g.id === item.group.id)?.rateLimits}
            idPrefix="edit"
          />
          <div className="flex justify-end gap-3 pt-2">
            <Button variant="secondary" disabled={isSubmitting} onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={isSubmitting}>
              {isSubmitting ? "Saving…" : "Save"}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
