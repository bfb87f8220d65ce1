"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FieldError, Input, Label, SELECT_CLASS } from "@/components/ui/field";
import type { CreditsRefill, RateLimitWindow } from "@/lib/rate-limits/schemas";
import { describeWindow, WINDOW_CHOICES } from "@/lib/rate-limits/key-fields";

/**
 * Rate Limits, Credits and Refill, for Generate and Edit. The inputs keep what is typed; the
 * form's values (rateLimits, credits, creditsRefill, as the shared schema and /v1 take them)
 * are set from them on every change, so the zod resolver checks exactly what the server will.
 * For an authorization group (Settings) only the windows apply: `forGroup` shows them alone, with
 * no choice between the group's and the key's own, and no credits.
 */
export type LimitValues = { rateLimits: RateLimitWindow[] | null; credits: number | null; creditsRefill: CreditsRefill | null };
type Errors = { rateLimits?: unknown; credits?: unknown; creditsRefill?: unknown };
type Row = { limit: string; windowSeconds: string };

const num = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));

/** Every message under a field, nested ones (a window's limit) included. */
function messagesOf(error: unknown): string[] {
  if (!error || typeof error !== "object") return [];
  const own = typeof (error as { message?: unknown }).message === "string" ? [(error as { message: string }).message] : [];
  const nested = Object.entries(error as Record<string, unknown>)
    .filter(([key]) => key !== "message" && key !== "ref" && key !== "type")
    .flatMap(([, value]) => messagesOf(value));
  return [...new Set([...own, ...nested])];
}

