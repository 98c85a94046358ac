import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { seedCompany, seedContact, seedDeal, seedLead } from "./crm-seed";
import { BASE, type Session, signUp, uniqueIp } from "./helpers";

/*
 * Walks the OpenAPI document and sends every operation a bounded corpus of bad input
 * (malformed JSON, wrong types, huge and deeply nested values, NUL and lone-surrogate
 * characters, prototype keys, garbage ids and cursors, unknown fields, bad query parameters),
 * authenticated as the owner of a seeded organization. Every answer must be below 500 (or a
 * 5xx the operation documents, such as 503 "phone system offline"), and every non-2xx answer
 * must be the error envelope. New operations are covered by appearing in the document.
 *
 * Operations are grouped by their first path segment; each group gets a fresh organization and
 * owner (so a logout or a deactivation in one group cannot blind the others, and no group
 * drains another's rate-limit buckets), creates run first so later operations find real ids,
 * and destructive operations run last in their group.
 *
 * WebSocket upgrades (/realtime, /pbx/bridge) are not in the document (they are GET routes that
 * only answer 101 or a refusal), so the walk does not reach them; their refusals are covered
 * in realtime.test.ts and calls.test.ts.
 */

interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  pattern?: string;
  default?: unknown;
}

interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  schema?: JsonSchema;
}

interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  bodySchema: JsonSchema | null;
  documented5xx: Set<number>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

interface Probe {
  label: string;
  pathParams?: Record<string, string>;
  query?: string;
  rawBody?: string;
  contentType?: string | null;
}

interface Outcome {
  operation: string;
  probe: string;
  status: number;
  body: string;
}

/**
 * About 1,500 requests: two groups at a time, six requests in flight in each. The timeout below
 * is a ceiling for a machine shared with other test runs, not the expected duration.
 */
const CONCURRENCY = 6;
const NUL = "\u0000";
const LONE_SURROGATE = "\ud800";
/** Garbage path ids: not uuids, dashes only, encoded NUL, a prototype name, too long. */
const GARBAGE_IDS = ["-".repeat(36), "%00"];
const NESTING = 5000;

function base64Url(text: string): string {
  return btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** The list query language's traps, sent to every operation that pages (has a cursor). */
const LIST_PROBES: string[] = [
  "filter.__proto__=x",
  "filter.constructor=x",
  "filter.toString.gte=x",
  "filter.createdAt.gte=-100000-01-01T00:00:00Z",
  "filter.createdAt.lt=0000-01-01",
  "filter.updatedAt=0",
  "filter.ownerId=------------------------------------",
  "filter.score.gt=99999999999",
  "filter.amount.gte=1e30",
  "filter.score=0.5",
  "filter.cf.size.gt=abc",
  "q=a%00b",
  `cursor=${base64Url(JSON.stringify({ v: "not a date", id: "x" }))}`,
  `cursor=${base64Url(JSON.stringify({ v: 1e308, id: crypto.randomUUID() }))}`,
  `cursor=${base64Url(JSON.stringify({ at: "0000-01-01T00:00:00Z", rank: 0, id: crypto.randomUUID() }))}`,
  "cursor=%%%garbage",
  "sort=__proto__",
];

/** Sent to every GET: NUL in an unknown parameter, a repeated parameter. */
const GENERIC_PROBES = ["zz=%00", "limit=1&limit=2"];

/** Values sent for every declared query parameter in turn. */
const QUERY_VALUES = [
  "%00",
  "99999999999999999999999",
  "0.5",
  "__proto__",
  "-".repeat(36),
  "0000-01-01T00:00:00Z",
];

function resolve(document: OpenApiDocument, schema: JsonSchema | undefined): JsonSchema {
  let current = schema ?? {};
  for (let hops = 0; current.$ref && hops < 10; hops++) {
    const name = current.$ref.split("/").pop() ?? "";
    current = document.components?.schemas?.[name] ?? {};
  }
  return current;
}

/**
 * A plausible value for the schema (valid where the schema says enough), depth-bounded; with
 * `requiredOnly`, objects carry only their required properties (random ids in optional
 * references would make most plausible bodies a 404).
 */
function sample(
  document: OpenApiDocument,
  raw: JsonSchema | undefined,
  depth = 0,
  requiredOnly = false,
): unknown {
  const schema = resolve(document, raw);
  if (depth > 6) return null;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum.find((value) => value !== null) ?? null;
  const options = schema.anyOf ?? schema.oneOf;
  if (options?.length) {
    const option = options.find((candidate) => resolve(document, candidate).type !== "null");
    return sample(document, option ?? options[0], depth + 1, requiredOnly);
  }
  if (schema.allOf?.length) return sample(document, schema.allOf[0], depth + 1, requiredOnly);
  const type = Array.isArray(schema.type)
    ? schema.type.find((candidate) => candidate !== "null")
    : schema.type;
  switch (type) {
    case "string":
      return sampleString(schema);
    case "integer":
    case "number":
      return schema.minimum ?? 1;
    case "boolean":
      return true;
    case "array":
      return [sample(document, schema.items, depth + 1, requiredOnly)];
    case "object": {
      const value: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        if (requiredOnly && !schema.required?.includes(name)) continue;
        value[name] = sample(document, property, depth + 1, requiredOnly);
      }
      return value;
    }
    default:
      return schema.properties
        ? sample(document, { ...schema, type: "object" }, depth, requiredOnly)
        : "x";
  }
}

