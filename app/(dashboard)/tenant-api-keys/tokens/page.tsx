import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { canView } from "@/lib/auth/assert-can";

export const metadata: Metadata = { title: "Signed Tokens" };

/**
 * Signed tokens are listed in the key table itself (issue 14), with a JWT badge, Revoke and their
 * last use; this address, linked before, stays as that list filtered to tokens.
 */
export default async function TokensPage() {
  await canView("keys.read", "/tenant-api-keys/tokens");
  redirect("/tenant-api-keys?kind=token");
}
