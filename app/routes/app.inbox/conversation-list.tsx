import { Form, Link, useNavigate } from "@remix-run/react";
import { useEffect, useId, useRef } from "react";
import { CONVERSATION_STATUSES } from "../../../shared/inbox";
import type { ConversationView } from "../../../worker/conversations/conversation-view";
import { buttonClass, controlClass, cx, focusRing } from "../../components/ui";
import type { MemberSummary } from "../../lib/members.server";
import { useNow } from "../../lib/use-live";
import {
  CHANNEL_LABELS,
  conversationTitle,
  initials,
  PRIORITY_LABELS,
  STATUS_LABELS,
  shortAge,
} from "./inbox-format";
import { SearchIcon } from "./inbox-icons";
import { INBOX_VIEWS, type InboxFilters, inboxHref } from "./inbox-params";
import { isShortcutKey } from "./keyboard";

/*
 * The conversation list: status tabs, "All / Mine / Unassigned", the channel, a search over
 * the messages' words, and the conversations, newest activity first, re-ordered live. `j` and
 * `k` move through it, Enter opens.
 */

const VIEW_LABELS = { all: "All", mine: "Mine", unassigned: "Unassigned" } as const;

export function ConversationList({
  filters,
  conversations,
  channels,
  members,
  invalidFilters,
  more,
  className,
}: {
  filters: InboxFilters;
  conversations: ConversationView[];
  channels: { id: string; type: ConversationView["channel"]["type"]; name: string }[];
  members: MemberSummary[];
  invalidFilters: boolean;
  more: { cursor: string | null; loading: boolean; load: () => void };
  className?: string;
}) {
  const id = useId();
  const navigate = useNavigate();
  const listRef = useRef<HTMLUListElement>(null);
  const now = useNow(30_000);
  const names = new Map(members.map((member) => [member.userId, member.name]));

  // j / k move through the list (focus follows, so Enter opens); Enter elsewhere opens the
  // conversation last moved to.
  const cursor = useRef<string | null>(null);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const list = listRef.current;
      if (!list || !isShortcutKey(event) || list.offsetParent === null) return;
      const links = [...list.querySelectorAll<HTMLAnchorElement>("a[data-conversation]")];
      if (event.key === "j" || event.key === "k") {
        if (links.length === 0) return;
        event.preventDefault();
        const focused = links.indexOf(document.activeElement as HTMLAnchorElement);
        const from =
          focused >= 0
            ? focused
            : links.findIndex(
                (link) =>
                  link.dataset.conversation === (cursor.current ?? filters.c) ||
                  link.getAttribute("aria-current") === "page",
              );
        const step = event.key === "j" ? 1 : -1;
        const next = from < 0 ? 0 : Math.min(links.length - 1, Math.max(0, from + step));
        const link = links[next];
        cursor.current = link?.dataset.conversation ?? null;
        link?.focus();
        link?.scrollIntoView({ block: "nearest" });
      } else if (event.key === "Enter" && !(event.target as HTMLElement).closest("a, button")) {
        const link = links.find((candidate) => candidate.dataset.conversation === cursor.current);
        if (!link) return;
        event.preventDefault();
        navigate(link.getAttribute("href") ?? "");
      }
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [filters.c, navigate]);

  return (
    <section
      aria-labelledby={`${id}-title`}
      className={cx(
        "min-h-0 w-full shrink-0 flex-col border-slate-200 bg-white lg:w-80 lg:border-r xl:w-[22rem]",
        className,
      )}
    >
      <div className="space-y-2.5 border-b border-slate-200 px-3 pt-3 pb-2.5">
        <div className="flex items-center justify-between gap-2">
          <h1 id={`${id}-title`} className="text-lg font-semibold tracking-tight text-slate-900">
            Inbox
          </h1>
          {/* Keys are for a keyboard: a phone does without the hint, as the ticket composer does. */}
          <p className="hidden text-xs text-slate-500 sm:block">
            <kbd className="font-sans">j</kbd>/<kbd className="font-sans">k</kbd> to move
          </p>
        </div>
        <Form method="get" role="search" className="relative" key={`${filters.q}`}>
          {filters.status !== "open" ? (
            <input type="hidden" name="status" value={filters.status} />
          ) : null}
          {filters.view !== "all" ? <input type="hidden" name="view" value={filters.view} /> : null}
          {filters.channelId ? (
            <input type="hidden" name="channel" value={filters.channelId} />
          ) : null}
          {filters.c ? <input type="hidden" name="c" value={filters.c} /> : null}
          <label htmlFor={`${id}-q`} className="sr-only">
            Search messages
          </label>
          <SearchIcon className="pointer-events-none absolute top-2 left-2.5 size-4 text-slate-400" />
          <input
            id={`${id}-q`}
            type="search"
            name="q"
            defaultValue={filters.q}
            maxLength={200}
            placeholder="Search messages"
            className={cx(controlClass(false, "sm"), "pl-8")}
          />
        </Form>
        <nav aria-label="Status" className="-mx-1 flex gap-0.5 overflow-x-auto px-1">
          {CONVERSATION_STATUSES.map((status) => (
            <Link
              key={status}
              to={inboxHref(filters, { status })}
              aria-current={filters.status === status ? "page" : undefined}
              className={cx(
                "shrink-0 rounded-md px-2 py-1 text-xs font-medium",
                focusRing,
                filters.status === status
                  ? "bg-indigo-50 text-indigo-700"
                  : "text-slate-600 hover:bg-slate-100 hover:text-slate-900",
              )}
            >
              {STATUS_LABELS[status]}
            </Link>
          ))}
        </nav>
        <div className="flex items-center gap-2">
          <nav
            aria-label="Assignee"
            className="flex shrink-0 rounded-md p-0.5 ring-1 ring-slate-200 ring-inset"
          >
            {INBOX_VIEWS.map((view) => (
              <Link
                key={view}
                to={inboxHref(filters, { view })}
                aria-current={filters.view === view ? "page" : undefined}
                className={cx(
                  "rounded px-2 py-0.5 text-xs font-medium",
                  focusRing,
                  filters.view === view
                    ? "bg-slate-900 text-white"
                    : "text-slate-600 hover:text-slate-900",
                )}
              >
                {VIEW_LABELS[view]}
              </Link>
            ))}
          </nav>
          <Form method="get" className="min-w-0 flex-1" key={`channel-${filters.channelId}`}>
            {filters.status !== "open" ? (
              <input type="hidden" name="status" value={filters.status} />
            ) : null}
            {filters.view !== "all" ? (
              <input type="hidden" name="view" value={filters.view} />
            ) : null}
            {filters.q ? <input type="hidden" name="q" value={filters.q} /> : null}
            {filters.c ? <input type="hidden" name="c" value={filters.c} /> : null}
            <label htmlFor={`${id}-channel`} className="sr-only">
              Channel
            </label>
            <select
              id={`${id}-channel`}
              name="channel"
              defaultValue={filters.channelId}
              onChange={(event) =>
                navigate(inboxHref(filters, { channelId: event.currentTarget.value }))
              }
              className={cx(controlClass(false, "sm"), "pr-7")}
            >
              <option value="">All channels</option>
              {channels.map((channel) => (
                <option key={channel.id} value={channel.id}>
                  {channel.name} ({CHANNEL_LABELS[channel.type]})
                </option>
              ))}
            </select>
            <noscript>
              <button type="submit" className={buttonClass("secondary", "sm")}>
                Apply
              </button>
            </noscript>
          </Form>
        </div>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto">
        {invalidFilters ? (
          <p className="px-4 py-6 text-sm text-slate-600">
            These filters do not read.{" "}
            <Link to="/app/inbox" className="text-indigo-700 underline">
              Show the open conversations
            </Link>
            .
          </p>
        ) : conversations.length === 0 ? (
          <p className="px-4 py-8 text-center text-sm text-slate-600" data-testid="inbox-empty">
            {filters.q
              ? "No conversation has messages with these words."
              : `No ${STATUS_LABELS[filters.status].toLowerCase()} conversations${
                  filters.view === "mine"
                    ? " assigned to you"
                    : filters.view === "unassigned"
                      ? " without an assignee"
                      : ""
                }.`}
          </p>
        ) : null}
        <ul
          ref={listRef}
          aria-label="Conversations"
          className="divide-y divide-slate-100"
          data-testid="conversation-list"
        >
          {conversations.map((conversation) => (
            <ConversationItem
              key={conversation.id}
              conversation={conversation}
              href={inboxHref(filters, { c: conversation.id })}
              selected={conversation.id === filters.c}
              assignee={
                conversation.assigneeId ? (names.get(conversation.assigneeId) ?? "?") : null
              }
              now={now}
            />
          ))}
        </ul>
        {more.cursor ? (
          <div className="px-3 py-3">
            <button
              type="button"
              onClick={more.load}
              aria-busy={more.loading || undefined}
              className={cx(buttonClass("secondary", "sm"), "w-full")}
            >
              {more.loading ? "Loading…" : "Load older conversations"}
            </button>
          </div>
        ) : null}
      </div>
    </section>
  );
}

