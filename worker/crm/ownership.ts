import { recordScopedAudit } from "../audit/service";
import { can } from "../auth/permissions";
import { ApiError } from "../lib/errors";
import type { TenantScope } from "../lib/scope";
import { assertActiveMember } from "./member-check";

/*
 * Who owns a CRM record, and who may change that. Reassigning needs `crm:bulk` (manager+),
 * except claiming an unowned record for oneself. A new record belongs to its creator unless the
 * body names an owner, which counts as a change from "nobody".
 */

/** The owner a new record gets: the requested one (checked like a change) or the creator. */
export async function ownerForNewRecord(
  scope: TenantScope,
  requested: string | null | undefined,
): Promise<string | null> {
  if (requested === undefined) return scope.actor.userId;
  await assertOwnerChangeAllowed(scope, null, requested);
  return requested;
}

/** Throws unless the actor may move a record from `from` to `to` (a no-op always passes). */
export async function assertOwnerChangeAllowed(
  scope: TenantScope,
  from: string | null,
  to: string | null,
) {
  if (from === to) return;
  const claimsUnowned = from === null && to !== null && to === scope.actor.userId;
  if (!claimsUnowned && !can(scope.actor.role, "crm:bulk")) {
    throw ApiError.forbidden("Only managers and admins can reassign records.");
  }
  if (to !== null) await assertActiveMember(scope, to, "ownerId");
}

/** Audits `record.owner_changed` when the owner actually changed. */
export async function auditOwnerChange(
  scope: TenantScope,
  target: { type: string; id: string },
  from: string | null,
  to: string | null,
) {
  if (from === to) return;
  await recordScopedAudit(scope, {
    action: "record.owner_changed",
    target,
    metadata: { from, to },
  });
}