export function LimitFields({
  onChange,
  errors,
  initial,
  groupLimits,
  idPrefix,
  forGroup = false,
}: {
  onChange: (values: LimitValues) => void;
  errors: Errors;
  initial: LimitValues;
  groupLimits?: RateLimitWindow[] | null;
  idPrefix: string;
  forGroup?: boolean;
}) {
  const id = (field: string) => `${idPrefix}-${field}`;
  const [own, setOwn] = useState(forGroup || initial.rateLimits !== null);
  const [rows, setRows] = useState<Row[]>((initial.rateLimits ?? []).map((w) => ({ limit: String(w.limit), windowSeconds: String(w.windowSeconds) })));
  const [credits, setCredits] = useState(initial.credits === null ? "" : String(initial.credits));
  const [interval, setInterval] = useState<"" | "daily" | "monthly">(initial.creditsRefill?.interval ?? "");
  const [amount, setAmount] = useState(initial.creditsRefill ? String(initial.creditsRefill.amount) : "");
  const [day, setDay] = useState(initial.creditsRefill?.dayOfMonth ? String(initial.creditsRefill.dayOfMonth) : "1");

  const sync = (next: { own?: boolean; rows?: Row[]; credits?: string; interval?: typeof interval; amount?: string; day?: string }) => {
    const o = next.own ?? own;
    const r = next.rows ?? rows;
    const c = next.credits ?? credits;
    const i = next.interval ?? interval;
    onChange({
      rateLimits: o ? r.map((row) => ({ limit: num(row.limit), windowSeconds: num(row.windowSeconds) })) : null,
      credits: c.trim() === "" ? null : num(c),
      creditsRefill: i === "" ? null : { amount: num(next.amount ?? amount), interval: i, dayOfMonth: i === "monthly" ? num(next.day ?? day) : null },
    });
  };
  const rateErrors = messagesOf(errors.rateLimits);
  const creditErrors = messagesOf(errors.credits);
  const refillErrors = messagesOf(errors.creditsRefill);

  return (
    <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
      <legend className="px-1 text-sm font-medium text-slate-800">{forGroup ? "Rate Limits" : "Rate Limits and Credits"}</legend>
      <div>
        {!forGroup && <Label htmlFor={id("rateLimitMode")}>Rate Limits</Label>}
        {!forGroup && (
          <select
            id={id("rateLimitMode")}
            className={SELECT_CLASS}
            value={own ? "own" : "group"}
            onChange={(e) => {
              const next = e.target.value === "own";
              const nextRows = next && rows.length === 0 ? [{ limit: "100", windowSeconds: "1" }] : rows;
              setOwn(next);
              setRows(nextRows);
              sync({ own: next, rows: nextRows });
            }}
          >
            <option value="group">
              The group&apos;s limits{groupLimits?.length ? ` (${groupLimits.map(describeWindow).join(", ")})` : " (none)"}
            </option>
            <option value="own">This key&apos;s own limits</option>
          </select>
        )}
        {own && (
          <ul className="mt-2 space-y-2" aria-label="Rate limit windows">
            {rows.map((row, index) => (
              <li key={index} className="flex items-end gap-2">
                <div className="flex-1">
                  <Label htmlFor={id(`limit-${index}`)}>Requests</Label>
                  <Input
                    id={id(`limit-${index}`)}
                    inputMode="numeric"
                    value={row.limit}
                    aria-invalid={rateErrors.length > 0}
                    onChange={(e) => {
                      const next = rows.map((r, i) => (i === index ? { ...r, limit: e.target.value } : r));
                      setRows(next);
                      sync({ rows: next });
                    }}
                  />
                </div>
                <div className="flex-1">
                  <Label htmlFor={id(`window-${index}`)}>Per (seconds)</Label>
                  <Input
                    id={id(`window-${index}`)}
                    inputMode="numeric"
                    list={id("window-choices")}
                    value={row.windowSeconds}
                    aria-invalid={rateErrors.length > 0}
                    onChange={(e) => {
                      const next = rows.map((r, i) => (i === index ? { ...r, windowSeconds: e.target.value } : r));
                      setRows(next);
                      sync({ rows: next });
                    }}
                  />
                </div>
                <Button
                  variant="secondary"
                  aria-label={`Remove window ${index + 1}`}
                  onClick={() => {
                    const next = rows.filter((_, i) => i !== index);
                    setRows(next);
                    sync({ rows: next });
                  }}
                >
                  Remove
                </Button>
              </li>
            ))}
            <li>
              <Button
                variant="secondary"
                onClick={() => {
                  const next = [...rows, { limit: "", windowSeconds: "3600" }];
                  setRows(next);
                  sync({ rows: next });
                }}
              >
                Add window
              </Button>
            </li>
            <datalist id={id("window-choices")}>
              {WINDOW_CHOICES.map((c) => (
                <option key={c.seconds} value={c.seconds}>{`1 ${c.label}`}</option>
              ))}
            </datalist>
          </ul>
        )}
        <p className="mt-1 text-xs text-slate-500">
          Sliding windows: e.g. 100 per second and 10,000 per hour.{" "}
          {forGroup ? "No windows: keys that follow the group are not rate limited." : "No windows: the key is not rate limited."}
        </p>
        {rateErrors.map((message) => (
          <FieldError key={message} message={message} />
        ))}
      </div>
      {!forGroup && (
        <>
        <div>
          <Label htmlFor={id("credits")}>Credits</Label>
          <Input
            id={id("credits")}
            inputMode="numeric"
            placeholder="Unlimited"
            value={credits}
            aria-invalid={creditErrors.length > 0}
            aria-describedby={id("credits-hint")}
            onChange={(e) => {
              setCredits(e.target.value);
              sync({ credits: e.target.value });
            }}
          />
          <p id={id("credits-hint")} className="mt-1 text-xs text-slate-500">
            Remaining uses: each verification spends one (or the cost the platform names). At zero the key is refused, not revoked.
          </p>
          {creditErrors.map((message) => (
            <FieldError key={message} message={message} />
          ))}
        </div>
        <div className="flex gap-2">
          <div className="flex-1">
            <Label htmlFor={id("refill")}>Refill</Label>
            <select
              id={id("refill")}
              className={SELECT_CLASS}
              value={interval}
              onChange={(e) => {
                const next = e.target.value as typeof interval;
                setInterval(next);
                sync({ interval: next });
              }}
            >
              <option value="">No refill</option>
              <option value="daily">Daily (midnight UTC)</option>
              <option value="monthly">Monthly</option>
            </select>
          </div>
          {interval !== "" && (
            <div className="flex-1">
              <Label htmlFor={id("refillAmount")}>Refill amount</Label>
              <Input
                id={id("refillAmount")}
                inputMode="numeric"
                value={amount}
                onChange={(e) => {
                  setAmount(e.target.value);
                  sync({ amount: e.target.value });
                }}
              />
            </div>
          )}
          {interval === "monthly" && (
            <div className="flex-1">
              <Label htmlFor={id("refillDay")}>Day of month</Label>
              <Input
                id={id("refillDay")}
                inputMode="numeric"
                value={day}
                onChange={(e) => {
                  setDay(e.target.value);
                  sync({ day: e.target.value });
                }}
              />
            </div>
          )}
        </div>
        {refillErrors.map((message) => (
          <FieldError key={message} message={message} />
        ))}
        </>
      )}
    </fieldset>
  );
}
