import { and, arrayContains, arrayOverlaps, eq, getTableColumns, isNull } from "drizzle-orm";
import type { CountryCode } from "libphonenumber-js";
import { assertLinkedRecords } from "../crm/linked-records";
import { sortValueOf } from "../crm/list-conditions";
import type { ListQuery } from "../crm/list-query";
import { auditOwnerChange, ownerForNewRecord, tellNewOwner } from "../crm/ownership";
import { emitRecordEvent } from "../crm/record-events";
import { listRecordPage, recordListSpec } from "../crm/record-list";
import { lockForEdit, type RecordType, restoreRecord, softDeleteRecord } from "../crm/soft-delete";
import { validateCustomChange, validateCustomValues } from "../custom-fields/validate";
import { companies, contacts, lifecycleStage } from "../db/crm-schema";
import { newId } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { requirePermission, type TenantScope } from "../lib/scope";
import { organizationDefaults } from "../organization/service";
import { holdsNumber, mostRecentlyWorkedOn } from "./by-number";
import { type ContactChannelsInput, normalizeContactInput } from "./channels";
import { countryCodeSchema, DEFAULT_PHONE_COUNTRY, toE164, UNREADABLE_PHONE } from "./phones";
import type { CreateContactBody, UpdateContactBody } from "./schemas";

export { normalizeContactInput } from "./channels";

const { search: _search, ...contactColumns } = getTableColumns(contacts);
type ContactRow = Omit<typeof contacts.$inferSelect, "search">;

const companySummary = { id: companies.id, name: companies.name, domain: companies.domain };
type CompanySummary = { id: string; name: string; domain: string | null };

const contactType: RecordType<typeof contacts> = {
  table: contacts,
  entity: "contact",
  noun: "Contact",
  ownerOf: (row) => row.ownerId,
  labelOf: (row) => fullName(row),
};

export type ContactView = ReturnType<typeof toView>;

function toView(row: ContactRow & { company: CompanySummary | null }) {
  const { orgId: _orgId, company, ...fields } = row;
  return {
    ...fields,
    company,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    deletedAt: row.deletedAt?.toISOString() ?? null,
  };
}

function fullName(row: { firstName: string; lastName: string }) {
  return `${row.firstName} ${row.lastName}`.trim();
}

const withLiveCompany = and(eq(companies.id, contacts.companyId), isNull(companies.deletedAt));

/** Contacts with their (live) company's summary, one query. */
function selectContacts(scope: TenantScope) {
  return scope.tx
    .select({ ...contactColumns, company: companySummary })
    .from(contacts)
    .leftJoin(companies, withLiveCompany);
}

export const contactListSpec = recordListSpec(
  "contact",
  contacts,
  {
    firstName: { column: contacts.firstName, type: "text", sortable: true },
    lastName: { column: contacts.lastName, type: "text", sortable: true },
    title: { column: contacts.title, type: "text" },
    companyId: { column: contacts.companyId, type: "uuid" },
    lifecycleStage: {
      column: contacts.lifecycleStage,
      type: "enum",
      values: lifecycleStage.enumValues,
    },
    doNotContact: { column: contacts.doNotContact, type: "boolean" },
  },
  // `filter.email` / `filter.phone` match the stored address lists, in any format.
  {
    email: (value) => arrayOverlaps(contacts.emailAddresses, splitValues(value).map(lower)),
    phone: (value, query) => {
      const country = countryOrThrow(query.defaultCountry);
      const numbers = splitValues(value).map((raw) => e164OrThrow(raw, country, "filter.phone"));
      return arrayOverlaps(contacts.phoneNumbers, numbers);
    },
  },
);

function countryOrThrow(value: unknown): CountryCode {
  if (value === undefined) return DEFAULT_PHONE_COUNTRY;
  const parsed = countryCodeSchema.safeParse(value);
  if (!parsed.success) throw ApiError.validation({ defaultCountry: ["Unknown country code."] });
  return parsed.data;
}

const splitValues = (value: string) => value.split(",").filter((part) => part.trim());
const lower = (value: string) => value.trim().toLowerCase();

function e164OrThrow(raw: string, country: CountryCode, field: string): string {
  const e164 = toE164(raw, country);
  if (!e164) throw ApiError.validation({ [field]: [UNREADABLE_PHONE] });
  return e164;
}

export async function listContacts(scope: TenantScope, query: ListQuery) {
  requirePermission(scope.actor, "crm:read");
  // `filter.phone` reads national numbers in the organization's country unless told otherwise.
  const filters: ListQuery = { ...query };
  if (query["filter.phone"] && query.defaultCountry === undefined) {
    filters.defaultCountry = (await organizationDefaults(scope)).country;
  }
  const result = await listRecordPage(scope, contactListSpec, contacts.deletedAt, filters, (plan) =>
    scope.tx
      .select({ ...contactColumns, company: companySummary, sortValue: sortValueOf(plan) })
      .from(contacts)
      .leftJoin(companies, withLiveCompany)
      .where(plan.where)
      .orderBy(...plan.orderBy)
      .limit(plan.limit),
  );
  return {
    rows: result.rows.map(({ sortValue: _sortValue, ...row }) => toView(row)),
    nextCursor: result.nextCursor,
  };
}

