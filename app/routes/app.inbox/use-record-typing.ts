import { useCallback, useEffect, useRef, useState } from "react";
import type { PresenceUser, VisitorTypist } from "../../../worker/realtime/events";
import { useRealtimeHub, useRecordEvents } from "../../lib/realtime-context";

/** A typing frame goes out at most this often while someone types. */
const SEND_EVERY_MS = 2000;
/** Someone's "is typing…" shows this long after their last frame. */
const SHOWN_MS = 4000;

/**
 * Collision detection's second half (the first is `useRecordViewers`): who else is typing in
 * `record` right now, and `typing()` to tell them that I am (throttled; the room forwards it
 * to the others viewing the record). `stopped(userId)` clears someone at once (their message
 * arrived). A website visitor typing in their conversation comes the same way (`user.visitor`).
 */
export function useRecordTyping(record: string, me: string) {
  const hub = useRealtimeHub();
  const [typists, setTypists] = useState<{ user: PresenceUser | VisitorTypist; until: number }[]>(
    [],
  );

  useRecordEvents((event) => {
    if (event.type !== "record.typing" || event.record !== record) return;
    if (event.user.userId === me) return;
    const until = Date.now() + SHOWN_MS;
    setTypists((current) => [
      ...current.filter((typist) => typist.user.userId !== event.user.userId),
      { user: event.user, until },
    ]);
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the record changes
  useEffect(() => setTypists([]), [record]);

  useEffect(() => {
    if (typists.length === 0) return;
    const next = Math.min(...typists.map((typist) => typist.until));
    const timer = window.setTimeout(
      () => setTypists((current) => current.filter((typist) => typist.until > Date.now())),
      Math.max(0, next - Date.now()) + 50,
    );
    return () => window.clearTimeout(timer);
  }, [typists]);

  const lastSent = useRef(0);
  const typing = useCallback(() => {
    const now = Date.now();
    if (now - lastSent.current < SEND_EVERY_MS) return;
    lastSent.current = now;
    hub?.send({ type: "typing", record });
  }, [hub, record]);

  const stopped = useCallback((userId: string) => {
    setTypists((current) => current.filter((typist) => typist.user.userId !== userId));
  }, []);

  return { typists: typists.map((typist) => typist.user), typing, stopped };
}
