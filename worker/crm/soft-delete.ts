import { and, eq, isNull } from "drizzle-orm";
import type { RecordEntity } from "../../shared/realtime";
import type { activities, companies, contacts, deals, leads } from "../db/crm-schema";
import { ApiError } from "../lib/errors";
import type { TenantScope } from "../lib/scope";
import { assertCanEdit } from "./access";
import { assertOwnerChangeAllowed } from "./ownership";
import { recordDeletionChange } from "./record-events";
import { assertRestorable, assertVersion } from "./records";

/*
 * Locking, soft delete and restore, the same for every editable CRM record: describe the
 * record type once (`RecordType`) and call these from the domain's service.
 */

/** The CRM tables with `id`, `version`, `deletedAt` and `updatedAt`. */
export type EditableTable =
  | typeof companies
  | typeof contacts
  | typeof leads
  | typeof deals
  | typeof activities;

export interface RecordType<T extends EditableTable> {
  table: T;
  entity: RecordEntity;
  /** For 404 messages: "Contact" gives "Contact not found." */
  noun: string;
  /** Whose record it is, for `assertCanEdit`. */
  ownerOf(row: T["$inferSelect"]): string | null;
  /** What people call it (a name, a title), for the audit log. */
  labelOf(row: T["$inferSelect"]): string;
}

/** The record, locked for the rest of the transaction (404 when missing, or deleted unless asked). */
export async function lockRecord<T extends EditableTable>(
  scope: TenantScope,
  type: RecordType<T>,
  id: string,
  { includeDeleted = false } = {},
): Promise<T["$inferSelect"]> {
  const table: EditableTable = type.table;
  const [row] = await scope.tx
    .select()
    .from(table)
    .where(and(eq(table.id, id), includeDeleted ? undefined : isNull(table.deletedAt)))
    .for("update");
  if (!row) throw ApiError.notFound(type.noun);
  return row;
}

/**
 * The live record, locked, after the checks every edit of it shares: the ownership rule, the
 * optimistic version and, when the edit names an owner, whether the actor may give it to them.
 */
export async function lockForEdit<T extends EditableTable>(
  scope: TenantScope,
  type: RecordType<T>,
  id: string,
  edit: { version?: number | undefined; ownerId?: string | null | undefined },
): Promise<T["$inferSelect"]> {
  const current = await lockRecord(scope, type, id);
  await assertCanEdit(scope, type.ownerOf(current));
  assertVersion(current, edit.version);
  if (edit.ownerId !== undefined) {
    await assertOwnerChangeAllowed(scope, type.ownerOf(current), edit.ownerId);
  }
  return current;
}

/**
 * Soft-deletes a live record the actor may edit; audited `record.deleted`, event
 * `<entity>.deleted`. Returns the record as it now is.
 */
export async function softDeleteRecord<T extends EditableTable>(
  scope: TenantScope,
  type: RecordType<T>,
  id: string,
) {
  const current = await lockRecord(scope, type, id);
  await assertCanEdit(scope, type.ownerOf(current));
  return setDeletedAt(scope, type, current, new Date());
}

/**
 * Brings back a record deleted less than 30 days ago (409 if not deleted, 410 if too old).
 * Returns the record as it now is, still locked.
 */
export async function restoreRecord<T extends EditableTable>(
  scope: TenantScope,
  type: RecordType<T>,
  id: string,
) {
  const current = await lockRecord(scope, type, id, { includeDeleted: true });
  assertRestorable(current.deletedAt);
  await assertCanEdit(scope, type.ownerOf(current));
  return setDeletedAt(scope, type, current, null);
}

async function setDeletedAt<T extends EditableTable>(
  scope: TenantScope,
  type: RecordType<T>,
  current: T["$inferSelect"],
  deletedAt: Date | null,
): Promise<T["$inferSelect"]> {
  const table: EditableTable = type.table;
  const version = current.version + 1;
  const [row] = await scope.tx
    .update(table)
    .set({ deletedAt, version, updatedAt: new Date() })
    .where(eq(table.id, current.id))
    .returning();
  await recordDeletionChange(scope, type.entity, deletedAt ? "deleted" : "restored", {
    id: current.id,
    version,
    label: type.labelOf(current),
  });
  // The row is locked, so the update found it.
  return row as T["$inferSelect"];
}
