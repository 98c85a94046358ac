import { eq, inArray } from "drizzle-orm";
import type { Tx } from "../db/client";
import { companies, contacts, pipelineStages, pipelines } from "../db/crm-schema";
import { memberships, users } from "../db/schema";
import type { CrmEntity } from "./record-tables";

/** Names for the ids a record holds (owner, company, contact, stage), as the CSV shows them. */
export interface Lookups {
  memberEmail(userId: string | null): string | null;
  companyName(companyId: string | null | undefined): string | null;
  contactName(contactId: string | null | undefined): string | null;
  stage(stageId: string): { name: string; pipeline: string } | undefined;
}

interface OrgLookups {
  members: Map<string, string>;
  stages: Map<string, { name: string; pipeline: string }>;
}

/** Loaded once per export: members (deactivated ones too) and, for deals, every stage. */
export async function loadOrgLookups(tx: Tx, entity: CrmEntity): Promise<OrgLookups> {
  const members = await tx
    .select({ userId: memberships.userId, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId));
  const stages =
    entity === "deal"
      ? await tx
          .select({ id: pipelineStages.id, name: pipelineStages.name, pipeline: pipelines.name })
          .from(pipelineStages)
          .innerJoin(pipelines, eq(pipelines.id, pipelineStages.pipelineId))
      : [];
  return {
    members: new Map(members.map((row) => [row.userId, row.email])),
    stages: new Map(stages.map(({ id, ...stage }) => [id, stage])),
  };
}

function idsOf(rows: { companyId?: string | null; contactId?: string | null }[]) {
  const companyIds = new Set<string>();
  const contactIds = new Set<string>();
  for (const row of rows) {
    if (row.companyId) companyIds.add(row.companyId);
    if (row.contactId) contactIds.add(row.contactId);
  }
  return { companyIds: [...companyIds], contactIds: [...contactIds] };
}

/** Adds the names of the companies and contacts one page of records links to (two queries). */
export async function pageLookups(
  tx: Tx,
  org: OrgLookups,
  rows: { companyId?: string | null; contactId?: string | null }[],
): Promise<Lookups> {
  const { companyIds, contactIds } = idsOf(rows);
  const companyRows =
    companyIds.length > 0
      ? await tx
          .select({ id: companies.id, name: companies.name })
          .from(companies)
          .where(inArray(companies.id, companyIds))
      : [];
  const contactRows =
    contactIds.length > 0
      ? await tx
          .select({ id: contacts.id, firstName: contacts.firstName, lastName: contacts.lastName })
          .from(contacts)
          .where(inArray(contacts.id, contactIds))
      : [];
  const companyNames = new Map(companyRows.map((row) => [row.id, row.name]));
  const contactNames = new Map(
    contactRows.map((row) => [row.id, `${row.firstName} ${row.lastName}`.trim()]),
  );
  return {
    memberEmail: (userId) => (userId ? (org.members.get(userId) ?? null) : null),
    companyName: (id) => (id ? (companyNames.get(id) ?? null) : null),
    contactName: (id) => (id ? (contactNames.get(id) ?? null) : null),
    stage: (stageId) => org.stages.get(stageId),
  };
}
