/*
 * The CRM vocabulary the browser shares with the Worker, as plain constants and types (no
 * zod, no drizzle), so pages that show them do not download the schemas built from them.
 */

/** The four CRM record kinds that carry owners, tags, custom fields and a timeline. */
export const CRM_ENTITIES = ["contact", "company", "lead", "deal"] as const;
export type CrmEntity = (typeof CRM_ENTITIES)[number];

/** What custom fields can be defined on: the CRM records and support tickets. */
export const CUSTOM_FIELD_ENTITIES = [...CRM_ENTITIES, "ticket"] as const;
export type CustomFieldEntity = (typeof CUSTOM_FIELD_ENTITIES)[number];

const RECORD_PATHS: Record<CrmEntity, string> = {
  contact: "/app/contacts",
  company: "/app/companies",
  lead: "/app/leads",
  deal: "/app/deals",
};

/** A record's page. */
export const recordPath = (entity: CrmEntity, id: string) => `${RECORD_PATHS[entity]}/${id}`;

/** A list of records' page. */
export const recordListPath = (entity: CrmEntity) => RECORD_PATHS[entity];

/**
 * The record an activity (a task, a note) is about, for its link: the most specific one it is
 * linked to, a deal, then a lead, a contact, a company.
 */
export function linkedRecordOf(links: {
  dealId: string | null;
  leadId: string | null;
  contactId: string | null;
  companyId: string | null;
}): { entity: CrmEntity; id: string } | null {
  if (links.dealId) return { entity: "deal", id: links.dealId };
  if (links.leadId) return { entity: "lead", id: links.leadId };
  if (links.contactId) return { entity: "contact", id: links.contactId };
  if (links.companyId) return { entity: "company", id: links.companyId };
  return null;
}

/** The kinds of custom field. */
export const CUSTOM_FIELD_TYPES = [
  "text",
  "number",
  "date",
  "select",
  "multi_select",
  "checkbox",
  "url",
] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** Types whose values come from `options`. */
export const OPTION_TYPES: readonly CustomFieldType[] = ["select", "multi_select"];

export const ACTIVITY_TYPES = ["note", "task", "call", "message", "meeting"] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** A company's or contact's postal address (the `address` JSONB column). */
export interface PostalAddress {
  street?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  country?: string;
}

/** One of a contact's e-mail addresses (the `emails` JSONB column). */
export interface ContactEmail {
  email: string;
  primary: boolean;
  label?: string;
}

/** One of a contact's phone numbers (the `phones` JSONB column). */
export interface ContactPhone {
  /** As typed, kept for display and audit. */
  raw: string;
  /** E.164 when the number could be parsed, else null. */
  e164: string | null;
  primary: boolean;
  label?: string;
}
