import { and, desc, eq, lt, or } from "drizzle-orm";
import { auditActorOf } from "../auth/actor";
import type { Tx } from "../db/client";
import { auditLog } from "../db/schema";
import { newId } from "../lib/crypto";
import { type Cursor, decodeCursor, encodeCursor } from "../lib/pagination";
import type { RequestMeta } from "../lib/request-meta";
import type { TenantScope } from "../lib/scope";

export type AuditAction =
  | "auth.signed_up"
  | "auth.signed_in"
  | "auth.sign_in_failed"
  | "auth.signed_out"
  | "auth.refresh_token_reused"
  | "auth.password_reset_requested"
  | "auth.password_reset"
  | "auth.email_verified"
  | "auth.name_changed"
  | "auth.email_change_requested"
  | "auth.email_changed"
  | "auth.password_changed"
  | "member.role_changed"
  | "member.deactivated"
  | "member.reactivated"
  | "invitation.created"
  | "invitation.revoked"
  | "invitation.accepted"
  | "api_key.created"
  | "api_key.revoked"
  | "record.deleted"
  | "record.restored"
  | "record.owner_changed"
  | "records.bulk_updated"
  | "activity.updated"
  | "records.imported"
  | "records.exported"
  | "job.retried"
  | "custom_field.created"
  | "custom_field.updated"
  | "custom_field.deleted"
  | "team.updated"
  | "organization.updated"
  | "pbx.bridge_token_created"
  | "pbx.bridge_token_revoked"
  | "pbx.agent_updated"
  | "pbx.queue_updated"
  | "channel.created"
  | "channel.updated"
  | "channel.deleted"
  | "channel.webhook_rejected"
  | "webchat.visitor_identified"
  | "sla.updated"
  | "ticket.sla_warning"
  | "tickets.bulk_updated"
  | "tickets.bulk_deleted"
  | "ticket.sla_breached"
  | "kb.article_published"
  | "kb.article_unpublished"
  | "kb.article_deleted"
  | "kb.category_deleted";

export interface AuditActor {
  userId: string | null;
  apiKeyId: string | null;
}

export interface AuditEntry {
  orgId: string;
  actor: AuditActor;
  action: AuditAction;
  target?: { type: string; id: string };
  metadata?: Record<string, unknown>;
}

/** Writes inside the caller's transaction, so the entry commits or rolls back with the change. */
export async function recordAudit(tx: Tx, entry: AuditEntry, meta: RequestMeta) {
  await tx.insert(auditLog).values({
    id: newId(),
    orgId: entry.orgId,
    actorUserId: entry.actor.userId,
    actorApiKeyId: entry.actor.apiKeyId,
    action: entry.action,
    targetType: entry.target?.type ?? null,
    targetId: entry.target?.id ?? null,
    ip: meta.ip,
    userAgent: meta.userAgent,
    metadata: { requestId: meta.requestId, ...entry.metadata },
  });
}

/** The audit entry of a change made by the scope's actor, in the scope's transaction. */
export async function recordScopedAudit(
  scope: TenantScope,
  entry: Omit<AuditEntry, "orgId" | "actor">,
) {
  await recordAudit(
    scope.tx,
    { orgId: scope.actor.orgId, actor: auditActorOf(scope.actor), ...entry },
    scope.meta,
  );
}

export interface AuditQuery {
  limit: number;
  cursor?: string | undefined;
  action?: string | undefined;
}

export async function listAuditLog(tx: Tx, query: AuditQuery) {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const rows = await tx
    .select()
    .from(auditLog)
    .where(
      and(
        query.action ? eq(auditLog.action, query.action) : undefined,
        after ? olderThan(after) : undefined,
      ),
    )
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(query.limit + 1);
  const pageRows = rows.slice(0, query.limit);
  const last = pageRows.at(-1);
  return {
    rows: pageRows.map((row) => ({
      id: row.id,
      action: row.action,
      actorUserId: row.actorUserId,
      actorApiKeyId: row.actorApiKeyId,
      targetType: row.targetType,
      targetId: row.targetId,
      ip: row.ip,
      userAgent: row.userAgent,
      metadata: row.metadata,
      createdAt: row.createdAt.toISOString(),
    })),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}

function olderThan(cursor: Cursor) {
  return or(
    lt(auditLog.createdAt, cursor.at),
    and(eq(auditLog.createdAt, cursor.at), lt(auditLog.id, cursor.id)),
  );
}
