import { useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { useRecordEvents } from "./realtime-context";
import type { RecordEvent } from "./use-realtime";

export interface ReloadTiming {
  /** The reload runs this long after the last request (a burst is one reload). */
  delayMs?: number;
  /** ... and at least this often while requests keep coming; `Infinity`: only after a pause. */
  maxWaitMs?: number;
  /** When the timer fires while a reload is already running: restart it, or skip this one. */
  whileReloading?: "restart" | "skip";
}

/**
 * A coalesced reload of the page's loaders: `request()` (re)starts the timer, and the reload
 * runs `delayMs` after the last request, and at least once every `maxWaitMs` while requests
 * keep coming (a busy call center never goes quiet). The timer dies with the component.
 */
export function useCoalescedReload({
  delayMs = 800,
  maxWaitMs = 5000,
  whileReloading = "restart",
}: ReloadTiming = {}): () => void {
  const revalidator = useRevalidator();
  const revalidatorRef = useRef(revalidator);
  revalidatorRef.current = revalidator;
  const timer = useRef<number | undefined>(undefined);
  const firstPending = useRef<number | null>(null);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  return useCallback(() => {
    const now = Date.now();
    firstPending.current ??= now;
    const wait = Math.max(0, Math.min(delayMs, firstPending.current + maxWaitMs - now));
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      firstPending.current = null;
      const current = revalidatorRef.current;
      if (whileReloading === "skip" && current.state !== "idle") return;
      current.revalidate();
    }, wait);
  }, [delayMs, maxWaitMs, whileReloading]);
}

/**
 * The one "reload on a realtime event" hook: reloads the page's loaders when an event that
 * `matches` arrives, coalesced as `useCoalescedReload` says.
 */
export function useRevalidateOnEvents(
  matches: (event: RecordEvent) => boolean,
  timing?: ReloadTiming,
) {
  const reload = useCoalescedReload(timing);
  useRecordEvents((event) => {
    if (matches(event)) reload();
  });
}

/**
 * The current time (ms), updated every `intervalMs`; null on the server and in the first
 * browser render, so what the server rendered hydrates unchanged.
 */
export function useNow(intervalMs = 1000): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/**
 * Whole seconds since `data` (e.g. the loader data) arrived in this browser, ticking every
 * second: add it to a server-computed duration to keep it running without trusting the
 * browser's clock. 0 on the server and in the first render.
 */
export function useSecondsSince(data: unknown): number {
  const arrived = useRef<{ data: unknown; at: number } | null>(null);
  const now = useNow(1000);
  if (now === null) return 0;
  let current = arrived.current;
  if (!current || current.data !== data) {
    current = { data, at: Date.now() };
    arrived.current = current;
  }
  return Math.max(0, Math.floor((now - current.at) / 1000));
}
