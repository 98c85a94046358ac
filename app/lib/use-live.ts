import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useRecordEvents } from "./realtime-context";
import type { RecordEvent } from "./use-realtime";

/**
 * Reloads the page's loaders when a matching realtime event arrives, coalescing bursts: the
 * reload runs `delayMs` after the last event, and at least once every `maxWaitMs` while events
 * keep coming (a busy call center never goes quiet).
 */
export function useRevalidateOnEvents(
  matches: (event: RecordEvent) => boolean,
  { delayMs = 800, maxWaitMs = 5000 }: { delayMs?: number; maxWaitMs?: number } = {},
) {
  const revalidator = useRevalidator();
  const revalidateRef = useRef(revalidator.revalidate);
  revalidateRef.current = revalidator.revalidate;
  const timer = useRef<number | undefined>(undefined);
  const firstPending = useRef<number | null>(null);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  useRecordEvents((event) => {
    if (!matches(event)) return;
    const now = Date.now();
    firstPending.current ??= now;
    const wait = Math.max(0, Math.min(delayMs, firstPending.current + maxWaitMs - now));
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      firstPending.current = null;
      revalidateRef.current();
    }, wait);
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
