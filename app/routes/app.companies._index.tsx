import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { createCompanyBodySchema } from "../../worker/companies/schemas";
import { createCompany, listCompanies, restoreCompany } from "../../worker/companies/service";
import type { Column } from "../components/data-table";
import { EmptyValue } from "../components/record-fields";
import { RecordLink } from "../components/record-list/record-list";
import { RecordListPage, recordListConfig } from "../components/record-list/record-list-page";
import { RouteError } from "../components/route-error";
import { COMPANY_SIZES, labelOf } from "../lib/record-format";
import { createParsed, loadRecordList, recordListAction } from "../lib/record-list.server";
import { companySpecs } from "../lib/record-specs";

export const meta: MetaFunction = () => [{ title: "Companies · Switchboard" }];

const listConfig = recordListConfig("company", "companies");

const server = {
  ...listConfig,
  defaultColumns: ["name", "domain", "industry", "size", "owner"],
  list: listCompanies,
  create: createParsed(createCompanyBodySchema, createCompany),
  restore: restoreCompany,
  createFields: companySpecs(),
};

export const loader = (args: LoaderFunctionArgs) => loadRecordList(args, server);
export const action = (args: ActionFunctionArgs) => recordListAction(args, server);

type Data = ReturnType<typeof useLoaderData<typeof loader>>;
type Row = Data["rows"][number];

const columns: Column<Row>[] = [
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
];

export default function Companies() {
  const data = useLoaderData<typeof loader>();
  return (
    <RecordListPage
      title="Companies"
      description="The organizations your contacts work for."
      data={data}
      config={listConfig}
      columns={columns}
      filters={[
        { name: "filter.size", label: "Size", options: COMPANY_SIZES },
        { name: "filter.industry.contains", label: "Industry", placeholder: "Any industry" },
      ]}
      createFields={companySpecs()}
      searchPlaceholder="Name or domain"
      rowLabel={(row) => row.name}
    />
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
