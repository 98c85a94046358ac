import type { ReactNode } from "react";
import type { TicketCommentView, TicketView } from "../../../worker/tickets/schemas";
import { LinkedText } from "../../components/linked-text";
import { LocalTime } from "../../components/local-time";
import { Avatar, cx } from "../../components/ui";
import { AlertIcon, ClockIcon, FileIcon, TickIcon } from "../app.inbox/inbox-icons";
import { formatBytes } from "../app.tickets/ticket-format";

/*
 * A ticket's comments, oldest first: the requester's in white, the team's public replies
 * (emailed to the requester, with how that email fared) tinted indigo, internal notes in
 * amber, and the desk's own notes (a merge) as a line between them. Files that came with an
 * email are listed with their names and sizes.
 */

export function CommentThread({
  ticket,
  comments,
  names,
}: {
  ticket: TicketView;
  comments: TicketCommentView[];
  names: ReadonlyMap<string, string>;
}) {
  if (comments.length === 0) {
    return <p className="px-1 py-6 text-sm text-slate-600">No comments yet.</p>;
  }
  return (
    <ol aria-label="Comments" className="space-y-3" data-testid="ticket-comments">
      {comments.map((comment) => (
        <Comment
          key={comment.id}
          comment={comment}
          author={authorOf(comment, ticket, names)}
          requesterEmail={ticket.requester?.email ?? null}
        />
      ))}
    </ol>
  );
}

function authorOf(
  comment: TicketCommentView,
  ticket: TicketView,
  names: ReadonlyMap<string, string>,
): string {
  switch (comment.authorKind) {
    case "agent":
      return comment.authorId ? (names.get(comment.authorId) ?? "Former member") : "API";
    case "requester":
      if (ticket.requester && comment.authorContactId === ticket.requester.id) {
        return ticket.requester.name || ticket.requester.email || "Requester";
      }
      return "Someone by email";
    default:
      return "Switchboard";
  }
}

type Kind = "requester" | "reply" | "note" | "system";

function kindOf(comment: TicketCommentView): Kind {
  if (comment.authorKind === "system") return "system";
  if (!comment.public) return "note";
  return comment.authorKind === "requester" ? "requester" : "reply";
}

const CARD: Record<Exclude<Kind, "system">, string> = {
  requester: "bg-white ring-slate-200",
  reply: "bg-indigo-50/60 ring-indigo-200",
  note: "bg-amber-50 ring-amber-300",
};

const LABEL: Record<Exclude<Kind, "system">, { text: string; className: string }> = {
  requester: { text: "Requester", className: "bg-slate-100 text-slate-700" },
  reply: { text: "Public reply", className: "bg-indigo-100 text-indigo-800" },
  note: { text: "Internal note", className: "bg-amber-200/70 text-amber-900" },
};

function Comment({
  comment,
  author,
  requesterEmail,
}: {
  comment: TicketCommentView;
  author: string;
  requesterEmail: string | null;
}) {
  const kind = kindOf(comment);
  if (kind === "system") {
    return (
      <li
        className="flex items-center gap-3 px-1 text-xs text-slate-500"
        data-testid="ticket-comment"
        data-kind="system"
      >
        <span aria-hidden="true" className="h-px flex-1 bg-slate-200" />
        <span className="min-w-0 text-center break-words">
          {comment.body} · <LocalTime iso={comment.createdAt} />
        </span>
        <span aria-hidden="true" className="h-px flex-1 bg-slate-200" />
      </li>
    );
  }
  const label = LABEL[kind];
  return (
    <li
      className={cx("rounded-lg px-4 py-3 ring-1 ring-inset", CARD[kind])}
      data-testid="ticket-comment"
      data-kind={kind}
    >
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <Avatar name={author} size="sm" />
        <span className="min-w-0 truncate text-sm font-semibold text-slate-900">{author}</span>
        <span className={cx("rounded px-1.5 py-px text-[11px] font-medium", label.className)}>
          {label.text}
        </span>
        <span className="ml-auto text-xs text-slate-500">
          {comment.via === "email" ? "by email · " : ""}
          <LocalTime iso={comment.createdAt} />
        </span>
      </div>
      <p className="mt-2 text-sm break-words whitespace-pre-wrap text-slate-900">
        <LinkedText text={comment.body} />
      </p>
      {comment.attachments.length > 0 ? (
        <ul aria-label="Attachments" className="mt-3 flex flex-wrap gap-2">
          {comment.attachments.map((file, index) => (
            <li key={file.key} className="max-w-full min-w-0" data-testid="ticket-attachment">
              <a
                href={`/api/v1/tickets/${comment.ticketId}/comments/${comment.id}/attachments/${index + 1}`}
                download={file.filename}
                className="flex min-w-0 items-center gap-1.5 rounded-md bg-white px-2 py-1 text-xs text-slate-700 ring-1 ring-slate-200 ring-inset hover:bg-slate-50"
              >
                <FileIcon className="size-3.5 shrink-0 text-slate-500" />
                <span className="min-w-0 truncate font-medium text-slate-900" title={file.filename}>
                  {file.filename}
                </span>
                <span className="shrink-0 text-slate-500">{formatBytes(file.size)}</span>
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      {kind === "reply" && comment.emailStatus ? (
        <EmailStatus status={comment.emailStatus} to={requesterEmail} />
      ) : null}
    </li>
  );
}

function EmailStatus({
  status,
  to,
}: {
  status: NonNullable<TicketCommentView["emailStatus"]>;
  to: string | null;
}) {
  let icon: ReactNode;
  let text: string;
  let tone: string;
  switch (status) {
    case "pending":
      icon = <ClockIcon className="size-3.5" />;
      text = `Sending the email${to ? ` to ${to}` : ""}…`;
      tone = "text-slate-600";
      break;
    case "sent":
      icon = <TickIcon className="size-3.5" />;
      text = `Emailed${to ? ` to ${to}` : " to the requester"}`;
      tone = "text-emerald-700";
      break;
    default:
      icon = <AlertIcon className="size-3.5" />;
      text = "The email could not be delivered";
      tone = "font-medium text-red-700";
  }
  return (
    <p
      className={cx("mt-2 flex items-center gap-1.5 text-xs break-all", tone)}
      data-testid="email-status"
      data-status={status}
    >
      <span className="shrink-0">{icon}</span>
      {text}
    </p>
  );
}
