import { and, eq } from "drizzle-orm";
import { memberships } from "../db/schema";
import { ApiError } from "../lib/errors";
import type { TenantScope } from "../lib/scope";

/**
 * Owners and assignees must be active members of the caller's organization; anyone else is a
 * 422 on `field` (RLS hides other organizations' memberships, so they fail here too).
 */
export async function assertActiveMember(scope: TenantScope, userId: string, field: string) {
  const [row] = await scope.tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(
      and(
        eq(memberships.orgId, scope.actor.orgId),
        eq(memberships.userId, userId),
        eq(memberships.status, "active"),
      ),
    );
  if (!row) throw ApiError.validation({ [field]: ["Not an active member of this organization."] });
}
