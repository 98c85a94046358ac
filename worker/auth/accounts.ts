import { and, asc, eq } from "drizzle-orm";
import type { Tx } from "../db/client";
import { memberships, organizations } from "../db/schema";

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Runs outside any organization (app.org_id unset): RLS then shows the user's own memberships. */
export async function userMemberships(tx: Tx, userId: string) {
  const rows = await tx
    .select({ role: memberships.role, organization: organizations })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(and(eq(memberships.userId, userId), eq(memberships.status, "active")))
    .orderBy(asc(memberships.createdAt));
  return rows.map((row) => ({
    role: row.role,
    organization: {
      id: row.organization.id,
      name: row.organization.name,
      slug: row.organization.slug,
    },
  }));
}
