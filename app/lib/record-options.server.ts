import { getCompany, listCompanies } from "../../worker/companies/service";
import { getContact, listContacts } from "../../worker/contacts/service";
import { listQuerySchema } from "../../worker/crm/list-query";
import { listDeals } from "../../worker/deals/list";
import { getDeal } from "../../worker/deals/service";
import { ApiError } from "../../worker/lib/errors";
import type { TenantScope } from "../../worker/lib/scope";
import { listPipelines } from "../../worker/pipelines/service";
import type { FieldOption } from "./record-fields";
import { fullName } from "./record-format";

/*
 * Choices for the reference selects of record pages (company, contact, deal, stage). A select lists
 * the first records by name; the record's current choice is always among them.
 */

const CHOICES = 200;

async function orNull<T>(work: Promise<T>): Promise<T | null> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

function withCurrent(options: FieldOption[], current: FieldOption | null) {
  if (!current || options.some((option) => option.value === current.value)) return options;
  return [current, ...options];
}

export async function companyChoices(scope: TenantScope, currentId: string | null) {
  const query = listQuerySchema.parse({ limit: CHOICES, sort: "name" });
  const { rows } = await listCompanies(scope, query);
  const current = currentId ? await orNull(getCompany(scope, currentId)) : null;
  return withCurrent(
    rows.map((company) => ({ value: company.id, label: company.name })),
    current && { value: current.id, label: current.name },
  );
}

export async function contactChoices(scope: TenantScope, currentId: string | null) {
  const query = listQuerySchema.parse({ limit: CHOICES, sort: "lastName" });
  const { rows } = await listContacts(scope, query);
  const current = currentId ? await orNull(getContact(scope, currentId)) : null;
  return withCurrent(
    rows.map((contact) => ({ value: contact.id, label: fullName(contact) })),
    current && { value: current.id, label: fullName(current) },
  );
}

/** A company's open deals (none without a company); the current deal is always among them. */
export async function dealChoices(
  scope: TenantScope,
  companyId: string | null,
  currentId: string | null,
) {
  const rows = companyId
    ? (
        await listDeals(
          scope,
          listQuerySchema.parse({ limit: CHOICES, sort: "title", "filter.companyId": companyId }),
        )
      ).rows.filter((deal) => deal.closedAt === null)
    : [];
  const current = currentId ? await orNull(getDeal(scope, currentId)) : null;
  return withCurrent(
    rows.map((deal) => ({ value: deal.id, label: deal.title })),
    current && { value: current.id, label: current.title },
  );
}

/** Every pipeline's stages, the default pipeline first ("Sales · Qualified" when several). */
export async function stageChoices(scope: TenantScope) {
  const pipelines = await listPipelines(scope);
  const ordered = [...pipelines].sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
  const several = ordered.length > 1;
  return ordered.flatMap((pipeline) =>
    pipeline.stages.map((stage) => ({
      value: stage.id,
      label: several ? `${pipeline.name} · ${stage.name}` : stage.name,
      isWon: stage.isWon,
      isLost: stage.isLost,
      pipelineId: pipeline.id,
    })),
  );
}
