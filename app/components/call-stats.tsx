import { Link } from "@remix-run/react";
import type { z } from "zod";
import type { callStatsSchema } from "../../worker/calls/schemas";
import { formatAnswerRate, formatDuration, formatTalkTime } from "../lib/call-basics";
import {
  BarChart,
  type ChartDatum,
  type ChartSeries,
  formatCount,
  HorizontalBarChart,
  StatList,
} from "./charts";
import { cx, focusRing, Section } from "./ui";

export type CallStats = z.infer<typeof callStatsSchema>;

const DAY_MS = 86_400_000;

/** The UTC day `days` before today's, at midnight: the start of a "last N days" window. */
export function utcDayStart(now: Date, daysBack: number): Date {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today - daysBack * DAY_MS);
}

/**
 * The dashboard's "Calls" block: totals of the window, calls per day (answered vs missed) and
 * per agent, and the per-agent table.
 */
export function CallsOverview({ stats, title = "Calls" }: { stats: CallStats; title?: string }) {
  const { totals } = stats;
  const unanswered = totals.calls - totals.answered;
  return (
    <section aria-labelledby="calls-overview-title" className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <div>
          <h2 id="calls-overview-title" className="text-base font-semibold text-slate-900">
            {title}
          </h2>
          <p className="text-sm text-slate-600">{windowText(stats)}</p>
        </div>
        <Link
          to="/app/calls/queues"
          className={cx(
            "text-sm font-medium whitespace-nowrap text-indigo-700 hover:text-indigo-600",
            focusRing,
          )}
        >
          Live queues
        </Link>
      </div>
      <StatList
        items={[
          { label: "Calls", value: formatCount(totals.calls) },
          {
            label: "Answer rate",
            value: formatAnswerRate(totals.answerRate),
            detail: `${formatCount(totals.answered)} of ${formatCount(totals.calls)} answered`,
          },
          { label: "Talk time", value: formatTalkTime(totals.talkSeconds) },
          {
            label: "Missed",
            value: formatCount(totals.missed),
            detail:
              unanswered > totals.missed
                ? `Plus ${formatCount(unanswered - totals.missed)} busy, failed or still ringing`
                : undefined,
          },
        ]}
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <DailyCallsChart stats={stats} />
        <AgentCallsChart stats={stats} />
      </div>
      <AgentCallsTable stats={stats} />
    </section>
  );
}

const dayFormat = new Intl.DateTimeFormat("en-US", {
  month: "short",
  day: "numeric",
  timeZone: "UTC",
});
const weekdayFormat = new Intl.DateTimeFormat("en-US", { weekday: "short", timeZone: "UTC" });

function windowText(stats: CallStats) {
  const from = new Date(stats.from);
  const to = new Date(stats.to);
  const days = Math.max(1, Math.ceil((to.getTime() - from.getTime()) / DAY_MS));
  return `The last ${days} ${days === 1 ? "day" : "days"}: ${dayFormat.format(from)} – ${dayFormat.format(to)} (UTC).`;
}

/** Every UTC day of the window, with zeros where no call was made. */
function everyDay(stats: CallStats) {
  const byDay = new Map(stats.daily.map((day) => [day.day, day]));
  const days: CallStats["daily"] = [];
  const last = stats.to.slice(0, 10);
  for (
    let at = new Date(`${stats.from.slice(0, 10)}T00:00:00Z`);
    ;
    at = new Date(at.getTime() + DAY_MS)
  ) {
    const day = at.toISOString().slice(0, 10);
    if (day > last || days.length > 62) break;
    days.push(byDay.get(day) ?? { day, calls: 0, answered: 0, missed: 0 });
  }
  return days;
}

const DAILY_SERIES: ChartSeries[] = [
  { label: "Answered", tone: "success" },
  { label: "Missed", tone: "warning" },
  { label: "Other (busy, failed, still ringing)", tone: "muted" },
];

function DailyCallsChart({ stats }: { stats: CallStats }) {
  const days = everyDay(stats);
  const data: ChartDatum[] = days.map((day) => {
    const date = new Date(`${day.day}T00:00:00Z`);
    return {
      label: days.length <= 8 ? weekdayFormat.format(date) : dayFormat.format(date),
      value: day.calls,
      display: formatCount(day.calls),
      detail: days.length <= 8 ? dayFormat.format(date) : undefined,
      parts: [day.answered, day.missed, Math.max(0, day.calls - day.answered - day.missed)],
    };
  });
  return (
    <BarChart
      title="Calls per day"
      description="Answered and missed calls, by the day they started (UTC)."
      labelHeader="Day"
      data={data}
      series={DAILY_SERIES}
      columns={[
        {
          header: "Date",
          cells: days.map((day) => dayFormat.format(new Date(`${day.day}T00:00:00Z`))),
        },
        { header: "Calls", cells: days.map((day) => formatCount(day.calls)) },
        { header: "Answered", cells: days.map((day) => formatCount(day.answered)) },
        { header: "Missed", cells: days.map((day) => formatCount(day.missed)) },
      ]}
      empty="No calls in this period yet."
    />
  );
}

function AgentCallsChart({ stats }: { stats: CallStats }) {
  const agents = stats.agents;
  const data: ChartDatum[] = agents.map((agent) => ({
    label: agent.name,
    value: agent.calls,
    display: formatCount(agent.calls),
    detail: `${formatAnswerRate(agent.answerRate)} answered`,
  }));
  return (
    <HorizontalBarChart
      title="Calls per agent"
      description="Calls each agent placed or was rung for."
      labelHeader="Agent"
      data={data}
      columns={[
        { header: "Calls", cells: agents.map((agent) => formatCount(agent.calls)) },
        { header: "Answer rate", cells: agents.map((agent) => formatAnswerRate(agent.answerRate)) },
      ]}
      empty="No agent has taken or placed a call in this period."
    />
  );
}

const numeric = "px-3 py-2.5 text-right tabular-nums";

function AgentCallsTable({ stats }: { stats: CallStats }) {
  const headers = [
    "Calls",
    "Inbound",
    "Outbound",
    "Answered",
    "Answer rate",
    "Talk time",
    "Average talk",
  ];
  return (
    <Section
      id="agent-calls"
      title="Agents"
      description="Per agent: answer rate counts the calls they were rung for or placed; talk time runs from answer to hang-up."
    >
      {stats.agents.length === 0 ? (
        <p className="px-5 py-4 text-sm text-slate-600">No calls handled by agents yet.</p>
      ) : (
        <div className="relative overflow-x-auto">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">Calls, answer rate and talk time per agent</caption>
            <thead className="border-b border-slate-200 text-xs text-slate-600">
              <tr>
                <th scope="col" className="px-5 py-2.5 font-medium">
                  Agent
                </th>
                {headers.map((header) => (
                  <th key={header} scope="col" className="px-3 py-2.5 text-right font-medium">
                    {header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {stats.agents.map((agent) => (
                <tr key={agent.agentId}>
                  <th scope="row" className="px-5 py-2.5 font-medium text-slate-900">
                    {agent.name}
                  </th>
                  <td className={numeric}>{formatCount(agent.calls)}</td>
                  <td className={numeric}>{formatCount(agent.inbound)}</td>
                  <td className={numeric}>{formatCount(agent.outbound)}</td>
                  <td className={numeric}>{formatCount(agent.answered)}</td>
                  <td className={numeric}>{formatAnswerRate(agent.answerRate)}</td>
                  <td className={numeric}>{formatTalkTime(agent.talkSeconds)}</td>
                  <td className={numeric}>{formatDuration(agent.averageTalkSeconds)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
