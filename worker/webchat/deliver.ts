import { and, inArray, lt, sql } from "drizzle-orm";
import type { VisitorEvent } from "../../shared/webchat";
import { toMessageView } from "../conversations/load";
import { Database } from "../db/client";
import { messages } from "../db/inbox-schema";
import { type Env, readConfig } from "../env";
import { runUnitOfWork } from "../lib/unit-of-work";
import { publishToOrg } from "../realtime/publish";
import { withMediaUrls } from "./media";
import { visitorRoomName } from "./visitor-room";

/** An event for one website visitor's room, collected by a unit of work (`notifyVisitor`). */
export interface VisitorNotice {
  channelId: string;
  /** The visitor (`visitor:<id>`, `user:<id>`): the conversation's external id. */
  externalId: string;
  event: VisitorEvent;
  /** The team's message this carries: `delivered` once an open socket of the visitor took it. */
  deliveredMessageId?: string;
}

/**
 * After commit: each notice to its visitor's room. A reply that reached at least one open
 * socket becomes `delivered` (a small unit of work of its own, announced to the team as
 * `message.updated`); one that reached none stays `sent`, and the visitor reads it on their
 * next visit.
 */
export async function deliverToVisitors(env: Env, orgId: string, notices: VisitorNotice[]) {
  if (notices.length === 0) return;
  const delivered: string[] = [];
  const config = readConfig(env);
  await Promise.all(
    notices.map(async (notice) => {
      const room = env.VISITOR_ROOM.getByName(visitorRoomName(notice.channelId, notice.externalId));
      const event =
        notice.event.type === "message.created" && notice.event.message.media
          ? {
              ...notice.event,
              message:
                withMediaUrls(config, notice.channelId, notice.externalId, [
                  notice.event.message,
                ])[0] ?? notice.event.message,
            }
          : notice.event;
      const sockets = await room.push(event);
      if (sockets > 0 && notice.deliveredMessageId) delivered.push(notice.deliveredMessageId);
    }),
  );
  if (delivered.length > 0) await markDelivered(env, orgId, delivered);
}

async function markDelivered(env: Env, orgId: string, ids: string[]) {
  const config = readConfig(env);
  const database = new Database(config.DATABASE_URL, config.NEON_LOCAL_PROXY);
  try {
    await runUnitOfWork(
      database,
      { orgId, userId: null },
      ({ events }) => publishToOrg(env, orgId, events),
      async (unit) => {
        const rows = await unit.tx
          .update(messages)
          .set({ status: "delivered", statusAt: new Date() })
          .where(and(inArray(messages.id, ids), lt(messages.status, sql`'delivered'`)))
          .returning();
        for (const row of rows) {
          unit.emit({ type: "message.updated", message: toMessageView(row) });
        }
      },
    );
  } finally {
    await database.close();
  }
}
