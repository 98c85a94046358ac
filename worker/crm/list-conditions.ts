import { type Column, isNotNull, isNull, type SQL, sql } from "drizzle-orm";

/*
 * WHERE pieces that every CRM list shares, next to `planList` (list-query.ts).
 */

/** The plan's sort column as a selectable value, for `plan.nextCursor` (dates stay dates). */
export function sortValueOf(plan: { sortColumn: Column }): SQL<unknown> {
  return sql`${plan.sortColumn}`.mapWith(plan.sortColumn);
}

/** Live records by default; with `?deleted=true` only the soft-deleted ones (restore UI). */
export function deletedCondition(deletedAt: Column, query: Record<string, unknown>): SQL {
  return query.deleted === "true" ? isNotNull(deletedAt) : isNull(deletedAt);
}
