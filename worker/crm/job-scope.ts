import type { Actor } from "../auth/actor";
import type { RequestMeta } from "../lib/request-meta";
import type { TenantScope } from "../lib/scope";
import type { UnitOfWork } from "../lib/unit-of-work";

/*
 * Queue jobs run without a signed-in caller: their unit of work is scoped to the organization
 * only (`{ orgId, userId: null }`) and they act on behalf of whoever created the job, with the
 * permissions that were checked when the job was created. What they emit and enqueue goes out
 * after their transaction commits, like a request's.
 */

/** Audit entries written by a job carry the job's id where a request id would be. */
export function jobMeta(jobId: string): RequestMeta {
  return { requestId: `job:${jobId}`, ip: null, userAgent: null };
}

export function jobScope(
  unit: UnitOfWork,
  job: { id: string; orgId: string; createdBy: string | null },
  name: string,
): TenantScope {
  const actor: Actor = {
    kind: "user",
    orgId: job.orgId,
    role: "manager",
    userId: job.createdBy,
    apiKeyId: null,
    sessionId: null,
    name,
  };
  return { ...unit, actor, meta: jobMeta(job.id) };
}
