import { eq } from "drizzle-orm";
import type { CustomFieldEntity } from "../../shared/crm";
import { HTTP_URL_MESSAGE, isHttpUrl } from "../../shared/http-url";
import { customFieldDefinitions } from "../db/crm-schema";
import { ApiError, type FieldErrors } from "../lib/errors";
import type { TenantScope } from "../lib/scope";

type Definition = typeof customFieldDefinitions.$inferSelect;

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Checks one value against its definition; returns the normalized value or an error message. */
function checkValue(
  definition: Definition,
  value: unknown,
): { value: unknown } | { error: string } {
  if (value === null || value === "") return { value: null };
  switch (definition.type) {
    case "text":
      return typeof value === "string" && value.length <= 2000
        ? { value }
        : { error: "Expected text (at most 2000 characters)." };
    case "number": {
      const number = typeof value === "string" ? Number(value) : value;
      return typeof number === "number" && Number.isFinite(number)
        ? { value: number }
        : { error: "Expected a number." };
    }
    case "date":
      return typeof value === "string" &&
        DATE_PATTERN.test(value) &&
        !Number.isNaN(Date.parse(value))
        ? { value }
        : { error: "Expected a date (YYYY-MM-DD)." };
    case "checkbox":
      if (typeof value === "boolean") return { value };
      if (value === "true" || value === "false") return { value: value === "true" };
      return { error: "Expected true or false." };
    case "url":
      return typeof value === "string" && isHttpUrl(value)
        ? { value: value.trim() }
        : { error: HTTP_URL_MESSAGE };
    case "select":
      return typeof value === "string" && definition.options.includes(value)
        ? { value }
        : { error: `Expected one of: ${definition.options.join(", ")}.` };
    case "multi_select": {
      const list = Array.isArray(value)
        ? value
        : typeof value === "string"
          ? value
              .split(";")
              .map((item) => item.trim())
              .filter(Boolean)
          : null;
      if (!list?.every((item) => typeof item === "string" && definition.options.includes(item))) {
        return { error: `Expected any of: ${definition.options.join(", ")}.` };
      }
      return { value: [...new Set(list)] };
    }
  }
}

export async function customFieldDefinitionsFor(scope: TenantScope, entity: CustomFieldEntity) {
  return scope.tx
    .select()
    .from(customFieldDefinitions)
    .where(eq(customFieldDefinitions.entity, entity));
}

/** The required fields the values leave empty. */
export function missingRequired(
  definitions: readonly Definition[],
  values: Record<string, unknown>,
): Definition[] {
  return definitions.filter(
    (definition) =>
      definition.required &&
      (values[definition.key] === undefined || values[definition.key] === null),
  );
}

export interface RequiredRule {
  /** Whether required fields must be filled by this write (tickets: only when solved). */
  enforce: boolean;
  /** Said after "<Label> is required", e.g. "to solve the ticket". */
  reason?: string;
}

/**
 * Validates custom values on write against the organization's definitions for the entity:
 * unknown keys, wrong types and missing required fields are 422s (`custom.<key>`). `existing`
 * is the stored value (updates merge into it). Returns the object to store.
 */
export async function validateCustomValues(
  scope: TenantScope,
  entity: CustomFieldEntity,
  values: Record<string, unknown> | undefined,
  existing: Record<string, unknown> = {},
  definitions?: Definition[],
  required: RequiredRule = { enforce: true },
): Promise<Record<string, unknown>> {
  const defs = definitions ?? (await customFieldDefinitionsFor(scope, entity));
  const byKey = new Map(defs.map((definition) => [definition.key, definition]));
  const result: Record<string, unknown> = { ...existing };
  const errors: FieldErrors = {};
  for (const [key, value] of Object.entries(values ?? {})) {
    const definition = byKey.get(key);
    if (!definition) {
      errors[`custom.${key}`] = ["Unknown custom field."];
      continue;
    }
    const checked = checkValue(definition, value);
    if ("error" in checked) errors[`custom.${key}`] = [checked.error];
    else if (checked.value === null) delete result[key];
    else result[key] = checked.value;
  }
  const reason = required.reason ? ` ${required.reason}` : "";
  for (const definition of required.enforce ? missingRequired(defs, result) : []) {
    errors[`custom.${definition.key}`] ??= [`${definition.label} is required${reason}.`];
  }
  if (Object.keys(errors).length > 0) throw ApiError.validation(errors);
  return result;
}

/** An update's custom values: `undefined` when the edit leaves them alone, else merged and checked. */
export async function validateCustomChange(
  scope: TenantScope,
  entity: CustomFieldEntity,
  values: Record<string, unknown> | undefined,
  existing: Record<string, unknown>,
): Promise<Record<string, unknown> | undefined> {
  return values === undefined ? undefined : validateCustomValues(scope, entity, values, existing);
}
