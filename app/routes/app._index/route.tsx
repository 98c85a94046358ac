import type { MetaFunction } from "@remix-run/cloudflare";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { ACTIVITY_TYPES, linkedRecordOf, recordPath } from "../../../shared/crm";
import type { ActivityView } from "../../../worker/activities/service";
import { CallsOverview } from "../../components/call-stats";
import {
  BarChart,
  type ChartDatum,
  formatCompactMoney,
  formatCount,
  formatTotals,
  HorizontalBarChart,
  StatList,
} from "../../components/charts";
import { ArrowRightIcon, DealIcon, TeamIcon } from "../../components/icons";
import { PageBody, PageHeader } from "../../components/page";
import { RouteError } from "../../components/route-error";
import { Alert, Badge, Button, cx, focusRing } from "../../components/ui";
import { failureFor } from "../../lib/forms";
import { ROLE_LABELS } from "../../lib/roles";
import { useActionResult } from "../../lib/use-action-result";
import { useRevalidateOnEvents } from "../../lib/use-live";
import { useSubmitting } from "../../lib/use-pending";
import type { action, loader } from "./dashboard.server";

export { action, loader } from "./dashboard.server";

export const meta: MetaFunction = () => [{ title: "Dashboard · Switchboard" }];

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type Report = LoaderData["report"];

/**
 * Deal and activity changes anywhere in the organization refresh the numbers, and so do calls
 * starting or ending (coalesced).
 */
function useLiveDashboard() {
  useRevalidateOnEvents(
    (event) =>
      event.type === "call.updated" ||
      event.type.startsWith("deal.") ||
      event.type.startsWith("activity."),
  );
}

export default function Dashboard() {
  const data = useLoaderData<typeof loader>();
  useLiveDashboard();
  return (
    <>
      <PageHeader
        eyebrow={data.organization}
        title={`Welcome, ${data.firstName}`}
        description={
          <>
            Here is how the {data.report.pipeline.name} pipeline and your team are doing. You are{" "}
            signed in as <Badge tone="accent">{ROLE_LABELS[data.role]}</Badge>
          </>
        }
      />
      <PageBody>
        <QuickLinks data={data} />
        {data.pipelines.length > 1 ? (
          <PipelinePicker pipelines={data.pipelines} currentId={data.report.pipeline.id} />
        ) : null}
        <Headlines report={data.report} />
        <div className="grid gap-6 lg:grid-cols-2">
          <PipelineChart report={data.report} />
          <WonChart report={data.report} />
        </div>
        <div className="grid gap-6 lg:grid-cols-2">
          <ActivityChart report={data.report} />
          <MyTasks tasks={data.tasks} />
        </div>
        {data.calls ? <CallsOverview stats={data.calls} /> : null}
      </PageBody>
    </>
  );
}

function QuickLinks({ data }: { data: LoaderData }) {
  const links: { to: string; label: string; icon: ReactNode; show: boolean }[] = [
    { to: "/app/deals/board", label: "Deal board", icon: <DealIcon />, show: true },
    { to: "/app/import", label: "Import a CSV", icon: <ArrowRightIcon />, show: data.canImport },
    {
      to: "/app/settings/fields",
      label: "Custom fields",
      icon: <ArrowRightIcon />,
      show: data.canConfigure,
    },
    {
      to: "/app/settings/team",
      label: data.canManageTeam ? "Invite your team" : "Your team",
      icon: <TeamIcon />,
      show: true,
    },
  ];
  return (
    <nav aria-label="Shortcuts">
      <ul className="flex flex-wrap gap-2">
        {links
          .filter((link) => link.show)
          .map((link) => (
            <li key={link.to}>
              <Link
                to={link.to}
                className={cx(
                  "inline-flex items-center gap-1.5 rounded-full bg-white px-3 py-1.5 text-sm font-medium text-slate-800 ring-1 ring-slate-200 hover:bg-slate-50 hover:ring-slate-300",
                  focusRing,
                )}
              >
                <span className="text-indigo-600">{link.icon}</span>
                {link.label}
              </Link>
            </li>
          ))}
      </ul>
    </nav>
  );
}

function PipelinePicker({
  pipelines,
  currentId,
}: {
  pipelines: { id: string; name: string }[];
  currentId: string;
}) {
  return (
    <nav aria-label="Pipeline" className="flex flex-wrap items-center gap-2 text-sm">
      <span className="text-slate-600">Pipeline:</span>
      {pipelines.map((pipeline) => (
        <Link
          key={pipeline.id}
          to={`?pipelineId=${pipeline.id}`}
          aria-current={pipeline.id === currentId ? "page" : undefined}
          className={cx(
            "rounded-md px-2 py-1 font-medium",
            focusRing,
            pipeline.id === currentId
              ? "bg-indigo-50 text-indigo-700 ring-1 ring-indigo-200"
              : "text-slate-700 hover:bg-slate-100",
          )}
        >
          {pipeline.name}
        </Link>
      ))}
    </nav>
  );
}

