import { CONVERSATION_STATUSES, type ConversationStatus } from "../../../shared/inbox";
import type { TemplateView } from "../../../worker/whatsapp/templates";

/*
 * The inbox's URL: `?status=open&view=mine&channel=<id>&q=words&c=<conversation id>`. Plain
 * functions, read by the loader and by the page (links keep the filters while the open
 * conversation changes).
 */

export const INBOX_VIEWS = ["all", "mine", "unassigned"] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];

export interface InboxFilters {
  status: ConversationStatus;
  view: InboxView;
  channelId: string;
  q: string;
  /** The open conversation, or "". */
  c: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function readInboxFilters(search: URLSearchParams): InboxFilters {
  const status = search.get("status");
  const view = search.get("view");
  const channelId = search.get("channel") ?? "";
  const c = search.get("c") ?? "";
  return {
    status: CONVERSATION_STATUSES.find((value) => value === status) ?? "open",
    view: INBOX_VIEWS.find((value) => value === view) ?? "all",
    channelId: UUID.test(channelId) ? channelId : "",
    q: (search.get("q") ?? "").trim().slice(0, 200),
    c: UUID.test(c) ? c : "",
  };
}

/** `/app/inbox?…` for these filters with some of them changed (defaults left out). */
export function inboxHref(filters: InboxFilters, change: Partial<InboxFilters> = {}): string {
  const next = { ...filters, ...change };
  const params = new URLSearchParams();
  if (next.status !== "open") params.set("status", next.status);
  if (next.view !== "all") params.set("view", next.view);
  if (next.channelId) params.set("channel", next.channelId);
  if (next.q) params.set("q", next.q);
  if (next.c) params.set("c", next.c);
  const search = params.toString();
  return search ? `/app/inbox?${search}` : "/app/inbox";
}

/** An approved WhatsApp template as the picker shows it (Meta's, through the channel). */
export type TemplateChoice = TemplateView;
