import type { RecordChange, ServerEvent } from "../worker/realtime/events";

/*
 * The runtime half of the realtime protocol that the browser needs, free of zod: close codes,
 * record event names and a reader for server frames. The message shapes and their zod schemas
 * are in worker/realtime/events.ts (imported here for types only, which the bundler erases).
 * The server validates what clients send; frames from the server come from our own room and
 * are read by their `type`, unknown types ignored (a newer server, an older page).
 */

/** Close code for a socket whose credential was revoked: renew the session before reconnecting. */
export const CLOSE_REVOKED = 4001;

export const RECORD_ENTITIES = ["contact", "company", "lead", "deal", "activity"] as const;
export type RecordEntity = (typeof RECORD_ENTITIES)[number];
export const RECORD_ACTIONS = ["created", "updated", "deleted", "restored"] as const;
export type RecordAction = (typeof RECORD_ACTIONS)[number];
export type RecordEventType = `${RecordEntity}.${RecordAction}`;
export const RECORD_EVENT_TYPES = RECORD_ENTITIES.flatMap((entity) =>
  RECORD_ACTIONS.map((action) => `${entity}.${action}` as const),
) as [RecordEventType, ...RecordEventType[]];

const OTHER_SERVER_EVENT_TYPES = [
  "presence.snapshot",
  "presence.joined",
  "presence.left",
  "member.updated",
  "deal.moved",
  "import.progress",
  "export.ready",
  "record.viewers",
  "record.typing",
  "pong",
  "call.updated",
  "agent.status",
  "pbx.status",
  "conversation.updated",
  "message.created",
  "message.updated",
  "ticket.updated",
  "notification.created",
  "notification.read",
] as const satisfies readonly ServerEvent["type"][];

// Every event the server sends has its name in one of the two lists (a compile error otherwise).
type Unlisted = Exclude<
  ServerEvent["type"],
  RecordEventType | (typeof OTHER_SERVER_EVENT_TYPES)[number]
>;
const everyTypeListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyTypeListed;

export function isRecordChange(event: ServerEvent): event is RecordChange {
  return (RECORD_EVENT_TYPES as readonly string[]).includes(event.type);
}

/**
 * A server frame by its type; null for anything that is not an event. A type this page does
 * not know (a newer server) passes through: every handler ignores types it does not list, and
 * the shell stays free of the list of names.
 */
export function readServerEvent(raw: string): ServerEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  const type = (value as { type?: unknown } | null)?.type;
  return typeof type === "string" ? (value as ServerEvent) : null;
}

export function assertNever(value: never): never {
  throw new Error(`Unhandled message: ${JSON.stringify(value)}`);
}