export async function getContact(scope: TenantScope, id: string) {
  requirePermission(scope.actor, "crm:read");
  const [row] = await selectContacts(scope).where(
    and(eq(contacts.id, id), isNull(contacts.deletedAt)),
  );
  if (!row) throw ApiError.notFound("Contact");
  return toView(row);
}

/**
 * Incoming calls and e-mails: the live contacts with this number (any format, read in
 * `defaultCountry`, else the organization's) or address, newest first. One query on the
 * GIN-indexed arrays.
 */
export async function lookupContacts(
  scope: TenantScope,
  query: { phone?: string | undefined; email?: string | undefined; defaultCountry?: CountryCode },
) {
  requirePermission(scope.actor, "crm:read");
  const country = await phoneCountry(scope, query.defaultCountry, Boolean(query.phone));
  const match = query.phone
    ? holdsNumber(e164OrThrow(query.phone, country, "phone"))
    : and(
        arrayContains(contacts.emailAddresses, [lower(query.email ?? "")]),
        isNull(contacts.deletedAt),
      );
  const rows = await selectContacts(scope)
    .where(match)
    .orderBy(...mostRecentlyWorkedOn)
    .limit(50);
  return rows.map(toView);
}

/**
 * The country numbers without a country code are read in: the request's `defaultCountry`,
 * else the organization's (read only when there are numbers to read).
 */
async function phoneCountry(
  scope: TenantScope,
  given: CountryCode | undefined,
  hasNumbers: boolean,
): Promise<CountryCode> {
  if (given) return given;
  return hasNumbers ? (await organizationDefaults(scope)).country : DEFAULT_PHONE_COUNTRY;
}

async function channelsOrThrow(
  scope: TenantScope,
  body: ContactChannelsInput & { defaultCountry?: CountryCode | undefined },
) {
  const hasNumbers = Boolean(body.phone?.trim() || body.phones?.length);
  const country = await phoneCountry(scope, body.defaultCountry, hasNumbers);
  const result = normalizeContactInput(body, country);
  if (!result.ok) throw ApiError.validation(result.errors);
  return result.values;
}

export async function createContact(scope: TenantScope, body: CreateContactBody) {
  requirePermission(scope.actor, "crm:write");
  const channels = await channelsOrThrow(scope, body);
  const ownerId = await ownerForNewRecord(scope, body.ownerId);
  await assertLinkedRecords(scope, { companyId: body.companyId });
  const custom = await validateCustomValues(scope, "contact", body.custom);
  const now = new Date();
  const id = newId();
  await scope.tx.insert(contacts).values({
    id,
    orgId: scope.actor.orgId,
    firstName: body.firstName,
    lastName: body.lastName ?? "",
    ...channels,
    companyId: body.companyId ?? null,
    title: body.title ?? null,
    ownerId,
    lifecycleStage: body.lifecycleStage,
    tags: body.tags ?? [],
    custom,
    doNotContact: body.doNotContact ?? false,
    // Set here (millisecond precision) so list cursors, which travel as JSON dates, stay exact.
    createdAt: now,
    updatedAt: now,
  });
  const name = `${body.firstName} ${body.lastName ?? ""}`.trim();
  await tellNewOwner(scope, { type: "contact", id, name }, ownerId);
  emitRecordEvent(scope, "contact", "created", { id, version: 1 });
  return getContact(scope, id);
}

export async function updateContact(scope: TenantScope, id: string, body: UpdateContactBody) {
  const current = await lockForEdit(scope, contactType, id, body);
  const channels = await channelsOrThrow(scope, body);
  if (body.companyId !== current.companyId) {
    await assertLinkedRecords(scope, { companyId: body.companyId });
  }
  const custom = await validateCustomChange(scope, "contact", body.custom, current.custom);
  const version = current.version + 1;
  await scope.tx
    .update(contacts)
    .set({
      firstName: body.firstName,
      lastName: body.lastName,
      ...channels,
      companyId: body.companyId,
      title: body.title,
      ownerId: body.ownerId,
      lifecycleStage: body.lifecycleStage,
      tags: body.tags,
      custom,
      doNotContact: body.doNotContact,
      version,
      updatedAt: new Date(),
    })
    .where(eq(contacts.id, id));
  if (body.ownerId !== undefined) {
    const name = `${body.firstName ?? current.firstName} ${body.lastName ?? current.lastName}`;
    await auditOwnerChange(
      scope,
      { type: "contact", id, name: name.trim() },
      current.ownerId,
      body.ownerId,
    );
  }
  emitRecordEvent(scope, "contact", "updated", { id, version });
  return getContact(scope, id);
}

export async function deleteContact(scope: TenantScope, id: string) {
  await softDeleteRecord(scope, contactType, id);
}

export async function restoreContact(scope: TenantScope, id: string) {
  await restoreRecord(scope, contactType, id);
  return getContact(scope, id);
}
