import type { Prisma } from "@/lib/generated/prisma/client";
import { isKind, type ConnectionKind, type ConnectionSettings, type Slot } from "./schemas";
import { envelopeKekId } from "./envelope";

/** Everything a change or a read loads of a connection, envelopes included (never sent to a page). */
export const connectionSelect = {
  id: true,
  tenantId: true,
  name: true,
  kind: true,
  settings: true,
  activeSlot: true,
  primaryUsername: true,
  primaryEnvelope: true,
  primarySetAt: true,
  primaryTestedAt: true,
  primaryTestPassed: true,
  secondaryUsername: true,
  secondaryEnvelope: true,
  secondarySetAt: true,
  secondaryTestedAt: true,
  secondaryTestPassed: true,
  switchedAt: true,
  version: true,
  createdAt: true,
} satisfies Prisma.ConnectionSelect;
export type ConnectionRecord = Prisma.ConnectionGetPayload<{ select: typeof connectionSelect }>;

export type SlotState = {
  slot: Slot;
  username: string | null;
  envelope: string | null;
  setAt: Date | null;
  testedAt: Date | null;
  testPassed: boolean | null;
};

export function slotOf(row: ConnectionRecord, slot: Slot): SlotState {
  return slot === "primary"
    ? { slot, username: row.primaryUsername, envelope: row.primaryEnvelope, setAt: row.primarySetAt, testedAt: row.primaryTestedAt, testPassed: row.primaryTestPassed }
    : { slot, username: row.secondaryUsername, envelope: row.secondaryEnvelope, setAt: row.secondarySetAt, testedAt: row.secondaryTestedAt, testPassed: row.secondaryTestPassed };
}

/** Column values of one slot, for an update. */
export function slotData(slot: Slot, values: Partial<Omit<SlotState, "slot">>) {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(values)) out[`${slot}${field[0].toUpperCase()}${field.slice(1)}`] = value;
  return out as Prisma.ConnectionUpdateInput;
}

export const activeSlotOf = (row: { activeSlot: string }): Slot => (row.activeSlot === "secondary" ? "secondary" : "primary");

/** A slot's last Test counts only when it was made after the credential was written. */
export function testedOk(state: SlotState): boolean {
  return state.testPassed === true && state.testedAt !== null && state.setAt !== null && state.testedAt >= state.setAt;
}

/** What the dashboard shows of a slot: never the secret, not even its envelope. */
export type PublicSlot = {
  slot: Slot;
  active: boolean;
  username: string | null;
  hasCredential: boolean;
  setAt: string | null;
  testedAt: string | null;
  testPassed: boolean | null;
  kekId: string | null;
};

export type PublicConnection = {
  id: string;
  name: string;
  kind: ConnectionKind;
  settings: ConnectionSettings;
  activeSlot: Slot;
  slots: PublicSlot[];
  switchedAt: string | null;
  version: number;
  createdAt: string;
};

function kekIdOf(envelope: string | null): string | null {
  if (!envelope) return null;
  try {
    return envelopeKekId(envelope);
  } catch {
    return "damaged";
  }
}

export function toPublicConnection(row: ConnectionRecord): PublicConnection {
  const active = activeSlotOf(row);
  return {
    id: row.id,
    name: row.name,
    kind: isKind(row.kind) ? row.kind : "secret",
    settings: JSON.parse(row.settings) as ConnectionSettings,
    activeSlot: active,
    slots: (["primary", "secondary"] as const).map((slot) => {
      const s = slotOf(row, slot);
      return {
        slot,
        active: slot === active,
        username: s.username,
        hasCredential: s.envelope !== null,
        setAt: s.setAt?.toISOString() ?? null,
        testedAt: s.testedAt?.toISOString() ?? null,
        testPassed: s.testPassed,
        kekId: kekIdOf(s.envelope),
      };
    }),
    switchedAt: row.switchedAt?.toISOString() ?? null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
  };
}
