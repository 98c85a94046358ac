import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { listDeals } from "../../worker/deals/list";
import { createDealBodySchema } from "../../worker/deals/schemas";
import { createDeal, restoreDeal } from "../../worker/deals/service";
import type { Column } from "../components/data-table";
import { StageBadge } from "../components/record-badges";
import { EmptyValue } from "../components/record-fields";
import { RecordLink } from "../components/record-list/record-list";
import { RecordListPage, recordListConfig } from "../components/record-list/record-list-page";
import { RouteError } from "../components/route-error";
import { buttonClass } from "../components/ui";
import { formatDay, formatMoney } from "../lib/record-format";
import { createParsed, loadRecordList, recordListAction } from "../lib/record-list.server";
import { stageChoices } from "../lib/record-options.server";
import { dealSpecs } from "../lib/record-specs";

export const meta: MetaFunction = () => [{ title: "Deals · Switchboard" }];

const listConfig = recordListConfig("deal", "deals");

const server = {
  ...listConfig,
  defaultColumns: ["title", "amount", "stage", "expectedCloseDate", "owner"],
  list: listDeals,
  create: createParsed(createDealBodySchema, createDeal),
  restore: restoreDeal,
  createFields: dealSpecs(),
};

export const loader = (args: LoaderFunctionArgs) =>
  loadRecordList(args, server, async (scope) => ({ stages: await stageChoices(scope) }));
export const action = (args: ActionFunctionArgs) => recordListAction(args, server);

type Data = ReturnType<typeof useLoaderData<typeof loader>>;
type Row = Data["rows"][number];

function columns(data: Data): Column<Row>[] {
  const stages = data.extra.stages;
  return [
    {
      key: "title",
      label: "Deal",
      sort: "title",
      render: (row) => <RecordLink to={`/app/deals/${row.id}`}>{row.title}</RecordLink>,
    },
    {
      key: "amount",
      label: "Amount",
      sort: "amount",
      firstDirection: "descending",
      align: "right",
      render: (row) => formatMoney(row.amount, row.currency),
    },
    {
      key: "stage",
      label: "Stage",
      render: (row) => <StageBadge stage={stages.find((stage) => stage.value === row.stageId)} />,
    },
    {
      key: "expectedCloseDate",
      label: "Expected close",
      wide: true,
      render: (row) => (row.expectedCloseDate ? formatDay(row.expectedCloseDate) : <EmptyValue />),
    },
  ];
}

export default function Deals() {
  const data = useLoaderData<typeof loader>();
  const stages = data.extra.stages;
  return (
    <RecordListPage
      title="Deals"
      description="Every open and closed deal, as a table."
      data={data}
      config={listConfig}
      columns={columns(data)}
      filters={[{ name: "filter.stageId", label: "Stage", options: stages }]}
      createFields={dealSpecs({ stages })}
      rowLabel={(row) => row.title}
      searchPlaceholder="Deal title"
      toolbarActions={
        <Link to="/app/deals/board" className={buttonClass("secondary")}>
          Board
        </Link>
      }
    />
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
