import { and, eq, isNull, sql } from "drizzle-orm";
import { toE164, UNREADABLE_PHONE } from "../contacts/phones";
import { assertLinkedRecords } from "../crm/linked-records";
import type { ListQuery } from "../crm/list-query";
import { auditOwnerChange, ownerForNewRecord, tellNewOwner } from "../crm/ownership";
import { emitRecordEvent } from "../crm/record-events";
import { listPlainRecords, recordListSpec } from "../crm/record-list";
import { lockForEdit, type RecordType, restoreRecord, softDeleteRecord } from "../crm/soft-delete";
import { validateCustomChange, validateCustomValues } from "../custom-fields/validate";
import { leads } from "../db/crm-schema";
import { newId } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { requirePermission, type TenantScope } from "../lib/scope";
import { organizationDefaults } from "../organization/service";
import { type CreateLeadBody, LEAD_STATUSES, type UpdateLeadBody } from "./schemas";

export type LeadRow = typeof leads.$inferSelect;

export interface LeadView {
  id: string;
  title: string;
  source: string | null;
  status: LeadRow["status"];
  score: number | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  companyName: string | null;
  amount: number | null;
  currency: string | null;
  ownerId: string | null;
  contactId: string | null;
  companyId: string | null;
  convertedAt: string | null;
  convertedDealId: string | null;
  tags: string[];
  custom: Record<string, unknown>;
  version: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export function toLeadView(row: LeadRow): LeadView {
  return {
    id: row.id,
    title: row.title,
    source: row.source,
    status: row.status,
    score: row.score,
    firstName: row.firstName,
    lastName: row.lastName,
    email: row.email,
    phone: row.phone,
    companyName: row.companyName,
    amount: row.amount,
    currency: row.currency,
    ownerId: row.ownerId,
    contactId: row.contactId,
    companyId: row.companyId,
    convertedAt: row.convertedAt?.toISOString() ?? null,
    convertedDealId: row.convertedDealId,
    tags: row.tags,
    custom: row.custom,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    deletedAt: row.deletedAt?.toISOString() ?? null,
  };
}

export const leadRecord: RecordType<typeof leads> = {
  table: leads,
  entity: "lead",
  noun: "Lead",
  ownerOf: (row) => row.ownerId,
  labelOf: (row) => row.title,
};

/**
 * The lead's phone in E.164, read in the organization's default country when typed without a
 * country code (`undefined`: not sent; `null`: cleared); an unreadable number is a 422.
 */
async function leadPhone(scope: TenantScope, raw: string | null | undefined) {
  if (!raw) return raw;
  const e164 = toE164(raw, (await organizationDefaults(scope)).country);
  if (!e164) throw ApiError.validation({ phone: [UNREADABLE_PHONE] });
  return e164;
}

export const leadListSpec = recordListSpec("lead", leads, {
  title: { column: leads.title, type: "text", sortable: true },
  firstName: { column: leads.firstName, type: "text", sortable: true, nullable: true },
  lastName: { column: leads.lastName, type: "text", sortable: true, nullable: true },
  email: { column: leads.email, type: "text" },
  companyName: { column: leads.companyName, type: "text", sortable: true, nullable: true },
  amount: { column: leads.amount, type: "bigint", sortable: true, nullable: true },
  source: { column: leads.source, type: "text" },
  status: { column: leads.status, type: "enum", values: LEAD_STATUSES },
  score: { column: leads.score, type: "integer", sortable: true, nullable: true },
  contactId: { column: leads.contactId, type: "uuid" },
  companyId: { column: leads.companyId, type: "uuid" },
  convertedAt: { column: leads.convertedAt, type: "date" },
});

export async function listLeads(scope: TenantScope, query: ListQuery) {
  const result = await listPlainRecords(scope, leads, leadListSpec, query);
  return { rows: result.rows.map(toLeadView), nextCursor: result.nextCursor };
}

export async function createLead(scope: TenantScope, input: CreateLeadBody): Promise<LeadView> {
  requirePermission(scope.actor, "crm:write");
  const ownerId = await ownerForNewRecord(scope, input.ownerId);
  await assertLinkedRecords(scope, input);
  const custom = await validateCustomValues(scope, "lead", input.custom ?? {});
  // Timestamps set here (millisecond precision) so list cursors, which carry JSON dates, stay exact.
  const now = new Date();
  const [row] = await scope.tx
    .insert(leads)
    .values({
      id: newId(),
      orgId: scope.actor.orgId,
      title: input.title,
      source: input.source ?? null,
      status: input.status ?? "new",
      score: input.score ?? null,
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      email: input.email ?? null,
      phone: (await leadPhone(scope, input.phone)) ?? null,
      companyName: input.companyName ?? null,
      amount: input.amount ?? null,
      currency: input.currency ?? null,
      ownerId,
      contactId: input.contactId ?? null,
      companyId: input.companyId ?? null,
      tags: input.tags ?? [],
      custom,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (!row) throw new Error("Lead insert returned no row");
  await tellNewOwner(scope, { type: "lead", id: row.id, name: row.title }, ownerId);
  emitRecordEvent(scope, "lead", "created", row);
  return toLeadView(row);
}

export async function getLead(scope: TenantScope, leadId: string): Promise<LeadView> {
  requirePermission(scope.actor, "crm:read");
  const [row] = await scope.tx
    .select()
    .from(leads)
    .where(and(eq(leads.id, leadId), isNull(leads.deletedAt)));
  if (!row) throw ApiError.notFound("Lead");
  return toLeadView(row);
}

/** `lockForEdit` for a lead, which needs `crm:write` first. */
export async function lockLeadForEdit(
  scope: TenantScope,
  leadId: string,
  edit: { version?: number | undefined; ownerId?: string | null | undefined },
): Promise<LeadRow> {
  requirePermission(scope.actor, "crm:write");
  return lockForEdit(scope, leadRecord, leadId, edit);
}

export async function updateLead(
  scope: TenantScope,
  leadId: string,
  input: UpdateLeadBody,
): Promise<LeadView> {
  const lead = await lockLeadForEdit(scope, leadId, input);
  await assertLinkedRecords(scope, input);
  const custom = await validateCustomChange(scope, "lead", input.custom, lead.custom);
  const { version: _version, ...fields } = input;
  const phone = await leadPhone(scope, input.phone);
  const [row] = await scope.tx
    .update(leads)
    .set({
      ...fields,
      phone,
      custom,
      version: sql`${leads.version} + 1`,
      updatedAt: new Date(),
    })
    .where(eq(leads.id, leadId))
    .returning();
  if (!row) throw ApiError.notFound("Lead");
  if (input.ownerId !== undefined) {
    await auditOwnerChange(
      scope,
      { type: "lead", id: row.id, name: row.title },
      lead.ownerId,
      row.ownerId,
    );
  }
  emitRecordEvent(scope, "lead", "updated", row);
  return toLeadView(row);
}

export async function deleteLead(scope: TenantScope, leadId: string): Promise<LeadView> {
  requirePermission(scope.actor, "crm:write");
  return toLeadView(await softDeleteRecord(scope, leadRecord, leadId));
}

export async function restoreLead(scope: TenantScope, leadId: string): Promise<LeadView> {
  requirePermission(scope.actor, "crm:write");
  return toLeadView(await restoreRecord(scope, leadRecord, leadId));
}
