import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { can } from "../../worker/auth/permissions";
import { listAgents } from "../../worker/call-center/agents";
import { liveQueues } from "../../worker/call-center/queues";
import type { AgentView } from "../../worker/calls/call-view";
import { formatCount, StatList } from "../components/charts";
import { PageBody, PageHeader } from "../components/page";
import { RouteError } from "../components/route-error";
import { SettingsTable } from "../components/settings-parts";
import { Avatar, Badge, buttonClass, cx, focusRing, Section } from "../components/ui";
import {
  AGENT_STATUS_LABELS,
  AGENT_STATUS_TONES,
  callerLabel,
  formatDuration,
  formatTalkTime,
  secondsBetween,
} from "../lib/call-format";
import { requireUser, runAsUser } from "../lib/session.server";
import { useRevalidateOnEvents, useSecondsSince } from "../lib/use-live";

export const meta: MetaFunction = () => [{ title: "Live queues · Calls · Switchboard" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  const data = await runAsUser(context, session, async (scope) => ({
    queues: await liveQueues(scope),
    agents: await listAgents(scope),
  }));
  return json(
    {
      ...data,
      /** The server's clock when the data was read: durations tick on from here. */
      serverNow: new Date().toISOString(),
      canConfigure: can(session.me.role, "pbx:configure"),
    },
    { headers: session.headers },
  );
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type LiveQueue = LoaderData["queues"][number];

/** Calls and agent statuses change the picture: reload it, a burst of events at a time. */
function useLiveQueues() {
  useRevalidateOnEvents((event) => event.type === "call.updated" || event.type === "agent.status", {
    delayMs: 400,
    maxWaitMs: 3000,
  });
}

export default function LiveQueues() {
  const data = useLoaderData<typeof loader>();
  useLiveQueues();
  // Seconds since this data arrived: every wait and status time ticks on from the server's.
  const elapsed = useSecondsSince(data);
  const serverNow = Date.parse(data.serverNow);
  const waiting = data.queues.reduce((sum, queue) => sum + queue.waiting.length, 0);
  const longest = Math.max(0, ...data.queues.map((queue) => queue.longestWaitSeconds));
  const count = (status: AgentView["status"]) =>
    data.agents.filter((agent) => agent.status === status).length;
  return (
    <>
      <PageHeader
        eyebrow="Calls"
        title="Live queues"
        description="Callers waiting in each queue and who can take them. Updates as calls come in."
      />
      <PageBody>
        <StatList
          items={[
            { label: "Calls waiting", value: formatCount(waiting) },
            {
              label: "Longest wait",
              value: waiting > 0 ? formatDuration(longest + elapsed) : "—",
            },
            {
              label: "Agents available",
              value: `${formatCount(count("available"))} of ${formatCount(data.agents.length)}`,
            },
            { label: "On a call", value: formatCount(count("on_call")) },
          ]}
        />
        {data.queues.length === 0 ? (
          <Section id="no-queues" title="No call queues yet">
            <div className="flex flex-wrap items-center justify-between gap-3 px-5 py-4">
              <p className="text-sm text-slate-600">
                Queues ring their members in turn when a customer calls.
                {data.canConfigure ? null : " An owner or admin sets them up."}
              </p>
              {data.canConfigure ? (
                <Link
                  to="/app/settings/phone#new-queue-title"
                  className={buttonClass("secondary", "sm")}
                >
                  Set up queues
                </Link>
              ) : null}
            </div>
          </Section>
        ) : (
          <div className="grid gap-6 lg:grid-cols-2">
            {data.queues.map((queue, index) => (
              <QueueCard key={queue.name} id={`queue-${index}`} queue={queue} elapsed={elapsed} />
            ))}
          </div>
        )}
        <AgentsSection
          agents={data.agents}
          queues={data.queues}
          serverNow={serverNow}
          elapsed={elapsed}
          canConfigure={data.canConfigure}
        />
      </PageBody>
    </>
  );
}

function QueueCard({ id, queue, elapsed }: { id: string; queue: LiveQueue; elapsed: number }) {
  const waiting = queue.waiting.length;
  const available = queue.agents.filter((agent) => agent.status === "available").length;
  return (
    <Section
      id={id}
      title={queue.name}
      description={
        waiting === 0
          ? "Nobody waiting."
          : `${waiting} waiting · longest ${formatDuration(queue.longestWaitSeconds + elapsed)}`
      }
      actions={
        <Badge tone={waiting === 0 ? "neutral" : available === 0 ? "danger" : "warning"}>
          {waiting} waiting
        </Badge>
      }
    >
      {waiting > 0 ? (
        <table className="min-w-full text-left text-sm">
          <caption className="sr-only">Calls waiting in {queue.name}</caption>
          <thead className="border-b border-slate-200 text-xs text-slate-600">
            <tr>
              <th scope="col" className="w-10 px-5 py-2 font-medium">
                #
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Caller
              </th>
              <th scope="col" className="px-5 py-2 text-right font-medium">
                Waiting
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {queue.waiting.map((call) => (
              <tr key={call.id}>
                <td className="px-5 py-2.5 text-slate-600 tabular-nums">{call.position}</td>
                <td className="px-3 py-2.5">
                  <p className="font-medium text-slate-900">
                    {call.contact ? (
                      <Link
                        to={`/app/contacts/${call.contact.id}`}
                        className={cx("hover:text-indigo-700 hover:underline", focusRing)}
                      >
                        {call.contact.name}
                      </Link>
                    ) : (
                      callerLabel(call)
                    )}
                  </p>
                  <p className="text-xs text-slate-600">
                    <span className="font-mono">{call.customerNumber ?? call.fromNumber}</span>
                    {call.extension ? ` · ringing ext. ${call.extension}` : null}
                    {call.agent ? ` (${call.agent.name})` : null}
                  </p>
                </td>
                <td className="px-5 py-2.5 text-right font-medium text-slate-900 tabular-nums">
                  {formatDuration(call.waitingSeconds + elapsed)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <div className={cx("px-5 py-3", waiting > 0 && "border-t border-slate-200")}>
        <h3 className="text-xs font-medium text-slate-600">
          Members{" "}
          <span className="font-normal">
            · {available} of {queue.agents.length} available
          </span>
        </h3>
        {queue.agents.length === 0 ? (
          <p className="mt-1 text-sm text-slate-600">
            No member with an extension: nobody can take these calls.
          </p>
        ) : (
          <ul className="mt-2 flex flex-wrap gap-2" aria-label={`Members of ${queue.name}`}>
            {queue.agents.map((agent) => (
              <li
                key={agent.userId}
                className="flex items-center gap-1.5 rounded-md bg-slate-50 py-1 pr-1.5 pl-2 text-sm text-slate-800 ring-1 ring-slate-200 ring-inset"
              >
                {agent.name}
                <Badge tone={AGENT_STATUS_TONES[agent.status]}>
                  {AGENT_STATUS_LABELS[agent.status]}
                </Badge>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Section>
  );
}

function AgentsSection({
  agents,
  queues,
  serverNow,
  elapsed,
  canConfigure,
}: {
  agents: AgentView[];
  queues: LiveQueue[];
  serverNow: number;
  elapsed: number;
  canConfigure: boolean;
}) {
  const queuesOf = (userId: string) =>
    queues
      .filter((queue) => queue.agents.some((agent) => agent.userId === userId))
      .map((queue) => queue.name);
  return (
    <Section
      id="agents"
      title="Agents"
      description="Everyone with an extension, and whether queues can ring them."
      actions={
        canConfigure ? (
          <Link
            to="/app/settings/phone#extensions-title"
            className={buttonClass("secondary", "sm")}
          >
            Manage extensions
          </Link>
        ) : null
      }
    >
      {agents.length === 0 ? (
        <p className="px-5 py-4 text-sm text-slate-600">
          Nobody has an extension yet
          {canConfigure ? ": give members one under Settings → Phone." : "."}
        </p>
      ) : (
        <SettingsTable
          caption="Agents and their statuses"
          columns={["Agent", "Extension", "Status", { label: "Queues", wide: true }]}
        >
          {agents.map((agent) => {
            const inQueues = queuesOf(agent.userId);
            const since = secondsBetween(agent.statusChangedAt, serverNow) + elapsed;
            return (
              <tr key={agent.userId}>
                <td className="px-5 py-2.5">
                  <span className="flex items-center gap-2.5">
                    <Avatar name={agent.name} size="sm" />
                    <span className="font-medium text-slate-900">{agent.name}</span>
                  </span>
                </td>
                <td className="px-3 py-2.5 font-mono text-slate-700">{agent.extension}</td>
                <td className="px-3 py-2.5 whitespace-nowrap">
                  <Badge tone={AGENT_STATUS_TONES[agent.status]}>
                    {AGENT_STATUS_LABELS[agent.status]}
                  </Badge>
                  {agent.status === "on_call" ? null : (
                    <span className="ml-2 text-xs text-slate-500 tabular-nums">
                      for {since < 3600 ? formatDuration(since) : formatTalkTime(since)}
                    </span>
                  )}
                </td>
                <td className="hidden px-3 py-2.5 text-slate-700 md:table-cell">
                  {inQueues.length > 0 ? inQueues.join(", ") : "—"}
                </td>
              </tr>
            );
          })}
        </SettingsTable>
      )}
    </Section>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
