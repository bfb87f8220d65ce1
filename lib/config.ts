import { z } from "zod";
import ipaddr from "ipaddr.js";
import { parseAllowlist } from "./api-keys/ip-allowlist";

/**
 * Every environment variable Keyward reads, typed. Checked when the server starts
 * (instrumentation.ts, through scripts/server.mjs) and before the database is prepared
 * (scripts/prepare-db.mjs): a typo stops the start with the variable's name and what it expects,
 * instead of `Number("5s")` quietly turning a protection off (a NaN TTL caches keys forever, a
 * NaN limit never throttles). An empty value counts as unset.
 *
 * Not here: KEYWARD_PEER_NONCE (set by scripts/server.mjs for its own process, never by an
 * operator) and the test-suite variables (KEYWARD_E2E_*, KEYWARD_TEST_*).
 */

const blankIsUnset = (value: unknown) => (value === "" ? undefined : value);

/** A whole number written in decimal digits only: "5s", "1e3", "-1" and " 5" are refused. */
function wholeNumber(what: string, defaultValue: number, min: number, max = Number.MAX_SAFE_INTEGER) {
  const expects = `expected ${what}: a whole number ${max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`}`;
  return z.preprocess(
    blankIsUnset,
    z
      .string({ error: expects })
      .regex(/^\d+$/, { error: expects })
      .transform(Number)
      .refine((n) => n >= min && n <= max, { error: expects })
      .optional()
      .transform((n) => n ?? defaultValue),
  );
}

const flag = (what: string) =>
  z.preprocess(
    blankIsUnset,
    z
      .enum(["0", "1"], { error: `expected 1 (on) or 0 (off) for ${what}` })
      .optional()
      .transform((v) => v === "1"),
  );

const secret = (what: string) =>
  z.preprocess(blankIsUnset, z.string().min(32, { error: `expected at least 32 characters (${what})` }).optional());

const schema = z.object({
  DATABASE_URL: z.preprocess(
    blankIsUnset,
    z
      .string()
      .regex(/^(file:.+|postgres(ql)?:\/\/.+)$/i, {
        error: "expected file:<path> for SQLite or postgresql://user:password@host:port/database",
      })
      .default("file:./data/keyward.db"),
  ),
  KEYWARD_HASH_SECRET: secret("the HMAC key of API key hashes"),
  NEXTAUTH_SECRET: secret("the key that signs session cookies"),
  KEYWARD_TOKEN_ENCRYPTION_KEY: secret("the AES-256-GCM key that token signing keys are encrypted under"),
  KEYWARD_CONNECTION_KEK: secret("the key-encryption key that wraps connection credentials' data keys"),
  KEYWARD_CONNECTION_KEK_PREVIOUS: z.preprocess(
    blankIsUnset,
    z
      .string()
      .refine((v) => v.split(",").every((k) => k.trim().length >= 32), { error: "expected comma-separated earlier KEKs, each at least 32 characters" })
      .optional(),
  ),
  KEYWARD_CONNECTION_TEST_NETWORKS: z.preprocess(
    blankIsUnset,
    z
      .string()
      .superRefine((value, ctx) => {
        const problems = parseAllowlist(value.split(/[\s,]+/).join("\n")).problems;
        const bad = problems.map((p) => p.value || p.message).join(", ");
        if (problems.length) ctx.addIssue({ code: "custom", message: `expected comma-separated IP addresses or CIDR ranges a connection Test may reach; not valid: ${bad}` });
      })
      .optional(),
  ),
  KEYWARD_TOKEN_ISSUER: z.preprocess(blankIsUnset, z.string().max(200, { error: "expected the iss claim, at most 200 characters" }).default("keyward")),
  KEYWARD_TOKEN_AUDIENCE: z.preprocess(blankIsUnset, z.string().max(200, { error: "expected the aud claim, at most 200 characters" }).default("keyward")),
  NEXTAUTH_URL: z.preprocess(
    blankIsUnset,
    z.url({ protocol: /^https?$/, error: "expected the dashboard's public URL, http://… or https://…" }).optional(),
  ),
  KEYWARD_REQUIRE_SECRETS: flag("refusing to generate missing secrets"),
  PORT: wholeNumber("the HTTP port", 3000, 1, 65535),
  KEYWARD_BIND: z.preprocess(
    blankIsUnset,
    z
      .string()
      .refine((v) => ipaddr.isValid(v) || /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(v), {
        error: "expected an IP address or host name to listen on (e.g. 0.0.0.0, ::, 127.0.0.1)",
      })
      .optional(),
  ),
  TRUSTED_PROXIES: z.preprocess(
    blankIsUnset,
    z
      .string()
      .superRefine((value, ctx) => {
        const problems = parseAllowlist(value.split(/[\s,]+/).join("\n")).problems;
        const bad = problems.map((p) => p.value || p.message).join(", ");
        if (problems.length) ctx.addIssue({ code: "custom", message: `expected comma-separated IP addresses or CIDR ranges; not valid: ${bad}` });
      })
      .default(""),
  ),
  KEYWARD_KEY_CACHE_TTL_MS: wholeNumber("milliseconds", 5_000, 0),
  KEYWARD_USAGE_FLUSH_MS: wholeNumber("milliseconds", 15_000, 10),
  // On by default (unlike the flags above): every verification of a known key is recorded.
  KEYWARD_REQUEST_LOG: z.preprocess(
    blankIsUnset,
    z.enum(["0", "1"], { error: "expected 1 (on) or 0 (off) for the request log" }).optional().transform((v) => v !== "0"),
  ),
  KEYWARD_REQUEST_LOG_FLUSH_MS: wholeNumber("milliseconds", 1_000, 10),
  KEYWARD_REQUEST_LOG_BUFFER: wholeNumber("entries", 100_000, 1, 10_000_000),
  KEYWARD_REQUEST_LOG_RETENTION_DAYS: wholeNumber("days", 30, 1, 3650),
  KEYWARD_AUTH_FAILURE_LIMIT: wholeNumber("bad keys", 20, 1),
  KEYWARD_AUTH_FAILURE_WINDOW_MS: wholeNumber("milliseconds", 60_000, 1),
  KEYWARD_LOGIN_WINDOW_MS: wholeNumber("milliseconds", 15 * 60_000, 1),
  KEYWARD_LOGIN_MAX_PER_ACCOUNT_ADDRESS: wholeNumber("failed sign-ins", 5, 1),
  KEYWARD_LOGIN_MAX_PER_ACCOUNT: wholeNumber("failed sign-ins", 50, 1),
  KEYWARD_LOGIN_MAX_PER_ADDRESS: wholeNumber("failed sign-ins", 20, 1),
  KEYWARD_METRICS_TOKEN: z.preprocess(
    blankIsUnset,
    z.string().min(16, { error: "expected a bearer token of at least 16 characters" }).optional(),
  ),
  KEYWARD_V8_OPTIMIZE_FOR_SIZE: flag("V8's size mode"),
  KEYWARD_DB_POOL_SIZE: wholeNumber("connections", 10, 1, 1000),
  KEYWARD_DB_CONNECT_TIMEOUT_MS: wholeNumber("milliseconds", 5_000, 1),
  KEYWARD_DB_STATEMENT_TIMEOUT_MS: wholeNumber("milliseconds", 10_000, 1),
  KEYWARD_DB_IDLE_TX_TIMEOUT_MS: wholeNumber("milliseconds", 30_000, 1),
  KEYWARD_SQLITE_BUSY_TIMEOUT_MS: wholeNumber("milliseconds", 10_000, 1),
  KEYWARD_DIST_DIR: z.preprocess(blankIsUnset, z.string().default(".next")),
  KEYWARD_VERIFIER_PORT: wholeNumber("the verifier's HTTP port", 0, 1, 65535).transform((n) => (n === 0 ? undefined : n)),
  // A Unix socket beside the gateway: no TCP on either side of each auth subrequest (bench:verify).
  KEYWARD_VERIFIER_SOCKET: z.preprocess(
    blankIsUnset,
    z.string().regex(/^\/\S+$/, { error: "expected an absolute path for the verifier's Unix socket, e.g. /run/keyward/verifier.sock" }).max(100).optional(),
  ),
  KEYWARD_VERIFY_POOL_SIZE: wholeNumber("connections", 4, 1, 1000),
  KEYWARD_ASSISTANT_URL: z.preprocess(
    blankIsUnset,
    z.url({ protocol: /^https?$/, error: "expected the http(s) base URL of an OpenAI-compatible chat API, e.g. http://llm.internal/v1" }).optional(),
  ),
  KEYWARD_ASSISTANT_MODEL: z.preprocess(blankIsUnset, z.string().default("gpt-4o-mini")),
  KEYWARD_ASSISTANT_API_KEY: z.preprocess(blankIsUnset, z.string().optional()),
  KEYWARD_REDIS_URL: z.preprocess(
    blankIsUnset,
    z.string().regex(/^rediss?:\/\/.+/i, { error: "expected redis://[user:password@]host:port[/db] or rediss://…" }).optional(),
  ),
  KEYWARD_REDIS_TIMEOUT_MS: wholeNumber("milliseconds", 1000, 1, 60_000),
  KEYWARD_REDIS_RATE_LIMIT_FAILURE: z.preprocess(
    blankIsUnset,
    z.enum(["open", "closed"], { error: "expected open (this instance enforces alone) or closed (refuse with 503)" }).default("open"),
  ),
  KEYWARD_REDIS_CREDITS_FAILURE: z.preprocess(
    blankIsUnset,
    z.enum(["open", "closed"], { error: "expected open (this instance enforces alone) or closed (refuse with 503)" }).default("closed"),
  ),
});

export const CONFIG_VARIABLES = Object.keys(schema.shape) as (keyof typeof schema.shape)[];

export type Config = {
  databaseUrl: string;
  hashSecret: string | undefined;
  nextAuthSecret: string | undefined;
  tokenEncryptionKey: string | undefined;
  connectionKek: string | undefined;
  connectionKekPrevious: string[];
  /** Raw list of networks a connection Test may reach; undefined: public unicast addresses only. */
  connectionTestNetworks: string | undefined;
  tokenIssuer: string;
  tokenAudience: string;
  nextAuthUrl: string | undefined;
  requireSecrets: boolean;
  port: number;
  bind: string | undefined;
  /** Raw list (lib/http/client-ip.ts parses it); already checked to be valid. */
  trustedProxies: string;
  keyCacheTtlMs: number;
  usageFlushMs: number;
  /** The request log (lib/request-log/): on unless KEYWARD_REQUEST_LOG=0. */
  requestLog: boolean;
  requestLogFlushMs: number;
  requestLogBuffer: number;
  requestLogRetentionDays: number;
  authFailureLimit: number;
  authFailureWindowMs: number;
  loginWindowMs: number;
  loginMaxPerAccountAddress: number;
  loginMaxPerAccount: number;
  loginMaxPerAddress: number;
  metricsToken: string | undefined;
  v8OptimizeForSize: boolean;
  dbPoolSize: number;
  dbConnectTimeoutMs: number;
  dbStatementTimeoutMs: number;
  dbIdleTxTimeoutMs: number;
  sqliteBusyTimeoutMs: number;
  distDir: string;
  verifierPort: number | undefined;
  verifierSocket: string | undefined;
  verifyPoolSize: number;
  assistantUrl: string | undefined;
  assistantModel: string;
  assistantApiKey: string | undefined;
  redisUrl: string | undefined;
  redisTimeoutMs: number;
  redisRateLimitFailure: "open" | "closed";
  redisCreditsFailure: "open" | "closed";
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`keyward: invalid configuration, not starting:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** The configuration in `env`, or a ConfigError listing every bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = schema.safeParse(Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, env[name]])));
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        const given = env[name];
        // Secrets are never echoed, only their length.
        const shown = /SECRET|TOKEN|API_KEY|DATABASE_URL|KEK/.test(name) ? `${given?.length ?? 0} characters` : JSON.stringify(given);
        return `${name}=${shown}: ${issue.message}`;
      }),
    );
  }
  const v = result.data;
  return {
    databaseUrl: v.DATABASE_URL,
    hashSecret: v.KEYWARD_HASH_SECRET,
    nextAuthSecret: v.NEXTAUTH_SECRET,
    tokenEncryptionKey: v.KEYWARD_TOKEN_ENCRYPTION_KEY,
    connectionKek: v.KEYWARD_CONNECTION_KEK,
    connectionKekPrevious: (v.KEYWARD_CONNECTION_KEK_PREVIOUS ?? "").split(",").map((k) => k.trim()).filter(Boolean),
    connectionTestNetworks: v.KEYWARD_CONNECTION_TEST_NETWORKS,
    tokenIssuer: v.KEYWARD_TOKEN_ISSUER,
    tokenAudience: v.KEYWARD_TOKEN_AUDIENCE,
    nextAuthUrl: v.NEXTAUTH_URL,
    requireSecrets: v.KEYWARD_REQUIRE_SECRETS,
    port: v.PORT,
    bind: v.KEYWARD_BIND,
    trustedProxies: v.TRUSTED_PROXIES,
    keyCacheTtlMs: v.KEYWARD_KEY_CACHE_TTL_MS,
    usageFlushMs: v.KEYWARD_USAGE_FLUSH_MS,
    requestLog: v.KEYWARD_REQUEST_LOG,
    requestLogFlushMs: v.KEYWARD_REQUEST_LOG_FLUSH_MS,
    requestLogBuffer: v.KEYWARD_REQUEST_LOG_BUFFER,
    requestLogRetentionDays: v.KEYWARD_REQUEST_LOG_RETENTION_DAYS,
    authFailureLimit: v.KEYWARD_AUTH_FAILURE_LIMIT,
    authFailureWindowMs: v.KEYWARD_AUTH_FAILURE_WINDOW_MS,
    loginWindowMs: v.KEYWARD_LOGIN_WINDOW_MS,
    loginMaxPerAccountAddress: v.KEYWARD_LOGIN_MAX_PER_ACCOUNT_ADDRESS,
    loginMaxPerAccount: v.KEYWARD_LOGIN_MAX_PER_ACCOUNT,
    loginMaxPerAddress: v.KEYWARD_LOGIN_MAX_PER_ADDRESS,
    metricsToken: v.KEYWARD_METRICS_TOKEN,
    v8OptimizeForSize: v.KEYWARD_V8_OPTIMIZE_FOR_SIZE,
    dbPoolSize: v.KEYWARD_DB_POOL_SIZE,
    dbConnectTimeoutMs: v.KEYWARD_DB_CONNECT_TIMEOUT_MS,
    dbStatementTimeoutMs: v.KEYWARD_DB_STATEMENT_TIMEOUT_MS,
    dbIdleTxTimeoutMs: v.KEYWARD_DB_IDLE_TX_TIMEOUT_MS,
    sqliteBusyTimeoutMs: v.KEYWARD_SQLITE_BUSY_TIMEOUT_MS,
    distDir: v.KEYWARD_DIST_DIR,
    verifierPort: v.KEYWARD_VERIFIER_PORT,
    verifierSocket: v.KEYWARD_VERIFIER_SOCKET,
    verifyPoolSize: v.KEYWARD_VERIFY_POOL_SIZE,
    assistantUrl: v.KEYWARD_ASSISTANT_URL,
    assistantModel: v.KEYWARD_ASSISTANT_MODEL,
    redisUrl: v.KEYWARD_REDIS_URL,
    redisTimeoutMs: v.KEYWARD_REDIS_TIMEOUT_MS,
    redisRateLimitFailure: v.KEYWARD_REDIS_RATE_LIMIT_FAILURE,
    redisCreditsFailure: v.KEYWARD_REDIS_CREDITS_FAILURE,
    assistantApiKey: v.KEYWARD_ASSISTANT_API_KEY,
  };
}

