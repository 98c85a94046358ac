import { type Column, getTableColumns } from "drizzle-orm";
import { sortValueOf } from "../crm/list-conditions";
import type { ListPlan } from "../crm/list-query";
import type { Lookups } from "../crm/record-lookups";
import type { CrmEntity, RecordTable } from "../crm/record-tables";
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

type RowOf<T extends RecordTable> = Omit<T["$inferSelect"], "search">;
type ContactRow = RowOf<typeof contacts>;
type CompanyRow = RowOf<typeof companies>;
type LeadRow = RowOf<typeof leads>;
type DealRow = RowOf<typeof deals>;

/** An entity's export: its table's rows (all columns but `search`) in list order, and `columns`. */
function exportOf<T extends RecordTable>(
  table: T,
  columns: ExportColumn<RowOf<T>>[],
): EntityExport<RowOf<T>> {
  const source: RecordTable = table;
  const { search: _search, ...selected } = getTableColumns(source);
  return {
    deletedAt: source.deletedAt,
    fetchPage: async (tx, plan) => {
      const rows = await tx
        .select({ ...selected, sortValue: sortValueOf(plan) })
        .from(source)
        .where(plan.where)
        .orderBy(...plan.orderBy)
        .limit(plan.limit);
      // `source` is `table`, so these are its rows; drizzle types them as any of the four.
      return rows as unknown as (RowOf<T> & { sortValue: unknown })[];
    },
    columns,
  };
}

/** A column that writes the row's field of the same name. */
function field<Row>(name: keyof Row & string): ExportColumn<Row> {
  return { header: name, value: (row) => row[name] };
}

/** Columns every entity ends with. */
function common<Row extends ExportRow & { tags: string[]; createdAt: Date; updatedAt: Date }>() {
  const columns: ExportColumn<Row>[] = [
    field("tags"),
    { header: "owner", value: (row, lookups) => lookups.memberEmail(row.ownerId) },
    field("createdAt"),
    field("updatedAt"),
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

const contactExport = exportOf(contacts, [
  field("id"),
  field("firstName"),
  field("lastName"),
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
  field("title"),
  companyName,
  field("lifecycleStage"),
  field("doNotContact"),
  ...common<ContactRow>(),
]);

const companyExport = exportOf(companies, [
  field("id"),
  field("name"),
  field("domain"),
  field("industry"),
  field("size"),
  { header: "street", value: (row) => row.address.street },
  { header: "city", value: (row) => row.address.city },
  { header: "region", value: (row) => row.address.region },
  { header: "postalCode", value: (row) => row.address.postalCode },
  { header: "country", value: (row) => row.address.country },
  ...common<CompanyRow>(),
]);

const leadExport = exportOf(leads, [
  field("id"),
  field("title"),
  field("source"),
  field("status"),
  field("score"),
  companyName,
  contactName,
  field("convertedAt"),
  ...common<LeadRow>(),
]);

const dealExport = exportOf(deals, [
  field("id"),
  field("title"),
  { header: "amount", value: (row) => fromMinorUnits(row.amount) },
  field("currency"),
  { header: "pipeline", value: (row, lookups) => lookups.stage(row.stageId)?.pipeline },
  { header: "stage", value: (row, lookups) => lookups.stage(row.stageId)?.name },
  field("expectedCloseDate"),
  companyName,
  contactName,
  field("closedAt"),
  ...common<DealRow>(),
]);

export const entityExports: Record<CrmEntity, EntityExport> = {
  contact: contactExport,
  company: companyExport,
  lead: leadExport,
  deal: dealExport,
};
