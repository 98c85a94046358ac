import { and, eq } from "drizzle-orm";
import { memberships, users } from "../db/schema";
import type { TenantScope } from "../lib/scope";

/** Members named in a note (`@Maya` or `@Maya Patel`), matched against active members. */
export async function mentionedMembers(scope: TenantScope, body: string): Promise<string[]> {
  if (!body.includes("@")) return [];
  const members = await scope.tx
    .select({ id: users.id, name: users.name })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, scope.actor.orgId), eq(memberships.status, "active")));
  const text = body.toLowerCase();
  return members
    .filter((member) => {
      const full = member.name.trim().toLowerCase();
      const first = full.split(/\s+/)[0] ?? "";
      return (
        (full && text.includes(`@${full}`)) ||
        (first && new RegExp(`@${escapeRegExp(first)}(?![\\p{L}\\p{N}])`, "u").test(text))
      );
    })
    .map((member) => member.id);
}

function escapeRegExp(value: string) {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
