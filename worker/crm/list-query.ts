import { z } from "@hono/zod-openapi";
import {
  and,
  arrayOverlaps,
  type Column,
  eq,
  gt,
  gte,
  ilike,
  inArray,
  isNull,
  lt,
  lte,
  or,
  type SQL,
  sql,
} from "drizzle-orm";
import type { CountryCode } from "libphonenumber-js";
import { DEFAULT_PHONE_COUNTRY } from "../contacts/phones";
import { parseIsoDate } from "../lib/dates";
import { ApiError } from "../lib/errors";
import { unstorableText } from "../lib/validation";

/*
 * Lists share one query language:
 *   ?limit=50&cursor=...&sort=-createdAt&q=acme
 *   &filter.<field>=value            equality (comma-separated values: any of them)
 *   &filter.<field>.gte=value        also .gt .lte .lt .contains .isEmpty=true
 *   &filter.cf.<customKey>=value     custom fields (same operators)
 * Sorting is keyset-paginated over (sort column, id); the cursor is opaque.
 */

/** `integer` is an int4 column, `bigint` an int8 one read as a JS number (safe-integer range). */
export type FieldType =
  | "text"
  | "number"
  | "integer"
  | "bigint"
  | "date"
  | "uuid"
  | "enum"
  | "boolean"
  | "tags";

export interface ListField {
  column: Column;
  type: FieldType;
  sortable?: boolean;
  /** For `enum` fields: the allowed values (anything else is a 422, not a database error). */
  values?: readonly string[];
  /** The column may be NULL: sorting puts empty values last and pages through them too. */
  nullable?: boolean;
}

export interface ListSpec {
  fields: Record<string, ListField>;
  idColumn: Column;
  customColumn: Column;
  /** Free-text `q` (phone numbers in it are read in `country`; see list-search.ts). */
  search: (term: string, country: CountryCode) => SQL;
  defaultSort: string;
  /**
   * Filters that are not a column (`filter.email` matching an address list, say): the key after
   * `filter.` and the condition for its value (equality only; the full query for context).
   */
  extraFilters?: Record<string, (value: string, query: Record<string, unknown>) => SQL>;
}

export const listQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(500).optional(),
    sort: z.string().max(64).optional(),
    q: z.string().trim().max(200).optional(),
  })
  .catchall(z.string().max(500));

export type ListQuery = z.infer<typeof listQuerySchema>;

const OPERATORS = ["eq", "gt", "gte", "lt", "lte", "contains", "isEmpty"] as const;
type Operator = (typeof OPERATORS)[number];

interface ParsedFilter {
  field: string;
  custom: boolean;
  operator: Operator;
  value: string;
}

function parseFilterKey(key: string): Omit<ParsedFilter, "value"> | null {
  if (!key.startsWith("filter.")) return null;
  const parts = key.slice("filter.".length).split(".");
  const custom = parts[0] === "cf";
  const rest = custom ? parts.slice(1) : parts;
  const [field, op = "eq", ...extra] = rest;
  if (!field || extra.length > 0 || !(OPERATORS as readonly string[]).includes(op)) {
    throw ApiError.badRequest(`Unknown filter "${key}".`, { [key]: ["Unknown filter."] });
  }
  return { field, custom, operator: op as Operator };
}

/** A spec's own entry by name (never an inherited `constructor` or `__proto__`). */
function own<T>(record: Record<string, T> | undefined, name: string): T | undefined {
  return record && Object.hasOwn(record, name) ? record[name] : undefined;
}

