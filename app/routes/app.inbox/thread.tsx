import { Link, useFetcher } from "@remix-run/react";
import { Fragment, useEffect, useRef } from "react";
import type {
  ConversationView,
  MessageView,
} from "../../../worker/conversations/conversation-view";
import { Alert, Avatar, Badge, buttonClass, cx, focusRing, useHydrated } from "../../components/ui";
import { callApi } from "../../lib/api-client";
import { isFailure } from "../../lib/forms";
import type { MemberSummary } from "../../lib/members.server";
import { useRecordEvents, useRecordViewers } from "../../lib/realtime-context";
import { useNow } from "../../lib/use-live";
import { Composer } from "./composer";
import {
  ConversationActions,
  StatusButton,
  submitUpdate,
  withPendingUpdate,
} from "./conversation-actions";
import type { action } from "./inbox.server";
import {
  CHANNEL_LABELS,
  conversationTitle,
  dayOf,
  PRIORITY_LABELS,
  STATUS_LABELS,
  wakeUpTime,
} from "./inbox-format";
import { BackIcon, UserIcon } from "./inbox-icons";
import { isShortcutKey } from "./keyboard";
import { MessageItem } from "./message-item";
import { useEarlierMessages } from "./use-earlier-messages";
import type { InboxLive } from "./use-inbox-live";
import { liveThread } from "./use-inbox-live";
import { useRecordTyping } from "./use-record-typing";

const VISITOR_TYPING_EVERY_MS = 2000;

/*
 * The open conversation: its header (who, channel, state, the actions), who else is looking
 * at it or typing, the messages oldest to newest (the view starts at the newest page, earlier
 * pages on demand), and the
 * composer. Opening it marks it read, and so does a new message while it is open and the tab
 * is in view. `r` goes to the reply box, `e` resolves.
 */

