import { and, inArray, isNull, type SQL, sql } from "drizzle-orm";
import { type CrmEntity, recordListPath } from "../../shared/crm";
import { recordScopedAudit } from "../audit/service";
import { canEdit } from "../crm/access";
import { assertActiveMember } from "../crm/member-check";
import { emitRecordEvent } from "../crm/record-events";
import { type RecordTable, recordTables } from "../crm/record-tables";
import { RESTORE_WINDOW_DAYS } from "../crm/records";
import { requirePermission, type TenantScope } from "../lib/scope";
import { notify } from "../notifications/service";
import type { BulkBody, SkipReason } from "./schemas";

/*
 * Bulk actions on up to 500 records of one entity, in one transaction: assign an owner, add or
 * remove tags, soft-delete, or restore (the undo of a delete, within 30 days). Records the
 * ownership rule does not let the caller change, and missing ones, are skipped and reported
 * rather than failing the whole batch; records the action would not change are reported as
 * "unchanged" (and keep their version). A restore acts on deleted records, the rest on live ones.
 */

export interface BulkResult {
  updated: number;
  skipped: { id: string; reason: SkipReason }[];
}

const PLURALS: Record<CrmEntity, string> = {
  contact: "contacts",
  company: "companies",
  lead: "leads",
  deal: "deals",
};

/** One notice for the new owner of a batch, however many records it held. */
async function tellBulkOwner(
  scope: TenantScope,
  entity: CrmEntity,
  ownerId: string | null,
  count: number,
) {
  const what = count === 1 ? `1 ${entity}` : `${count} ${PLURALS[entity]}`;
  await notify(
    scope,
    [ownerId],
    {
      kind: "assignment",
      title: `${what} ${count === 1 ? "was" : "were"} assigned to you`,
      link: recordListPath(entity),
    },
    scope.actor.userId,
  );
}

/** Which of the rows the caller may change: the ownership rule, asked once per distinct owner. */
async function editableIds(scope: TenantScope, rows: { id: string; ownerId: string | null }[]) {
  const verdicts = new Map<string | null, boolean>();
  for (const ownerId of new Set(rows.map((row) => row.ownerId))) {
    verdicts.set(ownerId, await canEdit(scope, ownerId));
  }
  return new Set(rows.filter((row) => verdicts.get(row.ownerId)).map((row) => row.id));
}

/** The SET clause and the "would change anything" condition for each action. */
function actionSql(table: RecordTable, body: BulkBody): { set: SQL; changes: SQL } {
  switch (body.action) {
    case "assign":
      return {
        set: sql`owner_id = ${body.ownerId}::uuid`,
        changes: sql`${table.ownerId} is distinct from ${body.ownerId}::uuid`,
      };
    case "tag": {
      const tags = sql`${sql.param(body.tags)}::text[]`;
      return {
        set: sql`tags = (select array_agg(tag order by first_seen) from (
            select tag, min(position) as first_seen
            from unnest(${table.tags} || ${tags}) with ordinality as added(tag, position)
            group by tag) as merged)`,
        changes: sql`not (${table.tags} @> ${tags})`,
      };
    }
    case "untag": {
      const tags = sql`${sql.param(body.tags)}::text[]`;
      return {
        set: sql`tags = array(select tag from unnest(${table.tags}) as kept(tag) where tag <> all(${tags}))`,
        changes: sql`${table.tags} && ${tags}`,
      };
    }
    case "delete":
      return { set: sql`deleted_at = now()`, changes: sql`true` };
    case "restore":
      return {
        set: sql`deleted_at = null`,
        changes: sql`${table.deletedAt} > now() - make_interval(days => ${RESTORE_WINDOW_DAYS})`,
      };
  }
}

/** A restore finds deleted records too (a live one is then "unchanged"); the rest live ones. */
function liveUnlessRestoring(table: RecordTable, body: BulkBody) {
  return body.action === "restore" ? undefined : isNull(table.deletedAt);
}

async function applyAction(scope: TenantScope, body: BulkBody, ids: string[]) {
  if (ids.length === 0) return [];
  const table = recordTables[body.entity];
  const { set, changes } = actionSql(table, body);
  const result = await scope.tx.execute<{ id: string; version: number }>(
    sql`update ${table} set ${set}, version = ${table.version} + 1, updated_at = now()
        where ${and(inArray(table.id, ids), liveUnlessRestoring(table, body), changes)}
        returning id, version`,
  );
  return result.rows;
}

async function auditBulk(scope: TenantScope, body: BulkBody, result: BulkResult, ids: string[]) {
  const { entity, action } = body;
  const detail =
    body.action === "assign"
      ? { ownerId: body.ownerId }
      : body.action === "delete" || body.action === "restore"
        ? {}
        : { tags: body.tags };
  await recordScopedAudit(scope, {
    action: "records.bulk_updated",
    metadata: {
      entity,
      action,
      ...detail,
      requested: body.ids.length,
      updated: result.updated,
      skipped: result.skipped.length,
      ids,
    },
  });
}

export async function runBulkAction(scope: TenantScope, body: BulkBody): Promise<BulkResult> {
  requirePermission(scope.actor, "crm:bulk");
  if (body.action === "assign" && body.ownerId) {
    await assertActiveMember(scope, body.ownerId, "ownerId");
  }
  const table = recordTables[body.entity];
  const rows = await scope.tx
    .select({ id: table.id, ownerId: table.ownerId })
    .from(table)
    .where(and(inArray(table.id, body.ids), liveUnlessRestoring(table, body)))
    .for("update");
  const allowed = await editableIds(scope, rows);
  const changed = await applyAction(scope, body, [...allowed]);
  const changedIds = new Set(changed.map((row) => row.id));
  const found = new Set(rows.map((row) => row.id));
  const skipped = body.ids.flatMap((id): BulkResult["skipped"] => {
    if (changedIds.has(id)) return [];
    const reason = !found.has(id) ? "not_found" : allowed.has(id) ? "unchanged" : "forbidden";
    return [{ id, reason }];
  });
  const result = { updated: changed.length, skipped };
  const action =
    body.action === "delete" ? "deleted" : body.action === "restore" ? "restored" : "updated";
  for (const row of changed) emitRecordEvent(scope, body.entity, action, row);
  if (changed.length > 0) await auditBulk(scope, body, result, [...changedIds]);
  if (body.action === "assign" && changed.length > 0) {
    await tellBulkOwner(scope, body.entity, body.ownerId, changed.length);
  }
  return result;
}
