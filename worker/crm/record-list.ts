import type { Column } from "drizzle-orm";
import type { deals, leads } from "../db/crm-schema";
import { requirePermission, type TenantScope } from "../lib/scope";
import { deletedCondition, sortValueOf } from "./list-conditions";
import {
  type ListField,
  type ListPlan,
  type ListQuery,
  type ListSpec,
  planList,
} from "./list-query";
import { listSearchCondition, listSearchCountry } from "./list-search";
import type { CrmEntity, RecordTable } from "./record-tables";

/**
 * A CRM record list's spec: the entity's own `fields` and the ones every record has (owner,
 * tags, created, updated), searched through `crm_list_search`, newest first.
 */
export function recordListSpec(
  entity: CrmEntity,
  table: RecordTable,
  fields: Record<string, ListField>,
  extraFilters?: ListSpec["extraFilters"],
): ListSpec {
  return {
    fields: {
      ...fields,
      ownerId: { column: table.ownerId, type: "uuid" },
      tags: { column: table.tags, type: "tags" },
      createdAt: { column: table.createdAt, type: "date", sortable: true },
      updatedAt: { column: table.updatedAt, type: "date", sortable: true },
    },
    idColumn: table.id,
    customColumn: table.custom,
    search: (term, country) => listSearchCondition(entity, table.id, term, country),
    defaultSort: "-createdAt",
    ...(extraFilters && { extraFilters }),
  };
}

/**
 * One page of a CRM list: `filter.*`, `sort`, `q` and cursor from the shared query language,
 * live rows unless `?deleted=true`. `read` runs the plan, selecting `sortValueOf(plan)` as
 * `sortValue`; the rows past the page only tell whether there is a next one.
 */
export async function listRecordPage<Row extends { id: string; sortValue: unknown }>(
  scope: TenantScope,
  spec: ListSpec,
  deletedAt: Column,
  query: ListQuery,
  read: (plan: ListPlan) => Promise<Row[]>,
): Promise<{ rows: Row[]; nextCursor: string | null }> {
  requirePermission(scope.actor, "crm:read");
  const plan = planList(
    spec,
    query,
    [deletedCondition(deletedAt, query)],
    await listSearchCountry(scope, query),
  );
  const rows = await read(plan);
  return { rows: rows.slice(0, query.limit), nextCursor: plan.nextCursor(rows) };
}

/** CRM tables listed as plain rows (no joins), with soft delete. */
export type PlainListTable = typeof deals | typeof leads;

/** `listRecordPage` of whole rows of a table. */
export async function listPlainRecords<T extends PlainListTable>(
  scope: TenantScope,
  table: T,
  spec: ListSpec,
  query: ListQuery,
): Promise<{ rows: T["$inferSelect"][]; nextCursor: string | null }> {
  const source: PlainListTable = table;
  const result = await listRecordPage(scope, spec, source.deletedAt, query, (plan) =>
    scope.tx
      .select({ record: source, sortValue: sortValueOf(plan), id: source.id })
      .from(source)
      .where(plan.where)
      .orderBy(...plan.orderBy)
      .limit(plan.limit),
  );
  return {
    rows: result.rows.map((row) => row.record as T["$inferSelect"]),
    nextCursor: result.nextCursor,
  };
}
