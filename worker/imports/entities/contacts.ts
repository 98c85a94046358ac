import { inArray, sql } from "drizzle-orm";
import {
  type ContactEmail,
  type ContactPhone,
  contacts,
  lifecycleStage,
} from "../../db/crm-schema";
import { newId } from "../../lib/crypto";
import {
  applyCommon,
  assignFilled,
  COMPANY_FIELD,
  createdNow,
  keyValues,
  lockLive,
  OWNER_FIELD,
  TAGS_FIELD,
  writeBatch,
} from "./shared";
import type { EntityImporter, ImportRecord } from "./types";

type ContactValues = typeof contacts.$inferInsert & { id: string };

/*
 * Emails and phones arrive normalised by the contacts domain (`normalizeContactInput`, see
 * ../cells.ts); here they are merged into the record's lists, the first of each primary.
 * Duplicates are the oldest live contact with the same address, else the same E.164 number
 * (through the GIN indexes), found for a whole chunk in one query.
 */

/** "Ada King Lovelace" -> first "Ada", last "King Lovelace". */
function splitFullName(name: string): { firstName: string; lastName: string } {
  const [first = "", ...rest] = name.trim().split(/\s+/);
  return { firstName: first, lastName: rest.join(" ") };
}

function addEmails(target: ContactValues, entries: ContactEmail[]) {
  const known = target.emailAddresses ?? [];
  const emails = [...(target.emails ?? [])];
  const added: string[] = [];
  for (const entry of entries) {
    if (known.includes(entry.email) || added.includes(entry.email)) continue;
    emails.push({ ...entry, primary: emails.length === 0 });
    added.push(entry.email);
  }
  target.emails = emails;
  target.emailAddresses = [...known, ...added];
}

function addPhones(target: ContactValues, numbers: ContactPhone[]) {
  const known = target.phoneNumbers ?? [];
  const phones = [...(target.phones ?? [])];
  const added: string[] = [];
  for (const phone of numbers) {
    if (!phone.e164 || known.includes(phone.e164) || added.includes(phone.e164)) continue;
    phones.push({ ...phone, primary: phones.length === 0 });
    added.push(phone.e164);
  }
  target.phones = phones;
  target.phoneNumbers = [...known, ...added];
}

function apply(target: ContactValues, record: ImportRecord) {
  const { values } = record;
  const fromFullName = typeof values.name === "string" ? splitFullName(values.name) : null;
  const filled = {
    firstName: values.firstName ?? (fromFullName?.firstName || undefined),
    lastName: values.lastName ?? (fromFullName?.lastName || undefined),
    title: values.title,
    lifecycleStage: values.lifecycleStage,
    doNotContact: values.doNotContact,
  };
  assignFilled(target, filled, [
    "firstName",
    "lastName",
    "title",
    "lifecycleStage",
    "doNotContact",
  ]);
  if (Array.isArray(values.email)) addEmails(target, values.email as ContactEmail[]);
  if (Array.isArray(values.phone)) addPhones(target, values.phone as ContactPhone[]);
  applyCommon(target, record);
}

export const contactImporter: EntityImporter<ContactValues> = {
  entity: "contact",
  required: [["firstName", "name"]],
  linksCompany: true,
  fields: {
    firstName: {
      label: "First name",
      kind: "text",
      max: 120,
      aliases: ["first name", "firstname", "given name", "first", "forename"],
    },
    lastName: {
      label: "Last name",
      kind: "text",
      max: 120,
      aliases: ["last name", "lastname", "surname", "family name", "last"],
    },
    name: {
      label: "Full name",
      kind: "text",
      max: 240,
      aliases: ["name", "full name", "contact name", "contact"],
    },
    email: {
      label: "Email",
      kind: "emails",
      multiple: true,
      aliases: ["email", "e-mail", "email address", "emails", "work email", "mail"],
    },
    phone: {
      label: "Phone",
      kind: "phones",
      multiple: true,
      aliases: ["phone", "phone number", "phones", "mobile", "cell", "telephone", "tel"],
    },
    title: {
      label: "Job title",
      kind: "text",
      max: 200,
      aliases: ["title", "job title", "position"],
    },
    company: COMPANY_FIELD,
    lifecycleStage: {
      label: "Lifecycle stage",
      kind: "enum",
      options: lifecycleStage.enumValues,
      aliases: ["lifecycle stage", "lifecycle", "stage"],
    },
    doNotContact: {
      label: "Do not contact",
      kind: "boolean",
      aliases: ["do not contact", "dnc", "opted out", "unsubscribed"],
    },
    tags: TAGS_FIELD,
    owner: OWNER_FIELD,
  },

  newRecord: (context) => ({
    id: newId(),
    orgId: context.scope.actor.orgId,
    firstName: "",
    lastName: "",
    emails: [],
    emailAddresses: [],
    phones: [],
    phoneNumbers: [],
    tags: [],
    custom: {},
    ownerId: context.defaultOwnerId,
    ...createdNow(),
  }),

  apply,

  duplicateKeys: (values) => [
    ...(values.emailAddresses ?? []).map((email) => `email:${email}`),
    ...(values.phoneNumbers ?? []).map((phone) => `phone:${phone}`),
  ],

  /**
   * One query per chunk. A hashed `= any(...)` over each contact's addresses and numbers costs
   * the same whatever the planner's statistics say; `&&` against a 1000-element array is
   * evaluated pairwise when the planner picks the organization index instead of the GIN ones
   * (as it does on a freshly filled table), which made chunks slow down as the table grew.
   */
  async findExisting(scope, keys) {
    const values = [...keyValues(keys, "email:"), ...keyValues(keys, "phone:")];
    if (values.length === 0) return [];
    const matching = scope.tx
      .select({ id: contacts.id })
      .from(contacts)
      .crossJoinLateral(
        sql`unnest(${contacts.emailAddresses} || ${contacts.phoneNumbers}) as channel(value)`,
      )
      .where(sql`channel.value = any(${sql.param(values)}::text[])`);
    return lockLive(scope, contacts, inArray(contacts.id, matching));
  },

  async write(context, writes) {
    await writeBatch(context.scope.tx, contacts, writes, [
      "firstName",
      "lastName",
      "emails",
      "emailAddresses",
      "phones",
      "phoneNumbers",
      "companyId",
      "title",
      "ownerId",
      "lifecycleStage",
      "tags",
      "custom",
      "doNotContact",
    ]);
  },
};
