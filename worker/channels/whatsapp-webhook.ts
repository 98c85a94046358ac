import { sql } from "drizzle-orm";
import type { Hono } from "hono";
import { z } from "zod";
import type { Database } from "../db/client";
import { constantTimeEqual, isUuid } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import type { AppEnv } from "../lib/hono";

/*
 * Meta's webhooks for a WhatsApp channel: `/webhooks/whatsapp/:channelId`, the URL the
 * channel's answer gives (worker/channels/service.ts). This file answers Meta's verification
 * request (GET): when an admin saves the URL in Meta's dashboard, Meta sends
 * `hub.mode=subscribe`, the verify token the admin typed there, and a challenge to echo.
 */

const secretsRowSchema = z.object({
  org_id: z.string(),
  app_secret: z.string().nullable(),
  verify_token: z.string().nullable(),
});
export type WhatsAppWebhookSecrets = {
  orgId: string;
  appSecret: string | null;
  verifyToken: string | null;
};

/** What checks a live WhatsApp channel's webhooks, before its organization is known; null if none. */
export async function whatsAppWebhookSecrets(
  database: Database,
  channelId: string,
): Promise<WhatsAppWebhookSecrets | null> {
  if (!isUuid(channelId)) return null;
  const { rows } = await database.global((tx) =>
    tx.execute(
      sql`select org_id, app_secret, verify_token from whatsapp_webhook_secrets(${channelId})`,
    ),
  );
  if (rows.length === 0) return null;
  const row = secretsRowSchema.parse(rows[0]);
  return { orgId: row.org_id, appSecret: row.app_secret, verifyToken: row.verify_token };
}

/** Meta's challenge is a number; anything echoed stays short and printable. */
const challengeSchema = z.string().regex(/^[\x21-\x7e]{1,256}$/);

export function registerWhatsAppWebhookRoutes(app: Hono<AppEnv>) {
  app.get("/webhooks/whatsapp/:channelId", async (c) => {
    const secrets = await whatsAppWebhookSecrets(c.var.database, c.req.param("channelId"));
    if (!secrets) throw ApiError.notFound("WhatsApp channel");
    const mode = c.req.query("hub.mode");
    const token = c.req.query("hub.verify_token") ?? "";
    const challenge = challengeSchema.safeParse(c.req.query("hub.challenge"));
    if (mode !== "subscribe") {
      throw ApiError.badRequest("Expected hub.mode=subscribe.", {
        "hub.mode": ["Expected subscribe."],
      });
    }
    if (!challenge.success) {
      throw ApiError.badRequest("Expected hub.challenge.", {
        "hub.challenge": ["Expected the challenge Meta sends (printable, at most 256 characters)."],
      });
    }
    if (!secrets.verifyToken || !constantTimeEqual(token, secrets.verifyToken)) {
      throw ApiError.forbidden("The verify token does not match this channel's.");
    }
    c.set("logContext", { orgId: secrets.orgId });
    return c.text(challenge.data, 200);
  });
}
