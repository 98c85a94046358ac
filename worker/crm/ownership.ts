import { type CrmEntity, recordPath } from "../../shared/crm";
import { recordScopedAudit } from "../audit/service";
import { can } from "../auth/permissions";
import { ApiError } from "../lib/errors";
import type { TenantScope } from "../lib/scope";
import { notify } from "../notifications/service";
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

export interface OwnedRecord {
  type: CrmEntity;
  id: string;
  /** What the record is called (a contact's name, a deal's title), for the notice. */
  name: string;
}

const NOUNS: Record<CrmEntity, string> = {
  contact: "Contact",
  company: "Company",
  lead: "Lead",
  deal: "Deal",
};

/**
 * An owner change: audited as `record.owner_changed` when the owner actually changed, and the
 * new owner hears of it.
 */
export async function auditOwnerChange(
  scope: TenantScope,
  record: OwnedRecord,
  from: string | null,
  to: string | null,
) {
  if (from === to) return;
  await recordScopedAudit(scope, {
    action: "record.owner_changed",
    target: { type: record.type, id: record.id },
    metadata: { from, to },
  });
  await tellNewOwner(scope, record, to);
}

/** The member given a record (new or existing) is notified, unless they took it themselves. */
export async function tellNewOwner(
  scope: TenantScope,
  record: OwnedRecord,
  ownerId: string | null,
) {
  await notify(
    scope,
    [ownerId],
    {
      kind: "assignment",
      title: `${NOUNS[record.type]} “${record.name.slice(0, 200)}” was assigned to you`,
      link: recordPath(record.type, record.id),
    },
    scope.actor.userId,
  );
}
