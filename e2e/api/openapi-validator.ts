// Every response the e2e API suite receives is checked against Keyward's own OpenAPI document
// (lib/api/openapi.ts, the one /v1/openapi.json serves): the status must be documented for the
// operation, every required header present, the body valid against the documented schema
// (JSON Schema 2020-12 with Ajv). keys.ts wraps every request context the specs use with
// `validatingContext`, and the generated-client spec wraps its fetch with `validatingFetch`.
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { APIRequestContext, APIResponse } from "@playwright/test";
import { openApiDocument } from "../../lib/api/openapi";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON Schema / OpenAPI node, walked generically
type Json = Record<string, any>;
const DOC = openApiDocument("/") as unknown as Json;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(DOC, "openapi.json");

const compiled = new Map<string, ValidateFunction>();
function validatorFor(pointer: string): ValidateFunction {
  let validate = compiled.get(pointer);
  if (!validate) {
    validate = ajv.compile({ $ref: `openapi.json#${pointer}` });
    compiled.set(pointer, validate);
  }
  return validate;
}

const escape = (segment: string) => segment.replaceAll("~", "~0").replaceAll("/", "~1");
const TEMPLATES = Object.keys(DOC.paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`),
}));

function resolve(object: Json): Json {
  if (typeof object?.$ref !== "string") return object;
  return object.$ref
    .slice(2)
    .split("/")
    .reduce((node: Json, key: string) => node[key.replaceAll("~1", "/").replaceAll("~0", "~")], DOC);
}

export type ObservedResponse = { method: string; url: string; status: number; headers: Record<string, string>; body: string };

/** The ways `response` breaks the document; empty when it conforms. */
export function contractProblems(response: ObservedResponse): string[] {
  const path = new URL(response.url).pathname;
  const method = response.method.toLowerCase();
  const where = `${response.method} ${path} -> ${response.status}`;
  const match = TEMPLATES.find((t) => t.pattern.test(path));
  if (!match) {
    // Paths outside the document (the suite probes unknown endpoints): the error envelope.
    if (!path.startsWith("/v1")) return [];
    if (response.status < 400) return [`${where}: success on an undocumented path`];
    return bodyProblems(where, "/components/schemas/Error", response.body);
  }
  if (method === "head") return [];
  const operation = DOC.paths[match.template][method];
  const base = `/paths/${escape(match.template)}/${method}/responses`;
  if (!operation) {
    // Methods the path does not document are refused with 405 in the envelope.
    if (response.status !== 405) return [`${where}: undocumented method answered ${response.status}`];
    return bodyProblems(where, "/components/schemas/Error", response.body);
  }
  const declared = operation.responses[String(response.status)];
  if (!declared) return [`${where}: status not documented (documented: ${Object.keys(operation.responses).join(", ")})`];
  const problems: string[] = [];
  for (const [name, spec] of Object.entries<Json>(declared.headers ?? {})) {
    const header = resolve(spec);
    const value = response.headers[name.toLowerCase()];
    if (header.required && value === undefined) problems.push(`${where}: missing header ${name}`);
    if (value !== undefined && header.schema?.type === "integer" && !/^[0-9]+$/.test(value)) {
      problems.push(`${where}: header ${name} is not an integer: ${value}`);
    }
  }
  const content = declared.content?.["application/json"];
  if (!content) {
    if (response.body.length > 0) problems.push(`${where}: a body where the document declares none`);
    return problems;
  }
  if (!/^application\/json/.test(response.headers["content-type"] ?? "")) {
    problems.push(`${where}: content-type ${response.headers["content-type"]}, documented application/json`);
    return problems;
  }
  return [...problems, ...bodyProblems(where, `${base}/${response.status}/content/application~1json/schema`, response.body)];
}

function bodyProblems(where: string, pointer: string, body: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return [`${where}: body is not JSON: ${body.slice(0, 200)}`];
  }
  const validate = validatorFor(pointer);
  if (validate(value)) return [];
  return [`${where}: body does not match ${pointer}: ${ajv.errorsText(validate.errors)}; body ${body.slice(0, 300)}`];
}

export class ContractError extends Error {}

async function checked(method: string, response: APIResponse): Promise<APIResponse> {
  const problems = contractProblems({
    method,
    url: response.url(),
    status: response.status(),
    headers: response.headers(),
    body: (await response.body()).toString("utf8"),
  });
  if (problems.length > 0) throw new ContractError(`Response breaks the OpenAPI document:\n${problems.join("\n")}`);
  return response;
}

const METHODS = { get: "GET", post: "POST", put: "PUT", patch: "PATCH", delete: "DELETE", head: "HEAD" } as const;

/** The same context; every response it returns has been checked against the document. */
export function validatingContext(context: APIRequestContext): APIRequestContext {
  return new Proxy(context, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      if (property in METHODS) {
        const method = METHODS[property as keyof typeof METHODS];
        return async (...args: unknown[]) => checked(method, await value.apply(target, args));
      }
      if (property === "fetch") {
        return async (input: unknown, options?: { method?: string }) => {
          const method = options?.method ?? (typeof input === "object" && input !== null && "method" in input ? String((input as { method(): string }).method()) : "GET");
          return checked(method.toUpperCase(), await value.call(target, input, options));
        };
      }
      return value.bind(target);
    },
  });
}

/** A fetch whose every response has been checked against the document. */
export function validatingFetch(inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const response = await inner(request);
    const body = await response.clone().text();
    const problems = contractProblems({
      method: request.method,
      url: response.url || request.url,
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body,
    });
    if (problems.length > 0) throw new ContractError(`Response breaks the OpenAPI document:\n${problems.join("\n")}`);
    return response;
  };
}
