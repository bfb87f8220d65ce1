// The optional model fallback against a tiny local OpenAI-compatible fake (node:http): what is
// sent, and that whatever comes back is only ever a checked proposal or an answer.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import corpus from "./corpus.json";
import { askModel, modelConfig, TOOLS, type ModelConfig } from "./model";
import type { AssistantContext } from "./types";

const context = corpus.context as AssistantContext;

let server: Server;
let config: ModelConfig;
let received: { path: string; headers: IncomingMessage["headers"]; body: Record<string, unknown> }[] = [];
let reply: (res: import("node:http").ServerResponse) => void = () => {};

const toolReply = (name: string, args: unknown) => (res: import("node:http").ServerResponse) => {
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify({ choices: [{ message: { role: "assistant", tool_calls: [{ type: "function", function: { name, arguments: JSON.stringify(args) } }] } }] }));
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let data = "";
    req.on("data", (chunk) => (data += chunk));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body: JSON.parse(data) });
      reply(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  config = { ...modelConfig({ KEYWARD_ASSISTANT_URL: `http://127.0.0.1:${port}/v1/`, KEYWARD_ASSISTANT_API_KEY: "sk-test" })!, timeoutMs: 1_000 };
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received = [];
});

describe("configuration", () => {
  it("is off unless KEYWARD_ASSISTANT_URL is an http(s) URL", () => {
    expect(modelConfig({})).toBeNull();
    expect(() => modelConfig({ KEYWARD_ASSISTANT_URL: "file:///etc/passwd" })).toThrow(/KEYWARD_ASSISTANT_URL/);
    expect(modelConfig({ KEYWARD_ASSISTANT_URL: "http://llm.local/v1" })).toMatchObject({ url: "http://llm.local/v1/chat/completions", model: "gpt-4o-mini" });
  });
});

describe("what is sent", () => {
  it("the typed text, key names and prefixes, group names and the tools; never an id", async () => {
    reply = toolReply("no_action", {});
    await askModel("kill off the thing the phone app uses", context, config);
    expect(received).toHaveLength(1);
    const [{ path, headers, body }] = received;
    expect(path).toBe("/v1/chat/completions");
    expect(headers.authorization).toBe("Bearer sk-test");
    expect(body).toEqual({
      model: "gpt-4o-mini",
      temperature: 0,
      tool_choice: "required",
      tools: TOOLS,
      messages: [
        {
          role: "system",
          content: expect.stringContaining("Keys: ERP Integration (kw_erp1); Mobile App (kw_mob1);"),
        },
        { role: "user", content: "kill off the thing the phone app uses" },
      ],
    });
    expect(JSON.stringify(body)).toContain("Legacy Webhook Relay (kw_leg1, revoked)");
    expect(JSON.stringify(body)).toContain("Key groups: Read only; Full access.");
    for (const key of context.keys) expect(JSON.stringify(body)).not.toContain(`"${key.id}"`);
    expect(JSON.stringify(body)).not.toMatch(/k_erp|g_ro|hash/);
  });
});

describe("what comes back", () => {
  it("a tool call becomes a proposal, its key name matched against the tenant's keys", async () => {
    reply = toolReply("revoke_key", { key_name: "Mobile App" });
    expect(await askModel("kill off the thing the phone app uses", context, config)).toEqual({
      kind: "revoke",
      key: { id: "k_mobile", name: "Mobile App", prefix: "kw_mob1" },
    });
    reply = toolReply("rotate_key", { key_name: "erp", overlap: "24h" });
    expect(await askModel("cycle the erp credential, grace period a day", context, config)).toMatchObject({ kind: "rotate", key: { id: "k_erp" }, overlap: "24h" });
  });

  it("a key the tenant does not have, an ambiguous one, or a revoked one is an answer", async () => {
    for (const keyName of ["Globex Billing Bridge", "billing", "Legacy Webhook Relay"]) {
      reply = toolReply("revoke_key", { key_name: keyName });
      expect((await askModel("get rid of it", context, config)).kind, keyName).toBe("answer");
    }
  });

  it("bad arguments, an unknown tool, a server error, garbage or silence are answers", async () => {
    const replies = [
      toolReply("rotate_key", { key_name: "erp", overlap: "forever" }),
      toolReply("drop_database", {}),
      (res: import("node:http").ServerResponse) => res.writeHead(500).end("{}"),
      (res: import("node:http").ServerResponse) => res.end("not json"),
      (res: import("node:http").ServerResponse) => res.end(JSON.stringify({ choices: [{ message: { content: "Sure! Revoking all." } }] })),
      () => {}, // never answers: the timeout ends it
    ];
    for (const next of replies) {
      reply = next;
      expect((await askModel("do the thing", context, config)).kind).toBe("answer");
    }
  });
});
