import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "../db/client";
import { isUuid } from "../lib/crypto";

/*
 * What checks a WhatsApp channel's webhooks (its organization, app secret and verify token),
 * read before the organization is known through the one SECURITY DEFINER function
 * `whatsapp_webhook_secrets` (migrations/0016), and kept in the isolate so that Meta's
 * deliveries need no database round trip (docs/decisions/028):
 * - a channel's secrets are trusted for FRESH_MS, then read again on the next delivery;
 * - a signature that does not match makes one early re-read (at most every RECHECK_MS per
 *   channel), so a secret replaced elsewhere is picked up at once and a flood of bad
 *   signatures costs at most one read per channel every few seconds;
 * - an unknown channel is remembered for MISS_MS;
 * - deliveries that arrive while a channel's secrets are being read wait for that one read
 *   (the entry holds the read itself): a read each opened a database connection per delivery
 *   in flight every time the copy went stale, hundreds at once at 1,000 deliveries a second;
 * - this isolate forgets a channel as soon as it is changed or removed here
 *   (`forgetWebhookSecrets`); other isolates within FRESH_MS, and the queue consumer stores
 *   nothing for a channel that is no longer live.
 */

export type WhatsAppWebhookSecrets = {
  orgId: string;
  appSecret: string | null;
  verifyToken: string | null;
};

const FRESH_MS = 60_000;
const MISS_MS = 5_000;
const RECHECK_MS = 5_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  /** The read, shared by every delivery that arrives while it is in progress. */
  read: Promise<WhatsAppWebhookSecrets | null>;
  readAt: number;
  /** What the read found; undefined while it is in progress. */
  secrets?: WhatsAppWebhookSecrets | null;
}
const cache = new Map<string, Entry>();

function isFresh(entry: Entry, now: number): boolean {
  if (entry.secrets === undefined) return true;
  return now - entry.readAt < (entry.secrets ? FRESH_MS : MISS_MS);
}

const secretsRowSchema = z.object({
  org_id: z.string(),
  app_secret: z.string().nullable(),
  verify_token: z.string().nullable(),
});

async function readSecrets(
  database: Database,
  channelId: string,
): Promise<WhatsAppWebhookSecrets | null> {
  const { rows } = await database.global((tx) =>
    tx.execute(
      sql`select org_id, app_secret, verify_token from whatsapp_webhook_secrets(${channelId})`,
    ),
  );
  if (rows.length === 0) return null;
  const row = secretsRowSchema.parse(rows[0]);
  return { orgId: row.org_id, appSecret: row.app_secret, verifyToken: row.verify_token };
}

function refresh(database: Database, channelId: string, now: number) {
  cache.delete(channelId);
  if (cache.size >= MAX_ENTRIES) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  const entry: Entry = { read: readSecrets(database, channelId), readAt: now };
  cache.set(channelId, entry);
  entry.read.then(
    (secrets) => {
      entry.secrets = secrets;
    },
    () => {
      if (cache.get(channelId) === entry) cache.delete(channelId);
    },
  );
  return entry.read;
}

/** A live WhatsApp channel's webhook secrets, from the isolate when fresh; null if none. */
export async function whatsAppWebhookSecrets(
  database: Database,
  channelId: string,
  now = Date.now(),
): Promise<WhatsAppWebhookSecrets | null> {
  if (!isUuid(channelId)) return null;
  const entry = cache.get(channelId);
  if (entry && isFresh(entry, now)) return entry.read;
  return refresh(database, channelId, now);
}

/**
 * After a check failed against the kept secrets: read them again unless they were read
 * moments ago. Null when there is nothing newer to try.
 */
export async function recheckWebhookSecrets(
  database: Database,
  channelId: string,
  now = Date.now(),
): Promise<WhatsAppWebhookSecrets | null> {
  const entry = cache.get(channelId);
  if (entry && now - entry.readAt < RECHECK_MS) return null;
  return refresh(database, channelId, now);
}

/** A channel changed or removed in this isolate: its next delivery reads the database. */
export function forgetWebhookSecrets(channelId: string) {
  cache.delete(channelId);
}