function joinNames(names: string[]) {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

export function ThreadPane({
  conversation: current,
  loadedMessages,
  earlierCursor,
  others,
  members,
  me,
  canWrite,
  live,
  backHref,
  knownLabels,
  contactOpen,
  onToggleContact,
  className,
}: {
  conversation: ConversationView;
  loadedMessages: MessageView[];
  /** The thread goes further back than what was read: the page before it. */
  earlierCursor: string | null;
  others: ConversationView[];
  members: MemberSummary[];
  me: string;
  canWrite: boolean;
  live: InboxLive;
  backHref: string;
  knownLabels: string[];
  contactOpen: boolean;
  onToggleContact: () => void;
  className?: string;
}) {
  const id = current.id;
  const actions = useFetcher<typeof action>({ key: `conversation-actions-${id}` });
  const conversation = withPendingUpdate(current, actions.formData);
  const busy = actions.state !== "idle";
  const title = conversationTitle(conversation);
  const names = new Map(members.map((member) => [member.userId, member.name]));
  const hydrated = useHydrated();
  const now = useNow(60_000);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const logRef = useRef<HTMLDivElement>(null);
  const endRef = useRef<HTMLLIElement>(null);

  // The answers of the header's actions and of "read" join what the page shows.
  const { applyConversation, applyMessage } = live;
  useEffect(() => {
    const data = actions.data;
    if (data?.ok && "conversation" in data) applyConversation(data.conversation);
  }, [actions.data, applyConversation]);
  const failure =
    actions.state === "idle" && isFailure(actions.data) && actions.data.intent === "update"
      ? actions.data
      : null;

  const read = useFetcher<typeof action>({ key: `conversation-read-${id}` });
  useEffect(() => {
    const data = read.data;
    if (data?.ok && "conversation" in data) applyConversation(data.conversation);
  }, [read.data, applyConversation]);
  const tried = useRef<number | null>(null);
  const unread = current.unreadCount;
  const version = current.version;
  const readIdle = read.state === "idle";
  useEffect(() => {
    const markRead = () => {
      if (unread === 0 || !readIdle || document.visibilityState !== "visible") return;
      if (tried.current === version) return; // tried at this version already (and failed)
      tried.current = version;
      read.submit({ intent: "read", conversationId: id }, { method: "post" });
    };
    markRead();
    document.addEventListener("visibilitychange", markRead);
    return () => document.removeEventListener("visibilitychange", markRead);
  }, [unread, version, readIdle, id, read.submit]);

  // Who else is here: viewing, or typing (their message ends it).
  const record = `conversation:${id}`;
  const viewers = useRecordViewers(record).filter((user) => user.userId !== me);
  const { typists, typing, stopped } = useRecordTyping(record, me);
  // A website visitor sees "… is typing" too (a reply only, never a note; at most every 2 s).
  const toldVisitorAt = useRef(0);
  const onTyping = (mode: "reply" | "note") => {
    typing();
    if (mode !== "reply" || conversation.channel.type !== "webchat") return;
    if (Date.now() - toldVisitorAt.current < VISITOR_TYPING_EVERY_MS) return;
    toldVisitorAt.current = Date.now();
    callApi(`/conversations/${conversation.id}/typing`, { method: "POST" }).catch(() => {});
  };
  useRecordEvents((event) => {
    if (event.type === "message.created" && event.message.conversationId === id) {
      if (event.message.authorId) stopped(event.message.authorId);
      else if (event.message.direction === "incoming") stopped(conversation.externalId);
    }
  });
  const typingIds = new Set(typists.map((user) => user.userId));
  const watching = viewers.filter((user) => !typingIds.has(user.userId));

  // r: the reply box; e: resolve (not while typing in a field).
  const latest = useRef({ conversation, actions, busy });
  latest.current = { conversation, actions, busy };
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!isShortcutKey(event) || !canWrite) return;
      if (event.key === "r") {
        const box = textareaRef.current;
        if (!box) return;
        event.preventDefault();
        box.focus();
      } else if (event.key === "e") {
        const { conversation: shown, actions: fetcher, busy: sending } = latest.current;
        if (shown.status === "resolved" || shown.mergedIntoId || sending) return;
        event.preventDefault();
        submitUpdate(fetcher, shown, { status: "resolved" });
      }
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [canWrite]);

  const earlier = useEarlierMessages(id, earlierCursor);
  const messages = liveThread(id, [...earlier.messages, ...loadedMessages], live);
  const onSent = (message: MessageView) => {
    applyMessage(message);
    requestAnimationFrame(() => endRef.current?.scrollIntoView({ block: "end" }));
  };

  let lastDay = "";
  return (
    <section
      aria-label={`Conversation with ${title}`}
      className={cx("min-h-0 min-w-0 flex-1 flex-col bg-slate-50", className)}
      data-testid="thread"
    >
      <header className="space-y-2 border-b border-slate-200 bg-white px-3 py-2.5 sm:px-4">
        <div className="flex items-center gap-2">
          <Link
            to={backHref}
            className={cx(
              "-ml-1 rounded-md p-1 text-slate-600 hover:bg-slate-100 hover:text-slate-900 lg:hidden",
              focusRing,
            )}
          >
            <BackIcon className="size-5" />
            <span className="sr-only">Back to the conversations</span>
          </Link>
          <Avatar name={title} />
          <div className="min-w-0 flex-1">
            <div className="flex min-w-0 items-center gap-2">
              <h2 className="truncate text-base font-semibold text-slate-900">{title}</h2>
              <ConversationState conversation={conversation} hydrated={hydrated} />
            </div>
            <p className="flex flex-wrap items-center gap-x-1.5 text-xs text-slate-600">
              <span>{CHANNEL_LABELS[conversation.channel.type]}</span>
              <span aria-hidden="true">·</span>
              <span className="truncate">{conversation.channel.name}</span>
              {conversation.contact?.phone ? (
                <>
                  <span aria-hidden="true">·</span>
                  <span className="tabular-nums">{conversation.contact.phone}</span>
                </>
              ) : null}
            </p>
          </div>
          <button
            type="button"
            onClick={onToggleContact}
            aria-expanded={contactOpen}
            className={cx(
              "inline-flex h-8 items-center gap-1 rounded-md px-2 text-xs font-medium text-slate-700 ring-1 ring-slate-300 ring-inset hover:bg-slate-50 xl:hidden",
              focusRing,
            )}
          >
            <UserIcon className="size-4" />
            <span className="max-sm:sr-only">Contact</span>
          </button>
          {canWrite ? (
            <StatusButton conversation={conversation} fetcher={actions} busy={busy} />
          ) : null}
        </div>
        {!canWrite ? (
          <p className="text-xs text-slate-600">
            {conversation.assigneeId
              ? `Assigned to ${names.get(conversation.assigneeId) ?? "a former member"}`
              : "Unassigned"}
            {conversation.labels.length > 0 ? ` · ${conversation.labels.join(", ")}` : ""}
          </p>
        ) : null}
        {canWrite ? (
          <ConversationActions
            conversation={conversation}
            fetcher={actions}
            members={members}
            me={me}
            knownLabels={knownLabels}
            others={others}
            busy={busy}
          />
        ) : null}
        {typists.length > 0 || watching.length > 0 ? (
          <p
            className="flex flex-wrap items-center gap-x-3 text-xs text-slate-700"
            aria-live="polite"
            data-testid="conversation-presence"
          >
            {typists.length > 0 ? (
              <span className="font-medium text-indigo-700">
                {joinNames(
                  typists.map((user) =>
                    "visitor" in user ? (conversation.contact?.name ?? user.name) : user.name,
                  ),
                )}{" "}
                {typists.length === 1 ? "is" : "are"} typing…
              </span>
            ) : null}
            {watching.length > 0 ? (
              <span>
                {joinNames(watching.map((user) => user.name))}{" "}
                {watching.length === 1 ? "is" : "are"} viewing
              </span>
            ) : null}
          </p>
        ) : null}
        {failure ? <Alert title="That change was not saved">{failure.message}</Alert> : null}
      </header>
      <div
        ref={logRef}
        tabIndex={-1}
        aria-label="Messages"
        role="log"
        className="flex min-h-0 flex-1 flex-col-reverse overflow-y-auto px-3 py-4 outline-none sm:px-4"
      >
        <div>
          {earlier.more ? (
            <div className="mb-3 flex flex-col items-center gap-1">
              <button
                type="button"
                onClick={earlier.load}
                aria-busy={earlier.loading || undefined}
                className={buttonClass("secondary", "sm")}
              >
                {earlier.loading ? "Loading…" : "Show earlier messages"}
              </button>
              {earlier.error ? (
                <p role="alert" className="text-xs text-red-700">
                  {earlier.error}
                </p>
              ) : null}
            </div>
          ) : null}
          {messages.length === 0 ? (
            <p className="text-center text-sm text-slate-600">No messages yet.</p>
          ) : null}
          <ol className="space-y-2">
            {messages.map((message) => {
              const day = dayOf(message.sentAt, hydrated, now);
              const separator = day.key !== lastDay;
              lastDay = day.key;
              return (
                <Fragment key={message.id}>
                  {separator ? (
                    <li className="py-1 text-center text-xs font-medium text-slate-500">
                      {day.label}
                    </li>
                  ) : null}
                  <MessageItem
                    message={message}
                    author={message.authorId ? (names.get(message.authorId) ?? null) : null}
                    local={hydrated}
                  />
                </Fragment>
              );
            })}
            <li ref={endRef} aria-hidden="true" className="h-0" />
          </ol>
        </div>
      </div>
      {conversation.mergedIntoId ? (
        <p className="border-t border-slate-200 bg-white px-4 py-3 text-sm text-slate-700">
          This conversation was merged.{" "}
          <Link
            to={`?c=${conversation.mergedIntoId}`}
            className="font-medium text-indigo-700 underline"
          >
            Open the one it went into
          </Link>
        </p>
      ) : canWrite ? (
        <Composer
          key={id}
          conversation={conversation}
          contactName={conversation.contact?.name ?? null}
          textareaRef={textareaRef}
          onTyping={onTyping}
          onSent={onSent}
          onLeave={() => logRef.current?.focus()}
        />
      ) : (
        <p className="border-t border-slate-200 bg-white px-4 py-3 text-sm text-slate-600">
          You can read this conversation. Replying needs an agent's role or higher.
        </p>
      )}
    </section>
  );
}

function ConversationState({
  conversation,
  hydrated,
}: {
  conversation: ConversationView;
  hydrated: boolean;
}) {
  const { status, priority } = conversation;
  return (
    <p className="flex shrink-0 items-center gap-1.5 text-xs" data-testid="conversation-state">
      <Badge tone={status === "resolved" ? "success" : status === "open" ? "accent" : "warning"}>
        {STATUS_LABELS[status]}
        {status === "snoozed" && conversation.snoozedUntil && hydrated
          ? ` until ${wakeUpTime(conversation.snoozedUntil)}`
          : ""}
      </Badge>
      {priority !== "none" ? (
        <Badge tone={priority === "urgent" || priority === "high" ? "danger" : "neutral"}>
          {PRIORITY_LABELS[priority]}
        </Badge>
      ) : null}
    </p>
  );
}
