import type { CountryCode } from "libphonenumber-js";
import { normalizeDomain } from "../companies/domain";
import { normalizeContactInput } from "../contacts/service";
import { tagsSchema } from "../crm/field-schemas";

/*
 * One CSV cell -> one typed value, or a message saying what was expected. Empty cells are
 * handled by the caller (they mean "no value"); every parser gets a trimmed, non-empty string.
 */

export type CellResult = { value: unknown } | { error: string };

export interface StageRef {
  id: string;
  pipelineId: string;
  name: string;
  closed: boolean;
}

/** What parsing needs to know about the organization, loaded once per request or chunk. */
export interface CellContext {
  /** Lower-cased email -> user id, for active members. */
  membersByEmail: Map<string, string>;
  /** Lower-cased stage name -> stage of the default pipeline (deals only). */
  stagesByName: Map<string, StageRef>;
  /** Phone numbers without a country code are read in the organization's default country. */
  phoneCountry: CountryCode;
}

export type CellKind =
  | "text"
  | "emails"
  | "phones"
  | "money"
  | "integer"
  | "date"
  | "boolean"
  | "enum"
  | "tags"
  | "currency"
  | "domain"
  | "owner"
  | "stage";

export interface CellRules {
  kind: CellKind;
  options?: readonly string[];
  /** Bounds of an integer, or the longest text (characters). */
  min?: number;
  max?: number;
}

const DEFAULT_MAX_TEXT = 1000;
const LIST_SEPARATOR = /\s*[;,]\s*/;
const THOUSANDS_GROUPED = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TRUE_WORDS = new Set(["true", "yes", "y", "1"]);
const FALSE_WORDS = new Set(["false", "no", "n", "0"]);

function list(raw: string): string[] {
  return [...new Set(raw.split(LIST_SEPARATOR).filter(Boolean))];
}

function text(raw: string, rules: CellRules): CellResult {
  const max = rules.max ?? DEFAULT_MAX_TEXT;
  return raw.length <= max ? { value: raw } : { error: `Too long (at most ${max} characters).` };
}

/*
 * Emails and phones go through the contacts domain's own normalisation (the API's rules):
 * one entry at a time, so the same number written twice in different styles is not an error.
 */
function emails(raw: string): CellResult {
  const entries = [];
  for (const email of list(raw)) {
    const result = normalizeContactInput({ email });
    if (!result.ok) return { error: `"${email}": ${Object.values(result.errors).flat()[0]}` };
    entries.push(...(result.values.emails ?? []));
  }
  return { value: entries };
}

function phones(raw: string, context: CellContext): CellResult {
  const entries = [];
  for (const phone of raw.split(/\s*;\s*/).filter(Boolean)) {
    const result = normalizeContactInput({ phone }, context.phoneCountry);
    if (!result.ok) return { error: `"${phone}": ${Object.values(result.errors).flat()[0]}` };
    entries.push(...(result.values.phones ?? []));
  }
  return { value: entries };
}

function tags(raw: string): CellResult {
  const parsed = tagsSchema.safeParse(list(raw));
  return parsed.success
    ? { value: parsed.data }
    : { error: "Tags are at most 50, of at most 50 characters each." };
}

function decimal(raw: string): number | null {
  const compact = raw.replaceAll(" ", "");
  const plain = THOUSANDS_GROUPED.test(compact) ? compact.replaceAll(",", "") : compact;
  if (!PLAIN_NUMBER.test(plain)) return null;
  const value = Number(plain);
  return Number.isFinite(value) ? value : null;
}

/** Amounts are stored in minor units (cents). */
function money(raw: string): CellResult {
  const value = decimal(raw);
  if (value === null || value < 0 || value > 1e13) {
    return { error: "Expected an amount that is not negative, e.g. 1250.50." };
  }
  return { value: Math.round(value * 100) };
}

function integer(raw: string, rules: CellRules): CellResult {
  const value = decimal(raw);
  const min = rules.min ?? Number.MIN_SAFE_INTEGER;
  const max = rules.max ?? Number.MAX_SAFE_INTEGER;
  if (value === null || !Number.isInteger(value) || value < min || value > max) {
    return { error: `Expected a whole number from ${min} to ${max}.` };
  }
  return { value };
}

function date(raw: string): CellResult {
  const match = ISO_DATE.exec(raw);
  const parsed = match ? new Date(`${raw}T00:00:00Z`) : null;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== raw) {
    return { error: "Expected a date (YYYY-MM-DD)." };
  }
  return { value: raw };
}

function boolean(raw: string): CellResult {
  const word = raw.toLowerCase();
  if (TRUE_WORDS.has(word)) return { value: true };
  if (FALSE_WORDS.has(word)) return { value: false };
  return { error: "Expected yes or no (true/false)." };
}

/** Case does not matter, and "Sales Qualified" or "sales-qualified" mean sales_qualified. */
function enumValue(raw: string, options: readonly string[]): CellResult {
  const lower = raw.toLowerCase();
  const match = options.find(
    (option) => option === lower || option === lower.replace(/[\s-]+/g, "_"),
  );
  return match ? { value: match } : { error: `Expected one of: ${options.join(", ")}.` };
}

function currency(raw: string): CellResult {
  return /^[A-Za-z]{3}$/.test(raw)
    ? { value: raw.toUpperCase() }
    : { error: "Expected a three-letter currency code, e.g. USD." };
}

function domain(raw: string): CellResult {
  const value = normalizeDomain(raw);
  return value ? { value } : { error: "Expected a web domain, e.g. acme.com." };
}

function owner(raw: string, context: CellContext): CellResult {
  const userId = context.membersByEmail.get(raw.toLowerCase());
  return userId ? { value: userId } : { error: `No active member has the email "${raw}".` };
}

function stage(raw: string, context: CellContext): CellResult {
  const found = context.stagesByName.get(raw.toLowerCase());
  return found ? { value: found } : { error: `No stage "${raw}" in the default pipeline.` };
}

export function parseCell(raw: string, rules: CellRules, context: CellContext): CellResult {
  switch (rules.kind) {
    case "text":
      return text(raw, rules);
    case "emails":
      return emails(raw);
    case "phones":
      return phones(raw, context);
    case "money":
      return money(raw);
    case "integer":
      return integer(raw, rules);
    case "date":
      return date(raw);
    case "boolean":
      return boolean(raw);
    case "enum":
      return enumValue(raw, rules.options ?? []);
    case "tags":
      return tags(raw);
    case "currency":
      return currency(raw);
    case "domain":
      return domain(raw);
    case "owner":
      return owner(raw, context);
    case "stage":
      return stage(raw, context);
  }
}
