import { and, eq, isNull, ne } from "drizzle-orm";
import { z } from "zod";
import { Database } from "../db/client";
import { conversations } from "../db/inbox-schema";
import { type Env, readConfig } from "../env";

/*
 * The visitor's "… is typing" for the team (docs/decisions/039-inbox-flow.md): the widget sends
 * `{ type: "typing" }` on its socket; the visitor's room (visitor-room.ts) lets one through a
 * second and hands it here with who the socket is (the Worker verified their token before the
 * upgrade). The frame names no conversation: it goes to the visitor's open conversation on that
 * chat (the `conversations_live_key` index), as `record.typing` for `conversation:<id>` to the
 * agents viewing it (TenantRoom.visitorTyping), never to anyone else.
 */

/** Who a visitor socket is: set by the Worker at the upgrade (the verified visitor token). */
export const visitorSocketSchema = z.object({
  orgId: z.string().uuid(),
  channelId: z.string().uuid(),
  /** `visitor:<id>` or `user:<identifier>`: the conversation's external id. */
  sub: z.string().min(1),
  name: z.string().nullable(),
});
export type VisitorSocket = z.infer<typeof visitorSocketSchema>;

/** What the widget may send on its socket. */
export const visitorFrameSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ping") }),
  z.object({ type: z.literal("typing") }),
]);

export function parseVisitorFrame(raw: string) {
  try {
    const parsed = visitorFrameSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The visitor's open conversation on the chat, or null (resolved or none yet). */
export async function openVisitorConversationId(
  env: Env,
  visitor: VisitorSocket,
): Promise<string | null> {
  const config = readConfig(env);
  const database = new Database(config.DATABASE_URL, config.NEON_LOCAL_PROXY);
  try {
    return await database.transaction({ orgId: visitor.orgId, userId: null }, async (tx) => {
      const [row] = await tx
        .select({ id: conversations.id })
        .from(conversations)
        .where(
          and(
            eq(conversations.channelId, visitor.channelId),
            eq(conversations.externalId, visitor.sub),
            ne(conversations.status, "resolved"),
            isNull(conversations.mergedIntoId),
          ),
        )
        .limit(1);
      return row?.id ?? null;
    });
  } finally {
    await database.close();
  }
}

/** "<name> is typing…" to the agents viewing the visitor's open conversation. */
export async function forwardVisitorTyping(
  env: Env,
  visitor: VisitorSocket,
  conversationId: string,
) {
  await env.TENANT_ROOM.getByName(visitor.orgId).visitorTyping(`conversation:${conversationId}`, {
    userId: visitor.sub,
    name: visitor.name ?? "The visitor",
    visitor: true,
  });
}