function sampleString(schema: JsonSchema): string {
  switch (schema.format) {
    case "uuid":
      return crypto.randomUUID();
    case "email":
      return `fuzz-${crypto.randomUUID().slice(0, 8)}@example.com`;
    case "date-time":
      return new Date().toISOString();
    case "date":
      return "2026-01-15";
    case "uri":
    case "url":
      return "https://example.com/";
  }
  const length = Math.max(schema.minLength ?? 0, 4);
  return "fuzz".repeat(Math.ceil(length / 4)).slice(0, Math.min(length, schema.maxLength ?? 64));
}

/** Replaces every leaf the predicate picks, keeping the shape (and keys) of the value. */
function mapLeaves(value: unknown, change: (leaf: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => mapLeaves(item, change));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, mapLeaves(item, change)]),
    );
  }
  return change(value);
}

function nested(depth: number): string {
  return `${"[".repeat(depth)}1${"]".repeat(depth)}`;
}

/** Inserts raw `"key": value` members into the JSON text of an object. */
function withMembers(body: unknown, members: string): string {
  const text = JSON.stringify(body ?? {});
  if (!text.startsWith("{")) return `{${members}}`;
  return text === "{}" ? `{${members}}` : `{${members},${text.slice(1)}`;
}

function bodyProbes(document: OpenApiDocument, schema: JsonSchema): Probe[] {
  // Every field is probed (the full body); the plausible body is the minimal one.
  const valid = sample(document, schema);
  const minimal = sample(document, schema, 0, true);
  const json = (label: string, value: unknown): Probe => ({
    label,
    rawBody: JSON.stringify(value),
  });
  const leaves = (label: string, change: (leaf: unknown) => unknown) =>
    json(label, mapLeaves(valid, change));
  return [
    json("a plausible body", minimal),
    leaves("NUL in every string", (leaf) => (typeof leaf === "string" ? `a${NUL}b` : leaf)),
    leaves("a lone surrogate in every string", (leaf) =>
      typeof leaf === "string" ? `a${LONE_SURROGATE}b` : leaf,
    ),
    leaves("huge numbers", (leaf) => (typeof leaf === "number" ? 1e308 : leaf)),
    leaves("numbers beyond int4", (leaf) => (typeof leaf === "number" ? 2 ** 31 : leaf)),
    leaves("fractions", (leaf) => (typeof leaf === "number" ? 0.5 : leaf)),
    leaves("objects for every value", () => ({ a: 1 })),
    leaves("dashes for every string", (leaf) => (typeof leaf === "string" ? "-".repeat(36) : leaf)),
    leaves("year 0 for every string", (leaf) =>
      typeof leaf === "string" ? "0000-01-01T00:00:00Z" : leaf,
    ),
    {
      label: "prototype keys",
      rawBody: withMembers(valid, `"__proto__":{"isAdmin":true},"constructor":{"prototype":{}}`),
    },
    { label: "unknown field and 1e999", rawBody: withMembers(valid, `"zzUnknownField":1e999`) },
    { label: "deeply nested JSON", rawBody: withMembers(valid, `"zz":${nested(NESTING)}`) },
    { label: "malformed JSON", rawBody: '{"a":' },
    { label: "text/plain body", rawBody: JSON.stringify(valid), contentType: "text/plain" },
  ];
}

