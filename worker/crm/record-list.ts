import type { deals, leads } from "../db/crm-schema";
import { requirePermission, type TenantScope } from "../lib/scope";
import { deletedCondition, sortValueOf } from "./list-conditions";
import { type ListQuery, type ListSpec, planList } from "./list-query";
import { listSearchCountry } from "./list-search";

/** CRM tables listed as plain rows (no joins), with soft delete. */
export type PlainListTable = typeof deals | typeof leads;

/**
 * One page of a plain CRM list: `filter.*`, `sort`, `q` and cursor from the shared query
 * language, live rows unless `?deleted=true`.
 */
export async function listPlainRecords<T extends PlainListTable>(
  scope: TenantScope,
  table: T,
  spec: ListSpec,
  query: ListQuery,
): Promise<{ rows: T["$inferSelect"][]; nextCursor: string | null }> {
  requirePermission(scope.actor, "crm:read");
  const source: PlainListTable = table;
  const plan = planList(
    spec,
    query,
    [deletedCondition(source.deletedAt, query)],
    await listSearchCountry(scope, query),
  );
  const rows = await scope.tx
    .select({ record: source, sortValue: sortValueOf(plan), id: source.id })
    .from(source)
    .where(plan.where)
    .orderBy(...plan.orderBy)
    .limit(plan.limit);
  return {
    rows: rows.slice(0, query.limit).map((row) => row.record as T["$inferSelect"]),
    nextCursor: plan.nextCursor(rows),
  };
}
