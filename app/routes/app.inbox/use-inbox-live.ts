import { useCallback, useState } from "react";
import type {
  ConversationView,
  MessageView,
} from "../../../worker/conversations/conversation-view";
import { useRecordEvents } from "../../lib/realtime-context";
import { byActivity, bySentAt, newerConversation, newerMessage } from "./inbox-format";
import type { InboxFilters } from "./inbox-params";

/*
 * The inbox stays current without reloading: every `conversation.updated`, `message.created`
 * and `message.updated` from the socket, and every answer of the page's own actions, is kept
 * as the newest version of its record and laid over what the loader read.
 */

/** Message events kept at most (the oldest are dropped first); the loader has the rest. */
const MAX_KEPT_MESSAGES = 1000;

export interface InboxLive {
  conversations: ReadonlyMap<string, ConversationView>;
  messages: ReadonlyMap<string, MessageView>;
  applyConversation(conversation: ConversationView): void;
  applyMessage(message: MessageView): void;
}

export function useInboxLive(): InboxLive {
  const [conversations, setConversations] = useState<ReadonlyMap<string, ConversationView>>(
    () => new Map(),
  );
  const [messages, setMessages] = useState<ReadonlyMap<string, MessageView>>(() => new Map());

  const applyConversation = useCallback((conversation: ConversationView) => {
    setConversations((current) => {
      const known = current.get(conversation.id);
      if (known && known.version >= conversation.version) return current;
      const next = new Map(current);
      next.set(conversation.id, conversation);
      return next;
    });
  }, []);

  const applyMessage = useCallback((message: MessageView) => {
    setMessages((current) => {
      const known = current.get(message.id);
      const newer = newerMessage(known, message);
      if (known === newer) return current;
      const next = new Map(current);
      next.delete(message.id);
      next.set(message.id, newer);
      if (next.size > MAX_KEPT_MESSAGES) {
        const oldest = next.keys().next().value;
        if (oldest !== undefined) next.delete(oldest);
      }
      return next;
    });
  }, []);

  useRecordEvents((event) => {
    if (event.type === "conversation.updated") applyConversation(event.conversation);
    else if (event.type === "message.created" || event.type === "message.updated") {
      applyMessage(event.message);
    }
  });

  return { conversations, messages, applyConversation, applyMessage };
}

/** Whether a conversation belongs in the list the filters describe (`q` aside). */
export function matchesFilters(
  conversation: ConversationView,
  filters: InboxFilters,
  me: string,
): boolean {
  if (conversation.mergedIntoId) return false;
  if (conversation.status !== filters.status) return false;
  if (filters.view === "mine" && conversation.assigneeId !== me) return false;
  if (filters.view === "unassigned" && conversation.assigneeId !== null) return false;
  if (filters.channelId && conversation.channel.id !== filters.channelId) return false;
  return true;
}

/**
 * The list as it is now: the loaded rows in their newest versions, plus conversations that
 * started or came into the filters since (not when searching: words in messages are the
 * server's to match), minus those that left them; newest activity first.
 */
export function liveConversationList(
  loaded: ConversationView[],
  live: InboxLive,
  filters: InboxFilters,
  me: string,
): ConversationView[] {
  const byId = new Map<string, ConversationView>();
  for (const row of loaded) {
    byId.set(row.id, newerConversation(live.conversations.get(row.id), row));
  }
  if (!filters.q) {
    for (const conversation of live.conversations.values()) {
      if (!byId.has(conversation.id)) byId.set(conversation.id, conversation);
    }
  }
  return [...byId.values()]
    .filter((conversation) => matchesFilters(conversation, filters, me))
    .sort(byActivity);
}

/** A conversation's messages: the loaded ones in their newest versions, plus new ones. */
export function liveThread(
  conversationId: string,
  loaded: MessageView[],
  live: InboxLive,
): MessageView[] {
  const byId = new Map<string, MessageView>();
  for (const message of loaded)
    byId.set(message.id, newerMessage(live.messages.get(message.id), message));
  for (const message of live.messages.values()) {
    if (message.conversationId === conversationId && !byId.has(message.id)) {
      byId.set(message.id, message);
    }
  }
  return [...byId.values()].sort(bySentAt);
}
