"use client";

import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { useForm, useWatch } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { Button, buttonClass } from "@/components/ui/button";
import { FieldError, Input, Label, SELECT_CLASS } from "@/components/ui/field";
import {
  EXPIRATION_PRESETS,
  apiKeyCreateSchema,
  type ApiKeyCreateInput,
  type ApiKeyCreateValues,
} from "@/lib/api-keys/schemas";
import { createApiKeyAction } from "../actions";
import { DEFAULT_ENVIRONMENT } from "@/lib/environments/defaults";
import { KeyFormFields, type KeyGroupOption, type KeyOwnerOptions } from "../_components/key-form-fields";
import { SecretDialog, type ShownSecret } from "../_components/secret-dialog";
import { applyServerErrors } from "../_components/server-errors";
import { LimitFields, type LimitValues } from "../_components/limit-fields";
import Link from "next/link";
import type { GenerateDefaults } from "@/lib/assistant/links";
import { keyToast } from "@/components/toaster";
import { useDuplicateName } from "../_components/use-duplicate-name";

type ExpirationChoice = "never" | "custom" | (typeof EXPIRATION_PRESETS)[number]["value"];

export function GenerateKeyForm({
  groups,
  owners,
  defaults,
}: {
  groups: KeyGroupOption[];
  owners: KeyOwnerOptions;
  defaults?: GenerateDefaults;
}) {
  const router = useRouter();
  const [choice, setChoice] = useState<ExpirationChoice>(
    (defaults?.expiresIn as ExpirationChoice | null) ?? (defaults?.expiresAt ? "custom" : "never"),
  );
  const [customDate, setCustomDate] = useState("");
  const [formError, setFormError] = useState<string | null>(null);
  const [shown, setShown] = useState<ShownSecret | null>(null);

  const {
    register,
    handleSubmit,
    setValue,
    setError,
    setFocus,
    control,
    formState: { errors, isSubmitting },
  } = useForm<ApiKeyCreateInput, unknown, ApiKeyCreateValues>({
    resolver: zodResolver(apiKeyCreateSchema),
    defaultValues: {
      name: defaults?.name ?? "",
      description: "",
      groupId: defaults?.groupId ?? "",
      // "+ Create Key" on a service account's page names it (?serviceAccount=).
      serviceAccountId: defaults?.serviceAccountId ?? "",
      // Every key has an environment: production unless the link or the user chooses another.
      environmentId: defaults?.environmentId || (owners.environments.find((e) => e.name === DEFAULT_ENVIRONMENT) ?? owners.environments[0])?.id || "",
      expiresIn: defaults?.expiresIn ?? undefined,
      expiresAt: defaults?.expiresIn ? "" : (defaults?.expiresAt ?? ""),
      ipAllowlist: defaults?.ipAllowlist ?? "",
      rateLimits: null,
      credits: null,
      creditsRefill: null,
    },
  });
  const groupId = useWatch({ control, name: "groupId" });
  const nameWarning = useDuplicateName(useWatch({ control, name: "name" }));
  // The custom date is the browser's local time: the hint names its zone (known only after hydration).
  const [timeZone, setTimeZone] = useState<string | null>(null);
  const setLimits = (values: LimitValues) => {
    setValue("rateLimits", values.rateLimits);
    setValue("credits", values.credits);
    setValue("creditsRefill", values.creditsRefill);
  };

  useEffect(() => {
    // Keyboard first: the page opens on its first field.
    setFocus("name");
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the browser's zone is known only after hydration
    setTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone || null);
  }, [setFocus]);

  useEffect(() => {
    if (!defaults?.fromAssistant) return;
    // The custom date input shows local time, which only the browser knows.
    if (defaults.expiresAt && !defaults.expiresIn) {
      const local = new Date(new Date(defaults.expiresAt).getTime() - new Date().getTimezoneOffset() * 60_000);
      // eslint-disable-next-line react-hooks/set-state-in-effect -- the browser's zone is known only after hydration
      setCustomDate(local.toISOString().slice(0, 16));
    }
    // Keyboard first: the pre-filled form is ready to check and submit with Enter.
    setFocus("name");
  }, [defaults, setFocus]);

  function chooseExpiration(next: ExpirationChoice, date = customDate) {
    setChoice(next);
    const preset = EXPIRATION_PRESETS.find((p) => p.value === next);
    setValue("expiresIn", preset ? preset.value : undefined);
    // datetime-local is the browser's local time; the schema and the server get an ISO instant.
    setValue("expiresAt", next === "custom" && date ? new Date(date).toISOString() : "", {
      shouldValidate: next === "custom" && !!date,
    });
  }

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    const result = await createApiKeyAction(values, defaults?.fromAssistant ? "assistant" : undefined);
    if (result.ok) {
      setShown({
        secret: result.value.secret,
        keyName: result.value.key.name,
        prefix: result.value.key.prefix,
        kind: "generated",
        keyId: result.value.key.id,
      });
      return;
    }
    setFormError(applyServerErrors(result.error, setError, ["name", "description", "groupId", "serviceAccountId", "environmentId", "expiresAt", "ipAllowlist", "rateLimits", "credits", "creditsRefill"]));
  });

  return (
    <>
      <form onSubmit={onSubmit} noValidate className="mt-6 space-y-5 rounded-lg border border-slate-200 bg-white p-6">
        <h2 className="text-base font-semibold">Key Information</h2>
        {defaults?.fromAssistant && (
          <p role="status" className="rounded-md border border-indigo-200 bg-indigo-50 px-3 py-2 text-sm text-indigo-800">
            Filled in by Ask Keyward. Check every field, then Generate: nothing has been created yet.
          </p>
        )}
        {formError && (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
            {formError}
          </p>
        )}
        <KeyFormFields
          register={register}
          errors={errors}
          groups={groups}
          owners={owners}
          idPrefix="generate"
          nameWarning={nameWarning}
        />
        <div>
          <Label htmlFor="generate-expiration">Expiration Date</Label>
          <select
            id="generate-expiration"
            className={SELECT_CLASS}
            value={choice}
            aria-describedby="generate-expiration-hint"
            onChange={(event) => chooseExpiration(event.target.value as ExpirationChoice)}
          >
            <option value="never">Never expires</option>
            {EXPIRATION_PRESETS.map((preset) => (
              <option key={preset.value} value={preset.value}>
                {preset.label}
              </option>
            ))}
            <option value="custom">Custom date…</option>
          </select>
          <p id="generate-expiration-hint" className="mt-1 text-xs text-slate-500">
            The key stops working after this date. Leave &ldquo;Never expires&rdquo; for a key without an expiry.
          </p>
          {choice === "custom" && (
            <div className="mt-3">
              <Label htmlFor="generate-expires-at">Custom expiration date</Label>
              <Input
                id="generate-expires-at"
                type="datetime-local"
                value={customDate}
                aria-describedby="generate-expires-at-zone"
                aria-invalid={!!errors.expiresAt}
                onChange={(event) => {
                  setCustomDate(event.target.value);
                  chooseExpiration("custom", event.target.value);
                }}
              />
              <p id="generate-expires-at-zone" data-testid="expiry-time-zone" className="mt-1 text-xs text-slate-500">
                {timeZone
                  ? `In your browser's time zone, ${timeZone} (UTC${utcOffset(new Date())}). The list shows it in UTC.`
                  : "In your browser's time zone. The list shows it in UTC."}
              </p>
            </div>
          )}
          <FieldError message={errors.expiresAt?.message ?? errors.expiresIn?.message} />
        </div>
        <LimitFields
          onChange={setLimits}
          errors={errors}
          initial={{ rateLimits: null, credits: null, creditsRefill: null }}
          groupLimits={groups.find((g) => g.id === groupId)?.rateLimits}
          idPrefix="generate"
        />
        <div className="flex items-center justify-end gap-3 pt-2">
          <Link href="/tenant-api-keys" className={buttonClass("secondary")}>
            Cancel
          </Link>
          <Button type="submit" disabled={isSubmitting}>
            {isSubmitting ? "Generating…" : "Generate"}
          </Button>
        </div>
      </form>
      <SecretDialog
        shown={shown}
        onClosed={() => {
          if (shown) keyToast("Generated", { name: shown.keyName, prefix: shown.prefix });
          const id = shown?.keyId;
          setShown(null);
          // The list marks the new row (aria-current) so it can be found among the others.
          router.push(id ? `/tenant-api-keys?highlight=${encodeURIComponent(id)}` : "/tenant-api-keys");
          router.refresh();
        }}
      />
    </>
  );
}

/** "+01:00": the offset of the browser's zone at `date`, as the hint prints it. */
function utcOffset(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}
