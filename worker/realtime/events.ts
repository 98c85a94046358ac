import { z } from "zod";
import { RECORD_EVENT_TYPES, type RecordEventType } from "../../shared/realtime";
import { ROLES } from "../auth/permissions";
import { agentViewSchema, callViewSchema, pbxStatusSchema } from "../calls/call-view";
import { conversationViewSchema, messageViewSchema } from "../conversations/conversation-view";
import { notificationSchema } from "../notifications/schemas";
import { ticketSchema } from "../tickets/schemas";
import type { AccessRevoked } from "./revocation";

// The protocol's zod-free half (close codes, event names, assertNever, the browser's frame
// reader) is shared/realtime.ts, which the browser's bundle takes without zod.

/*
 * The realtime protocol, shared by the Worker (publisher), TenantRoom (server) and the
 * browser (client). Every message is validated on the way in; handlers switch on `type`
 * and end with `assertNever`, so adding an event without handling it fails to compile.
 */

export const presenceUserSchema = z.object({
  userId: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
});
export type PresenceUser = z.infer<typeof presenceUserSchema>;

/** A website visitor typing in their conversation (`userId` is their `visitor:`/`user:` id). */
export const visitorTypistSchema = z.object({
  userId: z.string(),
  name: z.string(),
  visitor: z.literal(true),
});
export type VisitorTypist = z.infer<typeof visitorTypistSchema>;

export const memberSchema = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  role: z.enum(ROLES),
  status: z.enum(["active", "deactivated"]),
});

/** `contact.updated`, `deal.deleted`, ...: what changed, at which version, and by whom. */
const recordEventSchema = z.object({
  type: z.enum(RECORD_EVENT_TYPES),
  id: z.string(),
  version: z.number().int().nullable(),
  actorId: z.string().nullable(),
});

/**
 * A record key names one record for per-record presence and typing: `deal:<uuid>`,
 * `conversation:<uuid>` for an inbox conversation, or `ticket:<uuid>` for a support ticket.
 */
export const recordKeySchema = z
  .string()
  .regex(/^(contact|company|lead|deal|conversation|ticket):[0-9a-f-]{36}$/);

const jobProgressSchema = z.object({
  jobId: z.string(),
  status: z.enum(["pending", "running", "completed", "failed"]),
  total: z.number().int(),
  processed: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
});

/** Events the server sends to every socket of one organization. */
export const serverEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("presence.snapshot"), users: z.array(presenceUserSchema) }),
  z.object({ type: z.literal("presence.joined"), user: presenceUserSchema }),
  z.object({ type: z.literal("presence.left"), userId: z.string() }),
  z.object({ type: z.literal("member.updated"), member: memberSchema }),
  recordEventSchema,
  z.object({
    type: z.literal("deal.moved"),
    id: z.string(),
    fromStageId: z.string(),
    toStageId: z.string(),
    position: z.string(),
    version: z.number().int(),
    actorId: z.string().nullable(),
  }),
  jobProgressSchema.extend({ type: z.literal("import.progress") }),
  z.object({
    type: z.literal("export.ready"),
    jobId: z.string(),
    status: z.enum(["completed", "failed"]),
    rowCount: z.number().int().nullable(),
  }),
  z.object({
    type: z.literal("record.viewers"),
    record: recordKeySchema,
    users: z.array(presenceUserSchema),
  }),
  /**
   * Someone is writing in a record they view (a reply or a note in a conversation): sent by
   * the room to the other sockets viewing that record, at most every couple of seconds while
   * they type. The UI shows it for a few seconds. A website visitor typing in their
   * conversation comes the same way (`conversation:<id>`, `user.visitor`).
   */
  z.object({
    type: z.literal("record.typing"),
    record: recordKeySchema,
    user: z.union([presenceUserSchema, visitorTypistSchema]),
  }),
  z.object({ type: z.literal("pong") }),
  /** A call started, changed state or was edited. */
  z.object({ type: z.literal("call.updated"), call: callViewSchema }),
  z.object({ type: z.literal("agent.status"), agent: agentViewSchema }),
  z.object({ type: z.literal("pbx.status"), status: pbxStatusSchema }),
  /** The inbox: a conversation started or changed (new message, status, assignee, ...). */
  z.object({ type: z.literal("conversation.updated"), conversation: conversationViewSchema }),
  z.object({ type: z.literal("message.created"), message: messageViewSchema }),
  /** A message's delivery status changed (sent, delivered, read, failed). */
  z.object({ type: z.literal("message.updated"), message: messageViewSchema }),
  /** The support desk: a ticket opened or changed (status, assignee, a new comment, ...). */
  z.object({ type: z.literal("ticket.updated"), ticket: ticketSchema }),
  /** The bell: sent to the sockets of `userId` only (TenantRoom). */
  z.object({
    type: z.literal("notification.created"),
    userId: z.string(),
    notification: notificationSchema,
  }),
  /** Notifications read in one tab: the person's other tabs update their bell. */
  z.object({ type: z.literal("notification.read"), userId: z.string(), ids: z.array(z.string()) }),
]);
export type ServerEvent = z.infer<typeof serverEventSchema>;
export type RecordChange = Extract<ServerEvent, { type: RecordEventType }>;

/**
 * What the Worker publishes to the room after a commit: events for every socket (presence and
 * pong come from the room itself) and revocations, which the room applies and never forwards.
 */
export type PublishedEvent =
  | Exclude<
      ServerEvent,
      {
        type:
          | "presence.snapshot"
          | "presence.joined"
          | "presence.left"
          | "record.viewers"
          | "record.typing"
          | "pong";
      }
    >
  | AccessRevoked;

/**
 * Server times (ms since the epoch) that the room adds to every published event's frame as
 * `trace`: when the Worker's transaction committed and when the room received the event.
 * For measuring fan-out (bench/realtime.ts); clients ignore it (the schemas strip it).
 */
export interface PublishTrace {
  committed: number;
  room: number;
  /** PBX ingest only: when the gateway received the batch's first event, and began its transaction. */
  received?: number;
  began?: number;
}

/** Times the publisher knows (ms since the epoch); the room adds its own arrival. */
export interface PublishStamps {
  committedAt: number;
  receivedAt?: number;
  beganAt?: number;
}

/** Who opened a socket, as the Worker tells the room (from the verified access token). */
export const socketIdentitySchema = z.object({
  user: presenceUserSchema,
  sessionId: z.string(),
  /** When the access token was issued (ms since the epoch). */
  issuedAt: z.number(),
});
export type SocketIdentity = z.infer<typeof socketIdentitySchema>;

/** Messages a client may send. */
export const clientMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ping") }),
  /** The client now looks at this record (or at none), for per-record presence. */
  z.object({ type: z.literal("view"), record: recordKeySchema.nullable() }),
  /** The client is typing in the record it views (throttled by the client). */
  z.object({ type: z.literal("typing"), record: recordKeySchema }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

export function parseServerEvent(raw: string): ServerEvent | null {
  const parsed = serverEventSchema.safeParse(parseJson(raw));
  return parsed.success ? parsed.data : null;
}

export function parseClientMessage(raw: string): ClientMessage | null {
  const parsed = clientMessageSchema.safeParse(parseJson(raw));
  return parsed.success ? parsed.data : null;
}
