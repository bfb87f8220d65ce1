import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/lib/db";
import { canView } from "@/lib/auth/assert-can";
import { can } from "@/lib/auth/permissions";
import { listTokens } from "@/lib/tokens/revocation";
import { countActiveKeys } from "@/lib/api-keys/queries";
import { tenantKeySettings } from "@/lib/tenants/queries";
import { RevokeTokenButton } from "./revoke-token-button";

export const metadata: Metadata = { title: "Signed Tokens" };

/** The tenant's signed tokens (the 50 newest): who made them, scopes, expiry, and revoke. */
export default async function TokensPage() {
  const context = await canView("keys.read", "/tenant-api-keys/tokens");
  const now = new Date();
  const [tokens, live, { keyLimit }] = await Promise.all([
    listTokens(db, context.tenant.id),
    countActiveKeys(db, context.tenant.id, now),
    tenantKeySettings(db, context.tenant.id),
  ]);
  const canRevoke = can(context.role, "tokens.revoke");
  return (
    <div className="space-y-4">
      <Link href="/tenant-api-keys" className="text-sm text-indigo-700 hover:underline">
        ← API Keys
      </Link>
      <div className="flex items-end justify-between">
        <div>
          <h1 className="text-2xl font-semibold">Signed Tokens</h1>
          <p className="mt-1 text-sm text-slate-600">
            Revoking a token refuses it in Keyward at once; services that verify offline honour it when they next fetch{" "}
            <code>/v1/tokens/revocations</code>, and its expiry bounds it otherwise.
          </p>
          <p className="mt-1 text-sm text-slate-600">
            {live}/{keyLimit} places in use: an active token counts toward the tenant&apos;s key limit, beside its keys, until it
            expires or is revoked.
          </p>
        </div>
        <Link href="/tenant-api-keys/new?type=token" className="rounded-md bg-indigo-600 px-3 py-2 text-sm text-white">
          Generate JWT
        </Link>
      </div>
      <table className="w-full rounded-lg border border-slate-200 bg-white text-sm">
        <thead className="text-left text-slate-500">
          <tr>
            <th className="px-3 py-2">Name</th>
            <th className="px-3 py-2">Type</th>
            <th className="px-3 py-2">Subject</th>
            <th className="px-3 py-2">Scopes</th>
            <th className="px-3 py-2">Expires</th>
            <th className="px-3 py-2">Status</th>
            <th className="px-3 py-2"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {tokens.length === 0 && (
            <tr>
              <td colSpan={7} className="px-3 py-6 text-center text-slate-500">No signed tokens yet.</td>
            </tr>
          )}
          {tokens.map((t) => {
            const status = t.revokedAt ? "Revoked" : t.expiresAt <= now ? "Expired" : "Active";
            return (
              <tr key={t.id} className="border-t border-slate-100" data-testid="token-row">
                <td className="px-3 py-2 font-medium">{t.name}</td>
                <td className="px-3 py-2"><span className="rounded bg-violet-100 px-2 py-0.5 text-xs text-violet-800">JWT</span></td>
                <td className="px-3 py-2">{t.subject}</td>
                <td className="px-3 py-2 font-mono text-xs">{t.scopes}</td>
                <td className="px-3 py-2">{t.expiresAt.toISOString().replace("T", " ").slice(0, 16)} UTC</td>
                <td className="px-3 py-2">{status}</td>
                <td className="px-3 py-2 text-right">{canRevoke && status === "Active" && <RevokeTokenButton jti={t.id} name={t.name} />}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
