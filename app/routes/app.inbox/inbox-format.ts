import type {
  ChannelType,
  ConversationPriority,
  ConversationStatus,
  MessageStatus,
} from "../../../shared/inbox";
import { MESSAGE_STATUS_RANK } from "../../../shared/inbox";
import type {
  ConversationView,
  MessageView,
} from "../../../worker/conversations/conversation-view";

/* How the inbox reads: labels, times, and which of two versions of a record is newer. */

export const STATUS_LABELS: Record<ConversationStatus, string> = {
  open: "Open",
  pending: "Pending",
  snoozed: "Snoozed",
  resolved: "Resolved",
};

export const PRIORITY_LABELS: Record<ConversationPriority, string> = {
  none: "No priority",
  low: "Low",
  medium: "Medium",
  high: "High",
  urgent: "Urgent",
};

export const CHANNEL_LABELS: Record<ChannelType, string> = {
  whatsapp: "WhatsApp",
  webchat: "Web chat",
};

export const DELIVERY_LABELS: Record<MessageStatus, string> = {
  received: "Received",
  pending: "Sending",
  accepted: "Sent",
  sent: "Sent",
  delivered: "Delivered",
  read: "Read",
  failed: "Not delivered",
};

/** Initials for an avatar: "Maya Patel" is "MP". */
export function initials(name: string): string {
  return (
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((part) => part[0]?.toUpperCase())
      .join("") || "?"
  );
}

/** Who a conversation is with: the contact's name, else the number or visitor id. */
export function conversationTitle(conversation: ConversationView): string {
  return conversation.contact?.name ?? conversation.contact?.phone ?? conversation.externalId;
}

/** The newer of two versions of a conversation (every change raises its version). */
export function newerConversation(
  known: ConversationView | undefined,
  candidate: ConversationView,
): ConversationView {
  return known && known.version > candidate.version ? known : candidate;
}

/**
 * The further along of two versions of a message: a delivery status only moves forward (a
 * late `delivered` never takes back `read`; `failed` ends it).
 */
export function newerMessage(known: MessageView | undefined, candidate: MessageView): MessageView {
  if (!known) return candidate;
  const rank = MESSAGE_STATUS_RANK[candidate.status] - MESSAGE_STATUS_RANK[known.status];
  if (rank !== 0) return rank > 0 ? candidate : known;
  return (candidate.statusAt ?? "") >= (known.statusAt ?? "") ? candidate : known;
}

/** Newest activity first; ties by id, as the server orders them. */
export function byActivity(a: ConversationView, b: ConversationView): number {
  return b.lastMessageAt.localeCompare(a.lastMessageAt) || b.id.localeCompare(a.id);
}

/** Oldest first, as the thread reads. */
export function bySentAt(a: MessageView, b: MessageView): number {
  return a.sentAt.localeCompare(b.sentAt) || a.id.localeCompare(b.id);
}

/**
 * A compact age for the list: "now", "5m", "3h", "2d", then the date ("12 Mar"). Without
 * `now` (the server's render and the first in the browser) the UTC date and time.
 */
export function shortAge(iso: string, now: number | null): string {
  const then = new Date(iso);
  if (now === null) return `${iso.slice(5, 10).replace("-", "/")} ${iso.slice(11, 16)}`;
  const seconds = Math.max(0, Math.floor((now - then.getTime()) / 1000));
  if (seconds < 60) return "now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  if (seconds < 7 * 86_400) return `${Math.floor(seconds / 86_400)}d`;
  return then.toLocaleDateString(undefined, { day: "numeric", month: "short" });
}

/** "14:05" in the reader's time zone once hydrated; UTC before. */
export function clockTime(iso: string, local: boolean): string {
  if (!local) return `${iso.slice(11, 16)} UTC`;
  return new Date(iso).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

/** The day a message belongs to (a key) and how the separator names it. */
export function dayOf(iso: string, local: boolean, now: number | null) {
  if (!local || now === null) return { key: iso.slice(0, 10), label: iso.slice(0, 10) };
  const date = new Date(iso);
  const key = date.toDateString();
  const today = new Date(now);
  const yesterday = new Date(now - 86_400_000);
  if (key === today.toDateString()) return { key, label: "Today" };
  if (key === yesterday.toDateString()) return { key, label: "Yesterday" };
  return {
    key,
    label: date.toLocaleDateString(undefined, {
      weekday: "short",
      day: "numeric",
      month: "short",
      year: date.getFullYear() === today.getFullYear() ? undefined : "numeric",
    }),
  };
}

/** "Tue 09:00" for a snooze's wake-up, in the reader's time zone. */
export function wakeUpTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, {
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
  });
}

/** How long WhatsApp's reply window stays open: "23 h", "40 min". */
export function windowLeft(endsAt: string, now: number): string {
  const minutes = Math.max(0, Math.floor((new Date(endsAt).getTime() - now) / 60_000));
  return minutes >= 60 ? `${Math.floor(minutes / 60)} h` : `${minutes} min`;
}

/** Snooze presets, computed in the reader's time zone when chosen. */
export const SNOOZE_PRESETS = [
  {
    id: "hour",
    label: "1 hour",
    at: (now: Date) => new Date(now.getTime() + 60 * 60 * 1000),
  },
  {
    id: "tomorrow",
    label: "Tomorrow 9:00",
    at: (now: Date) => {
      const date = new Date(now);
      date.setDate(date.getDate() + 1);
      date.setHours(9, 0, 0, 0);
      return date;
    },
  },
  {
    id: "next-week",
    label: "Next week (Monday 9:00)",
    at: (now: Date) => {
      const date = new Date(now);
      const days = (8 - date.getDay()) % 7 || 7;
      date.setDate(date.getDate() + days);
      date.setHours(9, 0, 0, 0);
      return date;
    },
  },
] as const;

/** A location's map: OpenStreetMap with a marker at the point. */
export function mapLink(latitude: number, longitude: number): string {
  return `https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}#map=16/${latitude}/${longitude}`;
}
