// What a server action sees of its request, mocked once for every test file that calls actions
// directly (as a forged POST would): next-auth's session, the request's cookies and headers,
// revalidatePath and redirect. The actions themselves run against their real database module
// (lib/db), pointed by actionDatabase at a fresh migrated and seeded database per test.
// Importing this file registers the mocks: vi.mock applies to every later import of those
// modules, and the actions are imported after it (actionDatabase's load).
import { afterEach, beforeEach, vi } from "vitest";
import { seededDb, type SeededDb } from "../db";

export const request = {
  userId: null as string | null,
  tenantCookie: undefined as string | undefined,
  requestId: undefined as string | undefined,
};

vi.mock("next-auth", () => ({
  getServerSession: vi.fn(async () => (request.userId ? { user: { id: request.userId } } : null)),
}));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) =>
      name === "kw_tenant" && request.tenantCookie !== undefined ? { name, value: request.tenantCookie } : undefined,
  }),
  headers: async () => new Headers(request.requestId ? { "x-request-id": request.requestId } : {}),
}));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));
vi.mock("next/navigation", () => ({
  redirect: vi.fn((to: string) => {
    throw new Error(`unexpected redirect to ${to}`);
  }),
}));

export function signInAs(user: { id: string } | null, tenantCookie?: string) {
  request.userId = user?.id ?? null;
  request.tenantCookie = tenantCookie;
}

/**
 * A fresh seeded database per test, with lib/db pointed at it and `load` run after the module
 * registry is reset (so the actions it imports get a new lib/db client); `current()` is the test's.
 */
export function actionDatabase<T>(name: string, load: () => Promise<T>): () => SeededDb & { loaded: T } {
  let state: (SeededDb & { loaded: T }) | null = null;
  beforeEach(async () => {
    const t = await seededDb(name);
    // lib/db creates its client from DATABASE_URL when first imported (and keeps it on globalThis).
    process.env.DATABASE_URL = t.url;
    delete (globalThis as { keywardDb?: unknown }).keywardDb;
    vi.resetModules();
    Object.assign(request, { userId: null, tenantCookie: undefined, requestId: undefined });
    state = Object.assign(t, { loaded: await load() });
  });
  afterEach(async () => {
    const globals = globalThis as { keywardDb?: { $disconnect(): Promise<void> } };
    await globals.keywardDb?.$disconnect();
    delete globals.keywardDb;
    await state?.close();
    state = null;
  });
  return () => {
    if (!state) throw new Error("actionDatabase: only inside a test");
    return state;
  };
}
