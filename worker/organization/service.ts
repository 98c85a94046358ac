import { eq } from "drizzle-orm";
import type { CountryCode } from "libphonenumber-js";
import { recordScopedAudit } from "../audit/service";
import { type PublicOrganization, publicOrganization } from "../auth/service";
import { DEFAULT_PHONE_COUNTRY } from "../contacts/phones";
import type { Tx } from "../db/client";
import { organizations } from "../db/schema";
import { ApiError } from "../lib/errors";
import { requirePermission, type TenantScope } from "../lib/scope";
import type { UpdateOrganizationBody } from "./schemas";

/*
 * The caller's organization: its name and the defaults the CRM reads (the country national
 * phone numbers are read in, the time zone, the currency of deals that name none). Every
 * member reads them; owners and admins change them.
 */

export interface OrganizationDefaults {
  /** Phone numbers typed without a country code are read in this country. */
  country: CountryCode;
  currency: string;
  timeZone: string;
}

async function loadOrganization(scope: TenantScope) {
  const [row] = await scope.tx
    .select()
    .from(organizations)
    .where(eq(organizations.id, scope.actor.orgId));
  if (!row) throw ApiError.notFound("Organization");
  return row;
}

export async function getOrganization(scope: TenantScope): Promise<PublicOrganization> {
  requirePermission(scope.actor, "org:read");
  return publicOrganization(await loadOrganization(scope));
}

/** The defaults services apply where a record leaves them out (no permission: internal). */
export function organizationDefaults(scope: TenantScope): Promise<OrganizationDefaults> {
  return defaultsOf(scope.tx, scope.actor.orgId);
}

/** The same, for work that runs in an organization's transaction without an actor (jobs, ingest). */
export async function defaultsOf(tx: Tx, orgId: string): Promise<OrganizationDefaults> {
  const [row] = await tx
    .select({
      country: organizations.defaultCountry,
      currency: organizations.currency,
      timeZone: organizations.timeZone,
    })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  return {
    country: (row?.country as CountryCode | undefined) ?? DEFAULT_PHONE_COUNTRY,
    currency: row?.currency ?? "USD",
    timeZone: row?.timeZone ?? "UTC",
  };
}

export async function updateOrganization(
  scope: TenantScope,
  body: UpdateOrganizationBody,
): Promise<PublicOrganization> {
  requirePermission(scope.actor, "org:manage");
  const before = await loadOrganization(scope);
  const [row] = await scope.tx
    .update(organizations)
    .set({ ...body, updatedAt: new Date() })
    .where(eq(organizations.id, scope.actor.orgId))
    .returning();
  if (!row) throw ApiError.notFound("Organization");
  const changed = Object.fromEntries(
    Object.entries(body).filter(([key, value]) => before[key as keyof typeof body] !== value),
  );
  await recordScopedAudit(scope, {
    action: "organization.updated",
    target: { type: "organization", id: row.id },
    metadata: { changed },
  });
  return publicOrganization(row);
}
