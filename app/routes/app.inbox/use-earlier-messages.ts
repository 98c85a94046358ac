import { useState } from "react";
import type { MessageView } from "../../../worker/conversations/conversation-view";
import { callApi, errorMessage } from "../../lib/api-client";

/*
 * A thread opens on its newest page; "Show earlier messages" reads the page before the oldest
 * one shown (`before=<previousCursor>` on the messages API) and puts it above. The log is a
 * reversed column anchored at its bottom, so what is on screen stays where it is.
 */

const EARLIER_PAGE = 100;

export function useEarlierMessages(conversationId: string, firstCursor: string | null) {
  const [pages, setPages] = useState<MessageView[][]>([]);
  const [cursor, setCursor] = useState(firstCursor);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = async () => {
    if (!cursor || loading) return;
    setLoading(true);
    setError(null);
    try {
      const params = new URLSearchParams({ before: cursor, limit: String(EARLIER_PAGE) });
      const answer = await callApi<MessageView[]>(
        `/conversations/${conversationId}/messages?${params}`,
      );
      const pagination = answer.meta?.pagination as { previousCursor?: string | null } | undefined;
      setPages((current) => [answer.data ?? [], ...current]);
      setCursor(pagination?.previousCursor ?? null);
    } catch (failure) {
      setError(errorMessage(failure, "The earlier messages could not be read. Try again."));
    } finally {
      setLoading(false);
    }
  };

  return { messages: pages.flat(), more: cursor !== null, loading, error, load };
}
