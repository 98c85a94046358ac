import { inArray, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
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

export function splitWrites<V>(writes: PlannedWrite<V>[]) {
  return {
    inserts: writes.filter((write) => write.kind === "insert").map((write) => write.values),
    updates: writes.filter((write) => write.kind === "update").map((write) => write.values),
  };
}
