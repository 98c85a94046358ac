import { and, asc, eq, max, sql } from "drizzle-orm";
import type { CustomFieldEntity } from "../../shared/crm";
import { recordScopedAudit } from "../audit/service";
import type { Permission } from "../auth/permissions";
import { recordTables } from "../crm/record-tables";
import { customFieldDefinitions } from "../db/crm-schema";
import { tickets } from "../db/desk-schema";
import { newId } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { requirePermission, type TenantScope } from "../lib/scope";
import {
  type CreateCustomFieldBody,
  type CustomFieldType,
  OPTION_TYPES,
  type UpdateCustomFieldBody,
} from "./schemas";

type DefinitionRow = typeof customFieldDefinitions.$inferSelect;

export interface CustomFieldView {
  id: string;
  entity: CustomFieldEntity;
  key: string;
  label: string;
  type: CustomFieldType;
  options: string[];
  required: boolean;
  position: number;
  createdAt: string;
  updatedAt: string;
}

/** The tables keeping custom values, by entity (each has a `custom` jsonb column). */
const valueTables = { ...recordTables, ticket: tickets };

/** Reading and defining a ticket's fields is the desk's business; the rest is the CRM's. */
function permissionFor(entity: CustomFieldEntity, access: "read" | "configure"): Permission {
  if (entity === "ticket") return access === "read" ? "tickets:read" : "desk:configure";
  return access === "read" ? "crm:read" : "crm:configure";
}

function toView(row: DefinitionRow): CustomFieldView {
  return {
    id: row.id,
    entity: row.entity,
    key: row.key,
    label: row.label,
    type: row.type,
    options: row.options,
    required: row.required,
    position: row.position,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Select types need options; the others take none. */
function assertOptionsFit(type: CustomFieldType, options: string[] | undefined) {
  const needsOptions = OPTION_TYPES.includes(type);
  if (needsOptions && (!options || options.length === 0)) {
    throw ApiError.validation({ options: ["List the choices for a select field."] });
  }
  if (!needsOptions && options && options.length > 0) {
    throw ApiError.validation({ options: ["Only select fields have options."] });
  }
}

function isUniqueViolation(error: unknown): boolean {
  const codeOf = (value: unknown) =>
    typeof value === "object" && value !== null && "code" in value ? value.code : undefined;
  return codeOf(error) === "23505" || (error instanceof Error && codeOf(error.cause) === "23505");
}

function duplicateKey(key: string) {
  return ApiError.conflict(`A field with the key "${key}" already exists.`, {
    key: ["Already in use."],
  });
}

async function audit(
  scope: TenantScope,
  action: "custom_field.created" | "custom_field.updated" | "custom_field.deleted",
  row: DefinitionRow,
  metadata: Record<string, unknown> = {},
) {
  await recordScopedAudit(scope, {
    action,
    target: { type: "custom_field", id: row.id },
    metadata: { entity: row.entity, key: row.key, ...metadata },
  });
}

export async function listCustomFields(scope: TenantScope, entity: CustomFieldEntity | undefined) {
  requirePermission(scope.actor, entity ? permissionFor(entity, "read") : "crm:read");
  const rows = await scope.tx
    .select()
    .from(customFieldDefinitions)
    .where(entity ? eq(customFieldDefinitions.entity, entity) : undefined)
    .orderBy(
      asc(customFieldDefinitions.entity),
      asc(customFieldDefinitions.position),
      asc(customFieldDefinitions.createdAt),
    );
  return rows.map(toView);
}

async function nextPosition(scope: TenantScope, entity: CustomFieldEntity) {
  const [row] = await scope.tx
    .select({ last: max(customFieldDefinitions.position) })
    .from(customFieldDefinitions)
    .where(eq(customFieldDefinitions.entity, entity));
  return row?.last === null || row?.last === undefined ? 0 : row.last + 1;
}

async function assertKeyFree(scope: TenantScope, entity: CustomFieldEntity, key: string) {
  const [existing] = await scope.tx
    .select({ id: customFieldDefinitions.id })
    .from(customFieldDefinitions)
    .where(and(eq(customFieldDefinitions.entity, entity), eq(customFieldDefinitions.key, key)));
  if (existing) throw duplicateKey(key);
}

export async function createCustomField(scope: TenantScope, body: CreateCustomFieldBody) {
  requirePermission(scope.actor, permissionFor(body.entity, "configure"));
  assertOptionsFit(body.type, body.options);
  await assertKeyFree(scope, body.entity, body.key);
  const now = new Date();
  const row = await scope.tx
    .insert(customFieldDefinitions)
    .values({
      id: newId(),
      orgId: scope.actor.orgId,
      entity: body.entity,
      key: body.key,
      label: body.label,
      type: body.type,
      options: body.options ?? [],
      required: body.required ?? false,
      position: body.position ?? (await nextPosition(scope, body.entity)),
      createdAt: now,
      updatedAt: now,
    })
    .returning()
    .then(([inserted]) => inserted)
    .catch((error: unknown) => {
      throw isUniqueViolation(error) ? duplicateKey(body.key) : error;
    });
  if (!row) throw new Error("Custom field insert returned no row");
  await audit(scope, "custom_field.created", row, { type: row.type });
  return toView(row);
}

async function findDefinition(scope: TenantScope, id: string) {
  const [row] = await scope.tx
    .select()
    .from(customFieldDefinitions)
    .where(eq(customFieldDefinitions.id, id))
    .for("update");
  if (!row) throw ApiError.notFound("Custom field");
  return row;
}

export async function updateCustomField(
  scope: TenantScope,
  id: string,
  body: UpdateCustomFieldBody,
) {
  const current = await findDefinition(scope, id);
  requirePermission(scope.actor, permissionFor(current.entity, "configure"));
  if (body.options !== undefined) assertOptionsFit(current.type, body.options);
  const [row] = await scope.tx
    .update(customFieldDefinitions)
    .set({ ...body, updatedAt: new Date() })
    .where(eq(customFieldDefinitions.id, id))
    .returning();
  if (!row) throw ApiError.notFound("Custom field");
  await audit(scope, "custom_field.updated", row, { changes: body });
  return toView(row);
}

/** Deletes the definition and the values records kept under its key. */
export async function deleteCustomField(scope: TenantScope, id: string) {
  const current = await findDefinition(scope, id);
  requirePermission(scope.actor, permissionFor(current.entity, "configure"));
  await scope.tx.delete(customFieldDefinitions).where(eq(customFieldDefinitions.id, id));
  const table = valueTables[current.entity];
  const cleared = await scope.tx.execute(
    sql`update ${table} set "custom" = ${table.custom} - ${current.key} where ${table.custom} ? ${current.key}`,
  );
  await audit(scope, "custom_field.deleted", current, { clearedRecords: cleared.rowCount ?? 0 });
  return toView(current);
}
