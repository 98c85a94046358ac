import { and, count, eq, getTableColumns, isNull } from "drizzle-orm";
import { sortValueOf } from "../crm/list-conditions";
import type { ListQuery } from "../crm/list-query";
import { auditOwnerChange, ownerForNewRecord, tellNewOwner } from "../crm/ownership";
import { emitRecordEvent } from "../crm/record-events";
import { listRecordPage, recordListSpec } from "../crm/record-list";
import { lockForEdit, type RecordType, restoreRecord, softDeleteRecord } from "../crm/soft-delete";
import { validateCustomChange, validateCustomValues } from "../custom-fields/validate";
import { companies, contacts, deals } from "../db/crm-schema";
import { newId } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { requirePermission, type TenantScope } from "../lib/scope";
import { COMPANY_SIZES, type CreateCompanyBody, type UpdateCompanyBody } from "./schemas";

const { search: _search, ...companyColumns } = getTableColumns(companies);
type CompanyRow = Omit<typeof companies.$inferSelect, "search">;

const companyType: RecordType<typeof companies> = {
  table: companies,
  entity: "company",
  noun: "Company",
  ownerOf: (row) => row.ownerId,
  labelOf: (row) => row.name,
};

export type CompanyView = ReturnType<typeof toView>;

function toView(row: CompanyRow) {
  const { orgId: _orgId, ...fields } = row;
  return {
    ...fields,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    deletedAt: row.deletedAt?.toISOString() ?? null,
  };
}

export const companyListSpec = recordListSpec("company", companies, {
  name: { column: companies.name, type: "text", sortable: true },
  domain: { column: companies.domain, type: "text" },
  industry: { column: companies.industry, type: "text" },
  size: { column: companies.size, type: "enum", values: COMPANY_SIZES },
});

export async function listCompanies(scope: TenantScope, query: ListQuery) {
  const result = await listRecordPage(scope, companyListSpec, companies.deletedAt, query, (plan) =>
    scope.tx
      .select({ ...companyColumns, sortValue: sortValueOf(plan) })
      .from(companies)
      .where(plan.where)
      .orderBy(...plan.orderBy)
      .limit(plan.limit),
  );
  return {
    rows: result.rows.map(({ sortValue: _sortValue, ...row }) => toView(row)),
    nextCursor: result.nextCursor,
  };
}

/** Live contacts and open (not closed, not deleted) deals of the company. */
async function companyCounts(scope: TenantScope, id: string) {
  const [contactRow] = await scope.tx
    .select({ value: count() })
    .from(contacts)
    .where(and(eq(contacts.companyId, id), isNull(contacts.deletedAt)));
  const [dealRow] = await scope.tx
    .select({ value: count() })
    .from(deals)
    .where(and(eq(deals.companyId, id), isNull(deals.closedAt), isNull(deals.deletedAt)));
  return { contactCount: contactRow?.value ?? 0, openDealCount: dealRow?.value ?? 0 };
}

export async function getCompany(scope: TenantScope, id: string) {
  requirePermission(scope.actor, "crm:read");
  const [row] = await scope.tx
    .select(companyColumns)
    .from(companies)
    .where(and(eq(companies.id, id), isNull(companies.deletedAt)));
  if (!row) throw ApiError.notFound("Company");
  return { ...toView(row), ...(await companyCounts(scope, id)) };
}

export async function createCompany(scope: TenantScope, body: CreateCompanyBody) {
  requirePermission(scope.actor, "crm:write");
  const ownerId = await ownerForNewRecord(scope, body.ownerId);
  const custom = await validateCustomValues(scope, "company", body.custom);
  const now = new Date();
  const id = newId();
  await scope.tx.insert(companies).values({
    id,
    orgId: scope.actor.orgId,
    name: body.name,
    domain: body.domain ?? null,
    industry: body.industry ?? null,
    size: body.size ?? null,
    address: body.address ?? {},
    ownerId,
    tags: body.tags ?? [],
    custom,
    // Set here (millisecond precision) so list cursors, which travel as JSON dates, stay exact.
    createdAt: now,
    updatedAt: now,
  });
  await tellNewOwner(scope, { type: "company", id, name: body.name }, ownerId);
  emitRecordEvent(scope, "company", "created", { id, version: 1 });
  return getCompany(scope, id);
}

export async function updateCompany(scope: TenantScope, id: string, body: UpdateCompanyBody) {
  const current = await lockForEdit(scope, companyType, id, body);
  const custom = await validateCustomChange(scope, "company", body.custom, current.custom);
  const version = current.version + 1;
  await scope.tx
    .update(companies)
    .set({
      name: body.name,
      domain: body.domain,
      industry: body.industry,
      size: body.size,
      address: body.address,
      ownerId: body.ownerId,
      tags: body.tags,
      custom,
      version,
      updatedAt: new Date(),
    })
    .where(eq(companies.id, id));
  if (body.ownerId !== undefined) {
    await auditOwnerChange(
      scope,
      { type: "company", id, name: body.name ?? current.name },
      current.ownerId,
      body.ownerId,
    );
  }
  emitRecordEvent(scope, "company", "updated", { id, version });
  return getCompany(scope, id);
}

export async function deleteCompany(scope: TenantScope, id: string) {
  await softDeleteRecord(scope, companyType, id);
}

export async function restoreCompany(scope: TenantScope, id: string) {
  await restoreRecord(scope, companyType, id);
  return getCompany(scope, id);
}
