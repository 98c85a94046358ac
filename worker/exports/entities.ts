import { type Column, getTableColumns } from "drizzle-orm";
import { sortValueOf } from "../crm/list-conditions";
import type { ListPlan } from "../crm/list-query";
import type { Lookups } from "../crm/record-lookups";
import type { CrmEntity } from "../crm/record-tables";
import type { Tx } from "../db/client";
import { companies, contacts, deals, leads } from "../db/crm-schema";

/*
 * What an export writes per entity: how to read a page of records for a list plan, and the
 * CSV columns. Column names are the import's field names, so an export imports back as is.
 */

export interface ExportRow {
  id: string;
  ownerId: string | null;
  custom: Record<string, unknown>;
  companyId?: string | null;
  contactId?: string | null;
}

export interface ExportColumn<Row> {
  header: string;
  value(row: Row, lookups: Lookups): unknown;
}

export interface EntityExport<Row extends ExportRow = ExportRow> {
  /** Soft-deleted rows are exported only with `deleted=true`, as in the lists. */
  deletedAt: Column;
  fetchPage(tx: Tx, plan: ListPlan): Promise<(Row & { sortValue: unknown })[]>;
  columns: ExportColumn<Row>[];
}

const { search: _c, ...contactColumns } = getTableColumns(contacts);
const { search: _o, ...companyColumns } = getTableColumns(companies);
const { search: _l, ...leadColumns } = getTableColumns(leads);
const { search: _d, ...dealColumns } = getTableColumns(deals);

type ContactRow = Omit<typeof contacts.$inferSelect, "search">;
type CompanyRow = Omit<typeof companies.$inferSelect, "search">;
type LeadRow = Omit<typeof leads.$inferSelect, "search">;
type DealRow = Omit<typeof deals.$inferSelect, "search">;

/** Columns every entity ends with. */
function common<Row extends ExportRow & { tags: string[]; createdAt: Date; updatedAt: Date }>() {
  const columns: ExportColumn<Row>[] = [
    { header: "tags", value: (row) => row.tags },
    { header: "owner", value: (row, lookups) => lookups.memberEmail(row.ownerId) },
    { header: "createdAt", value: (row) => row.createdAt },
    { header: "updatedAt", value: (row) => row.updatedAt },
  ];
  return columns;
}

const companyName: ExportColumn<ExportRow> = {
  header: "company",
  value: (row, lookups) => lookups.companyName(row.companyId),
};
const contactName: ExportColumn<ExportRow> = {
  header: "contact",
  value: (row, lookups) => lookups.contactName(row.contactId),
};

/** Minor units to a decimal amount: 125050 -> "1250.50". */
function fromMinorUnits(amount: number): string {
  return (amount / 100).toFixed(2);
}

const contactExport: EntityExport<ContactRow> = {
  deletedAt: contacts.deletedAt,
  fetchPage: (tx, plan) =>
    tx
      .select({ ...contactColumns, sortValue: sortValueOf(plan) })
      .from(contacts)
      .where(plan.where)
      .orderBy(...plan.orderBy)
      .limit(plan.limit),
  columns: [
    { header: "id", value: (row) => row.id },
    { header: "firstName", value: (row) => row.firstName },
    { header: "lastName", value: (row) => row.lastName },
    {
      header: "email",
      value: (row) =>
        [...row.emails].sort((a, b) => Number(b.primary) - Number(a.primary)).map((e) => e.email),
    },
    {
      header: "phone",
      value: (row) =>
        [...row.phones]
          .sort((a, b) => Number(b.primary) - Number(a.primary))
          .map((phone) => phone.e164 ?? phone.raw),
    },
    { header: "title", value: (row) => row.title },
    companyName,
    { header: "lifecycleStage", value: (row) => row.lifecycleStage },
    { header: "doNotContact", value: (row) => row.doNotContact },
    ...common<ContactRow>(),
  ],
};

const companyExport: EntityExport<CompanyRow> = {
  deletedAt: companies.deletedAt,
  fetchPage: (tx, plan) =>
    tx
      .select({ ...companyColumns, sortValue: sortValueOf(plan) })
      .from(companies)
      .where(plan.where)
      .orderBy(...plan.orderBy)
      .limit(plan.limit),
  columns: [
    { header: "id", value: (row) => row.id },
    { header: "name", value: (row) => row.name },
    { header: "domain", value: (row) => row.domain },
    { header: "industry", value: (row) => row.industry },
    { header: "size", value: (row) => row.size },
    { header: "street", value: (row) => row.address.street },
    { header: "city", value: (row) => row.address.city },
    { header: "region", value: (row) => row.address.region },
    { header: "postalCode", value: (row) => row.address.postalCode },
    { header: "country", value: (row) => row.address.country },
    ...common<CompanyRow>(),
  ],
};

const leadExport: EntityExport<LeadRow> = {
  deletedAt: leads.deletedAt,
  fetchPage: (tx, plan) =>
    tx
      .select({ ...leadColumns, sortValue: sortValueOf(plan) })
      .from(leads)
      .where(plan.where)
      .orderBy(...plan.orderBy)
      .limit(plan.limit),
  columns: [
    { header: "id", value: (row) => row.id },
    { header: "title", value: (row) => row.title },
    { header: "source", value: (row) => row.source },
    { header: "status", value: (row) => row.status },
    { header: "score", value: (row) => row.score },
    companyName,
    contactName,
    { header: "convertedAt", value: (row) => row.convertedAt },
    ...common<LeadRow>(),
  ],
};

const dealExport: EntityExport<DealRow> = {
  deletedAt: deals.deletedAt,
  fetchPage: (tx, plan) =>
    tx
      .select({ ...dealColumns, sortValue: sortValueOf(plan) })
      .from(deals)
      .where(plan.where)
      .orderBy(...plan.orderBy)
      .limit(plan.limit),
  columns: [
    { header: "id", value: (row) => row.id },
    { header: "title", value: (row) => row.title },
    { header: "amount", value: (row) => fromMinorUnits(row.amount) },
    { header: "currency", value: (row) => row.currency },
    { header: "pipeline", value: (row, lookups) => lookups.stage(row.stageId)?.pipeline },
    { header: "stage", value: (row, lookups) => lookups.stage(row.stageId)?.name },
    { header: "expectedCloseDate", value: (row) => row.expectedCloseDate },
    companyName,
    contactName,
    { header: "closedAt", value: (row) => row.closedAt },
    ...common<DealRow>(),
  ],
};

export const entityExports: Record<CrmEntity, EntityExport> = {
  contact: contactExport,
  company: companyExport,
  lead: leadExport,
  deal: dealExport,
};
