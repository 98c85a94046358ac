/*
 * The CRM vocabulary the browser shares with the Worker, as plain constants and types (no
 * zod, no drizzle), so pages that show them do not download the schemas built from them.
 */

/** The four CRM record kinds that carry owners, tags, custom fields and a timeline. */
export const CRM_ENTITIES = ["contact", "company", "lead", "deal"] as const;
export type CrmEntity = (typeof CRM_ENTITIES)[number];

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