// `frozen`: checked against the environment once after freezeConfig(), then trusted.
let cached: { key: string; config: Config; frozen: boolean } | null = null;
// On globalThis: Next's bundles and the node:http server each have their own copy of this module.
const globalForConfig = globalThis as unknown as { keywardConfigFrozen?: boolean };

/**
 * The process's configuration. Re-parsed only when one of its variables changed (tests set
 * some at run time); module-level readers take it once, at import. Once the servers have
 * called freezeConfig(), it is compared with the environment once more and then returned as is.
 */
export function config(): Config {
  const frozen = globalForConfig.keywardConfigFrozen === true;
  if (frozen && cached?.frozen) return cached.config;
  const key = CONFIG_VARIABLES.map((name) => process.env[name] ?? "\u0000").join("\u0001");
  if (cached?.key !== key) cached = { key, config: parseConfig(process.env), frozen: false };
  cached.frozen = frozen;
  return cached.config;
}

/**
 * Called by the servers (server/verifier.ts, server/app-entry.ts) once their environment is
 * complete (.env files loaded, nothing left to set): from then on config() stops reading every
 * variable on each call. Reading them (process.env is a lookup in C++ per name) cost about
 * 20 us of CPU per verification, more than the HMAC and the cache together (bench:verify).
 * Tests never call it: they change variables between cases.
 */
export function freezeConfig() {
  globalForConfig.keywardConfigFrozen = true;
}

/** True once freezeConfig() was called: readers of process.env may keep what they read. */
export function configFrozen(): boolean {
  return globalForConfig.keywardConfigFrozen === true;
}
