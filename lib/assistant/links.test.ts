import { describe, expect, it } from "vitest";
import { EXPIRATION_PRESETS } from "@/lib/api-keys/schemas";
import { generateDefaults, proposalHref } from "./links";

const presets = EXPIRATION_PRESETS.map((p) => p.value);

describe("the generate form pre-filled from a proposal", () => {
  it("round-trips name, group, preset and allowlist through the URL, marked as from the assistant", () => {
    const href = proposalHref({
      kind: "create",
      name: "Mobile App",
      group: { id: "g_ro", name: "Read only", defaulted: true },
      expiresIn: "30d",
      expiresAt: null,
      ipAllowlist: "10.0.0.0/8\n192.168.1.1",
    });
    expect(href).toMatch(/^\/tenant-api-keys\/new\?/);
    const search = Object.fromEntries(new URL(href!, "http://x").searchParams);
    expect(generateDefaults(search, ["g_ro", "g_full"], presets)).toEqual({
      name: "Mobile App",
      groupId: "g_ro",
      expiresIn: "30d",
      expiresAt: "",
      ipAllowlist: "10.0.0.0/8\n192.168.1.1",
      serviceAccountId: "",
      environmentId: "",
      fromAssistant: true,
    });
  });

  it("carries a date as an ISO instant", () => {
    const href = proposalHref({ kind: "create", name: "A b", group: null, expiresIn: null, expiresAt: "2027-03-03T12:00:00.000Z", ipAllowlist: null });
    const search = Object.fromEntries(new URL(href!, "http://x").searchParams);
    expect(generateDefaults(search, [], presets)).toMatchObject({ expiresIn: null, expiresAt: "2027-03-03T12:00:00.000Z" });
  });

  it("drops a group of another tenant, an unknown preset and a date that is not one", () => {
    const defaults = generateDefaults(
      { name: "x".repeat(500), group: "g_other_tenant", expiresIn: "1y", expiresAt: "soon", via: "someone" },
      ["g_ro"],
      presets,
    );
    expect(defaults).toMatchObject({ groupId: "", expiresIn: null, expiresAt: "", fromAssistant: false });
    expect(defaults.name).toHaveLength(200);
  });

  it("pre-fills the tenant's own service account and environment, and drops ids it does not have", () => {
    const owners = { serviceAccountIds: ["sa_mine"], environmentIds: ["env_prod"] };
    expect(generateDefaults({ serviceAccount: "sa_mine", environment: "env_prod" }, [], presets, owners)).toMatchObject({
      serviceAccountId: "sa_mine",
      environmentId: "env_prod",
    });
    expect(generateDefaults({ serviceAccount: "sa_other_tenant", environment: ["env_x", "env_prod"] }, [], presets, owners)).toMatchObject({
      serviceAccountId: "",
      environmentId: "",
    });
  });

  it("views open the filters the list and the audit log already read", () => {
    expect(proposalHref({ kind: "viewKeys", params: { expiry: "expiring_soon" } })).toBe("/tenant-api-keys?expiry=expiring_soon");
    expect(proposalHref({ kind: "viewAudit", params: { actor: "admin@acme.test", from: "2026-11-30", to: "2026-11-30" } })).toBe(
      "/audit-log?actor=admin%40acme.test&from=2026-11-30&to=2026-11-30",
    );
    expect(proposalHref({ kind: "revokeAll" })).toBeNull();
  });
});
