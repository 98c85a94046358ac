import type { CallView } from "../../worker/calls/call-view";
import { formatDuration as clockTime } from "../../worker/calls/summary";

/*
 * The few telephony formatters that the shell (the phone) and the dashboard's call figures
 * need on every first load, apart from the rest of call-format.ts (which re-exports them), so
 * those pages do not download the call screens' labels and describers.
 */

const pad = (value: number) => String(value).padStart(2, "0");

/** Seconds as a clock: 185 is "3:05", 3723 is "1:02:03"; null is an em dash. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  return clockTime(Math.max(0, Math.round(seconds)));
}

/** A total of talk time in words: "45s", "12m 05s", "3h 20m". */
export function formatTalkTime(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole}s`;
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  if (hours > 0) return `${hours}h ${pad(minutes)}m`;
  return `${minutes}m ${pad(whole % 60)}s`;
}

/** A rate between 0 and 1 (as the API gives it) in percent: 0.874 is "87%"; null is "—". */
export function formatAnswerRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return "—";
  return `${Math.round(rate * 100)}%`;
}

/** The number on the other end: the customer's, or for internal calls the one that is not ours. */
export function otherNumber(call: CallView): string {
  if (call.customerNumber) return call.customerNumber;
  return call.direction === "inbound" ? call.fromNumber : call.toNumber;
}
