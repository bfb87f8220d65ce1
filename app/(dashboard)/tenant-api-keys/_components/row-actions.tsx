"use client";

import type { ReactNode } from "react";
import { Pause, Pencil, Play, RefreshCw, TimerOff, Trash2 } from "lucide-react";
import type { KeyListItem } from "@/lib/api-keys/serialize";

export type KeyAction = "edit" | "rotate" | "revoke" | "disable" | "enable" | "end_overlap" | "revoke_token";

function IconButton({
  label,
  disabledReason,
  onClick,
  danger,
  children,
}: {
  label: string;
  disabledReason: string | null;
  onClick: () => void;
  danger?: boolean;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      aria-label={label}
      title={disabledReason ?? label}
      disabled={disabledReason !== null}
      onClick={onClick}
      className={`rounded-md p-1 focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-40 ${
        danger ? "text-red-700 hover:bg-red-50" : "text-slate-700 hover:bg-slate-100"
      }`}
    >
      {children}
    </button>
  );
}

/** Why Edit and Rotate are unavailable for a key in this state (null: they are available); the list's rows and the key page. */
export function inactiveReason(status: string): string | null {
  if (status === "expired") return "Expired keys cannot be changed; generate a new key.";
  if (status === "disabled") return "Re-enable the key to edit or rotate it.";
  return null;
}

/** Pencil, circular arrows and trash; disabled with the reason when the role or state forbids. */
export function RowActions({
  item,
  roleDenied,
  onAction,
}: {
  item: KeyListItem;
  roleDenied: string | null;
  onAction: (action: KeyAction, item: KeyListItem) => void;
}) {
  if (item.status === "revoked") return <span className="text-xs text-slate-500">Revoked</span>;
  // A signed token can only be revoked (its claims are signed; nothing else of it can change).
  if (item.kind === "token") {
    if (item.status === "expired") return <span className="text-xs text-slate-500">Expired</span>;
    return (
      <IconButton label={`Revoke token ${item.name}`} disabledReason={roleDenied} danger onClick={() => onAction("revoke_token", item)}>
        <Trash2 aria-hidden="true" className="size-4" />
      </IconButton>
    );
  }
  const inactive = inactiveReason(item.status);
  const disabled = item.status === "disabled";
  return (
    <div className="flex items-center gap-0.5">
      {item.rotatingUntil && (
        <IconButton label={`End overlap now for ${item.name}`} disabledReason={roleDenied} onClick={() => onAction("end_overlap", item)}>
          <TimerOff aria-hidden="true" className="size-4" />
        </IconButton>
      )}
      <IconButton label={`Edit ${item.name}`} disabledReason={roleDenied ?? inactive} onClick={() => onAction("edit", item)}>
        <Pencil aria-hidden="true" className="size-4" />
      </IconButton>
      <IconButton
        label={`Rotate ${item.name}`}
        disabledReason={roleDenied ?? inactive}
        onClick={() => onAction("rotate", item)}
      >
        <RefreshCw aria-hidden="true" className="size-4" />
      </IconButton>
      <IconButton
        label={`${disabled ? "Re-enable" : "Disable"} ${item.name}`}
        disabledReason={roleDenied ?? (item.status === "expired" ? inactive : null)}
        onClick={() => onAction(disabled ? "enable" : "disable", item)}
      >
        {disabled ? <Play aria-hidden="true" className="size-4" /> : <Pause aria-hidden="true" className="size-4" />}
      </IconButton>
      <IconButton label={`Revoke ${item.name}`} disabledReason={roleDenied} danger onClick={() => onAction("revoke", item)}>
        <Trash2 aria-hidden="true" className="size-4" />
      </IconButton>
    </div>
  );
}
