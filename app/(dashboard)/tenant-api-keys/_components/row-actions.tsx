"use client";

import type { ReactNode } from "react";
import { PencilIcon, RotateIcon, TrashIcon } from "@/components/icons";
import type { KeyListItem } from "@/lib/api-keys/serialize";

export type KeyAction = "edit" | "rotate" | "revoke";

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
      className={`rounded-md p-1.5 focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-40 ${
        danger ? "text-red-700 hover:bg-red-50" : "text-slate-700 hover:bg-slate-100"
      }`}
    >
      {children}
    </button>
  );
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
  const inactive = item.status === "expired" ? "Expired keys cannot be changed; generate a new key." : null;
  return (
    <div className="flex items-center gap-1">
      <IconButton label={`Edit ${item.name}`} disabledReason={roleDenied ?? inactive} onClick={() => onAction("edit", item)}>
        <PencilIcon />
      </IconButton>
      <IconButton
        label={`Rotate ${item.name}`}
        disabledReason={roleDenied ?? inactive}
        onClick={() => onAction("rotate", item)}
      >
        <RotateIcon />
      </IconButton>
      <IconButton label={`Revoke ${item.name}`} disabledReason={roleDenied} danger onClick={() => onAction("revoke", item)}>
        <TrashIcon />
      </IconButton>
    </div>
  );
}
