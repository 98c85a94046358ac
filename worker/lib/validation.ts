import { createMiddleware } from "hono/factory";
import type { z } from "zod";
import { ApiError, type FieldErrors } from "./errors";

/*
 * Checks shared by every input: zod's issues in the envelope's shape, and the text no column
 * can store (PostgreSQL refuses NUL characters, and unpaired UTF-16 surrogates are not UTF-8).
 */

/** An errors object with no prototype: a field named `__proto__` or `constructor` is a key like any other. */
export function fieldErrors(): FieldErrors {
  return Object.create(null) as FieldErrors;
}

function addError(fields: FieldErrors, path: string, message: string) {
  fields[path] = [...(Object.hasOwn(fields, path) ? (fields[path] ?? []) : []), message];
}

/** zod issues as `{ "field.path": ["message", ...] }`; unknown keys are reported per key. */
export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const fields = fieldErrors();
  for (const issue of error.issues) {
    const paths =
      issue.code === "unrecognized_keys"
        ? issue.keys.map((key) => [...issue.path, key].join("."))
        : [issue.path.join(".") || "_"];
    const message = issue.code === "unrecognized_keys" ? "Unknown field." : issue.message;
    for (const path of paths) addError(fields, path, message);
  }
  return fields;
}

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** NUL and surrogates, replaced when a bad field name is echoed back in the errors. */
const printable = (name: string) =>
  [...name]
    .map((char) => (char === "\u0000" || UNPAIRED_SURROGATE.test(char) ? "\ufffd" : char))
    .join("");

/** Why this text cannot be stored (a NUL character, an unpaired surrogate), or null if it can. */
export function unstorableText(value: string): string | null {
  if (value.includes("\u0000")) return "Must not contain NUL characters.";
  if (UNPAIRED_SURROGATE.test(value)) return "Must not contain unpaired UTF-16 surrogates.";
  return null;
}

/** JSON nested deeper than this is refused before any schema or recursive code sees it. */
export const MAX_JSON_DEPTH = 32;
const MAX_REPORTED = 20;

/** Unstorable strings (keys too), non-finite numbers and excessive nesting in a parsed JSON body. */
export function jsonInputErrors(body: unknown): FieldErrors | null {
  const fields = fieldErrors();
  let count = 0;
  const report = (path: string[], message: string) => {
    if (count++ < MAX_REPORTED) addError(fields, path.join(".") || "_", message);
  };
  const visit = (value: unknown, path: string[]) => {
    if (count >= MAX_REPORTED) return;
    if (typeof value === "string") {
      const problem = unstorableText(value);
      if (problem) report(path, problem);
    } else if (typeof value === "number") {
      if (!Number.isFinite(value)) report(path, "Number out of range.");
    } else if (value && typeof value === "object") {
      if (path.length >= MAX_JSON_DEPTH) {
        report(path, `Nested deeper than ${MAX_JSON_DEPTH} levels.`);
        return;
      }
      for (const [key, item] of Object.entries(value)) {
        const problem = unstorableText(key);
        const name = problem ? printable(key) : key;
        if (problem) report([...path, name], `Field name: ${problem}`);
        visit(item, [...path, name]);
      }
    }
  };
  visit(body, []);
  return count > 0 ? fields : null;
}

/** Unstorable text in query parameter names or values. */
export function queryInputErrors(query: Record<string, string[]>): FieldErrors | null {
  const fields = fieldErrors();
  for (const [key, values] of Object.entries(query)) {
    const problem = [key, ...values].map(unstorableText).find(Boolean);
    if (problem) addError(fields, printable(key), problem);
  }
  return Object.keys(fields).length > 0 ? fields : null;
}

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;

/**
 * Refuses (422) what no route could store, before routing: NUL characters and unpaired
 * surrogates in the query or a JSON body, non-finite numbers, JSON nested too deeply. A body
 * that is not JSON is left to the route's validator (400 invalid_json / 415).
 */
export const rejectUnstorableInput = createMiddleware(async (c, next) => {
  const queryErrors = queryInputErrors(c.req.queries());
  if (queryErrors) throw ApiError.validation(queryErrors);
  if (JSON_TYPE.test(c.req.header("content-type") ?? "")) {
    let body: unknown;
    let parsed = false;
    try {
      body = await c.req.json();
      parsed = true;
    } catch (error) {
      // Malformed JSON is the route validator's to answer (400); a body over the limit is 413.
      if (!(error instanceof SyntaxError)) throw error;
    }
    const bodyErrors = parsed ? jsonInputErrors(body) : null;
    if (bodyErrors) throw ApiError.validation(bodyErrors);
  }
  await next();
});
