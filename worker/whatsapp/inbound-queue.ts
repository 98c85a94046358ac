import { z } from "zod";
import { Database } from "../db/client";
import { type Env, readConfig } from "../env";
import { retryDelaySeconds } from "../jobs/consumer";
import { deliverAfterCommit } from "../lib/after-commit";
import { onlineMembers } from "../realtime/publish";
import { ingestWhatsAppDeliveries } from "./ingest";

/*
 * The inbound queue: webhook deliveries accepted at the edge (signature checked), stored by
 * this consumer in batches, one unit of work per organization in the batch (ingest.ts).
 * A batch that fails is delivered again with backoff; storing is idempotent by wamid, so a
 * retry never stores a message twice. Out of retries, a delivery lands on the inbound
 * dead-letter queue, whose consumer logs it whole (nothing is silently lost).
 */

export const INBOUND_QUEUE = "switchboard-inbound";
export const INBOUND_DEAD_LETTER_QUEUE = "switchboard-inbound-dlq";

export const inboundMessageSchema = z.object({
  type: z.literal("whatsapp.webhook"),
  orgId: z.string().uuid(),
  channelId: z.string().uuid(),
  /** When the edge accepted it (ms since the epoch). */
  receivedAt: z.number(),
  /** The raw body Meta signed. */
  body: z.string(),
});
export type InboundMessage = z.infer<typeof inboundMessageSchema>;

export async function handleInboundBatch(
  batch: MessageBatch<unknown>,
  env: Env,
  ctx: ExecutionContext,
) {
  if (batch.queue === INBOUND_DEAD_LETTER_QUEUE) {
    for (const message of batch.messages) {
      console.error(
        JSON.stringify({
          level: "error",
          msg: "inbound delivery dead-lettered",
          id: message.id,
          body: message.body,
        }),
      );
      message.ack();
    }
    return;
  }
  const byOrg = new Map<string, { message: Message<unknown>; delivery: InboundMessage }[]>();
  for (const message of batch.messages) {
    const parsed = inboundMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      console.error(
        JSON.stringify({ level: "error", msg: "inbound message rejected", id: message.id }),
      );
      message.ack();
      continue;
    }
    const list = byOrg.get(parsed.data.orgId) ?? [];
    list.push({ message, delivery: parsed.data });
    byOrg.set(parsed.data.orgId, list);
  }
  const config = readConfig(env);
  const database = new Database(config.DATABASE_URL, config.NEON_LOCAL_PROXY);
  try {
    await Promise.all(
      [...byOrg].map(async ([orgId, items]) => {
        try {
          const summary = await ingestWhatsAppDeliveries(
            database,
            orgId,
            items.map(({ delivery }) => delivery),
            deliverAfterCommit(env),
            () => onlineMembers(env, orgId),
          );
          console.log(JSON.stringify({ level: "info", msg: "inbound stored", orgId, ...summary }));
          for (const { message } of items) message.ack();
        } catch (error) {
          console.error(
            JSON.stringify({
              level: "error",
              msg: "inbound batch failed",
              orgId,
              error: String(error),
            }),
          );
          for (const { message } of items) {
            message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
          }
        }
      }),
    );
  } finally {
    ctx.waitUntil(database.close());
  }
}
