import { useCallback, useRef, useState } from "react";
import { type CallView, newerCall } from "../../lib/call-format";
import { useRecordEvents } from "../../lib/realtime-context";

/*
 * Keeps pages that list calls current: every `call.updated` event is remembered (the newest
 * version of each call), and `latest(call)` returns the newer of the loader's row and the
 * event's. `onUnknown` hears about calls the page has not shown yet (once per call).
 */
export function useCallUpdates(options: { onUnknown?: (call: CallView) => void } = {}) {
  const [updates, setUpdates] = useState<ReadonlyMap<string, CallView>>(new Map());
  const onUnknown = useRef(options.onUnknown);
  onUnknown.current = options.onUnknown;
  const announced = useRef(new Set<string>());
  const shown = useRef(new Set<string>());

  useRecordEvents((event) => {
    if (event.type !== "call.updated") return;
    const { call } = event;
    setUpdates((current) => {
      const known = current.get(call.id);
      if (known && known.version >= call.version) return current;
      const next = new Map(current);
      next.set(call.id, newerCall(known, call));
      return next;
    });
    if (!shown.current.has(call.id) && !announced.current.has(call.id)) {
      announced.current.add(call.id);
      onUnknown.current?.(call);
    }
  });

  /** The newest version of a row the page shows (and notes that the page shows it). */
  const latest = useCallback(
    (call: CallView) => {
      shown.current.add(call.id);
      return newerCall(updates.get(call.id), call);
    },
    [updates],
  );

  return { updates, latest };
}

/**
 * The live calls: the loader's, with newer versions from events, plus calls that started
 * since, minus those that ended; oldest first.
 */
export function useLiveCalls(loaded: CallView[]): CallView[] {
  const { updates, latest } = useCallUpdates();
  const byId = new Map(loaded.map((call) => [call.id, latest(call)]));
  for (const call of updates.values()) {
    if (!byId.has(call.id)) byId.set(call.id, call);
  }
  return [...byId.values()]
    .filter((call) => call.endedAt === null)
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}
