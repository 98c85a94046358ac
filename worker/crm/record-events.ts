import type { RecordEntity } from "../../shared/realtime";
import { recordScopedAudit } from "../audit/service";
import type { TenantScope } from "../lib/scope";

export type RecordAction = "created" | "updated" | "deleted" | "restored";

/** Queues `<entity>.<action>` for the organization's realtime room (sent after commit). */
export function emitRecordEvent(
  scope: TenantScope,
  entity: RecordEntity,
  action: RecordAction,
  record: { id: string; version: number },
) {
  scope.emit({
    type: `${entity}.${action}`,
    id: record.id,
    version: record.version,
    actorId: scope.actor.userId,
  });
}

/**
 * After a soft delete or a restore: audits `record.deleted` / `record.restored` (with a label
 * people recognise, e.g. the name) and emits the matching realtime event.
 */
export async function recordDeletionChange(
  scope: TenantScope,
  entity: RecordEntity,
  action: "deleted" | "restored",
  record: { id: string; version: number; label: string },
) {
  await recordScopedAudit(scope, {
    action: action === "deleted" ? "record.deleted" : "record.restored",
    target: { type: entity, id: record.id },
    metadata: { label: record.label },
  });
  emitRecordEvent(scope, entity, action, record);
}
