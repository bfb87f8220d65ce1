"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { Button } from "@/components/ui/button";
import { FieldError, Input, Label, SELECT_CLASS } from "@/components/ui/field";
import { CONNECTION_KINDS, KIND_LABELS, connectionCreateSchema, type ConnectionCreateInput } from "@/lib/connections/schemas";
import { applyServerErrors } from "../../../tenant-api-keys/_components/server-errors";
import { createConnectionAction } from "../actions";

const FIELDS = ["name", "kind", "host", "port", "database", "baseUrl", "headerName", "testPath", "username", "secret"] as const;

/** A new connection with its first credential (the primary slot); the secret field is write-only. */
export function NewConnectionForm({ onDone }: { onDone: () => void }) {
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    resetField,
    watch,
    formState: { errors, isSubmitting },
  } = useForm<ConnectionCreateInput>({
    resolver: zodResolver(connectionCreateSchema),
    defaultValues: { name: "", kind: "postgresql", host: "", port: "5432", database: "", baseUrl: "", headerName: "Authorization", testPath: "/", username: "", secret: "" },
  });
  const kind = watch("kind");

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    const result = await createConnectionAction(values);
    resetField("secret", { defaultValue: "" });
    if (!result.ok) return setFormError(applyServerErrors(result.error, setError, FIELDS));
    router.refresh();
    onDone();
  });

  const field = (name: (typeof FIELDS)[number], label: string, props: Record<string, unknown> = {}) => (
    <div>
      <Label htmlFor={`connection-${name}`}>{label}</Label>
      <Input id={`connection-${name}`} autoComplete="off" aria-invalid={!!errors[name]} {...props} {...register(name)} />
      <FieldError message={errors[name]?.message} />
    </div>
  );

  return (
    <form onSubmit={onSubmit} noValidate aria-label="New connection" className="space-y-4 rounded-lg border border-slate-200 bg-white p-5">
      <h2 className="text-base font-semibold">New connection</h2>
      {formError && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          {formError}
        </p>
      )}
      {field("name", "Name")}
      <div>
        <Label htmlFor="connection-kind">Kind</Label>
        <select id="connection-kind" className={SELECT_CLASS} {...register("kind")}>
          {CONNECTION_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </div>
      {kind === "postgresql" && (
        <>
          {field("host", "Host")}
          {field("port", "Port", { inputMode: "numeric" })}
          {field("database", "Database")}
          {field("username", "User")}
        </>
      )}
      {kind === "http" && (
        <>
          {field("baseUrl", "Base URL", { placeholder: "https://api.example.com" })}
          {field("headerName", "Header name")}
          {field("testPath", "Test path")}
        </>
      )}
      {field("secret", kind === "postgresql" ? "Password" : "Secret", { type: "password", autoComplete: "new-password" })}
      <div className="flex justify-end gap-3">
        <Button variant="secondary" disabled={isSubmitting} onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? "Creating…" : "Create connection"}
        </Button>
      </div>
    </form>
  );
}
