/*
 * The JSON objects the simulator sends, shaped like the models in Asterisk's ARI description
 * files (Channel, Bridge, LiveRecording, ...). Field names stay snake_case as on the wire.
 */

export type ChannelState =
  | "Down"
  | "Rsrved"
  | "OffHook"
  | "Dialing"
  | "Ring"
  | "Ringing"
  | "Up"
  | "Busy"
  | "Dialing Offhook"
  | "Pre-ring"
  | "Unknown";

export interface CallerIdJson {
  name: string;
  number: string;
}

export interface DialplanJson {
  context: string;
  exten: string;
  priority: number;
  app_name: string;
  app_data: string;
}

export interface ChannelJson {
  id: string;
  protocol_id: string;
  name: string;
  state: ChannelState;
  caller: CallerIdJson;
  connected: CallerIdJson;
  accountcode: string;
  dialplan: DialplanJson;
  creationtime: string;
  language: string;
  channelvars?: Record<string, string>;
}

export type BridgeType = "mixing" | "holding";

export interface BridgeJson {
  id: string;
  technology: string;
  bridge_type: BridgeType;
  bridge_class: string;
  creator: string;
  name: string;
  channels: string[];
  creationtime: string;
}

export type RecordingState = "queued" | "recording" | "paused" | "done" | "failed" | "canceled";

export interface LiveRecordingJson {
  name: string;
  format: string;
  target_uri: string;
  state: RecordingState;
  duration?: number;
}

export interface StoredRecordingJson {
  name: string;
  format: string;
}

/** An event as sent on the events WebSocket. */
export interface AriEvent {
  type: string;
  timestamp: string;
  application: string;
  asterisk_id: string;
  [field: string]: unknown;
}

/** An event before the hub stamps it with timestamp, application and asterisk_id. */
export interface AriEventBody {
  type: string;
  [field: string]: unknown;
}

/** Asterisk's own timestamp format: `2024-05-01T10:00:00.123+0000`. */
export function asteriskTimestamp(date: Date): string {
  return date.toISOString().replace("Z", "+0000");
}

/** Q.850 cause texts exactly as Asterisk's ast_cause2str() spells them. */
const CAUSE_TEXTS: Readonly<Record<number, string>> = {
  1: "Unallocated (unassigned) number",
  16: "Normal Clearing",
  17: "User busy",
  18: "No user responding",
  19: "User alerting, no answer",
  20: "Subscriber absent",
  21: "Call Rejected",
  26: "Answered elsewhere",
  27: "Destination out of order",
  28: "Invalid number format",
  31: "Normal, unspecified",
  34: "Circuit/channel congestion",
  38: "Network out of order",
  41: "Temporary failure",
  58: "Bearer capability not available",
  127: "Interworking, unspecified",
};

export function causeText(cause: number): string {
  return CAUSE_TEXTS[cause] ?? "Unknown";
}

export const HANGUP_CAUSE = {
  normalClearing: 16,
  userBusy: 17,
  noAnswer: 19,
  subscriberAbsent: 20,
  congestion: 34,
} as const;
