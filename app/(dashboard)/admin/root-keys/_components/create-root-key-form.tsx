"use client";

import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import type { z } from "zod";
import { Button } from "@/components/ui/button";
import { FieldError, Input, Label } from "@/components/ui/field";
import { rootKeyInputSchema } from "@/lib/root-keys/schemas";
import type { CreatedRootKey } from "@/lib/root-keys/mutations";
import { createRootKeyAction } from "../actions";

type FormInput = z.input<typeof rootKeyInputSchema>;
type FormOutput = z.output<typeof rootKeyInputSchema>;

/** Name and reach of a new root key; the same zod schema as the server action. */
export function CreateRootKeyForm({ tenants, onCreated }: { tenants: { id: string; name: string }[]; onCreated: (created: CreatedRootKey) => void }) {
  const router = useRouter();
  const {
    register,
    handleSubmit,
    watch,
    reset,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<FormInput, unknown, FormOutput>({
    resolver: zodResolver(rootKeyInputSchema),
    defaultValues: { name: "", allTenants: true, tenantIds: [] },
  });
  const allTenants = watch("allTenants");

  return (
    <form
      aria-labelledby="create-root-key-heading"
      className="space-y-4 rounded-xl border border-slate-200 bg-white p-4"
      onSubmit={handleSubmit(async (values) => {
        const result = await createRootKeyAction(values);
        if (!result.ok) {
          const fields = result.error.fieldErrors ?? {};
          for (const [field, messages] of Object.entries(fields)) {
            if (field === "name" || field === "tenantIds") setError(field, { message: messages[0] });
          }
          if (!fields.name && !fields.tenantIds) setError("root", { message: result.error.message });
          return;
        }
        reset();
        onCreated(result.value);
        router.refresh();
      })}
    >
      <h2 id="create-root-key-heading" className="text-base font-semibold">
        Create a root key
      </h2>
      <div>
        <Label htmlFor="root-key-name">Name</Label>
        <Input id="root-key-name" aria-invalid={!!errors.name} aria-describedby="root-key-name-error" {...register("name")} />
        <FieldError id="root-key-name-error" message={errors.name?.message} />
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">May verify keys of</legend>
        <label className="mt-2 flex items-center gap-2 text-sm">
          <input type="checkbox" {...register("allTenants")} /> All tenants
        </label>
        {!allTenants && (
          <div className="mt-2 grid gap-1 pl-6">
            {tenants.map((tenant) => (
              <label key={tenant.id} className="flex items-center gap-2 text-sm">
                <input type="checkbox" value={tenant.id} {...register("tenantIds")} /> {tenant.name}
              </label>
            ))}
          </div>
        )}
        <FieldError message={errors.tenantIds?.message} />
      </fieldset>
      {errors.root && (
        <p role="alert" className="text-sm text-red-700">
          {errors.root.message}
        </p>
      )}
      <Button type="submit" disabled={isSubmitting}>
        Create root key
      </Button>
    </form>
  );
}