function queryProbes(operation: Operation): Probe[] {
  const declared = operation.parameters.filter((p) => p.in === "query");
  const pages = declared.some((p) => p.name === "cursor");
  const probes: string[] = [
    ...(operation.method === "GET" ? GENERIC_PROBES : []),
    ...(pages ? LIST_PROBES : []),
    ...declared.flatMap((p) => QUERY_VALUES.map((value) => `${p.name}=${value}`)),
  ];
  return probes.map((query) => ({ label: `query ${query.slice(0, 60)}`, query }));
}

function pathProbes(operation: Operation): Probe[] {
  const names = operation.parameters.filter((p) => p.in === "path").map((p) => p.name);
  return names.flatMap((name) =>
    GARBAGE_IDS.map((id) => ({
      label: `path ${name}=${id.slice(0, 20)}`,
      pathParams: { [name]: id },
    })),
  );
}

/** Deletes, sign-outs, revocations and member changes: last in their group. */
function isDestructive(operation: Operation): boolean {
  return (
    operation.method === "DELETE" ||
    /logout|deactivate|revoke|switch-organization|^\/users\/|\/hangup/.test(operation.path)
  );
}

function order(operation: Operation): number {
  if (isDestructive(operation)) return 3;
  const hasPathParams = operation.parameters.some((p) => p.in === "path");
  if (operation.method === "POST" && !hasPathParams) return 0;
  if (operation.method === "GET") return 1;
  return 2;
}

function operationsOf(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      const op = raw as {
        parameters?: Parameter[];
        requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
        responses?: Record<string, unknown>;
      };
      const bodySchema = op.requestBody?.content?.["application/json"]?.schema ?? null;
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        bodySchema,
        documented5xx: new Set(
          Object.keys(op.responses ?? {})
            .map(Number)
            .filter((status) => status > 500),
        ),
      });
    }
  }
  return operations;
}

/** Finds the first object id in a list answer (an array of records, or records nested in one). */
function firstId(value: unknown): string | null {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = firstId(item);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (typeof record.id === "string") return record.id;
    for (const item of Object.values(record)) {
      if (Array.isArray(item)) {
        const found = firstId(item);
        if (found) return found;
      }
    }
  }
  return null;
}

class Group {
  private readonly ids = new Map<string, string>();

  constructor(private readonly owner: Session) {}

  async send(operation: Operation, probe: Probe) {
    const path = await this.pathFor(operation, probe.pathParams ?? {});
    const headers = new Headers({
      authorization: `Bearer ${this.owner.accessToken}`,
      "cf-connecting-ip": uniqueIp(),
    });
    const hasBody = operation.method !== "GET" && operation.method !== "DELETE";
    let body: string | undefined;
    if (hasBody) {
      body = probe.rawBody ?? (operation.bodySchema ? "{}" : undefined);
      const type = probe.contentType === undefined ? "application/json" : probe.contentType;
      if (type && body !== undefined) headers.set("content-type", type);
    }
    const url = `${BASE}${path}${probe.query ? `?${probe.query}` : ""}`;
    for (let attempt = 0; ; attempt++) {
      const response = await SELF.fetch(url, { method: operation.method, headers, body });
      const text = await response.text();
      // This walk is about validation, not rate limits: wait for the bucket and try again.
      if (response.status !== 429 || attempt >= 5) return { status: response.status, text };
      const wait = Number(response.headers.get("retry-after") ?? "1");
      await new Promise((done) => setTimeout(done, Math.max(1, wait) * 1000));
    }
  }