function ConversationItem({
  conversation,
  href,
  selected,
  assignee,
  now,
}: {
  conversation: ConversationView;
  href: string;
  selected: boolean;
  assignee: string | null;
  now: number | null;
}) {
  const title = conversationTitle(conversation);
  const unread = conversation.unreadCount > 0;
  const urgent = conversation.priority === "urgent" || conversation.priority === "high";
  return (
    <li>
      <Link
        to={href}
        preventScrollReset
        data-conversation={conversation.id}
        aria-current={selected ? "page" : undefined}
        className={cx(
          "relative block px-3 py-2.5 focus-visible:z-10 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600",
          selected ? "bg-indigo-50" : "hover:bg-slate-50",
        )}
      >
        {selected ? (
          <span aria-hidden="true" className="absolute inset-y-0 left-0 w-0.5 bg-indigo-600" />
        ) : null}
        <span className="flex items-center gap-2">
          <span
            className={cx(
              "min-w-0 flex-1 truncate text-sm",
              unread ? "font-semibold text-slate-900" : "font-medium text-slate-800",
            )}
          >
            {title}
          </span>
          <time
            dateTime={conversation.lastMessageAt}
            className="shrink-0 text-xs text-slate-500 tabular-nums"
          >
            {shortAge(conversation.lastMessageAt, now)}
          </time>
        </span>
        <span className="mt-0.5 flex items-center gap-2">
          <span
            className={cx(
              "min-w-0 flex-1 truncate text-sm",
              unread ? "text-slate-800" : "text-slate-600",
            )}
          >
            {conversation.lastMessagePreview ?? "No messages yet"}
          </span>
          {unread ? (
            <span
              className="shrink-0 rounded-full bg-indigo-600 px-1.5 text-[11px] leading-[18px] font-semibold text-white tabular-nums"
              data-testid="unread-count"
            >
              <span className="sr-only">Unread: </span>
              {conversation.unreadCount > 99 ? "99+" : conversation.unreadCount}
            </span>
          ) : null}
        </span>
        <span className="mt-1.5 flex items-center gap-1.5">
          <span
            title={conversation.channel.name}
            className={cx(
              "rounded px-1.5 py-px text-[11px] font-medium ring-1 ring-inset",
              conversation.channel.type === "whatsapp"
                ? "bg-emerald-50 text-emerald-800 ring-emerald-200"
                : "bg-sky-50 text-sky-800 ring-sky-200",
            )}
          >
            {CHANNEL_LABELS[conversation.channel.type]}
          </span>
          {urgent ? (
            <span className="rounded bg-red-50 px-1.5 py-px text-[11px] font-medium text-red-700 ring-1 ring-red-200 ring-inset">
              {PRIORITY_LABELS[conversation.priority]}
            </span>
          ) : null}
          {conversation.labels.slice(0, 2).map((label) => (
            <span
              key={label}
              className="max-w-24 truncate rounded bg-slate-100 px-1.5 py-px text-[11px] text-slate-700"
            >
              {label}
            </span>
          ))}
          <span className="ml-auto shrink-0">
            {assignee ? (
              <span
                title={`Assigned to ${assignee}`}
                className="inline-flex size-5 items-center justify-center rounded-full bg-slate-200 text-[9px] font-semibold text-slate-700"
              >
                <span aria-hidden="true">{initials(assignee)}</span>
                <span className="sr-only">Assigned to {assignee}</span>
              </span>
            ) : (
              <span className="text-[11px] text-slate-500">Unassigned</span>
            )}
          </span>
        </span>
      </Link>
    </li>
  );
}
