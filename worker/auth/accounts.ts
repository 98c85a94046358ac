import { and, asc, eq } from "drizzle-orm";
import type { Tx } from "../db/client";
import { memberships, organizations } from "../db/schema";

export interface PublicOrganization {
  id: string;
  name: string;
  slug: string;
  /** ISO 3166 alpha-2: national phone numbers are read in it. */
  defaultCountry: string;
  /** IANA time zone. */
  timeZone: string;
  /** ISO 4217: deals without a currency are in it. */
  currency: string;
  /** Solved tickets email their requester a satisfaction survey. */
  csatEnabled: boolean;
}

export function publicOrganization(row: typeof organizations.$inferSelect): PublicOrganization {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    defaultCountry: row.defaultCountry,
    timeZone: row.timeZone,
    currency: row.currency,
    csatEnabled: row.csatEnabled,
  };
}

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
    organization: publicOrganization(row.organization),
  }));
}
