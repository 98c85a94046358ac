import { eq, sql } from "drizzle-orm";
import type { CountryCode } from "libphonenumber-js";
import { normalizeDomain } from "../companies/domain";
import { normalizeContactInput } from "../contacts/service";
import { assertLinkedRecords } from "../crm/linked-records";
import { emitRecordEvent } from "../crm/record-events";
import { findLiveRecord } from "../crm/record-tables";
import { companies, contacts, leads } from "../db/crm-schema";
import { createDeal } from "../deals/service";
import type { DealView } from "../deals/views";
import { newId } from "../lib/crypto";
import { ApiError, type FieldErrors } from "../lib/errors";
import type { TenantScope } from "../lib/scope";
import { organizationDefaults } from "../organization/service";
import type { ConvertLeadBody, NewCompany, NewContact } from "./schemas";
import { type LeadRow, type LeadView, lockLeadForEdit, toLeadView } from "./service";

export interface ConversionResult {
  lead: LeadView;
  deal: DealView;
  contactId: string | null;
  companyId: string | null;
}

function prefixed(prefix: string, errors: FieldErrors): FieldErrors {
  return Object.fromEntries(
    Object.entries(errors).map(([key, value]) => [`${prefix}.${key}`, value]),
  );
}

async function insertCompany(scope: TenantScope, input: NewCompany, ownerId: string | null) {
  const domain = input.domain?.trim() ? normalizeDomain(input.domain) : null;
  if (input.domain?.trim() && !domain) {
    throw ApiError.validation({ "company.domain": ["Enter a domain such as acme.com."] });
  }
  const id = newId();
  const now = new Date();
  await scope.tx.insert(companies).values({
    id,
    orgId: scope.actor.orgId,
    name: input.name,
    domain,
    ownerId,
    createdAt: now,
    updatedAt: now,
  });
  emitRecordEvent(scope, "company", "created", { id, version: 1 });
  return id;
}

/**
 * A minimal contact row: names plus normalized e-mail and phone. The contacts domain owns the
 * rules for those (`normalizeContactInput`); custom fields and the rest stay at their defaults.
 */
async function insertContact(
  scope: TenantScope,
  input: NewContact,
  links: { ownerId: string | null; companyId: string | null; country: CountryCode },
) {
  const channels = normalizeContactInput({ email: input.email, phone: input.phone }, links.country);
  if (!channels.ok) throw ApiError.validation(prefixed("contact", channels.errors));
  const id = newId();
  const now = new Date();
  await scope.tx.insert(contacts).values({
    id,
    orgId: scope.actor.orgId,
    firstName: input.firstName,
    lastName: input.lastName,
    ...channels.values,
    companyId: links.companyId,
    ownerId: links.ownerId,
    createdAt: now,
    updatedAt: now,
  });
  emitRecordEvent(scope, "contact", "created", { id, version: 1 });
  return id;
}

/** The lead's own link, if the record it points at is still there. */
async function stillLinked(scope: TenantScope, entity: "contact" | "company", id: string | null) {
  return id && (await findLiveRecord(scope, entity, id)) ? id : null;
}

/** The person the lead names, as a new contact (null when it names nobody). */
function contactFromLead(lead: LeadRow): NewContact | null {
  const firstName = lead.firstName ?? lead.lastName ?? lead.email?.split("@")[0];
  if (!firstName) return null;
  return {
    firstName,
    lastName: lead.firstName ? (lead.lastName ?? "") : "",
    email: lead.email ?? undefined,
    phone: lead.phone ?? undefined,
  };
}

/**
 * The form's company (or `null`: none), else the named `companyId`, else the lead's own
 * company if it is still there, else one made from the lead's company name.
 */
async function resolveCompany(
  scope: TenantScope,
  input: ConvertLeadBody,
  lead: LeadRow,
  ownerId: string | null,
) {
  if (input.company) return insertCompany(scope, input.company, ownerId);
  if (input.company === null) return null;
  const linked = input.companyId ?? (await stillLinked(scope, "company", lead.companyId));
  if (linked || !lead.companyName) return linked;
  return insertCompany(scope, { name: lead.companyName }, ownerId);
}

/** Like `resolveCompany`, for the contact (made from the person the lead names). */
async function resolveContact(
  scope: TenantScope,
  input: ConvertLeadBody,
  lead: LeadRow,
  links: { ownerId: string | null; companyId: string | null; country: CountryCode },
) {
  if (input.contact) return insertContact(scope, input.contact, links);
  if (input.contact === null) return null;
  const linked = input.contactId ?? (await stillLinked(scope, "contact", lead.contactId));
  const person = contactFromLead(lead);
  if (linked || !person) return linked;
  return insertContact(scope, person, links);
}

async function markConverted(
  scope: TenantScope,
  leadId: string,
  links: { dealId: string; contactId: string | null; companyId: string | null },
) {
  const now = new Date();
  const [row] = await scope.tx
    .update(leads)
    .set({
      status: "qualified",
      convertedAt: now,
      convertedDealId: links.dealId,
      contactId: links.contactId,
      companyId: links.companyId,
      version: sql`${leads.version} + 1`,
      updatedAt: now,
    })
    .where(eq(leads.id, leadId))
    .returning();
  if (!row) throw ApiError.notFound("Lead");
  emitRecordEvent(scope, "lead", "updated", row);
  return row;
}

/**
 * Turns a lead into a deal in one transaction: creates or links the contact and company (by
 * default made from the person and company the lead names), opens the deal (the lead's amount,
 * the default pipeline's first stage unless named) and marks the lead converted.
 * A lead converts once; a second attempt is a 409.
 */
export async function convertLead(
  scope: TenantScope,
  leadId: string,
  input: ConvertLeadBody,
): Promise<ConversionResult> {
  const lead = await lockLeadForEdit(scope, leadId, { version: input.version });
  if (lead.convertedAt) {
    throw ApiError.conflict("This lead was already converted.", {
      convertedDealId: [`It became deal ${lead.convertedDealId}.`],
    });
  }
  await assertLinkedRecords(scope, input);
  const ownerId = lead.ownerId ?? scope.actor.userId;
  const defaults = await organizationDefaults(scope);
  const companyId = await resolveCompany(scope, input, lead, ownerId);
  const contactId = await resolveContact(scope, input, lead, {
    ownerId,
    companyId,
    country: defaults.country,
  });
  const deal = await createDeal(scope, {
    title: input.deal?.title ?? lead.title,
    amount: input.deal?.amount ?? lead.amount ?? 0,
    currency: input.deal?.currency ?? lead.currency ?? defaults.currency,
    pipelineId: input.deal?.pipelineId,
    stageId: input.deal?.stageId,
    ownerId: lead.ownerId ?? undefined,
    contactId,
    companyId,
  });
  const row = await markConverted(scope, leadId, { dealId: deal.id, contactId, companyId });
  return { lead: toLeadView(row), deal, contactId, companyId };
}
