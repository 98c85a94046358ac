import type { calls } from "../db/telephony-schema";

type CallRow = typeof calls.$inferSelect;

/** "1:05", "12:00", "1:02:03". */
export function formatDuration(totalSeconds: number): string {
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = String(totalSeconds % 60).padStart(2, "0");
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}`
    : `${minutes}:${seconds}`;
}

const OUTCOME_WORDS: Record<NonNullable<CallRow["outcome"]>, string> = {
  answered: "answered",
  missed: "missed",
  abandoned: "abandoned in queue",
  busy: "busy",
  failed: "failed",
  no_answer: "not answered",
};

/** The timeline line for a call: "Inbound call, answered (3:12)". */
export function callActivitySubject(call: CallRow): string {
  const direction = { inbound: "Inbound", outbound: "Outbound", internal: "Internal" }[
    call.direction
  ];
  const outcome = call.outcome ? OUTCOME_WORDS[call.outcome] : "ended";
  const duration =
    call.outcome === "answered" && call.durationSeconds !== null
      ? ` (${formatDuration(call.durationSeconds)})`
      : "";
  return `${direction} call, ${outcome}${duration}`;
}
