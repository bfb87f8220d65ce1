import { afterEach, describe, expect, it, vi } from "vitest";
import { logError } from "./log";

describe("logError", () => {
  afterEach(() => vi.restoreAllMocks());

  function logged(...args: Parameters<typeof logError>) {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    logError(...args);
    return JSON.parse(String(spy.mock.calls[0][0])) as Record<string, unknown>;
  }

  it("keeps the line's message when the error has its own message, and the error's under error", () => {
    const line = logged("v1 request failed", new Error("connection refused"), { requestId: "req_1" });
    expect(line).toMatchObject({ level: "error", message: "v1 request failed", requestId: "req_1" });
    expect(line.error).toMatchObject({ name: "Error", message: "connection refused" });
  });

  it("fields cannot replace the line's level, time or message either", () => {
    const line = logged("key change listener lost its connection", "boom", { message: "forged", level: "debug" });
    expect(line).toMatchObject({ level: "error", message: "key change listener lost its connection", error: { message: "boom" } });
  });
});
