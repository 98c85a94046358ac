import { and, inArray, isNull } from "drizzle-orm";
import { recordScopedAudit } from "../audit/service";
import { tickets } from "../db/desk-schema";
import { requirePermission, type TenantScope } from "../lib/scope";
import type {
  BulkTicketChanges,
  BulkTicketOutcome,
  BulkTicketsBody,
  BulkTicketsResult,
} from "./bulk-schemas";
import { fieldsToSolve, solves, unsolvableReason } from "./custom-fields";
import type { UpdateTicketInput } from "./schemas";
import { assertAssignment, changeLockedTicket, normalizeTags, type TicketMail } from "./service";
import { publishTicket } from "./store";

/*
 * Bulk actions on tickets (`POST /tickets/bulk`): one change (status, priority, type, assignee,
 * team, tags added or removed) or a delete, for up to 100 tickets in one unit of work. Each
 * ticket follows the single edit's rules (the same write, its version when given, a closed
 * ticket stays closed) and gets its own outcome; one that cannot change is reported, not a
 * failure of the rest. Every changed ticket is published live; the batch is audited once.
 */

type TicketRow = typeof tickets.$inferSelect;
type Result = BulkTicketsResult["results"][number];

function sameTags(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((tag) => b.includes(tag));
}

/** The single edit this bulk change is for one ticket; null when it would change nothing. */
function editFor(current: TicketRow, changes: BulkTicketChanges): UpdateTicketInput | null {
  const edit: UpdateTicketInput = {};
  if (changes.status !== undefined && changes.status !== current.status) {
    edit.status = changes.status;
  }
  if (changes.priority !== undefined && changes.priority !== current.priority) {
    edit.priority = changes.priority;
  }
  if (changes.type !== undefined && changes.type !== current.type) edit.type = changes.type;
  if (changes.assigneeId !== undefined && changes.assigneeId !== current.assigneeId) {
    edit.assigneeId = changes.assigneeId;
  }
  if (changes.teamId !== undefined && changes.teamId !== current.teamId) {
    edit.teamId = changes.teamId;
  }
  if (changes.addTags || changes.removeTags) {
    const removed = new Set(normalizeTags(changes.removeTags ?? []));
    const tags = normalizeTags([...current.tags, ...(changes.addTags ?? [])]).filter(
      (tag) => !removed.has(tag),
    );
    if (!sameTags(tags, current.tags)) edit.tags = tags;
  }
  return Object.keys(edit).length > 0 ? edit : null;
}

function skipped(id: string, outcome: BulkTicketOutcome, message: string | null): Result {
  return { id, outcome, message, ticket: null };
}

export async function bulkTickets(
  scope: TenantScope,
  body: BulkTicketsBody,
  config: TicketMail,
): Promise<BulkTicketsResult> {
  requirePermission(scope.actor, body.action === "delete" ? "tickets:delete" : "tickets:write");
  if (body.action === "update") await assertAssignment(scope, body.changes);
  // Locked in id order, like a merge: two bulk actions crossing each other cannot deadlock.
  const rows = await scope.tx
    .select()
    .from(tickets)
    .where(and(inArray(tickets.id, body.ids), isNull(tickets.deletedAt)))
    .orderBy(tickets.id)
    .for("update");
  const byId = new Map(rows.map((row) => [row.id, row]));
  const fields = body.action === "update" ? await fieldsToSolve(scope, body.changes.status) : [];
  const results: Result[] = [];
  const now = new Date();
  for (const id of body.ids) {
    const current = byId.get(id);
    if (!current) {
      results.push(skipped(id, "not_found", "No such ticket."));
      continue;
    }
    const expected = body.versions?.[id];
    if (expected !== undefined && expected !== current.version) {
      results.push(
        skipped(id, "conflict", `Changed since you looked (now version ${current.version}).`),
      );
      continue;
    }
    if (body.action === "delete") {
      await scope.tx
        .update(tickets)
        .set({ deletedAt: now, updatedAt: now })
        .where(inArray(tickets.id, [id]));
      results.push(skipped(id, "deleted", null));
      continue;
    }
    const edit = editFor(current, body.changes);
    if (!edit) {
      results.push(skipped(id, "unchanged", null));
      continue;
    }
    if (edit.status && current.status === "closed") {
      results.push(skipped(id, "conflict", "A closed ticket cannot change; open a new one."));
      continue;
    }
    const unsolvable = solves(edit.status, current.status) && unsolvableReason(fields, current);
    if (unsolvable) {
      results.push(skipped(id, "invalid", unsolvable));
      continue;
    }
    await changeLockedTicket(scope, current, edit, config);
    results.push({ id, outcome: "updated", message: null, ticket: await publishTicket(scope, id) });
  }
  const count = (outcome: BulkTicketOutcome) =>
    results.filter((result) => result.outcome === outcome).length;
  const result = {
    updated: count("updated"),
    deleted: count("deleted"),
    skipped: results.length - count("updated") - count("deleted"),
    results,
  };
  const changedIds = results
    .filter((r) => r.outcome === "updated" || r.outcome === "deleted")
    .map((r) => r.id);
  if (changedIds.length > 0) {
    await recordScopedAudit(scope, {
      action: body.action === "delete" ? "tickets.bulk_deleted" : "tickets.bulk_updated",
      metadata: {
        ...(body.action === "update" ? { changes: body.changes } : {}),
        requested: body.ids.length,
        updated: result.updated,
        deleted: result.deleted,
        skipped: result.skipped,
        ids: changedIds,
      },
    });
  }
  return result;
}
