"use client";

import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import { parseRequest } from "@/lib/assistant/parse";
import { proposalHref } from "@/lib/assistant/links";
import { MAX_INPUT_LENGTH } from "@/lib/assistant/vocabulary";
import type { ProposedAction } from "@/lib/assistant/types";
import { EditKeyDialog } from "../tenant-api-keys/_components/edit-key-dialog";
import { RevokeAllDialog, RevokeKeyDialog, RotateKeyDialog } from "../tenant-api-keys/_components/key-dialogs";
import type { KeyListItem } from "@/lib/api-keys/serialize";
import { SecretDialog, type ShownSecret } from "../tenant-api-keys/_components/secret-dialog";
import { assistantKeyAction, assistantModelAction, assistantSnapshotAction, type AssistantSnapshot } from "./actions";
import { deniedFor, describe } from "./assistant-preview";

/** After the preview: the ordinary dialog that does it, with its own confirmation. */
type Stage =
  | { kind: "ask" }
  | { kind: "confirm"; action: Extract<ProposedAction, { kind: "rotate" | "revoke" | "revokeAll" }> }
  | { kind: "edit"; item: KeyListItem; initial: { name?: string; ipAllowlist?: string } }
  | { kind: "secret"; shown: ShownSecret };

const VIA = "assistant" as const;

export default function AssistantBar({ onClose }: { onClose: () => void }) {
  const router = useRouter();
  const [snapshot, setSnapshot] = useState<AssistantSnapshot | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [text, setText] = useState("");
  const [proposal, setProposal] = useState<ProposedAction | null>(null);
  const [stage, setStage] = useState<Stage>({ kind: "ask" });
  const [notice, setNotice] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const actionRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let live = true;
    assistantSnapshotAction().then(
      (result) => live && (result.ok ? setSnapshot(result.value) : setLoadError(result.error.message)),
      () => live && setLoadError("Could not load this workspace's keys. Try again."),
    );
    return () => {
      live = false;
    };
  }, []);

  // Keyboard first: once a preview is shown, Enter does its one action.
  useEffect(() => {
    if (proposal) actionRef.current?.focus();
  }, [proposal]);

  function finished(message: string) {
    setStage({ kind: "ask" });
    setProposal(null);
    setText("");
    setNotice(message);
    router.refresh();
  }

  async function run(action: ProposedAction) {
    const href = proposalHref(action);
    if (href) {
      onClose();
      router.push(href);
      return;
    }
    if (action.kind === "rotate" || action.kind === "revoke" || action.kind === "revokeAll") {
      setStage({ kind: "confirm", action });
    } else if (action.kind === "edit") {
      const result = await assistantKeyAction(action.key.id);
      if (!result.ok) return setNotice(result.error.message);
      setStage({
        kind: "edit",
        item: result.value,
        initial: { ...(action.name && { name: action.name }), ...(action.ipAllowlist && { ipAllowlist: action.ipAllowlist }) },
      });
    }
  }

  if (stage.kind === "confirm") {
    const { action } = stage;
    const back = () => setStage({ kind: "ask" });
    if (action.kind === "rotate") {
      return (
        <RotateKeyDialog
          item={action.key}
          initialOverlap={action.overlap}
          via={VIA}
          onClose={back}
          onRotated={(shown) => setStage({ kind: "secret", shown })}
        />
      );
    }
    if (action.kind === "revoke") {
      return <RevokeKeyDialog item={action.key} via={VIA} onClose={back} onRevoked={() => finished(`Revoked ${action.key.name}.`)} />;
    }
    return (
      <RevokeAllDialog
        tenantName={snapshot?.tenantName ?? ""}
        activeCount={snapshot?.revocableCount ?? 0}
        via={VIA}
        onClose={back}
        onRevoked={(count) => finished(`Revoked ${count} ${count === 1 ? "key" : "keys"}.`)}
      />
    );
  }
  if (stage.kind === "edit") {
    return (
      <EditKeyDialog
        item={stage.item}
        groups={snapshot?.context.groups ?? []}
        initial={stage.initial}
        via={VIA}
        onClose={() => setStage({ kind: "ask" })}
        onSaved={() => finished(`Saved ${stage.item.name}.`)}
      />
    );
  }
  if (stage.kind === "secret") {
    return <SecretDialog shown={stage.shown} onClosed={() => finished(`Rotated ${stage.shown.keyName}.`)} />;
  }

  const preview = proposal && snapshot ? <Preview proposal={proposal} snapshot={snapshot} actionRef={actionRef} onRun={run} onPick={setProposal} /> : null;

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent width="form" aria-describedby="assistant-hint">
        <DialogTitle>Ask Keyward</DialogTitle>
        <DialogDescription>
          <span id="assistant-hint">
            Say what to do with your API keys. You see exactly what will happen before anything is done.
          </span>
        </DialogDescription>
        <form
          className="mt-4"
          onSubmit={async (event) => {
            event.preventDefault();
            setNotice(null);
            if (!snapshot || asking) return;
            const parsed = parseRequest(text, snapshot.context);
            if (parsed.kind !== "answer" || !parsed.unmapped || !snapshot.modelEnabled) return setProposal(parsed);
            // Only what the grammar could not map goes to the configured model (never a question).
            setAsking(true);
            const result = await assistantModelAction(text).catch(() => null);
            setAsking(false);
            setProposal(result?.ok ? result.value : parsed);
          }}
        >
          <label htmlFor="assistant-input" className="sr-only">
            Ask Keyward
          </label>
          <input
            id="assistant-input"
            autoFocus
            autoComplete="off"
            // Longer than the parser reads, so that an over-long paste is answered as too long
            // instead of being cut to a shorter sentence that might mean something else.
            maxLength={MAX_INPUT_LENGTH * 20}
            value={text}
            onChange={(event) => {
              setText(event.target.value);
              setProposal(null);
            }}
            placeholder="Create an API key for the mobile app with 30-day expiry"
            className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm focus:border-indigo-500 focus:outline-none"
          />
        </form>
        {asking && <p className="mt-3 text-sm text-slate-500">Asking the assistant&apos;s model…</p>}
        {!snapshot && !loadError && <p className="mt-3 text-sm text-slate-500">Loading this workspace&apos;s keys…</p>}
        {loadError && (
          <p role="alert" className="mt-3 text-sm text-red-700">
            {loadError}
          </p>
        )}
        {notice && (
          <p role="status" className="mt-3 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
            {notice}
          </p>
        )}
        {preview}
      </DialogContent>
    </Dialog>
  );
}

