import { type Actor, type Credential, credentialScope, loadActor } from "../auth/actor";
import { can, type Permission } from "../auth/permissions";
import type { Database, Tx } from "../db/client";
import type { PublishedEvent } from "../realtime/events";
import { ApiError } from "./errors";
import type { RequestMeta } from "./request-meta";

/** Everything a tenant service needs: the scoped transaction, the caller, and an event outbox. */
export interface TenantScope {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  /** Queues a realtime event; it is published only if the transaction commits. */
  emit(event: PublishedEvent): void;
}

export type Publisher = (orgId: string, events: PublishedEvent[]) => void;

/**
 * Runs `work` for an authenticated caller in one transaction under the caller's organization:
 * the credential is checked inside it first, and events go out only after commit.
 */
export async function runAsActor<T>(
  db: Database,
  credential: Credential,
  meta: RequestMeta,
  publish: Publisher,
  work: (scope: TenantScope) => Promise<T>,
): Promise<T> {
  const events: PublishedEvent[] = [];
  let orgId = "";
  const result = await db.transaction(credentialScope(credential), async (tx) => {
    const actor = await loadActor(tx, credential);
    orgId = actor.orgId;
    return work({ tx, actor, meta, emit: (event) => events.push(event) });
  });
  if (events.length > 0) publish(orgId, events);
  return result;
}

export function requirePermission(actor: Actor, permission: Permission) {
  if (!can(actor.role, permission)) throw ApiError.forbidden();
}
