// The /v1 route handlers called in-process, as Next.js calls them: a NextRequest in, a Response
// out, against their real database module (lib/db) pointed at a test database. Faster than
// HTTP, so that property tests can send hundreds of requests, and it runs on both databases.
import { NextRequest } from "next/server";
import { vi } from "vitest";

type Handler = (request: NextRequest, route: { params: Promise<Record<string, string>> }) => Promise<Response>;
type RouteModule = Record<string, unknown>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the JSON body of any route; tests read the fields they assert
export type V1Response = { status: number; body: any; headers: Headers };
export type V1CallOptions = {
  key?: string;
  /** Sent as JSON unless `raw` is given. */
  body?: unknown;
  raw?: string;
  contentType?: string;
};

export type V1 = {
  call(method: string, path: string, options?: V1CallOptions): Promise<V1Response>;
  close(): Promise<void>;
};

/** Loads the route modules with DATABASE_URL = `url` (lib/db makes its client on first import). */
export async function loadV1(url: string): Promise<V1> {
  process.env.DATABASE_URL = url;
  // Both per-process singletons follow DATABASE_URL: the Prisma client and the verifier's own
  // driver lookup (lib/verify/app-verifier.ts).
  const globals = globalThis as { keywardDb?: { $disconnect(): Promise<void> }; keywardVerifier?: { lookup: { close(): Promise<void> } } };
  await globals.keywardVerifier?.lookup.close();
  delete globals.keywardDb;
  delete globals.keywardVerifier;
  vi.resetModules();
  const routes: { pattern: RegExp; module: RouteModule }[] = [
    { pattern: /^\/v1\/api-keys\/(?<key_id>[^/]+)\/rotate$/, module: await import("@/app/v1/api-keys/[key_id]/rotate/route") },
    { pattern: /^\/v1\/api-keys\/(?<key_id>[^/]+)$/, module: await import("@/app/v1/api-keys/[key_id]/route") },
    { pattern: /^\/v1\/api-keys$/, module: await import("@/app/v1/api-keys/route") },
  ];

  return {
    async call(method, path, options = {}) {
      const url = new URL(path, "http://keyward.test");
      const route = routes.find((r) => r.pattern.test(url.pathname));
      if (!route) throw new Error(`No route for ${path}`);
      const params = url.pathname.match(route.pattern)?.groups ?? {};
      const handler = route.module[method] as Handler | undefined;
      if (!handler) throw new Error(`${path} has no ${method}`);
      const headers = new Headers();
      if (options.key) headers.set("x-api-key", options.key);
      const text = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
      if (text !== undefined) headers.set("content-type", options.contentType ?? "application/json");
      const request = new NextRequest(url, { method, headers, body: text });
      const response = await handler(request, { params: Promise.resolve(params) });
      const body = response.headers.get("content-type")?.includes("json") ? await response.json() : await response.text();
      return { status: response.status, body, headers: response.headers };
    },
    async close() {
      await globals.keywardDb?.$disconnect();
      await globals.keywardVerifier?.lookup.close();
      delete globals.keywardDb;
      delete globals.keywardVerifier;
    },
  };
}