function Preview({
  proposal,
  snapshot,
  actionRef,
  onRun,
  onPick,
}: {
  proposal: ProposedAction;
  snapshot: AssistantSnapshot;
  actionRef: React.RefObject<HTMLButtonElement | null>;
  onRun: (action: ProposedAction) => void;
  onPick: (action: ProposedAction) => void;
}) {
  if (proposal.kind === "answer") {
    return (
      <div role="status" className="mt-4 text-sm text-slate-700" data-testid="assistant-answer">
        <p>{proposal.message}</p>
        <ul className="mt-2 list-disc pl-5 text-slate-600">
          {proposal.examples.map((example) => (
            <li key={example}>{example}</li>
          ))}
        </ul>
      </div>
    );
  }
  if (proposal.kind === "choose") {
    return (
      <div role="status" className="mt-4 text-sm" data-testid="assistant-choose">
        <p>{proposal.message}</p>
        <div className="mt-2 flex flex-wrap gap-2">
          {proposal.candidates.map((key, index) => (
            <Button key={key.id} variant="secondary" ref={index === 0 ? actionRef : undefined} onClick={() => onPick(proposal.proposals[index])}>
              {key.name} ({key.prefix}…)
            </Button>
          ))}
        </div>
      </div>
    );
  }
  const { title, lines, button } = describe(proposal, snapshot);
  const denied = deniedFor(proposal, snapshot.denied);
  return (
    <section aria-label="Preview" className="mt-4 rounded-lg border border-slate-200 bg-slate-50 p-4 text-sm" data-testid="assistant-preview">
      <h3 className="font-semibold text-slate-900">{title}</h3>
      <ul className="mt-2 space-y-1 text-slate-700">
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      {denied ? (
        <p role="alert" className="mt-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-amber-800">
          {denied}
        </p>
      ) : (
        <div className="mt-3 flex justify-end">
          <Button ref={actionRef} variant={proposal.kind === "revoke" || proposal.kind === "revokeAll" ? "danger" : "primary"} onClick={() => onRun(proposal)}>
            {button}
          </Button>
        </div>
      )}
    </section>
  );
}
