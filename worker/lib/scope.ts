import { type Actor, type Credential, credentialScope, loadActor } from "../auth/actor";
import { can, type Permission } from "../auth/permissions";
import type { Database } from "../db/client";
import { ApiError } from "./errors";
import type { RequestMeta } from "./request-meta";
import { type AfterCommit, runUnitOfWork, type UnitOfWork } from "./unit-of-work";

/**
 * Everything a tenant service needs: the unit of work (the scoped transaction, its events and
 * jobs) and who acts, with the request's metadata for the audit log.
 */
export interface TenantScope extends UnitOfWork {
  actor: Actor;
  meta: RequestMeta;
}

/**
 * Runs `work` for an authenticated caller as one unit of work in the caller's organization:
 * the credential is checked inside its transaction first; events and jobs go out after commit.
 */
export async function runAsActor<T>(
  db: Database,
  credential: Credential,
  meta: RequestMeta,
  afterCommit: AfterCommit,
  work: (scope: TenantScope) => Promise<T>,
): Promise<T> {
  const scope = credentialScope(credential);
  return runUnitOfWork(db, scope, afterCommit, async (unit) => {
    const actor = await loadActor(unit.tx, credential);
    return work({ ...unit, actor, meta });
  });
}

export function requirePermission(actor: Actor, permission: Permission) {
  if (!can(actor.role, permission)) throw ApiError.forbidden();
}
