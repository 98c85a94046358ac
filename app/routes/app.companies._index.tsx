import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { createCompanyBodySchema } from "../../worker/companies/schemas";
import { createCompany, listCompanies, restoreCompany } from "../../worker/companies/service";
import type { TenantScope } from "../../worker/lib/scope";
import type { Column } from "../components/data-table";
import { PageBody, PageHeader } from "../components/page";
import { sharedRecordColumns } from "../components/record-columns";
import { EmptyValue } from "../components/record-fields";
import {
  RecordLink,
  RecordList,
  type RecordListConfig,
} from "../components/record-list/record-list";
import { RouteError } from "../components/route-error";
import { parseForm } from "../lib/actions.server";
import { ownerFilterOptions } from "../lib/record-fields";
import { COMPANY_SIZES, labelOf } from "../lib/record-format";
import { loadRecordList, recordListAction } from "../lib/record-list.server";
import { companySpecs } from "../lib/record-specs";

export const meta: MetaFunction = () => [{ title: "Companies · Switchboard" }];

const listConfig: RecordListConfig = {
  entity: "company",
  path: "/app/companies",
  one: "company",
  many: "companies",
  defaultSort: "-createdAt",
};

const server = {
  ...listConfig,
  defaultColumns: ["name", "domain", "industry", "size", "owner"],
  list: listCompanies,
  create: (scope: TenantScope, body: Record<string, unknown>) =>
    createCompany(scope, parseForm(createCompanyBodySchema, body)),
  restore: restoreCompany,
  createFields: companySpecs(),
};

export const loader = (args: LoaderFunctionArgs) => loadRecordList(args, server);
export const action = (args: ActionFunctionArgs) => recordListAction(args, server);

type Data = ReturnType<typeof useLoaderData<typeof loader>>;
type Row = Data["rows"][number];

function columns(data: Data): Column<Row>[] {
  return [
    {
      key: "name",
      label: "Name",
      sort: "name",
      render: (row) => <RecordLink to={`/app/companies/${row.id}`}>{row.name}</RecordLink>,
    },
    { key: "domain", label: "Domain", render: (row) => row.domain ?? <EmptyValue /> },
    { key: "industry", label: "Industry", render: (row) => row.industry ?? <EmptyValue /> },
    {
      key: "size",
      label: "Size",
      wide: true,
      render: (row) => (row.size ? labelOf(COMPANY_SIZES, row.size) : <EmptyValue />),
    },
    ...sharedRecordColumns<Row>(data.members),
  ];
}

export default function Companies() {
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Companies" description="The organizations your contacts work for." />
      <PageBody>
        <RecordList
          data={data}
          config={listConfig}
          columns={columns(data)}
          filters={[
            {
              name: "filter.ownerId",
              label: "Owner",
              options: ownerFilterOptions(data.members, data.me),
            },
            { name: "filter.size", label: "Size", options: COMPANY_SIZES },
            { name: "filter.industry.contains", label: "Industry", placeholder: "Any industry" },
            { name: "filter.tags", label: "Tag", placeholder: "Any tag" },
          ]}
          createFields={companySpecs()}
          searchPlaceholder="Name or domain"
          rowLabel={(row) => row.name}
        />
      </PageBody>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
