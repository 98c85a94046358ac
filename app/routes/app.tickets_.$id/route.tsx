import type { MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData, useLocation, useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";
import type { TicketCommentView } from "../../../worker/tickets/schemas";
import { ArrowRightIcon } from "../../components/icons";
import { LocalTime } from "../../components/local-time";
import { RouteError } from "../../components/route-error";
import { Alert, Avatar, cx, focusRing } from "../../components/ui";
import { useRecordViewers } from "../../lib/realtime-context";
import { useRevalidateOnEvents } from "../../lib/use-live";
import { ticketNumber, VIA_LABELS } from "../app.tickets/ticket-format";
import { PriorityText, StatusPill } from "../app.tickets/ticket-parts";
import { CommentThread } from "./comment-thread";
import type { loader } from "./ticket.server";
import { TicketComposer } from "./ticket-composer";
import {
  CsatPanel,
  MergePanel,
  PropertiesPanel,
  RequesterPanel,
  SlaPanel,
} from "./ticket-properties";

export { action, loader } from "./ticket.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `${ticketNumber(data.ticket)} ${data.ticket.subject} · Tickets · Switchboard`
      : "Ticket · Switchboard",
  },
];

/*
 * One ticket: its comments with the composer under them, and its fields, requester and merge
 * at the side (below on a phone). Any change to it, by anyone, reloads the page's data
 * (`ticket.updated` through the socket); while a public reply's email is on its way the page
 * looks again every few seconds until it went out or failed. Viewers read everything and
 * write nothing.
 */

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

/** How often, and how many times, the page looks again while an email is still being sent. */
const EMAIL_POLL_MS = 3000;
const EMAIL_POLLS = 20;

function useEmailsSettling(comments: TicketCommentView[]) {
  const revalidator = useRevalidator();
  const revalidatorRef = useRef(revalidator);
  revalidatorRef.current = revalidator;
  const polls = useRef(0);
  const pending = comments.some((comment) => comment.emailStatus === "pending");
  // biome-ignore lint/correctness/useExhaustiveDependencies: `comments` is new after every load: each load arms the next look
  useEffect(() => {
    if (!pending) {
      polls.current = 0;
      return;
    }
    if (polls.current >= EMAIL_POLLS) return;
    const timer = window.setTimeout(() => {
      polls.current += 1;
      if (revalidatorRef.current.state === "idle") revalidatorRef.current.revalidate();
    }, EMAIL_POLL_MS);
    return () => window.clearTimeout(timer);
  }, [pending, comments]);
}

export default function TicketPage() {
  const data = useLoaderData<typeof loader>();
  const { ticket, comments, members, me, canWrite } = data;
  useRevalidateOnEvents(
    (event) =>
      event.type === "ticket.updated" &&
      event.ticket.id === ticket.id &&
      event.ticket.version > ticket.version,
    { delayMs: 100, maxWaitMs: 1000 },
  );
  useEmailsSettling(comments);
  const names = new Map(members.map((member) => [member.userId, member.name]));
  const closed = ticket.status === "closed";
  const location = useLocation();
  const from = (location.state as { from?: unknown } | null)?.from;
  const backTo =
    typeof from === "string" && from.startsWith("/app/tickets") ? from : "/app/tickets";
  return (
    <div className="min-h-full bg-slate-50/60">
      <header className="border-b border-slate-200 bg-white" data-testid="ticket-header">
        <div className="mx-auto max-w-6xl px-4 py-4 sm:px-6 lg:px-8">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <Link
              to={backTo}
              className={cx(
                "inline-flex items-center gap-1 rounded-sm text-sm font-medium text-indigo-700 hover:text-indigo-600",
                focusRing,
              )}
            >
              <ArrowRightIcon className="size-4 rotate-180" />
              Tickets
            </Link>
            <Viewers ticketId={ticket.id} me={me} />
          </div>
          <h1 className="mt-2 text-xl font-semibold tracking-tight break-words text-slate-900">
            <span className="mr-2 font-normal text-slate-500 tabular-nums">
              {ticketNumber(ticket)}
            </span>
            {ticket.subject}
          </h1>
          <p className="mt-1.5 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-600">
            <StatusPill status={ticket.status} />
            <PriorityText priority={ticket.priority} />
            <span>
              {ticket.requester ? (
                <>
                  From{" "}
                  <span className="font-medium text-slate-800">
                    {ticket.requester.name || ticket.requester.email}
                  </span>{" "}
                </>
              ) : null}
              via {VIA_LABELS[ticket.via]} · <LocalTime iso={ticket.createdAt} />
            </span>
          </p>
        </div>
      </header>
      <div className="mx-auto grid max-w-6xl gap-6 px-4 py-6 sm:px-6 lg:grid-cols-[minmax(0,1fr)_18rem] lg:px-8">
        <div className="min-w-0 space-y-4">
          {data.mergedInto ? (
            <Alert tone="info" title="Merged">
              This ticket was merged into{" "}
              <Link to={`/app/tickets/${data.mergedInto.id}`} className="font-medium underline">
                {ticketNumber(data.mergedInto)} {data.mergedInto.subject}
              </Link>
              . Its comments are there now.
            </Alert>
          ) : null}
          <CommentThread ticket={ticket} comments={comments} names={names} />
          {!canWrite ? (
            <p
              className="rounded-lg bg-white px-4 py-3 text-sm text-slate-600 ring-1 ring-slate-200"
              data-testid="read-only-note"
            >
              You can read this ticket; replying and changing it is for agents.
            </p>
          ) : closed ? (
            <p className="rounded-lg bg-white px-4 py-3 text-sm text-slate-600 ring-1 ring-slate-200">
              This ticket is closed. A new request from the requester opens a new ticket.
            </p>
          ) : (
            <TicketComposer key={ticket.id} ticket={ticket} />
          )}
        </div>
        <aside className="min-w-0 space-y-4" aria-label="Ticket details">
          <PropertiesPanel
            key={ticket.id}
            ticket={ticket}
            members={members}
            me={me}
            links={data.links}
            customFields={data.customFields}
            editable={canWrite && !closed}
          />
          <SlaPanel ticket={ticket} />
          <CsatPanel ticket={ticket} />
          <RequesterPanel ticket={ticket} />
          {canWrite && !closed ? <MergePanel ticket={ticket} /> : null}
        </aside>
      </div>
    </div>
  );
}

/** "Maya Manager is also here", live from the realtime room: two agents, one ticket. */
function Viewers({ ticketId, me }: { ticketId: string; me: Data["me"] }) {
  const viewers = useRecordViewers(`ticket:${ticketId}`).filter((user) => user.userId !== me);
  if (viewers.length === 0) return null;
  const names = viewers.map((viewer) => viewer.name);
  return (
    <p
      className="flex min-w-0 items-center gap-2 text-xs text-slate-700"
      aria-live="polite"
      data-testid="ticket-viewers"
    >
      <span className="flex -space-x-1.5">
        {viewers.slice(0, 3).map((viewer) => (
          <span key={viewer.userId} className="rounded-full ring-2 ring-white">
            <Avatar name={viewer.name} size="sm" />
          </span>
        ))}
      </span>
      <span className="min-w-0 truncate">
        {names.length === 1 ? `${names[0]} is` : `${names.join(", ")} are`} also here
      </span>
    </p>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
