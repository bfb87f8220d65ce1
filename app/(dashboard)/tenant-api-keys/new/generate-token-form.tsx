"use client";

import { useState } from "react";
import Link from "next/link";
import { Button, buttonClass } from "@/components/ui/button";
import { FieldError, Input, Label, SELECT_CLASS } from "@/components/ui/field";
import { parseScopes } from "@/lib/auth/permissions";
import { TOKEN_EXPIRY_PRESETS, TOKEN_EXPIRY_PRESET_IDS } from "@/lib/tokens/presets";
import type { TokenClaims } from "@/lib/tokens/issue";
import { issueTokenAction } from "../tokens/actions";
import type { KeyGroupOption } from "../_components/key-form-fields";
import { TokenDialog } from "./token-dialog";

/**
 * "Signed token (JWT)": a name, an expiry preset (required: a token always expires) and scopes
 * chosen from an authorization group's. The server checks all of it again (lib/tokens/issue.ts).
 */
export function GenerateTokenForm({ groups }: { groups: KeyGroupOption[] }) {
  const [name, setName] = useState("");
  const [expiresIn, setExpiresIn] = useState("");
  const [groupId, setGroupId] = useState("");
  const [scopes, setScopes] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [shown, setShown] = useState<{ token: string; claims: TokenClaims } | null>(null);
  const group = groups.find((g) => g.id === groupId);

  function chooseGroup(id: string) {
    setGroupId(id);
    // Least privilege is one click away, but the group's scopes are the starting point.
    setScopes(parseScopes(groups.find((g) => g.id === id)?.scopes ?? ""));
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setPending(true);
    setFormError(null);
    try {
      const result = await issueTokenAction({ name, expiresIn, groupId, scopes });
      if (result.ok) {
        setErrors({});
        setShown({ token: result.value.token, claims: result.value.claims });
      } else {
        setErrors(result.error.fieldErrors ?? {});
        setFormError(result.error.message);
      }
    } finally {
      setPending(false);
    }
  }

  return (
    <>
      <form onSubmit={submit} noValidate className="mt-6 space-y-5 rounded-lg border border-slate-200 bg-white p-6">
        <h2 className="text-base font-semibold">Token Information</h2>
        <p className="text-sm text-slate-600">
          A signed token (ES256 JWT) that services can check offline against <code>/.well-known/jwks.json</code>. It always
          expires; a revoke reaches offline verifiers only when they refresh the revocation list.
        </p>
        {formError && (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
            {formError}
          </p>
        )}
        <div>
          <Label htmlFor="token-name">Name</Label>
          <Input id="token-name" value={name} onChange={(e) => setName(e.target.value)} aria-invalid={!!errors.name} maxLength={100} />
          <FieldError message={errors.name?.[0]} />
        </div>
        <div>
          <Label htmlFor="token-expiry">Expiration</Label>
          <select id="token-expiry" className={SELECT_CLASS} value={expiresIn} onChange={(e) => setExpiresIn(e.target.value)} aria-invalid={!!errors.expiresIn}>
            <option value="">Choose an expiry…</option>
            {TOKEN_EXPIRY_PRESET_IDS.map((id) => (
              <option key={id} value={id}>
                {TOKEN_EXPIRY_PRESETS[id].label} — {TOKEN_EXPIRY_PRESETS[id].goodFor}
              </option>
            ))}
          </select>
          <FieldError message={errors.expiresIn?.[0]} />
        </div>
        <div>
          <Label htmlFor="token-group">Authorization group</Label>
          <select id="token-group" className={SELECT_CLASS} value={groupId} onChange={(e) => chooseGroup(e.target.value)} aria-invalid={!!errors.groupId}>
            <option value="">Choose a group…</option>
            {groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
          <FieldError message={errors.groupId?.[0]} />
        </div>
        {group && (
          <fieldset>
            <legend className="text-sm font-medium text-slate-800">Scopes (least privilege: keep only what it needs)</legend>
            {parseScopes(group.scopes).map((scope) => (
              <label key={scope} className="mt-1 flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  checked={scopes.includes(scope)}
                  onChange={(e) => setScopes(e.target.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope))}
                />
                <code>{scope}</code>
              </label>
            ))}
            <FieldError message={errors.scopes?.[0]} />
          </fieldset>
        )}
        <div className="flex items-center justify-end gap-3 pt-2">
          <Link href="/tenant-api-keys?kind=token" className={buttonClass("secondary")}>
            Issued tokens
          </Link>
          <Button type="submit" disabled={pending}>
            {pending ? "Generating…" : "Generate JWT"}
          </Button>
        </div>
      </form>
      <TokenDialog shown={shown} onClosed={() => setShown(null)} />
    </>
  );
}