/** The currency most of the pipeline's deals use: the charts plot that one. */
function chartCurrency(report: Report): string {
  const counts = new Map<string, number>();
  for (const stage of report.stages) {
    for (const total of stage.totals) {
      counts.set(total.currency, (counts.get(total.currency) ?? 0) + total.count);
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "USD";
}

function amountIn(totals: { currency: string; amount: number }[], currency: string) {
  return totals.find((total) => total.currency === currency)?.amount ?? 0;
}

function sumTotals(groups: { totals: { currency: string; amount: number }[] }[]) {
  const sums: Record<string, number> = {};
  for (const group of groups) {
    for (const total of group.totals)
      sums[total.currency] = (sums[total.currency] ?? 0) + total.amount;
  }
  return sums;
}

/** "3 deals · $12K", or just "0 deals" when there is no value to show. */
function wonText(month: Report["wonByMonth"][number] | undefined): string {
  const count = month?.count ?? 0;
  const deals = `${formatCount(count)} ${count === 1 ? "deal" : "deals"}`;
  const value = (month?.totals ?? []).some((total) => total.amount !== 0)
    ? formatTotals(month?.totals ?? [], { compact: true })
    : null;
  return value ? `${deals} · ${value}` : deals;
}

function Headlines({ report }: { report: Report }) {
  const open = report.stages.filter((stage) => !stage.isWon && !stage.isLost);
  const thisMonth = report.wonByMonth.at(-1);
  const activities = report.activitiesByUser.reduce((sum, user) => sum + user.total, 0);
  const items = [
    { label: "Open deals", value: formatCount(open.reduce((sum, stage) => sum + stage.count, 0)) },
    { label: "Open pipeline value", value: formatTotals(sumTotals(open), { compact: true }) },
    { label: "Won this month", value: wonText(thisMonth) },
    { label: "Activities, last 30 days", value: formatCount(activities) },
  ];
  return <StatList items={items} />;
}

function PipelineChart({ report }: { report: Report }) {
  const currency = chartCurrency(report);
  const mixed = report.stages.some((stage) =>
    stage.totals.some((total) => total.currency !== currency),
  );
  const data: ChartDatum[] = report.stages.map((stage) => {
    const amount = amountIn(stage.totals, currency);
    return {
      label: stage.name,
      value: amount,
      display: formatCompactMoney(amount, currency),
      detail: `${formatCount(stage.count)} ${stage.count === 1 ? "deal" : "deals"}`,
      tone: stage.isWon ? "success" : stage.isLost ? "muted" : "accent",
    };
  });
  return (
    <BarChart
      title="Pipeline by stage"
      description={
        mixed
          ? `Value in ${currency}; deals in other currencies are in the table and the stage counts.`
          : `Value and number of deals in each stage of ${report.pipeline.name}.`
      }
      labelHeader="Stage"
      data={data}
      columns={[
        { header: "Deals", cells: report.stages.map((stage) => formatCount(stage.count)) },
        { header: "Value", cells: report.stages.map((stage) => formatTotals(stage.totals)) },
      ]}
      empty="No deals in this pipeline yet."
      actions={
        <Link
          to={`/app/deals/board?pipelineId=${report.pipeline.id}`}
          className={cx(
            "text-sm font-medium whitespace-nowrap text-indigo-700 hover:text-indigo-600",
            focusRing,
          )}
        >
          Open board
        </Link>
      }
    />
  );
}

const shortMonth = new Intl.DateTimeFormat("en-US", { month: "short", timeZone: "UTC" });
const longMonth = new Intl.DateTimeFormat("en-US", {
  month: "long",
  year: "numeric",
  timeZone: "UTC",
});

function monthDate(month: string) {
  const [year = "1970", number = "1"] = month.split("-");
  return new Date(Date.UTC(Number(year), Number(number) - 1, 1));
}

function WonChart({ report }: { report: Report }) {
  const data: ChartDatum[] = report.wonByMonth.map((month) => ({
    label: shortMonth.format(monthDate(month.month)),
    value: month.count,
    display: formatCount(month.count),
    tone: "success",
  }));
  return (
    <BarChart
      title="Deals won per month"
      description="The last 12 months, this month last."
      labelHeader="Month"
      data={data}
      columns={[
        {
          header: "Full month",
          cells: report.wonByMonth.map((month) => longMonth.format(monthDate(month.month))),
        },
        { header: "Deals won", cells: report.wonByMonth.map((month) => formatCount(month.count)) },
        { header: "Value", cells: report.wonByMonth.map((month) => formatTotals(month.totals)) },
      ]}
      empty="No deals won in the last 12 months yet."
    />
  );
}

/** Activity kinds in the plural, as the chart and its table name them. */
const TYPE_LABELS: Record<(typeof ACTIVITY_TYPES)[number], string> = {
  note: "notes",
  task: "tasks",
  call: "calls",
  message: "messages",
  meeting: "meetings",
};

function ActivityChart({ report }: { report: Report }) {
  const users = report.activitiesByUser;
  const data: ChartDatum[] = users.map((user) => {
    // The most frequent kind (when one stands out) as a hint; the table has every kind.
    const [top, next] = [...ACTIVITY_TYPES].sort((a, b) => user.byType[b] - user.byType[a]);
    const standsOut =
      top !== undefined && (next === undefined || user.byType[top] > user.byType[next]);
    return {
      label: user.name,
      value: user.total,
      display: formatCount(user.total),
      detail: standsOut ? `mostly ${TYPE_LABELS[top]}` : undefined,
    };
  });
  return (
    <HorizontalBarChart
      title="Activities per person"
      description="Notes, tasks, calls, messages and meetings logged in the last 30 days."
      labelHeader="Person"
      data={data}
      columns={[
        { header: "Total", cells: users.map((user) => formatCount(user.total)) },
        ...ACTIVITY_TYPES.map((type) => ({
          header: TYPE_LABELS[type].replace(/^./, (first) => first.toUpperCase()),
          cells: users.map((user) => formatCount(user.byType[type])),
        })),
      ]}
      empty="No activities logged in the last 30 days."
    />
  );
}

const dueFormat = new Intl.DateTimeFormat("en-US", {
  month: "short",
  day: "numeric",
  timeZone: "UTC",
});

function dueLabel(dueAt: string | null): { text: string; overdue: boolean } {
  if (!dueAt) return { text: "No due date", overdue: false };
  const due = new Date(dueAt);
  const today = new Date().toISOString().slice(0, 10);
  const day = dueAt.slice(0, 10);
  if (day === today) return { text: "Due today", overdue: false };
  return { text: `Due ${dueFormat.format(due)}`, overdue: day < today };
}

function relatedRecord(task: ActivityView) {
  const record = linkedRecordOf(task);
  return record ? { to: recordPath(record.entity, record.id), noun: record.entity } : null;
}

/** One fetcher for every "Done" button: its answer outlives the row it came from. */
const COMPLETE_TASK = "complete-task";

function MyTasks({ tasks }: { tasks: ActivityView[] }) {
  const actionData = useActionResult<typeof action>();
  const fetcher = useFetcher<typeof action>({ key: COMPLETE_TASK });
  const result = fetcher.data ?? actionData;
  const failure = failureFor(result, "complete-task");
  const done = result?.ok ? result : undefined;
  // The task being completed leaves the list at once.
  const completing = fetcher.state !== "idle" ? fetcher.formData?.get("activityId") : null;
  const shown = tasks.filter((task) => task.id !== completing);
  return (
    <section
      aria-labelledby="tasks-title"
      className="flex flex-col rounded-lg bg-white ring-1 ring-slate-200"
    >
      <div className="border-b border-slate-200 px-5 py-4">
        <h2 id="tasks-title" className="text-sm font-semibold text-slate-900">
          My open tasks
        </h2>
        <p className="mt-0.5 text-xs text-slate-600">Assigned to you and not done, due soonest.</p>
      </div>
      {failure || done ? (
        <div className="px-5 pt-4">
          {failure ? (
            <Alert>{failure.message}</Alert>
          ) : (
            <Alert tone="success">{done?.message}</Alert>
          )}
        </div>
      ) : null}
      {shown.length === 0 ? (
        <p className="px-5 py-8 text-center text-sm text-slate-600">
          Nothing on your plate. Tasks assigned to you show up here.
        </p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {shown.map((task) => (
            <TaskRow key={task.id} task={task} />
          ))}
        </ul>
      )}
    </section>
  );
}

function TaskRow({ task }: { task: ActivityView }) {
  const due = dueLabel(task.dueAt);
  const related = relatedRecord(task);
  const fetcher = useFetcher({ key: COMPLETE_TASK });
  const completing = useSubmitting("complete-task", { name: "activityId", value: task.id });
  return (
    <li className="flex items-start gap-3 px-5 py-3">
      <div className="min-w-0 flex-1">
        <p className="text-sm font-medium break-words text-slate-900">{task.subject}</p>
        <p className="mt-0.5 flex flex-wrap items-center gap-x-2 text-xs text-slate-600">
          <span className={due.overdue ? "font-medium text-red-700" : undefined}>
            {due.overdue ? "Overdue · " : ""}
            {due.text}
          </span>
          {related ? (
            <Link
              to={related.to}
              className={cx("font-medium text-indigo-700 hover:text-indigo-600", focusRing)}
            >
              Open {related.noun}
              <span className="sr-only"> for {task.subject}</span>
            </Link>
          ) : null}
        </p>
      </div>
      <fetcher.Form method="post" preventScrollReset>
        <input type="hidden" name="intent" value="complete-task" />
        <input type="hidden" name="activityId" value={task.id} />
        <input type="hidden" name="version" value={task.version} />
        <Button variant="secondary" size="sm" pending={completing}>
          Done<span className="sr-only">: {task.subject}</span>
        </Button>
      </fetcher.Form>
    </li>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
