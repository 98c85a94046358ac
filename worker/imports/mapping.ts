import { ApiError, type FieldErrors } from "../lib/errors";
import type { CustomFieldDefinition } from "./context";
import type { EntityImporter, ImportField } from "./entities/types";

/*
 * The mapping step: which CSV column feeds which record field. A mapping is
 * `{ "CSV header": "field" }`, with `cf.<key>` for custom fields and "" for "do not import".
 */

export const CUSTOM_PREFIX = "cf.";

export type ColumnTarget =
  | { type: "field"; key: string; field: ImportField }
  | { type: "custom"; key: string };

export interface ColumnPlan {
  index: number;
  header: string;
  target: ColumnTarget;
}

function resolveTarget(
  target: string,
  importer: EntityImporter,
  definitions: CustomFieldDefinition[],
): ColumnTarget | string {
  if (target.startsWith(CUSTOM_PREFIX)) {
    const key = target.slice(CUSTOM_PREFIX.length);
    return definitions.some((definition) => definition.key === key)
      ? { type: "custom", key }
      : `Unknown custom field "${key}".`;
  }
  const field = Object.hasOwn(importer.fields, target) ? importer.fields[target] : undefined;
  return field ? { type: "field", key: target, field } : `Unknown field "${target}".`;
}

function targetId(target: ColumnTarget): string {
  return target.type === "custom" ? `${CUSTOM_PREFIX}${target.key}` : target.key;
}

function missingRequired(importer: EntityImporter, columns: ColumnPlan[]): string[] {
  const mapped = new Set(columns.map((column) => targetId(column.target)));
  return importer.required
    .filter((group) => !group.some((key) => mapped.has(key)))
    .map((group) => {
      const labels = group.map((key) => importer.fields[key]?.label ?? key);
      return `Map a column to ${labels.join(" or ")}.`;
    });
}

/** Checks the mapping against the file's header row and the entity's fields (422 on errors). */
export function planColumns(
  headers: string[],
  mapping: Record<string, string>,
  importer: EntityImporter,
  definitions: CustomFieldDefinition[],
): ColumnPlan[] {
  const errors: FieldErrors = {};
  const columns: ColumnPlan[] = [];
  const used = new Set<string>();
  for (const [rawHeader, rawTarget] of Object.entries(mapping)) {
    const header = rawHeader.trim();
    const target = rawTarget.trim();
    if (!target) continue;
    const path = `mapping.${rawHeader}`;
    const index = headers.indexOf(header);
    if (index === -1) errors[path] = ["No column with this name in the file."];
    else if (headers.lastIndexOf(header) !== index)
      errors[path] = ["Two columns have this name; rename one of them."];
    const resolved = resolveTarget(target, importer, definitions);
    if (typeof resolved === "string") errors[path] = [resolved];
    else if (used.has(target) && !(resolved.type === "field" && resolved.field.multiple))
      errors[path] = [`Another column is already mapped to "${target}".`];
    if (errors[path] || typeof resolved === "string") continue;
    used.add(target);
    columns.push({ index, header, target: resolved });
  }
  if (columns.length === 0 && Object.keys(errors).length === 0) {
    errors.mapping = ["Map at least one column to a field."];
  } else {
    const missing = missingRequired(importer, columns);
    if (missing.length > 0) errors.mapping = missing;
  }
  if (Object.keys(errors).length > 0) throw ApiError.validation(errors);
  return columns;
}

/** "E-mail Address" and "email_address" compare equal. */
function canonical(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
}

/** Candidate names -> target, exact keys and labels first, then the looser aliases. */
function suggestionIndex(importer: EntityImporter, definitions: CustomFieldDefinition[]) {
  const index = new Map<string, string>();
  const add = (name: string, target: string) => {
    const key = canonical(name);
    if (key && !index.has(key)) index.set(key, target);
  };
  for (const [key, field] of Object.entries(importer.fields)) {
    add(key, key);
    add(field.label, key);
  }
  for (const definition of definitions) {
    const target = `${CUSTOM_PREFIX}${definition.key}`;
    add(target, target);
    add(definition.key, target);
    add(definition.label, target);
  }
  for (const [key, field] of Object.entries(importer.fields)) {
    for (const alias of field.aliases) add(alias, key);
  }
  return index;
}

/** A first guess at the mapping from header names; each field is suggested once (lists may repeat). */
export function suggestMapping(
  headers: string[],
  importer: EntityImporter,
  definitions: CustomFieldDefinition[],
): Record<string, string> {
  const index = suggestionIndex(importer, definitions);
  const used = new Set<string>();
  const mapping: Record<string, string> = {};
  for (const header of headers) {
    const target = index.get(canonical(header));
    if (!target || header in mapping) continue;
    const repeatable = importer.fields[target]?.multiple === true;
    if (used.has(target) && !repeatable) continue;
    used.add(target);
    mapping[header] = target;
  }
  return mapping;
}
