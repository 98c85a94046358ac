import { z } from "zod";
import { ROLES } from "../auth/permissions";

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

export const memberSchema = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  role: z.enum(ROLES),
  status: z.enum(["active", "deactivated"]),
});

/** Events the server sends to every socket of one organization. */
export const serverEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("presence.snapshot"), users: z.array(presenceUserSchema) }),
  z.object({ type: z.literal("presence.joined"), user: presenceUserSchema }),
  z.object({ type: z.literal("presence.left"), userId: z.string() }),
  z.object({ type: z.literal("member.updated"), member: memberSchema }),
  z.object({ type: z.literal("pong") }),
]);
export type ServerEvent = z.infer<typeof serverEventSchema>;

/** Events the Worker publishes after a commit (presence and pong come from the room itself). */
export type PublishedEvent = Extract<ServerEvent, { type: "member.updated" }>;

/** Messages a client may send. */
export const clientMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ping") }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export function assertNever(value: never): never {
  throw new Error(`Unhandled message: ${JSON.stringify(value)}`);
}

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
