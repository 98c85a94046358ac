import { and, asc, eq, lte, sql } from "drizzle-orm";
import { calls } from "../db/telephony-schema";
import { ApiError } from "../lib/errors";
import { requirePermission, type TenantScope } from "../lib/scope";
import type { CallView } from "./call-view";
import { loadCallViews } from "./load";
import type { WrapUpBody, WrapUpDraftBody } from "./schemas";
import { emitCall, loadActionableCall, writeCall } from "./service";

/*
 * Wrap-up: a finished call its agent talked on waits for their notes and disposition. The
 * draft is kept with the call (it survives a reload); the agent completes or skips it, and
 * one still pending at its due time (the queue's wrap-up time after the call) closes itself
 * with the draft, as if completed.
 */

const pending = eq(calls.wrapUpStatus, "pending");

function meOf(scope: TenantScope): string {
  requirePermission(scope.actor, "calls:write");
  const userId = scope.actor.userId;
  if (!userId) throw ApiError.forbidden("Only members have wrap-ups.");
  return userId;
}

/** Text the agent typed, or null when there is none. */
function textOrNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

async function pendingCall(scope: TenantScope, id: string) {
  const call = await loadActionableCall(scope, id);
  if (call.wrapUpStatus !== "pending") {
    throw ApiError.conflict("This call has no wrap-up waiting.");
  }
  return call;
}

/** Closes the member's overdue wrap-ups with their drafts. */
async function closeOverdue(scope: TenantScope, userId: string) {
  const overdue = await scope.tx
    .select()
    .from(calls)
    .where(and(pending, eq(calls.agentId, userId), lte(calls.wrapUpDueAt, sql`now()`)));
  for (const call of overdue) {
    await writeCall(scope, call, {
      notes: textOrNull(call.wrapUpDraft?.notes) ?? call.notes,
      disposition: textOrNull(call.wrapUpDraft?.disposition) ?? call.disposition,
      wrapUpStatus: "done",
    });
  }
}

/** The member's calls waiting for a wrap-up, oldest first (overdue ones close first). */
export async function listWrapUps(scope: TenantScope): Promise<CallView[]> {
  const userId = meOf(scope);
  await closeOverdue(scope, userId);
  const ids = await scope.tx
    .select({ id: calls.id })
    .from(calls)
    .where(and(pending, eq(calls.agentId, userId)))
    .orderBy(asc(calls.endedAt), asc(calls.id));
  const views = await loadCallViews(
    scope.tx,
    ids.map((row) => row.id),
  );
  const order = new Map(ids.map((row, index) => [row.id, index]));
  return views.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
}

/** Keeps what the agent typed so far with the call. */
export async function saveWrapUpDraft(scope: TenantScope, id: string, body: WrapUpDraftBody) {
  meOf(scope);
  await pendingCall(scope, id);
  await scope.tx
    .update(calls)
    .set({
      wrapUpDraft: { notes: body.notes ?? null, disposition: body.disposition ?? null },
      version: sql`${calls.version} + 1`,
      updatedAt: new Date(),
    })
    .where(eq(calls.id, id));
  return emitCall(scope, id);
}

/** Completes the wrap-up (notes and disposition onto the call and its timeline) or skips it. */
export async function finishWrapUp(scope: TenantScope, id: string, body: WrapUpBody) {
  meOf(scope);
  const call = await pendingCall(scope, id);
  if (body.action === "skip") return writeCall(scope, call, { wrapUpStatus: "skipped" });
  return writeCall(scope, call, {
    notes: body.notes === undefined ? call.notes : textOrNull(body.notes),
    disposition: body.disposition === undefined ? call.disposition : textOrNull(body.disposition),
    wrapUpStatus: "done",
  });
}

/** Skips every wrap-up the member has waiting; returns how many. */
export async function skipAllWrapUps(scope: TenantScope): Promise<{ skipped: number }> {
  const userId = meOf(scope);
  const skipped = await scope.tx
    .update(calls)
    .set({ wrapUpStatus: "skipped", version: sql`${calls.version} + 1`, updatedAt: new Date() })
    .where(and(pending, eq(calls.agentId, userId)))
    .returning({ id: calls.id });
  for (const call of await loadCallViews(
    scope.tx,
    skipped.map((row) => row.id),
  )) {
    scope.emit({ type: "call.updated", call });
  }
  return { skipped: skipped.length };
}
