import type { Actor } from "../auth/actor";
import type { Tx } from "../db/client";
import type { RequestMeta } from "../lib/request-meta";
import type { TenantScope } from "../lib/scope";
import type { PublishedEvent } from "../realtime/events";

/**
 * Queue jobs run without a signed-in caller: their transaction is scoped to the organization
 * only (`{ orgId, userId: null }`) and they act on behalf of whoever created the job, with the
 * permissions that were checked when the job was created.
 */
export interface JobScope extends TenantScope {
  /** Events to publish once the job's transaction has committed. */
  events: PublishedEvent[];
}

/** Audit entries written by a job carry the job's id where a request id would be. */
export function jobMeta(jobId: string): RequestMeta {
  return { requestId: `job:${jobId}`, ip: null, userAgent: null };
}

export function jobScope(
  tx: Tx,
  job: { id: string; orgId: string; createdBy: string | null },
  name: string,
): JobScope {
  const actor: Actor = {
    kind: "user",
    orgId: job.orgId,
    role: "manager",
    userId: job.createdBy,
    apiKeyId: null,
    sessionId: null,
    name,
  };
  const events: PublishedEvent[] = [];
  return { tx, actor, meta: jobMeta(job.id), events, emit: (event) => events.push(event) };
}
