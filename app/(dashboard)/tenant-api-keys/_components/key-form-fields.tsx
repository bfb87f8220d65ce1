"use client";

import type { FieldErrors, UseFormRegister } from "react-hook-form";
import { FieldError, Input, Label, SELECT_CLASS, Textarea } from "@/components/ui/field";
import type { ApiKeyUpdateInput } from "@/lib/api-keys/schemas";

export type KeyGroupOption = { id: string; name: string; scopes: string; rateLimits?: { limit: number; windowSeconds: number }[] | null };

/** The tenant's service accounts and environments (lib/service-accounts/queries.ts keyOwnerOptions). */
export type KeyOwnerOptions = { serviceAccounts: { id: string; name: string }[]; environments: { id: string; name: string }[] };

type Values = ApiKeyUpdateInput;

function firstError(errors: FieldErrors<Values>, field: keyof Values): string | undefined {
  return errors[field]?.message as string | undefined;
}

/**
 * Key Name, Description, Authorization Group, Service account, Environment and IP Allowlist:
 * shared by Generate and Edit. Without `owners` (the command bar's edit) the two owner selects
 * are left out, and the key keeps its service account and environment.
 */
export function KeyFormFields({
  register,
  errors,
  groups,
  owners,
  idPrefix,
  nameWarning,
}: {
  register: UseFormRegister<Values>;
  errors: FieldErrors<Values>;
  groups: KeyGroupOption[];
  owners?: KeyOwnerOptions;
  idPrefix: string;
  /** A non-blocking warning about the name (another key has it: use-duplicate-name.ts). */
  nameWarning?: string | null;
}) {
  const id = (field: string) => `${idPrefix}-${field}`;
  const describedBy = (field: keyof Values, hint?: boolean) =>
    [hint ? id(`${field}-hint`) : null, firstError(errors, field) ? id(`${field}-error`) : null]
      .filter(Boolean)
      .join(" ") || undefined;

  return (
    <>
      <div>
        <Label htmlFor={id("name")}>Key Name</Label>
        <Input
          id={id("name")}
          aria-required="true"
          aria-invalid={!!errors.name}
          aria-describedby={[describedBy("name", true), nameWarning ? id("name-warning") : null].filter(Boolean).join(" ")}
          placeholder="e.g. ERP Integration"
          {...register("name")}
        />
        <p id={id("name-hint")} className="mt-1 text-xs text-slate-500">
          Display name used to identify the key in the list (2–200 characters).
        </p>
        <FieldError id={id("name-error")} message={firstError(errors, "name")} />
        {/* Always in the page, so that screen readers announce the warning when it appears. */}
        <p id={id("name-warning")} role="status" className="mt-1 text-xs text-amber-800 empty:hidden">
          {nameWarning ?? ""}
        </p>
      </div>
      <div>
        <Label htmlFor={id("description")}>Description</Label>
        <Textarea
          id={id("description")}
          rows={3}
          aria-invalid={!!errors.description}
          aria-describedby={describedBy("description")}
          placeholder="What is this key used for? (optional, max 1000 characters)"
          {...register("description")}
        />
        <FieldError id={id("description-error")} message={firstError(errors, "description")} />
      </div>
      <div>
        <Label htmlFor={id("groupId")}>Authorization Group</Label>
        <select
          id={id("groupId")}
          aria-required="true"
          aria-invalid={!!errors.groupId}
          aria-describedby={describedBy("groupId", true)}
          className={SELECT_CLASS}
          {...register("groupId")}
        >
          <option value="">Select a group…</option>
          {groups.map((group) => (
            <option key={group.id} value={group.id}>
              {group.name}
              {group.scopes ? ` (${group.scopes.split(" ").join(", ")})` : ""}
            </option>
          ))}
        </select>
        <p id={id("groupId-hint")} className="mt-1 text-xs text-slate-500">
          Determines what the key can access. Only groups of type Tenant API Key are listed.
        </p>
        <FieldError id={id("groupId-error")} message={firstError(errors, "groupId")} />
      </div>
      {owners && (
        <div className="grid gap-4 sm:grid-cols-2">
          <OwnerSelect
            field="serviceAccountId"
            label="Service account"
            hint="The machine that uses the key. Optional."
            options={owners.serviceAccounts}
            optional
            {...{ register, errors, id, describedBy }}
          />
          <OwnerSelect
            field="environmentId"
            label="Environment"
            hint="Where the key runs; production unless you choose another."
            options={owners.environments}
            {...{ register, errors, id, describedBy }}
          />
        </div>
      )}
      <div>
        <Label htmlFor={id("ipAllowlist")}>IP Allowlist</Label>
        <Textarea
          id={id("ipAllowlist")}
          rows={4}
          className="font-mono"
          aria-invalid={!!errors.ipAllowlist}
          aria-describedby={describedBy("ipAllowlist", true)}
          placeholder={"203.0.113.0/24\n2001:db8::/32"}
          {...register("ipAllowlist")}
        />
        <p id={id("ipAllowlist-hint")} className="mt-1 text-xs text-slate-500">
          One IPv4/IPv6 address or CIDR range per line. Leave empty to allow requests from any IP address.
        </p>
        <FieldError id={id("ipAllowlist-error")} message={firstError(errors, "ipAllowlist")} />
      </div>
    </>
  );
}

/**
 * One of the two owner selects. The service account may be "None" (the empty value, which the
 * schema makes null); every key has an environment, so that select offers only the tenant's.
 */
function OwnerSelect({
  field,
  label,
  hint,
  options,
  optional = false,
  register,
  errors,
  id,
  describedBy,
}: {
  field: "serviceAccountId" | "environmentId";
  label: string;
  hint: string;
  options: { id: string; name: string }[];
  optional?: boolean;
  register: UseFormRegister<Values>;
  errors: FieldErrors<Values>;
  id: (field: string) => string;
  describedBy: (field: keyof Values, hint?: boolean) => string | undefined;
}) {
  return (
    <div>
      <Label htmlFor={id(field)}>{label}</Label>
      <select
        id={id(field)}
        aria-invalid={!!errors[field]}
        aria-describedby={describedBy(field, true)}
        className={SELECT_CLASS}
        {...register(field)}
      >
        {optional && <option value="">None</option>}
        {options.map((option) => (
          <option key={option.id} value={option.id}>
            {option.name}
          </option>
        ))}
      </select>
      <p id={id(`${field}-hint`)} className="mt-1 text-xs text-slate-500">
        {hint}
      </p>
      <FieldError id={id(`${field}-error`)} message={firstError(errors, field)} />
    </div>
  );
}
