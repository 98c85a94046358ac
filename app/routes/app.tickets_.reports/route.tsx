import type { MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import type { CsatFigures } from "../../../worker/csat/schemas";
import type { SlaReportRow } from "../../../worker/sla/schemas";
import { PageBody, PageHeader } from "../../components/page";
import { RouteError } from "../../components/route-error";
import { cx, focusRing, Section } from "../../components/ui";
import { PRIORITY_LABELS } from "../app.tickets/ticket-format";
import { REPORT_PERIODS } from "./periods";
import type { loader } from "./reports.server";

export { loader } from "./reports.server";

export const meta: MetaFunction = () => [{ title: "Reports · Tickets · Switchboard" }];

const cell = "px-4 py-2 text-right tabular-nums whitespace-nowrap";
const dash = "–";

function pct(value: number | null) {
  return value === null ? dash : `${value}%`;
}

/** A table of CSAT figures, one row per group; scrolls sideways on a phone. */
function CsatTable({
  label,
  rows,
}: {
  label: string;
  rows: (CsatFigures & { key: string; name: ReactNode })[];
}) {
  if (rows.length === 0) return null;
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[36rem] table-fixed text-sm">
        <thead className="bg-slate-50 text-xs text-slate-600">
          <tr>
            <th scope="col" className="w-1/3 px-4 py-2 text-left font-medium">
              {label}
            </th>
            <th scope="col" className={cx(cell, "font-medium")}>
              Sent
            </th>
            <th scope="col" className={cx(cell, "font-medium")}>
              Answered
            </th>
            <th scope="col" className={cx(cell, "font-medium")}>
              Response rate
            </th>
            <th scope="col" className={cx(cell, "font-medium")}>
              Average
            </th>
            <th scope="col" className={cx(cell, "font-medium")}>
              Satisfied
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row" className="truncate px-4 py-2 text-left font-medium text-slate-900">
                {row.name}
              </th>
              <td className={cell}>{row.sent}</td>
              <td className={cell}>{row.answered}</td>
              <td className={cell}>{pct(row.responseRate)}</td>
              <td className={cell}>{row.average === null ? dash : `${row.average} / 5`}</td>
              <td className={cell}>{pct(row.satisfied)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-lg bg-slate-50 px-4 py-3">
      <dt className="text-xs text-slate-600">{label}</dt>
      <dd className="mt-1 text-xl font-semibold text-slate-900 tabular-nums">{value}</dd>
    </div>
  );
}

function SlaTable({
  rows,
  teamName,
}: {
  rows: SlaReportRow[];
  teamName: (id: string | null) => string;
}) {
  if (rows.length === 0) {
    return (
      <p className="px-5 py-4 text-sm text-slate-600">
        No ticket opened in this period has SLA targets.
      </p>
    );
  }
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full text-sm">
        <thead className="bg-slate-50 text-xs text-slate-600">
          <tr>
            <th scope="col" className="px-4 py-2 text-left font-medium">
              Team
            </th>
            <th scope="col" className="px-4 py-2 text-left font-medium">
              Priority
            </th>
            <th scope="col" className={cx(cell, "font-medium")}>
              Tickets
            </th>
            <th scope="col" className={cx(cell, "font-medium")}>
              First response
            </th>
            <th scope="col" className={cx(cell, "font-medium")}>
              Next response
            </th>
            <th scope="col" className={cx(cell, "font-medium")}>
              Resolution
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={`${row.teamId ?? ""}:${row.priority}`}>
              <td className="px-4 py-2 text-slate-900">{teamName(row.teamId)}</td>
              <td className="px-4 py-2 text-slate-900">{PRIORITY_LABELS[row.priority]}</td>
              <td className={cell}>{row.tickets}</td>
              {[row.firstResponse, row.nextResponse, row.resolution].map((counts, index) => (
                <td
                  // biome-ignore lint/suspicious/noArrayIndexKey: three fixed columns
                  key={index}
                  className={cell}
                  title={`${counts.met} met, ${counts.breached} breached, ${counts.running} running`}
                >
                  {pct(counts.compliance)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function TicketReports() {
  const data = useLoaderData<typeof loader>();
  const { csat } = data;
  const teamNames = new Map(data.teams.map((team) => [team.id, team.name]));
  const teamName = (id: string | null) => (id ? (teamNames.get(id) ?? "Deleted team") : "No team");
  return (
    <>
      <PageHeader
        eyebrow="Tickets"
        title="Reports"
        description="How satisfied requesters are with solved tickets (the CSAT survey's answers), and how the desk keeps its SLA targets."
      />
      <PageBody>
        <nav aria-label="Period" className="flex flex-wrap items-center gap-2 text-sm">
          {/* On a phone the way back takes its own line and the three periods share the next. */}
          <Link
            to="/app/tickets"
            className={cx("mr-auto w-full font-medium text-indigo-700 sm:w-auto", focusRing)}
          >
            ← Tickets
          </Link>
          {REPORT_PERIODS.map((days) => (
            <Link
              key={days}
              to={`?days=${days}`}
              aria-current={data.days === days ? "page" : undefined}
              className={cx(
                "rounded-md px-2.5 py-1",
                focusRing,
                data.days === days
                  ? "bg-white font-semibold text-slate-900 shadow-xs ring-1 ring-slate-200"
                  : "text-slate-700 hover:bg-white",
              )}
            >
              Last {days} days
            </Link>
          ))}
        </nav>
        <Section id="csat" title="Customer satisfaction">
          <dl className="grid grid-cols-2 gap-3 px-5 py-4 sm:grid-cols-4" data-testid="csat-total">
            <Figure label="Surveys sent" value={String(csat.total.sent)} />
            <Figure label="Response rate" value={pct(csat.total.responseRate)} />
            <Figure
              label="Average rating"
              value={csat.total.average === null ? dash : `${csat.total.average} / 5`}
            />
            <Figure label="Satisfied (4-5)" value={pct(csat.total.satisfied)} />
          </dl>
          {csat.total.sent === 0 ? (
            <p className="px-5 pb-4 text-sm text-slate-600">
              No survey was sent in this period. Surveys go to requesters when a ticket is solved,
              if Settings → Organization asks for ratings.
            </p>
          ) : (
            <div className="space-y-4 pb-4">
              <CsatTable
                label="Agent"
                rows={csat.agents.map((row) => ({ ...row, key: row.assigneeId ?? "none" }))}
              />
              <CsatTable
                label="Team"
                rows={csat.teams.map((row) => ({ ...row, key: row.teamId ?? "none" }))}
              />
              <CsatTable
                label="Priority"
                rows={csat.priorities.map((row) => ({
                  ...row,
                  key: row.priority,
                  name: PRIORITY_LABELS[row.priority],
                }))}
              />
            </div>
          )}
        </Section>
        <Section
          id="sla"
          title="SLA compliance"
          actions={
            <Link
              to="/app/settings/sla"
              className={cx("text-sm font-medium text-indigo-700 hover:underline", focusRing)}
            >
              SLA policies
            </Link>
          }
        >
          <p className="px-5 pt-4 pb-3 text-xs text-slate-600">
            Tickets opened in the period; each target's share met of those met or breached.
          </p>
          <SlaTable rows={data.sla} teamName={teamName} />
        </Section>
      </PageBody>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
