import { useEffect, useState } from "react";
import { useRecordEvents } from "./realtime-context";

/*
 * The Inbox item's badge: the conversations with unread messages I can act on (open or
 * pending, mine or no one's), read by the shell's loader (worker/conversations/badge.ts) and
 * kept current by every `conversation.updated` (a message arrived, someone read it, it was
 * assigned, resolved or merged), on every page.
 */
export function useInboxBadge(loaded: string[] | null, me: string): number {
  const [ids, setIds] = useState(() => new Set(loaded));
  useEffect(() => setIds(new Set(loaded)), [loaded]);
  useRecordEvents((event) => {
    if (event.type !== "conversation.updated" || !loaded) return;
    const { id, status, unreadCount, assigneeId, mergedIntoId } = event.conversation;
    const counts =
      unreadCount > 0 &&
      !mergedIntoId &&
      (status === "open" || status === "pending") &&
      (assigneeId === null || assigneeId === me);
    setIds((current) => {
      if (current.has(id) === counts) return current;
      const next = new Set(current);
      if (counts) next.add(id);
      else next.delete(id);
      return next;
    });
  });
  return ids.size;
}
