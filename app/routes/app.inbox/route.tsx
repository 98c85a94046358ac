import type { MetaFunction } from "@remix-run/cloudflare";
import { Link, type ShouldRevalidateFunction, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { ConversationView } from "../../../worker/conversations/conversation-view";
import { InboxIcon } from "../../components/icons";
import { RouteError } from "../../components/route-error";
import { buttonClass, cx } from "../../components/ui";
import { ContactPanel } from "./contact-panel";
import { ConversationList } from "./conversation-list";
import type { loader } from "./inbox.server";
import { newerConversation } from "./inbox-format";
import { inboxHref } from "./inbox-params";
import { ThreadPane } from "./thread";
import { type InboxLive, liveConversationList, useInboxLive } from "./use-inbox-live";

export { action, loader } from "./inbox.server";

export const meta: MetaFunction = () => [{ title: "Inbox · Switchboard" }];

/*
 * The shared inbox: the conversation list, the open conversation and its contact, side by side
 * on a desk (one at a time on a phone: list, then the thread with a back button, then the
 * contact). Everything on it stays live through the socket (useInboxLive).
 */

/**
 * The page's own actions answer with what they changed and the socket brings everyone's
 * changes, so a sent reply or an assignment reads nothing again; a merge moves messages
 * between threads, so after it the page reads again (and lands on the merged conversation).
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({
  formMethod,
  formData,
  defaultShouldRevalidate,
}) => {
  if (formMethod && formMethod.toUpperCase() !== "GET" && formData?.get("intent") !== "merge") {
    return false;
  }
  return defaultShouldRevalidate;
};

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type PageData = Extract<LoaderData, { more: false }>;

export default function InboxPage() {
  const data = useLoaderData<typeof loader>();
  const live = useInboxLive();
  if (data.more) {
    // A "load more" address opened as a page: start from the top.
    return (
      <div className="px-4 py-16 text-center">
        <Link to="/app/inbox" className={buttonClass("secondary")}>
          Open the inbox
        </Link>
      </div>
    );
  }
  return <Inbox data={data} live={live} />;
}

/** Older pages of the list, fetched in place ("Load older conversations"). */
function useOlderPages(data: PageData) {
  const fetcher = useFetcher<typeof loader>();
  const [pages, setPages] = useState<{ rows: ConversationView[]; nextCursor: string | null }[]>([]);
  const first = `${inboxHref(data.filters, { c: "" })}|${data.nextCursor ?? ""}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: start over when the list changes
  useEffect(() => setPages([]), [first]);
  useEffect(() => {
    const page = fetcher.data;
    if (fetcher.state !== "idle" || !page?.more) return;
    setPages((current) =>
      current.some((known) => known.nextCursor === page.nextCursor)
        ? current
        : [...current, { rows: page.conversations, nextCursor: page.nextCursor }],
    );
  }, [fetcher.state, fetcher.data]);
  const cursor = pages.length > 0 ? (pages.at(-1)?.nextCursor ?? null) : data.nextCursor;
  return {
    rows: pages.flatMap((page) => page.rows),
    cursor,
    loading: fetcher.state !== "idle",
    load() {
      if (!cursor || fetcher.state !== "idle") return;
      const href = inboxHref(data.filters, { c: "" });
      fetcher.load(`${href}${href.includes("?") ? "&" : "?"}cursor=${encodeURIComponent(cursor)}`);
    },
  };
}

/**
 * Keeps the inbox exactly as tall as the window below whatever sits above it (the phone's
 * menu bar, the call bar), so that each pane scrolls on its own and the page never does.
 */
function useFillWindow() {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const fitToWindow = () => {
      const top = element.getBoundingClientRect().top + window.scrollY;
      element.style.height = `${Math.max(360, window.innerHeight - top)}px`;
    };
    fitToWindow();
    const observer = new ResizeObserver(fitToWindow);
    observer.observe(document.body);
    window.addEventListener("resize", fitToWindow);
    return () => {
      observer.disconnect();
      window.removeEventListener("resize", fitToWindow);
    };
  }, []);
  return ref;
}

function Inbox({ data, live }: { data: PageData; live: InboxLive }) {
  const { filters, me } = data;
  const older = useOlderPages(data);
  const list = liveConversationList([...data.conversations, ...older.rows], live, filters, me);
  const selected = data.selected && "conversation" in data.selected ? data.selected : null;
  const conversation = selected?.conversation
    ? newerConversation(live.conversations.get(selected.conversation.id), selected.conversation)
    : null;
  const missing = Boolean(data.selected && "missing" in data.selected);
  const open = Boolean(filters.c);
  const [contactOpen, setContactOpen] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new conversation starts with its thread
  useEffect(() => setContactOpen(false), [filters.c]);
  const fill = useFillWindow();
  const labels = [...new Set(list.flatMap((item) => item.labels))].sort();
  const others = (selected?.panel?.conversations ?? []).map((other) =>
    newerConversation(live.conversations.get(other.id), other),
  );
  const backHref = inboxHref(filters, { c: "" });

  return (
    <div
      ref={fill}
      className="flex h-[calc(100dvh-3.1rem)] min-h-[360px] overflow-hidden bg-white lg:h-dvh"
      data-testid="inbox"
    >
      <ConversationList
        filters={filters}
        conversations={list}
        channels={data.channels}
        members={data.members}
        invalidFilters={data.invalidFilters}
        more={{ cursor: older.cursor, loading: older.loading, load: older.load }}
        className={open ? "hidden lg:flex" : "flex"}
      />
      {conversation && selected ? (
        <>
          <ThreadPane
            key={conversation.id}
            conversation={conversation}
            loadedMessages={selected.messages}
            earlierCursor={selected.earlierCursor}
            others={others}
            members={data.members}
            me={me}
            canWrite={data.canWrite}
            live={live}
            backHref={backHref}
            knownLabels={labels}
            contactOpen={contactOpen}
            onToggleContact={() => setContactOpen((value) => !value)}
            className={contactOpen ? "hidden lg:flex" : "flex"}
          />
          <ContactPanel
            key={`contact-${conversation.id}`}
            conversation={conversation}
            panel={selected.panel ? { ...selected.panel, conversations: others } : null}
            conversationHref={(id) => inboxHref(filters, { c: id })}
            onClose={() => setContactOpen(false)}
            className={cx(
              "w-full shrink-0 border-slate-200 lg:w-72 lg:border-l",
              contactOpen ? "flex" : "hidden xl:flex",
            )}
          />
        </>
      ) : (
        <div
          className={cx(
            "min-w-0 flex-1 flex-col items-center justify-center gap-3 bg-slate-50 px-6 text-center",
            open ? "flex" : "hidden lg:flex",
          )}
        >
          <InboxIcon className="size-8 text-slate-400" />
          {missing ? (
            <>
              <p className="text-sm font-medium text-slate-900">This conversation is not here</p>
              <p className="max-w-sm text-sm text-slate-600">
                It may have been deleted, or the link is wrong.
              </p>
              <Link to={backHref} className={buttonClass("secondary", "sm")}>
                Back to the conversations
              </Link>
            </>
          ) : (
            <>
              <p className="text-sm font-medium text-slate-900">Pick a conversation</p>
              <p className="max-w-sm text-sm text-slate-600">
                New messages appear in the list as they arrive. Use j and k to move, Enter to open,
                r to reply and e to resolve.
              </p>
            </>
          )}
        </div>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
