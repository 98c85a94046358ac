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

/**
 * The distinct ids of `memberIds`, each checked to be an active member (a 422 on
 * `memberIds.<index>` otherwise): for replacing a team's or a queue's members.
 */
export async function activeMemberIds(scope: TenantScope, memberIds: string[]): Promise<string[]> {
  const unique = [...new Set(memberIds)];
  for (const [index, userId] of unique.entries()) {
    await assertActiveMember(scope, userId, `memberIds.${index}`);
  }
  return unique;
}