function invalid(key: string, message: string): never {
  throw ApiError.validation({ [key]: [message] });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INTEGER = /^-?\d{1,20}$/;
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const INTEGER_RANGES = {
  integer: [-(2 ** 31), 2 ** 31 - 1],
  bigint: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
} as const;

/**
 * The value as the column stores it, or why it cannot be one. Everything the database would
 * refuse (a fraction in an integer column, year 0 or 300000 in a timestamp, a malformed id)
 * is refused here, so a filter never fails in SQL.
 */
function parseValue(field: ListField, raw: string): { value: unknown } | { error: string } {
  switch (field.type) {
    case "enum":
      return !field.values || field.values.includes(raw)
        ? { value: raw }
        : { error: `Expected any of: ${field.values.join(", ")}.` };
    case "number": {
      const value = Number(raw);
      return DECIMAL.test(raw) && Number.isFinite(value)
        ? { value }
        : { error: "Expected a number." };
    }
    case "integer":
    case "bigint": {
      const [min, max] = INTEGER_RANGES[field.type];
      const value = Number(raw);
      return INTEGER.test(raw) && value >= min && value <= max
        ? { value }
        : { error: `Expected a whole number from ${min} to ${max}.` };
    }
    case "date": {
      const value = parseIsoDate(raw);
      return value
        ? { value }
        : { error: "Expected an ISO 8601 date (YYYY-MM-DD or a date-time), years 1 to 9999." };
    }
    case "uuid":
      return UUID.test(raw) ? { value: raw } : { error: "Expected an id." };
    case "boolean":
      return raw === "true" || raw === "false"
        ? { value: raw === "true" }
        : { error: "Expected true or false." };
    default:
      return { value: raw };
  }
}

function typedValue(field: ListField, raw: string, key: string): unknown {
  const parsed = parseValue(field, raw);
  return "error" in parsed ? invalid(key, parsed.error) : parsed.value;
}

function columnCondition(field: ListField, filter: ParsedFilter, key: string): SQL | undefined {
  const { column, type } = field;
  if (filter.operator === "isEmpty") {
    if (filter.value !== "true" && filter.value !== "false")
      invalid(key, "Expected true or false.");
    if (type === "tags")
      return filter.value === "true"
        ? sql`cardinality(${column}) = 0`
        : sql`cardinality(${column}) > 0`;
    return filter.value === "true" ? isNull(column) : sql`${column} is not null`;
  }
  if (filter.operator === "contains") {
    if (type !== "text") invalid(key, "Only text fields support contains.");
    return ilike(column, `%${filter.value.replace(/[%_\\]/g, "\\$&")}%`);
  }
  if (type === "enum" && filter.operator !== "eq")
    invalid(key, "Filter this field by equality only.");
  const values = filter.value.split(",").map((value) => typedValue(field, value, key));
  switch (filter.operator) {
    case "eq":
      if (type === "tags") return arrayOverlaps(column, values as string[]);
      return values.length === 1 ? eq(column, values[0]) : inArray(column, values);
    case "gt":
      return gt(column, values[0]);
    case "gte":
      return gte(column, values[0]);
    case "lt":
      return lt(column, values[0]);
    case "lte":
      return lte(column, values[0]);
  }
}

function customCondition(customColumn: Column, filter: ParsedFilter, key: string): SQL {
  const path = sql`${customColumn} -> ${filter.field}`;
  const text = sql`${customColumn} ->> ${filter.field}`;
  // Only stored numbers compare: a text value never reaches the cast (which would fail).
  const numeric = sql`(case when jsonb_typeof(${path}) = 'number' then (${text})::numeric end)`;
  if (["gt", "gte", "lt", "lte"].includes(filter.operator)) {
    typedValue({ column: customColumn, type: "number" }, filter.value, key);
  }
  switch (filter.operator) {
    case "eq": {
      const values = filter.value.split(",");
      // Matches scalars and multi-select arrays alike.
      return or(
        ...values.map(
          (value) => sql`(${text} = ${value} or ${path} @> ${JSON.stringify([value])}::jsonb)`,
        ),
      ) as SQL;
    }
    case "gt":
      return sql`${numeric} > ${Number(filter.value)}`;
    case "gte":
      return sql`${numeric} >= ${Number(filter.value)}`;
    case "lt":
      return sql`${numeric} < ${Number(filter.value)}`;
    case "lte":
      return sql`${numeric} <= ${Number(filter.value)}`;
    case "contains":
      return sql`${text} ilike ${`%${filter.value.replace(/[%_\\]/g, "\\$&")}%`}`;
    case "isEmpty":
      if (filter.value !== "true" && filter.value !== "false")
        invalid(key, "Expected true or false.");
      return filter.value === "true" ? sql`${path} is null` : sql`${path} is not null`;
  }
}

/** The WHERE conditions for every `filter.*` parameter (unknown fields are a 400). */
export function filterConditions(spec: ListSpec, query: Record<string, unknown>): SQL[] {
  const conditions: SQL[] = [];
  for (const [key, raw] of Object.entries(query)) {
    const parsed = parseFilterKey(key);
    if (!parsed) continue;
    if (typeof raw !== "string") continue;
    const unstorable = unstorableText(raw);
    if (unstorable) invalid(key, unstorable);
    const filter = { ...parsed, value: raw };
    if (filter.custom) {
      if (!/^[a-z][a-z0-9_]{0,39}$/.test(filter.field)) invalid(key, "Unknown custom field.");
      conditions.push(customCondition(spec.customColumn, filter, key));
      continue;
    }
    const extra = own(spec.extraFilters, filter.field);
    if (extra) {
      if (filter.operator !== "eq") invalid(key, "Filter this field by equality only.");
      conditions.push(extra(filter.value, query));
      continue;
    }
    const field = own(spec.fields, filter.field);
    if (!field)
      throw ApiError.badRequest(`Cannot filter on "${filter.field}".`, {
        [key]: ["Unknown field."],
      });
    const condition = columnCondition(field, filter, key);
    if (condition) conditions.push(condition);
  }
  return conditions;
}

function parseSort(spec: ListSpec, sort: string | undefined) {
  const raw = sort ?? spec.defaultSort;
  const descending = raw.startsWith("-");
  const name = descending ? raw.slice(1) : raw;
  const field = own(spec.fields, name);
  if (!field?.sortable) throw ApiError.validation({ sort: [`Cannot sort by "${name}".`] });
  return { name, field, descending };
}

const cursorSchema = z.object({ v: z.union([z.string(), z.number(), z.null()]), id: z.string() });

interface ListCursor {
  /** The sort column's value in the type the column takes; null for an empty value. */
  value: unknown;
  id: string;
}

function encodeListCursor(value: unknown, id: string): string {
  const v = value instanceof Date ? value.toISOString() : (value as string | number | null);
  return btoa(JSON.stringify({ v, id }))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** The cursor, checked against the sort field: a forged one is a 400, never a failed query. */
function decodeListCursor(cursor: string, field: ListField): ListCursor {
  const refuse = () =>
    ApiError.badRequest("The pagination cursor is invalid.", { cursor: ["Invalid cursor."] });
  let decoded: z.infer<typeof cursorSchema>;
  try {
    decoded = cursorSchema.parse(
      JSON.parse(atob(cursor.replaceAll("-", "+").replaceAll("_", "/"))),
    );
  } catch {
    throw refuse();
  }
  if (!UUID.test(decoded.id)) throw refuse();
  if (decoded.v === null) {
    if (!field.nullable) throw refuse();
    return { value: null, id: decoded.id };
  }
  const raw = String(decoded.v);
  const parsed = unstorableText(raw) ? null : parseValue(field, raw);
  if (!parsed || "error" in parsed) throw refuse();
  return { value: parsed.value, id: decoded.id };
}

/** Rows strictly after the cursor's row in (sort value nulls last, id) order. */
function afterCursor(
  spec: ListSpec,
  sort: { field: ListField; descending: boolean },
  cursor: ListCursor,
): SQL {
  const column = sort.field.column;
  const beyond = sort.descending ? lt : gt;
  const idBeyond = beyond(spec.idColumn, cursor.id);
  if (cursor.value === null) return and(isNull(column), idBeyond) as SQL;
  const later = [beyond(column, cursor.value), and(eq(column, cursor.value), idBeyond)];
  if (sort.field.nullable) later.push(isNull(column));
  return or(...later) as SQL;
}

export interface ListPlan {
  where: SQL | undefined;
  orderBy: SQL[];
  limit: number;
  /** Builds the next cursor from the last row of a page (pass the row's sort value and id). */
  nextCursor(rows: { sortValue: unknown; id: string }[]): string | null;
  sortColumn: Column;
}

/**
 * Turns a list query into WHERE/ORDER BY/LIMIT (fetch `limit + 1` rows to know whether
 * another page exists). `extra` conditions (soft delete, scoping) are ANDed in; `searchCountry`
 * is the country `q` reads national phone numbers in (`listSearchCountry`).
 */
export function planList(
  spec: ListSpec,
  query: ListQuery,
  extra: (SQL | undefined)[] = [],
  searchCountry: CountryCode = DEFAULT_PHONE_COUNTRY,
): ListPlan {
  const sort = parseSort(spec, query.sort);
  const column = sort.field.column;
  const conditions = [...extra, ...filterConditions(spec, query)];
  if (query.q) {
    const unstorable = unstorableText(query.q);
    if (unstorable) invalid("q", unstorable);
    conditions.push(spec.search(query.q, searchCountry));
  }
  if (query.cursor) {
    conditions.push(afterCursor(spec, sort, decodeListCursor(query.cursor, sort.field)));
  }
  const direction = sql.raw(sort.descending ? "desc" : "asc");
  // Empty values sort last in both directions, which is also how the (org_id, created_at desc,
  // id desc) indexes are built (drizzle writes them NULLS LAST): so those indexes serve the sort.
  const nulls = sql.raw(" nulls last");
  return {
    where: and(...conditions),
    orderBy: [sql`${column} ${direction}${nulls}`, sql`${spec.idColumn} ${direction}${nulls}`],
    limit: query.limit + 1,
    sortColumn: column,
    nextCursor(rows) {
      if (rows.length <= query.limit) return null;
      const last = rows[query.limit - 1];
      return last ? encodeListCursor(last.sortValue, last.id) : null;
    },
  };
}
