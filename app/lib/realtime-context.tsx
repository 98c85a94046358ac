import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from "react";
import type { ClientMessage, PresenceUser } from "../../worker/realtime/events";
import type { RecordEvent } from "./use-realtime";

type Listener = (event: RecordEvent) => void;

interface RealtimeHub {
  subscribe(listener: Listener): () => void;
  /** A message to the room: `view` (which record this page shows) or `typing`. */
  send(message: ClientMessage): void;
}

const RealtimeContext = createContext<RealtimeHub | null>(null);

/**
 * Creates the hub the app shell feeds with the socket's record events (`dispatch`) and that
 * pages subscribe to with `useRecordEvents` / `useRecordViewers`.
 */
export function createRealtimeHub(send: (message: ClientMessage) => void) {
  const listeners = new Set<Listener>();
  return {
    hub: {
      subscribe(listener: Listener) {
        listeners.add(listener);
        return () => {
          listeners.delete(listener);
        };
      },
      send,
    } satisfies RealtimeHub,
    dispatch(event: RecordEvent) {
      for (const listener of listeners) listener(event);
    },
  };
}

export function RealtimeProvider({ hub, children }: { hub: RealtimeHub; children: ReactNode }) {
  return <RealtimeContext.Provider value={hub}>{children}</RealtimeContext.Provider>;
}

/** The shell's hub, for hooks that talk to the room (null outside the app shell). */
export function useRealtimeHub(): RealtimeHub | null {
  return useContext(RealtimeContext);
}

/** Calls `listener` for every record change, move, job progress and viewer update. */
export function useRecordEvents(listener: Listener) {
  const hub = useContext(RealtimeContext);
  const listenerRef = useRef(listener);
  listenerRef.current = listener;
  useEffect(() => hub?.subscribe((event) => listenerRef.current(event)), [hub]);
}

/** Announces that this page shows `record` (e.g. `deal:<id>`) and returns who else does. */
export function useRecordViewers(record: string): PresenceUser[] {
  const hub = useContext(RealtimeContext);
  const [viewers, setViewers] = useState<PresenceUser[]>([]);
  useEffect(() => {
    hub?.send({ type: "view", record });
    return () => hub?.send({ type: "view", record: null });
  }, [hub, record]);
  useRecordEvents((event) => {
    if (event.type === "record.viewers" && event.record === record) setViewers(event.users);
  });
  return viewers;
}
