import { and, eq, isNull } from "drizzle-orm";
import { CRM_ENTITIES, type CrmEntity } from "../../shared/crm";
import { companies, contacts, deals, leads } from "../db/crm-schema";
import { ApiError } from "../lib/errors";
import type { TenantScope } from "../lib/scope";

// The record kinds are plain vocabulary the browser shares (shared/crm.ts); re-exported here.
export { CRM_ENTITIES, type CrmEntity };

export const recordTables = {
  contact: contacts,
  company: companies,
  lead: leads,
  deal: deals,
} as const;

export type RecordTable = (typeof recordTables)[CrmEntity];

export const entityLabels: Record<CrmEntity, string> = {
  contact: "Contact",
  company: "Company",
  lead: "Lead",
  deal: "Deal",
};

export interface LiveRecord {
  id: string;
  ownerId: string | null;
  createdAt: Date;
}

/** A record of the caller's organization that is not soft-deleted, or null (RLS hides others). */
export async function findLiveRecord(
  scope: TenantScope,
  entity: CrmEntity,
  id: string,
): Promise<LiveRecord | null> {
  const table: RecordTable = recordTables[entity];
  const [row] = await scope.tx
    .select({ id: table.id, ownerId: table.ownerId, createdAt: table.createdAt })
    .from(table)
    .where(and(eq(table.id, id), isNull(table.deletedAt)));
  return row ?? null;
}

/** Like `findLiveRecord`, but a missing record is a 404 named after its entity. */
export async function requireLiveRecord(
  scope: TenantScope,
  entity: CrmEntity,
  id: string,
): Promise<LiveRecord> {
  const row = await findLiveRecord(scope, entity, id);
  if (!row) throw ApiError.notFound(entityLabels[entity]);
  return row;
}