  /** Real ids where a list gives one (collection path before the parameter), else random. */
  private async pathFor(operation: Operation, overrides: Record<string, string>) {
    let resolved = "";
    for (const segment of operation.path.split("/").slice(1)) {
      const name = /^\{(.+)\}$/.exec(segment)?.[1];
      if (!name) {
        resolved += `/${segment}`;
        continue;
      }
      resolved += `/${overrides[name] ?? (await this.idFor(resolved))}`;
    }
    return resolved;
  }

  private async idFor(collection: string): Promise<string> {
    const known = this.ids.get(collection);
    if (known) return known;
    const response = await SELF.fetch(`${BASE}${collection}`, {
      headers: {
        authorization: `Bearer ${this.owner.accessToken}`,
        "cf-connecting-ip": uniqueIp(),
      },
    });
    const found = response.ok && firstId(((await response.json()) as { data: unknown }).data);
    if (found) this.ids.set(collection, found);
    return found || crypto.randomUUID();
  }
}

async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(runners);
}

function checkOutcome(operation: Operation, status: number, text: string): string | null {
  if (status >= 500 && !(operation.documented5xx.has(status) && status !== 500)) {
    return `status ${status}`;
  }
  if (status < 400) return null;
  try {
    const body = JSON.parse(text) as { success?: unknown; message?: unknown };
    if (body.success !== false) return "success is not false";
    if (typeof body.message !== "string" || !body.message) return "no message";
    return null;
  } catch {
    return "not JSON";
  }
}

describe("every operation in the OpenAPI document", () => {
  it("answers bad input with a 4xx in the envelope, never a 500", {
    timeout: 300_000,
  }, async () => {
    const started = Date.now();
    const response = await SELF.fetch(`${BASE}/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as OpenApiDocument;
    const operations = operationsOf(document).sort((a, b) => order(a) - order(b));
    expect(operations.length).toBeGreaterThan(50);

    const groups = new Map<string, Operation[]>();
    for (const operation of operations) {
      const key = operation.path.split("/")[1] ?? "";
      groups.set(key, [...(groups.get(key) ?? []), operation]);
    }

    const failures: Outcome[] = [];
    /** Operations that answered some probe with a 2xx: the walk reached past authentication. */
    const reached = new Set<string>();
    let sent = 0;
    await pool([...groups.values()], 2, async (group) => {
      const owner = await signUp("fuzz");
      await Promise.all([
        seedContact(owner),
        seedCompany(owner),
        seedDeal(owner),
        seedLead(owner, "Fuzz lead"),
      ]);
      const client = new Group(owner);
      for (const operation of group) {
        const probes = [
          { label: "as documented" },
          ...pathProbes(operation),
          ...queryProbes(operation),
          ...(operation.bodySchema ? bodyProbes(document, operation.bodySchema) : []),
        ];
        await pool(probes, CONCURRENCY, async (probe) => {
          const { status, text } = await client.send(operation, probe);
          sent += 1;
          if (status < 300) reached.add(`${operation.method} ${operation.path}`);
          const problem = checkOutcome(operation, status, text);
          if (problem) {
            failures.push({
              operation: `${operation.method} ${operation.path}`,
              probe: `${probe.label} (${problem})`,
              status,
              body: text.slice(0, 200),
            });
          }
        });
      }
    });
    console.log(
      `openapi walk: ${operations.length} operations, ${sent} requests, ${Date.now() - started} ms`,
    );
    expect(failures).toEqual([]);
    const unreached = operations
      .map((operation) => `${operation.method} ${operation.path}`)
      .filter((name) => !reached.has(name));
    console.log(`never a 2xx (${unreached.length}): ${unreached.join(", ")}`);
    // Most operations accept their plausible probe; a walk stuck at 401s would prove nothing.
    expect(reached.size).toBeGreaterThan(operations.length / 2);
  });
});
