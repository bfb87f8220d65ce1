"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import { describeWindow } from "@/lib/rate-limits/key-fields";
import { groupRateLimitsSchema, type GroupRateLimitsInput, type GroupRateLimitsValues, type RateLimitWindow } from "@/lib/rate-limits/schemas";
import { LimitFields, type LimitValues } from "../../tenant-api-keys/_components/limit-fields";
import { applyServerErrors } from "../../tenant-api-keys/_components/server-errors";
import { setGroupRateLimitsAction } from "../actions";

export type GroupRow = { id: string; name: string; description: string | null; scopes: string; rateLimits: RateLimitWindow[] | null; keys: number };

const describe = (windows: RateLimitWindow[] | null) => (windows?.length ? windows.map(describeWindow).join(", ") : "None");

/** The tenant's key groups with their windows; Edit when the role may (`denied` says why not). */
export function GroupLimitsSection({ groups, denied }: { groups: GroupRow[]; denied: string | null }) {
  const router = useRouter();
  const [editing, setEditing] = useState<GroupRow | null>(null);
  return (
    <section aria-labelledby="group-limits-heading" className="mt-6 rounded-lg border border-slate-200 bg-white p-5">
      <h2 id="group-limits-heading" className="text-base font-semibold">
        Authorization groups
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Rate limits of each group apply to its keys that have no limits of their own; a key&apos;s own limits replace them.
      </p>
      <table className="mt-3 w-full text-left text-sm">
        <thead className="text-slate-500">
          <tr>
            <th className="py-2 font-medium">Group</th>
            <th className="py-2 font-medium">Scopes</th>
            <th className="py-2 font-medium">Rate limits</th>
            <th className="py-2 font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {groups.map((group) => (
            <tr key={group.id} className="border-t border-slate-100" aria-label={group.name}>
              <td className="py-2">
                {group.name}
                <span className="block text-xs text-slate-500">{group.keys === 1 ? "1 key" : `${group.keys} keys`}</span>
              </td>
              <td className="py-2">{group.scopes.split(" ").filter(Boolean).join(", ") || "None"}</td>
              <td className="py-2">{describe(group.rateLimits)}</td>
              <td className="py-2 text-right">
                <Button variant="secondary" disabled={denied !== null} title={denied ?? undefined} aria-label={`Edit rate limits of ${group.name}`} onClick={() => setEditing(group)}>
                  Edit
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {denied && <p className="mt-2 text-xs text-slate-500">{denied}</p>}
      {editing && (
        <GroupLimitsDialog
          group={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            router.refresh();
          }}
        />
      )}
    </section>
  );
}

function GroupLimitsDialog({ group, onClose, onSaved }: { group: GroupRow; onClose: () => void; onSaved: () => void }) {
  const [formError, setFormError] = useState<string | null>(null);
  const {
    handleSubmit,
    setError,
    setValue,
    formState: { errors, isSubmitting },
  } = useForm<GroupRateLimitsInput, unknown, GroupRateLimitsValues>({
    resolver: zodResolver(groupRateLimitsSchema),
    defaultValues: { rateLimits: group.rateLimits ?? [] },
  });
  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    const result = await setGroupRateLimitsAction(group.id, values);
    if (result.ok) return onSaved();
    setFormError(applyServerErrors(result.error, setError, ["rateLimits"]));
  });
  return (
    <Dialog open onOpenChange={(open) => !open && !isSubmitting && onClose()}>
      <DialogContent width="form">
        <DialogTitle>Rate limits of {group.name}</DialogTitle>
        <DialogDescription>
          These windows apply at once to every key of <strong>{group.name}</strong> that has no limits of its own.
        </DialogDescription>
        <form onSubmit={onSubmit} noValidate className="mt-4 space-y-4">
          {formError && (
            <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
              {formError}
            </p>
          )}
          <LimitFields
            forGroup
            onChange={(values: LimitValues) => setValue("rateLimits", values.rateLimits)}
            errors={errors}
            initial={{ rateLimits: group.rateLimits ?? [], credits: null, creditsRefill: null }}
            idPrefix="group"
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
