import type { Context, Hono } from "hono";
import { z } from "zod";
import { recordAudit } from "../audit/service";
import { Database } from "../db/client";
import { constantTimeEqual, verifyHmacSha256Hex } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import type { AppEnv } from "../lib/hono";
import type { InboundMessage } from "./inbound-queue";
import {
  recheckWebhookSecrets,
  type WhatsAppWebhookSecrets,
  whatsAppWebhookSecrets,
} from "./webhook-secrets";

/*
 * Meta's webhooks for a WhatsApp channel: `/webhooks/whatsapp/:channelId`, the URL the
 * channel's answer gives (worker/channels/service.ts).
 * - GET answers Meta's verification: when an admin saves the URL in Meta's dashboard, Meta
 *   sends `hub.mode=subscribe`, the verify token typed there, and a challenge to echo.
 * - POST delivers messages and statuses. Its hot path does no database round trip (the
 *   channel's secrets are kept in the isolate, webhook-secrets.ts): check
 *   `X-Hub-Signature-256` over the raw body before reading it, put the body on the inbound
 *   queue, answer 200. The consumer stores it (ingest.ts). A queue that refuses is a 503, so
 *   Meta delivers again later (it retries for days).
 */

/** Meta's challenge is a number; anything echoed stays short and printable. */
const challengeSchema = z.string().regex(/^[\x21-\x7e]{1,256}$/);

/** A queue message holds 128 KB; Meta's deliveries are a few KB. */
export const MAX_WEBHOOK_BYTES = 96 * 1024;

const SIGNATURE_PATTERN = /^sha256=([0-9a-f]{64})$/;

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

  app.post("/webhooks/whatsapp/:channelId", async (c) => {
    const channelId = c.req.param("channelId");
    const declared = Number(c.req.header("content-length") ?? 0);
    if (declared > MAX_WEBHOOK_BYTES) throw tooLarge();
    const raw = await c.req.text();
    if (raw.length > MAX_WEBHOOK_BYTES) throw tooLarge();

    const secrets = await whatsAppWebhookSecrets(c.var.database, channelId);
    if (!secrets) throw ApiError.notFound("WhatsApp channel");
    c.set("logContext", { orgId: secrets.orgId });
    const signature = SIGNATURE_PATTERN.exec(c.req.header("x-hub-signature-256") ?? "")?.[1];
    if (!signature) return rejectSignature(c, channelId, secrets, "missing");
    let verified = await signs(secrets, raw, signature);
    if (!verified) {
      const reread = await recheckWebhookSecrets(c.var.database, channelId);
      verified = reread !== null && (await signs(reread, raw, signature));
    }
    if (!verified) return rejectSignature(c, channelId, secrets, "mismatch");

    const message: InboundMessage = {
      type: "whatsapp.webhook",
      orgId: secrets.orgId,
      channelId,
      receivedAt: Date.now(),
      body: raw,
    };
    try {
      await c.env.INBOUND.send(message, { contentType: "json" });
    } catch (error) {
      console.error(
        JSON.stringify({ level: "error", msg: "inbound queue refused", error: String(error) }),
      );
      throw new ApiError(
        503,
        "service_unavailable",
        "Could not accept the delivery now; send it again.",
      );
    }
    return c.text("EVENT_RECEIVED", 200);
  });
}

function tooLarge() {
  return new ApiError(
    413,
    "payload_too_large",
    `A webhook delivery is at most ${MAX_WEBHOOK_BYTES} bytes.`,
  );
}

async function signs(
  secrets: WhatsAppWebhookSecrets,
  raw: string,
  signature: string,
): Promise<boolean> {
  return (
    secrets.appSecret !== null && (await verifyHmacSha256Hex(secrets.appSecret, raw, signature))
  );
}

/*
 * A rejected signature is a 401, logged every time and audited for the channel's organization
 * at most once a minute per channel and isolate, with how many were rejected since (a flood
 * must not become a flood of writes).
 */
const AUDIT_EVERY_MS = 60_000;
const rejected = new Map<string, { auditedAt: number; since: number }>();

function rejectSignature(
  c: Context<AppEnv>,
  channelId: string,
  secrets: WhatsAppWebhookSecrets,
  reason: "missing" | "mismatch",
) {
  const now = Date.now();
  const counter = rejected.get(channelId) ?? { auditedAt: 0, since: 0 };
  counter.since += 1;
  rejected.set(channelId, counter);
  console.warn(
    JSON.stringify({
      level: "warn",
      msg: "whatsapp webhook signature rejected",
      channelId,
      reason,
      requestId: c.var.requestId,
    }),
  );
  if (now - counter.auditedAt >= AUDIT_EVERY_MS) {
    const count = counter.since;
    counter.auditedAt = now;
    counter.since = 0;
    const config = c.var.config;
    const database = new Database(config.DATABASE_URL, config.NEON_LOCAL_PROXY);
    const meta = c.var.meta;
    c.executionCtx.waitUntil(
      database
        .transaction({ orgId: secrets.orgId, userId: null }, (tx) =>
          recordAudit(
            tx,
            {
              orgId: secrets.orgId,
              actor: { userId: null, apiKeyId: null },
              action: "channel.webhook_rejected",
              target: { type: "channel", id: channelId },
              metadata: { reason, rejected: count },
            },
            meta,
          ),
        )
        .catch((error) =>
          console.error(
            JSON.stringify({ level: "error", msg: "audit not written", error: String(error) }),
          ),
        )
        .finally(() => database.close()),
    );
  }
  throw new ApiError(
    401,
    "invalid_signature",
    reason === "missing"
      ? "X-Hub-Signature-256 is missing or malformed."
      : "X-Hub-Signature-256 does not match the body signed with this channel's app secret.",
  );
}
