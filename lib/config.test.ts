// Every configuration variable: its default, a good value, and the typos that used to switch a
// protection off silently (Number("5s") is NaN). Each bad value must be refused with a message
// that names the variable and says what it expects.
import { afterEach, describe, expect, it } from "vitest";
import { CONFIG_VARIABLES, ConfigError, config, configFrozen, freezeConfig, parseConfig, type Config } from "./config";

type Row = { name: string; key: keyof Config; unset: unknown; good: [string, unknown]; bad: string[]; expects: RegExp };

const ms = (name: string, key: keyof Config, unset: number, min = 0): Row => ({
  name,
  key,
  unset,
  good: ["2500", 2500],
  bad: ["5s", "1e3", "-1", "2.5", " 5", "NaN", ...(min > 0 ? ["0"] : [])],
  expects: /expected .*whole number/,
});
const count = (name: string, key: keyof Config, unset: number, max?: number): Row => ({
  name,
  key,
  unset,
  good: ["7", 7],
  bad: ["five", "0", "-3", "7.5", "10 ", ...(max ? [String(max + 1)] : [])],
  expects: /expected .*whole number/,
});
const SECRET = "s".repeat(32);

const ROWS: Row[] = [
  { name: "DATABASE_URL", key: "databaseUrl", unset: "file:./data/keyward.db", good: ["postgresql://u:p@db:5432/k", "postgresql://u:p@db:5432/k"], bad: ["./data/keyward.db", "mysql://db/k", "postgres:/db"], expects: /file:<path>.*postgresql:\/\// },
  { name: "KEYWARD_HASH_SECRET", key: "hashSecret", unset: undefined, good: [SECRET, SECRET], bad: ["short", "x".repeat(31)], expects: /at least 32 characters/ },
  { name: "NEXTAUTH_SECRET", key: "nextAuthSecret", unset: undefined, good: [SECRET, SECRET], bad: ["changeme"], expects: /at least 32 characters/ },
  { name: "KEYWARD_TOKEN_ENCRYPTION_KEY", key: "tokenEncryptionKey", unset: undefined, good: [SECRET, SECRET], bad: ["short"], expects: /at least 32 characters/ },
  { name: "KEYWARD_CONNECTION_KEK", key: "connectionKek", unset: undefined, good: [SECRET, SECRET], bad: ["short"], expects: /at least 32 characters/ },
  { name: "KEYWARD_CONNECTION_KEK_PREVIOUS", key: "connectionKekPrevious", unset: [], good: [`${SECRET}, ${"t".repeat(40)}`, [SECRET, "t".repeat(40)]], bad: ["short", `${SECRET},short`], expects: /earlier KEKs, each at least 32/ },
  { name: "KEYWARD_CONNECTION_TEST_NETWORKS", key: "connectionTestNetworks", unset: undefined, good: ["127.0.0.0/8, ::1", "127.0.0.0/8, ::1"], bad: ["10.0.0.0/33", "db.internal"], expects: /connection Test may reach; not valid/ },
  { name: "KEYWARD_TOKEN_ISSUER", key: "tokenIssuer", unset: "keyward", good: ["https://keys.example.com", "https://keys.example.com"], bad: ["i".repeat(201)], expects: /iss claim/ },
  { name: "KEYWARD_TOKEN_AUDIENCE", key: "tokenAudience", unset: "keyward", good: ["platform-api", "platform-api"], bad: ["a".repeat(201)], expects: /aud claim/ },
  { name: "NEXTAUTH_URL", key: "nextAuthUrl", unset: undefined, good: ["https://keys.example.com", "https://keys.example.com"], bad: ["keys.example.com", "ftp://keys.example.com", "http//x"], expects: /http:\/\/… or https:\/\/…/ },
  { name: "KEYWARD_REQUIRE_SECRETS", key: "requireSecrets", unset: false, good: ["1", true], bad: ["true", "yes", "2"], expects: /1 \(on\) or 0 \(off\)/ },
  { name: "PORT", key: "port", unset: 3000, good: ["8080", 8080], bad: ["30OO", "0", "65536", "80.5", "http"], expects: /whole number from 1 to 65535/ },
  { name: "KEYWARD_BIND", key: "bind", unset: undefined, good: ["127.0.0.1", "127.0.0.1"], bad: ["0.0.0.0:3000", "local host", "-bad"], expects: /IP address or host name/ },
  { name: "TRUSTED_PROXIES", key: "trustedProxies", unset: "", good: ["10.0.0.0/8, 192.168.1.1", "10.0.0.0/8, 192.168.1.1"], bad: ["10.0.0.0/33", "10.0.0.1,lb.internal", "10.0.0.256"], expects: /IP addresses or CIDR ranges; not valid/ },
  ms("KEYWARD_KEY_CACHE_TTL_MS", "keyCacheTtlMs", 5000),
  ms("KEYWARD_USAGE_FLUSH_MS", "usageFlushMs", 15000, 10),
  { name: "KEYWARD_REQUEST_LOG", key: "requestLog", unset: true, good: ["0", false], bad: ["off", "yes"], expects: /1 \(on\) or 0 \(off\)/ },
  ms("KEYWARD_REQUEST_LOG_FLUSH_MS", "requestLogFlushMs", 1000, 10),
  count("KEYWARD_REQUEST_LOG_BUFFER", "requestLogBuffer", 100000, 10_000_000),
  count("KEYWARD_REQUEST_LOG_RETENTION_DAYS", "requestLogRetentionDays", 30, 3650),
  count("KEYWARD_AUTH_FAILURE_LIMIT", "authFailureLimit", 20),
  ms("KEYWARD_AUTH_FAILURE_WINDOW_MS", "authFailureWindowMs", 60000, 1),
  ms("KEYWARD_LOGIN_WINDOW_MS", "loginWindowMs", 900000, 1),
  count("KEYWARD_LOGIN_MAX_PER_ACCOUNT_ADDRESS", "loginMaxPerAccountAddress", 5),
  count("KEYWARD_LOGIN_MAX_PER_ACCOUNT", "loginMaxPerAccount", 50),
  count("KEYWARD_LOGIN_MAX_PER_ADDRESS", "loginMaxPerAddress", 20),
  { name: "KEYWARD_METRICS_TOKEN", key: "metricsToken", unset: undefined, good: ["t".repeat(16), "t".repeat(16)], bad: ["abc"], expects: /at least 16 characters/ },
  { name: "KEYWARD_V8_OPTIMIZE_FOR_SIZE", key: "v8OptimizeForSize", unset: false, good: ["1", true], bad: ["on", "yes"], expects: /1 \(on\) or 0 \(off\)/ },
  count("KEYWARD_DB_POOL_SIZE", "dbPoolSize", 10, 1000),
  ms("KEYWARD_DB_CONNECT_TIMEOUT_MS", "dbConnectTimeoutMs", 5000, 1),
  ms("KEYWARD_DB_STATEMENT_TIMEOUT_MS", "dbStatementTimeoutMs", 10000, 1),
  ms("KEYWARD_DB_IDLE_TX_TIMEOUT_MS", "dbIdleTxTimeoutMs", 30000, 1),
  ms("KEYWARD_SQLITE_BUSY_TIMEOUT_MS", "sqliteBusyTimeoutMs", 10000, 1),
  { name: "KEYWARD_DIST_DIR", key: "distDir", unset: ".next", good: [".next-e2e", ".next-e2e"], bad: [], expects: /./ },
  { name: "KEYWARD_VERIFIER_PORT", key: "verifierPort", unset: undefined, good: ["3001", 3001], bad: ["0", "70000", "3001x"], expects: /the verifier's HTTP port/ },
  { name: "KEYWARD_VERIFIER_SOCKET", key: "verifierSocket", unset: undefined, good: ["/run/keyward/verifier.sock", "/run/keyward/verifier.sock"], bad: ["verifier.sock", "/run/with space"], expects: /absolute path for the verifier's Unix socket/ },
  { name: "KEYWARD_VERIFY_POOL_SIZE", key: "verifyPoolSize", unset: 4, good: ["8", 8], bad: ["0", "many"], expects: /connections/ },
  { name: "KEYWARD_ASSISTANT_URL", key: "assistantUrl", unset: undefined, good: ["http://llm.local/v1", "http://llm.local/v1"], bad: ["file:///etc/passwd", "llm.local/v1"], expects: /OpenAI-compatible/ },
  { name: "KEYWARD_ASSISTANT_MODEL", key: "assistantModel", unset: "gpt-4o-mini", good: ["llama3", "llama3"], bad: [], expects: /./ },
  { name: "KEYWARD_ASSISTANT_API_KEY", key: "assistantApiKey", unset: undefined, good: ["sk-test", "sk-test"], bad: [], expects: /./ },
  { name: "KEYWARD_REDIS_URL", key: "redisUrl", unset: undefined, good: ["redis://127.0.0.1:6379", "redis://127.0.0.1:6379"], bad: ["127.0.0.1:6379", "http://redis"], expects: /redis:\/\// },
  { name: "KEYWARD_REDIS_TIMEOUT_MS", key: "redisTimeoutMs", unset: 1000, good: ["100", 100], bad: ["0", "1s"], expects: /milliseconds/ },
  { name: "KEYWARD_REDIS_RATE_LIMIT_FAILURE", key: "redisRateLimitFailure", unset: "open", good: ["closed", "closed"], bad: ["allow", "1"], expects: /open .* or closed/ },
  { name: "KEYWARD_REDIS_CREDITS_FAILURE", key: "redisCreditsFailure", unset: "closed", good: ["open", "open"], bad: ["deny"], expects: /open .* or closed/ },
];

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  return [];
}

describe("lib/config.ts", () => {
  it("has a row in this table for every variable it reads", () => {
    expect(ROWS.map((r) => r.name).sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  for (const row of ROWS) {
    describe(row.name, () => {
      it("has its default when unset or empty, and takes a good value", () => {
        expect(parseConfig({})[row.key]).toEqual(row.unset);
        expect(parseConfig({ [row.name]: "" })[row.key]).toEqual(row.unset);
        expect(parseConfig({ [row.name]: row.good[0] })[row.key]).toEqual(row.good[1]);
      });
      for (const bad of row.bad) {
        it(`refuses ${JSON.stringify(bad)}, naming the variable and what it expects`, () => {
          const problems = problemsOf({ [row.name]: bad });
          expect(problems).toHaveLength(1);
          expect(problems[0].startsWith(`${row.name}=`)).toBe(true);
          expect(problems[0]).toMatch(row.expects);
        });
      }
    });
  }

  it("lists every bad variable at once and never echoes a secret", () => {
    const problems = problemsOf({ PORT: "x", KEYWARD_KEY_CACHE_TTL_MS: "5s", NEXTAUTH_SECRET: "hunter2hunter2" });
    expect(problems.map((p) => p.split("=")[0]).sort()).toEqual(["KEYWARD_KEY_CACHE_TTL_MS", "NEXTAUTH_SECRET", "PORT"]);
    expect(problems.join("\n")).not.toContain("hunter2");
    expect(problems.find((p) => p.startsWith("NEXTAUTH_SECRET"))).toContain("14 characters");
  });
});

describe("freezeConfig", () => {
  const flag = globalThis as unknown as { keywardConfigFrozen?: boolean };
  afterEach(() => {
    delete flag.keywardConfigFrozen;
    delete process.env.KEYWARD_USAGE_FLUSH_MS;
  });

  it("re-reads the environment on every call until the servers freeze it, then keeps the frozen answer", () => {
    process.env.KEYWARD_USAGE_FLUSH_MS = "1234";
    expect(config().usageFlushMs).toBe(1234);
    process.env.KEYWARD_USAGE_FLUSH_MS = "2345";
    expect(config().usageFlushMs).toBe(2345);
    expect(configFrozen()).toBe(false);
    // A change made before the freeze is still seen by the first call after it.
    process.env.KEYWARD_USAGE_FLUSH_MS = "3456";
    freezeConfig();
    expect(configFrozen()).toBe(true);
    expect(config().usageFlushMs).toBe(3456);
    process.env.KEYWARD_USAGE_FLUSH_MS = "4567";
    expect(config().usageFlushMs).toBe(3456);
  });
});
