import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { type CallView, formatDuration, otherNumber } from "../../lib/call-format";
import { readListParams } from "../../lib/list-params";
import { type Column, DataTable } from "../data-table";
import { LocalTime } from "../local-time";
import { cx, focusRing, Section } from "../ui";
import {
  CallParty,
  CallResultBadge,
  CallStateBadge,
  CallTimer,
  DirectionLabel,
} from "./call-parts";

/* The team's live calls and the call log, as the calls pages show them. */

const linkClass = cx(
  "rounded-sm font-medium text-slate-900 hover:text-indigo-700 hover:underline",
  focusRing,
);

/** "Live now": every call in progress with its state, agent and running time. */
export function LiveCallsPanel({ calls }: { calls: CallView[] }) {
  return (
    <Section
      id="live-calls"
      title="Live now"
      description={
        calls.length === 0
          ? "No calls in progress."
          : `${calls.length} ${calls.length === 1 ? "call" : "calls"} in progress.`
      }
    >
      {calls.length > 0 ? (
        <ul className="divide-y divide-slate-100" data-testid="live-calls">
          {calls.map((call) => (
            <li
              key={call.id}
              data-call-id={call.id}
              className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 px-5 py-3"
            >
              <div className="flex min-w-0 flex-wrap items-center gap-x-3 gap-y-1 text-sm">
                <CallStateBadge call={call} />
                <DirectionLabel call={call} />
                <CallParty call={call} />
              </div>
              <div className="flex items-center gap-4 text-sm text-slate-600">
                {call.queue ? <span>Queue: {call.queue}</span> : null}
                <span>
                  {call.agent ? call.agent.name : "Waiting"}
                  {call.extension ? (
                    <span className="text-slate-500"> · ext. {call.extension}</span>
                  ) : null}
                </span>
                <CallTimer call={call} className="w-14 text-right text-slate-800" />
                <Link to={`/app/calls/${call.id}`} className={cx(linkClass, "text-indigo-700")}>
                  Details<span className="sr-only"> of the call with {otherNumber(call)}</span>
                </Link>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </Section>
  );
}

/** The list params a table without sortable columns passes along. */
const NO_SORT = readListParams(new URLSearchParams());

const LOG_COLUMNS: Column<CallView>[] = [
  {
    key: "startedAt",
    label: "Started",
    render: (call) => (
      <Link to={`/app/calls/${call.id}`} className={cx(linkClass, "whitespace-nowrap")}>
        <LocalTime iso={call.startedAt} />
      </Link>
    ),
  },
  {
    key: "direction",
    label: "Direction",
    wide: true,
    render: (call) => <DirectionLabel call={call} />,
  },
  { key: "number", label: "Number", render: (call) => <CallParty call={call} /> },
  { key: "agent", label: "Agent", wide: true, render: (call) => call.agent?.name ?? "—" },
  { key: "result", label: "Result", render: (call) => <CallResultBadge call={call} /> },
  {
    key: "duration",
    label: "Duration",
    align: "right",
    render: (call) =>
      call.endedAt === null ? (
        <CallTimer call={call} />
      ) : call.answeredAt ? (
        formatDuration(call.durationSeconds ?? 0)
      ) : (
        "—"
      ),
  },
];

/** The call log: one row per call, newest first, each linking to the call's page. */
export function CallLogTable({ calls, empty }: { calls: CallView[]; empty: ReactNode }) {
  return (
    <div data-testid="call-log">
      <DataTable
        caption="Call log"
        columns={LOG_COLUMNS}
        rows={calls}
        rowId={(call) => call.id}
        rowLabel={(call) => otherNumber(call)}
        params={NO_SORT}
        defaultSort=""
        empty={<p className="text-sm text-slate-600">{empty}</p>}
      />
    </div>
  );
}
