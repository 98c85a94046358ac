import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "../db/client";
import type { WebchatChannelSettings } from "../db/inbox-schema";
import { isUuid } from "../lib/crypto";

/*
 * A website chat channel as its visitor API needs it (its organization, allowed origins,
 * greeting, pre-chat form, identity secret), read before the organization is known through the
 * one SECURITY DEFINER function `webchat_channel` (migrations/0018) and kept in the isolate
 * briefly, as the WhatsApp webhook's secrets are (worker/whatsapp/webhook-secrets.ts): every
 * visitor request checks its Origin against the channel, so most need no extra round trip.
 * This isolate forgets a channel as soon as it is changed or removed here; other isolates
 * within FRESH_MS (a removed channel's conversations are not stored: the unit of work reads
 * the live channel again).
 */

export interface WebchatChannel {
  id: string;
  orgId: string;
  settings: WebchatChannelSettings;
  identitySecret: string | null;
}

const FRESH_MS = 30_000;
const MISS_MS = 5_000;
const MAX_ENTRIES = 10_000;

const cache = new Map<string, { channel: WebchatChannel | null; readAt: number }>();

const rowSchema = z.object({
  org_id: z.string(),
  settings: z.object({
    allowedOrigins: z.array(z.string()).default([]),
    greeting: z.string().nullable().default(null),
    preChatForm: z.boolean().default(false),
  }),
  identity_secret: z.string().nullable(),
});

async function readChannel(database: Database, id: string): Promise<WebchatChannel | null> {
  const { rows } = await database.global((tx) =>
    tx.execute(sql`select org_id, settings, identity_secret from webchat_channel(${id})`),
  );
  if (rows.length === 0) return null;
  const row = rowSchema.parse(rows[0]);
  return {
    id,
    orgId: row.org_id,
    settings: row.settings,
    identitySecret: row.identity_secret,
  };
}

/** A live website chat channel, from the isolate when fresh; null if there is none. */
export async function webchatChannel(
  database: Database,
  id: string,
  now = Date.now(),
): Promise<WebchatChannel | null> {
  if (!isUuid(id)) return null;
  const entry = cache.get(id);
  if (entry && now - entry.readAt < (entry.channel ? FRESH_MS : MISS_MS)) return entry.channel;
  const channel = await readChannel(database, id);
  cache.delete(id);
  if (cache.size >= MAX_ENTRIES) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(id, { channel, readAt: now });
  return channel;
}

/** A channel changed or removed in this isolate: its next visitor request reads the database. */
export function forgetWebchatChannel(id: string) {
  cache.delete(id);
}
