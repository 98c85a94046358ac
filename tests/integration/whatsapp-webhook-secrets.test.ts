import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "../../worker/db/client";
import { whatsAppWebhookSecrets } from "../../worker/whatsapp/webhook-secrets";
import { signUp, workerDatabase } from "./helpers";
import { createWhatsAppChannel } from "./inbox-helpers";

/*
 * The isolate's copy of a channel's webhook secrets (webhook-secrets.ts). At 1,000 deliveries
 * a second, every delivery that arrives while the copy is being read again must wait for that
 * one read: one read each would open as many database connections as there are deliveries in
 * flight, and the isolate stops answering (bench:webhooks, decision 028).
 */

const FAR_LATER = Date.now() + 10 * 60_000;
const opened: Database[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((database) => database.close()));
});

describe("webhook secrets kept in the isolate", () => {
  it("reads a channel's secrets once however many deliveries wait for them at the same time", async () => {
    const owner = await signUp("wa-secrets-once");
    const channel = await createWhatsAppChannel(owner);
    const database = workerDatabase();
    opened.push(database);

    const waiting = await Promise.all(
      Array.from({ length: 50 }, () => whatsAppWebhookSecrets(database, channel.id, FAR_LATER)),
    );

    expect(new Set(waiting.map((secrets) => secrets?.appSecret))).toEqual(
      new Set([channel.appSecret]),
    );
    expect(waiting.every((secrets) => secrets?.orgId === owner.orgId)).toBe(true);
    expect(database.serverTiming()).toContain('desc="1 transaction"');
  });

  it("answers from the isolate while fresh, and reads again once stale", async () => {
    const owner = await signUp("wa-secrets-fresh");
    const channel = await createWhatsAppChannel(owner);
    const database = workerDatabase();
    opened.push(database);

    await whatsAppWebhookSecrets(database, channel.id, FAR_LATER);
    await whatsAppWebhookSecrets(database, channel.id, FAR_LATER + 1_000);
    expect(database.serverTiming()).toContain('desc="1 transaction"');
    await whatsAppWebhookSecrets(database, channel.id, FAR_LATER + 61_000);
    expect(database.serverTiming()).toContain('desc="2 transactions"');
  });
});
