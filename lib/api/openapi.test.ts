// The OpenAPI document that /v1/openapi.json serves stays valid and usable by generators:
// Redocly's recommended rules find nothing (no error, no warning); the committed types that
// openapi-typescript generates from it are current; and the generated-client e2e spec, which
// drives the API through openapi-fetch with those types, passes `tsc --strict`.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";
import { generateOpenApiTypes, TYPES_FILE } from "./openapi-codegen";

const ROOT = path.resolve(__dirname, "..", "..");
const bin = (name: string) => path.join(ROOT, "node_modules", ".bin", name);
const dir = mkdtempSync(path.join(tmpdir(), "keyward-openapi-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the OpenAPI document", () => {
  it("passes redocly lint with the recommended rules: no errors, no warnings", () => {
    const file = path.join(dir, "openapi.json");
    writeFileSync(file, JSON.stringify(openApiDocument("/"), null, 2));
    const result = spawnSync(bin("redocly"), ["lint", file, "--format=json"], { cwd: dir, encoding: "utf8" });
    const report = JSON.parse(result.stdout) as { totals: { errors: number; warnings: number }; problems: { message: string; location: { pointer: string }[] }[] };
    const problems = report.problems.map((p) => `${p.location[0]?.pointer}: ${p.message}`);
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(result.status).toBe(0);
  }, 60_000);

  it("lib/api/openapi-types.ts is what openapi-typescript generates from it now (npm run api:types)", async () => {
    expect(readFileSync(TYPES_FILE, "utf8")).toBe(await generateOpenApiTypes());
  });

  it("the generated-client spec type-checks under tsc --strict against the generated types", () => {
    const config = path.join(dir, "tsconfig.json");
    writeFileSync(
      config,
      JSON.stringify({
        extends: path.join(ROOT, "tsconfig.json"),
        compilerOptions: { strict: true, noEmit: true, incremental: false, skipLibCheck: true },
        include: [path.join(ROOT, "e2e/api/generated-client.spec.ts"), path.join(ROOT, "lib/api/openapi-types.ts")],
      }),
    );
    {
      const output = (() => {
        try {
          return execFileSync(bin("tsc"), ["-p", config], { cwd: ROOT, encoding: "utf8" });
        } catch (error) {
          return String((error as { stdout?: string }).stdout ?? error);
        }
      })();
      expect(output.trim()).toBe("");
    }
  }, 120_000);
});
