import "@/lib/zod-jitless";
import { z } from "zod";
import ipaddr from "ipaddr.js";

/**
 * One schema per form, shared by the Connections page's forms (zodResolver), the server actions
 * and the mutations. Flat objects with the kind deciding which fields count, so one form serves
 * every kind; `settingsOf` keeps only the kind's non-secret settings.
 */
export const CONNECTION_KINDS = ["postgresql", "http", "secret"] as const;
export type ConnectionKind = (typeof CONNECTION_KINDS)[number];
export const KIND_LABELS: Record<ConnectionKind, string> = { postgresql: "PostgreSQL", http: "HTTP API", secret: "Generic secret" };

export const SLOTS = ["primary", "secondary"] as const;
export type Slot = (typeof SLOTS)[number];
export const otherSlot = (slot: Slot): Slot => (slot === "primary" ? "secondary" : "primary");

/** Larger than any password or API token in use; a bound so nobody stores files here. */
export const MAX_SECRET_LENGTH = 4096;

const HOST = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
const PG_IDENTIFIER = /^[^\u0000]{1,63}$/;

const text = (max: number) => z.string().trim().max(max, { error: `At most ${max} characters.` });

export const secretField = z
  .string({ error: "Enter the secret." })
  .min(1, { error: "Enter the secret." })
  .max(MAX_SECRET_LENGTH, { error: `The secret may be at most ${MAX_SECRET_LENGTH} characters.` })
  .refine((s) => !s.includes("\u0000"), { error: "The secret may not contain NUL characters." });

function checkHttpUrl(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "Enter a full URL, e.g. https://api.example.com.";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "Only http:// and https:// URLs can be used.";
  if (url.username || url.password) return "Put credentials in the secret, not in the URL.";
  return null;
}

export const connectionCreateSchema = z
  .object({
    name: text(100).min(2, { error: "Name must be 2-100 characters." }),
    kind: z.enum(CONNECTION_KINDS, { error: "Choose a kind." }),
    host: text(253).default(""),
    port: text(5).default(""),
    database: text(63).default(""),
    baseUrl: text(2000).default(""),
    headerName: text(100).default(""),
    testPath: text(500).default(""),
    username: text(63).default(""),
    secret: secretField,
  })
  .superRefine((v, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (v.kind === "postgresql") {
      if (!HOST.test(v.host) && !ipaddr.isValid(v.host)) issue("host", "Enter a host name or IP address.");
      if (v.port !== "" && (!/^\d{1,5}$/.test(v.port) || Number(v.port) < 1 || Number(v.port) > 65535)) issue("port", "Port must be 1-65535.");
      if (!PG_IDENTIFIER.test(v.database)) issue("database", "Enter the database name (1-63 characters).");
      if (!PG_IDENTIFIER.test(v.username)) issue("username", "Enter the user name (1-63 characters).");
    }
    if (v.kind === "http") {
      const problem = checkHttpUrl(v.baseUrl);
      if (problem) issue("baseUrl", problem);
      if (!HEADER_NAME.test(v.headerName)) issue("headerName", "Enter a header name, e.g. Authorization or X-API-Key.");
      if (v.testPath !== "" && !v.testPath.startsWith("/")) issue("testPath", "The test path starts with /, e.g. /health.");
    }
  });
export type ConnectionCreateInput = z.input<typeof connectionCreateSchema>;
export type ConnectionCreateValues = z.output<typeof connectionCreateSchema>;

/** Update Credentials: what goes into the inactive slot. The user name matters for PostgreSQL only. */
export const credentialWriteSchema = z.object({
  username: text(63).default(""),
  secret: secretField,
});
export type CredentialWriteInput = z.input<typeof credentialWriteSchema>;

export type PostgresSettings = { host: string; port: number; database: string };
export type HttpSettings = { baseUrl: string; headerName: string; testPath: string };
export type ConnectionSettings = PostgresSettings | HttpSettings | Record<string, never>;

/** The kind's non-secret settings as stored (Connection.settings, JSON). */
export function settingsOf(v: ConnectionCreateValues): ConnectionSettings {
  if (v.kind === "postgresql") return { host: v.host, port: v.port === "" ? 5432 : Number(v.port), database: v.database };
  if (v.kind === "http") return { baseUrl: v.baseUrl.replace(/\/+$/, ""), headerName: v.headerName, testPath: v.testPath || "/" };
  return {};
}

export function isKind(value: string): value is ConnectionKind {
  return (CONNECTION_KINDS as readonly string[]).includes(value);
}
