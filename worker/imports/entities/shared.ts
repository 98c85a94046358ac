import { and, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { updateMany } from "../../crm/bulk-update";
import type { RecordTable } from "../../crm/record-tables";
import type { Tx } from "../../db/client";
import type { TenantScope } from "../../lib/scope";
import type { ImportField, ImportRecord, PlannedWrite } from "./types";

/** Fields every entity shares. */
export const TAGS_FIELD: ImportField = {
  label: "Tags",
  kind: "tags",
  multiple: true,
  aliases: ["tags", "labels", "tag"],
};
export const OWNER_FIELD: ImportField = {
  label: "Owner (member email)",
  kind: "owner",
  aliases: ["owner", "owner email", "assigned to", "record owner"],
};
export const COMPANY_FIELD: ImportField = {
  label: "Company (linked by name, created if missing)",
  kind: "text",
  max: 200,
  aliases: ["company", "company name", "organization", "organisation", "account", "account name"],
};

/** Set in code (millisecond precision) so list cursors, which travel as JSON dates, stay exact. */
export function createdNow() {
  const now = new Date();
  return { createdAt: now, updatedAt: now };
}

/** Copies the row's values for `keys` onto the record; empty cells leave a value alone. */
export function assignFilled<V>(target: V, values: Record<string, unknown>, keys: (keyof V)[]) {
  for (const key of keys) {
    const value = values[key as string];
    if (value !== undefined) target[key] = value as V[keyof V];
  }
}

/** Tags, owner, company and custom values: the same rule on every entity. */
export function applyCommon(
  target: {
    tags?: string[];
    ownerId?: string | null;
    companyId?: string | null;
    custom?: Record<string, unknown>;
  },
  record: ImportRecord,
) {
  const { values } = record;
  if (Array.isArray(values.tags)) target.tags = union(target.tags ?? [], values.tags as string[]);
  if (typeof values.owner === "string") target.ownerId = values.owner;
  if (typeof values.companyId === "string") target.companyId = values.companyId;
  if (Object.keys(record.custom).length > 0) target.custom = { ...target.custom, ...record.custom };
}

export function union<T>(existing: T[], added: T[]): T[] {
  return [...new Set([...existing, ...added])];
}

/** `title:acme renewal`: leads and deals count as duplicates by title. */
export function titleKey(title: string | undefined): string[] {
  const normalized = title?.trim().toLowerCase();
  return normalized ? [`title:${normalized}`] : [];
}

export function keyValues(keys: string[], prefix: string): string[] {
  return keys.filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
}

/** Matches `lower(btrim(title))` against the keys' titles. */
export function titleIn(column: PgColumn, keys: string[]) {
  const titles = keyValues(keys, "title:");
  return titles.length > 0 ? inArray(sql`lower(btrim(${column}))`, titles) : sql`false`;
}

function splitWrites<V>(writes: PlannedWrite<V>[]) {
  return {
    inserts: writes.filter((write) => write.kind === "insert").map((write) => write.values),
    updates: writes.filter((write) => write.kind === "update").map((write) => write.values),
  };
}

/** A batch's writes: one multi-row INSERT of the new records, one UPDATE ... FROM of the rest. */
export async function writeBatch<T extends RecordTable>(
  tx: Tx,
  table: T,
  writes: PlannedWrite<T["$inferInsert"] & { id: string }>[],
  /** The columns an import may change on an existing record. */
  columns: (keyof T["$inferInsert"] & string)[],
) {
  const { inserts, updates } = splitWrites(writes);
  const target: RecordTable = table;
  if (inserts.length > 0) await tx.insert(target).values(inserts);
  await updateMany(tx, table, updates, columns);
}

/** The live records of `table` that match, locked for the transaction. */
export async function lockLive<T extends RecordTable>(
  scope: TenantScope,
  table: T,
  condition: SQL | undefined,
): Promise<T["$inferSelect"][]> {
  const source: RecordTable = table;
  return scope.tx
    .select()
    .from(source)
    .where(and(isNull(source.deletedAt), condition))
    .for("update");
}
