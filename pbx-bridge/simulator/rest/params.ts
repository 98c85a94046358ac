import { z } from "zod";
import { RestError } from "./router";

/*
 * ARI parameters arrive as query strings (always text) or as JSON body fields (typed), so
 * each helper accepts both spellings.
 */

export const intParam = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d+$/, "expected an integer")
    .transform(Number),
]);

export const booleanParam = z.union([
  z.boolean(),
  z.enum(["true", "false"]).transform((value) => value === "true"),
]);

/** `allowMultiple` parameters: repeated, comma separated, or a JSON array. */
export const listParam = z.union([z.string(), z.array(z.string())]).transform((value) =>
  (Array.isArray(value) ? value : [value])
    .flatMap((item) => item.split(","))
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

/** The `variables` body container: `{ "variables": { "NAME": "value" } }`. */
export const variablesParam = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean()]).transform(String),
);

export function parseParams<Schema extends z.ZodType>(
  schema: Schema,
  params: unknown,
): z.output<Schema> {
  const parsed = schema.safeParse(params);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const where = issue.path.join(".");
    return where ? `${where}: ${issue.message}` : issue.message;
  });
  throw new RestError(400, problems.join("; "));
}

/** Query parameters (repeated ones as arrays) overlaid with a JSON object body's fields. */
export function mergeParams(query: URLSearchParams, body: unknown): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    merged[key] = values.length === 1 ? values[0] : values;
  }
  if (isPlainObject(body)) Object.assign(merged, body);
  return merged;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
