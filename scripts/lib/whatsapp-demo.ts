import pg from "pg";
import { randomToken } from "../../worker/lib/crypto";
import type { FakeMeta } from "./fake-meta";
import { startWhatsAppSimulator } from "./whatsapp-simulator";

/*
 * The local WhatsApp: a demo channel of the demo organization on the fake Meta (the number is
 * registered there with the channel's secrets and its webhook URL on the local Worker), and,
 * unless turned off, customers writing in every few seconds (scripts/lib/whatsapp-simulator.ts).
 * Replies sent from the inbox reach the fake, which reports sent, delivered and read back.
 */

export const DEMO_WHATSAPP = {
  channelId: "00000000-0000-4000-8000-00000000c001",
  name: "WhatsApp support",
  phoneNumberId: "109876543210001",
  wabaId: "102290129340398",
  displayPhoneNumber: "15550100001",
} as const;

interface DemoSecrets {
  accessToken: string;
  appSecret: string;
  verifyToken: string;
}

/** The demo channel, created once (its secrets kept in the database, as any channel's). */
async function ensureDemoChannel(ownerUrl: string, orgId: string): Promise<DemoSecrets | null> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query("begin");
    await client.query("select set_config('app.org_id', $1, true)", [orgId]);
    const existing = await client.query<{ deleted: boolean } & Record<string, string>>(
      `select c.deleted_at is not null as deleted, s.access_token, s.app_secret, s.verify_token
       from channels c left join channel_secrets s on s.channel_id = c.id where c.id = $1`,
      [DEMO_WHATSAPP.channelId],
    );
    const row = existing.rows[0];
    if (row) {
      await client.query("commit");
      if (row.deleted || !row.access_token || !row.app_secret) return null;
      return {
        accessToken: row.access_token,
        appSecret: row.app_secret,
        verifyToken: row.verify_token ?? "",
      };
    }
    const secrets = {
      accessToken: `EAAG${randomToken(24)}`,
      appSecret: randomToken(24),
      verifyToken: randomToken(12),
    };
    await client.query(
      `insert into channels (id, org_id, type, name, settings) values ($1, $2, 'whatsapp', $3, $4)`,
      [
        DEMO_WHATSAPP.channelId,
        orgId,
        DEMO_WHATSAPP.name,
        JSON.stringify({
          phoneNumberId: DEMO_WHATSAPP.phoneNumberId,
          wabaId: DEMO_WHATSAPP.wabaId,
        }),
      ],
    );
    await client.query(
      `insert into channel_secrets (channel_id, org_id, access_token, app_secret, verify_token)
       values ($1, $2, $3, $4, $5)`,
      [DEMO_WHATSAPP.channelId, orgId, secrets.accessToken, secrets.appSecret, secrets.verifyToken],
    );
    await client.query("commit");
    return secrets;
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

export interface WhatsAppDemoOptions {
  workerUrl: string;
  ownerUrl: string;
  orgId: string;
  fakeMeta: FakeMeta;
  /** Seconds between customers' messages; 0 sends none. */
  intervalSeconds: number;
  log: (line: string) => void;
}

export async function startWhatsAppDemo(options: WhatsAppDemoOptions): Promise<{ stop(): void }> {
  const secrets = await ensureDemoChannel(options.ownerUrl, options.orgId);
  if (!secrets) {
    options.log("the demo WhatsApp channel was removed; no demo messages");
    return { stop() {} };
  }
  options.fakeMeta.registerNumber({
    phoneNumberId: DEMO_WHATSAPP.phoneNumberId,
    wabaId: DEMO_WHATSAPP.wabaId,
    displayPhoneNumber: DEMO_WHATSAPP.displayPhoneNumber,
    verifiedName: "Switchboard Demo",
    webhookUrl: `${options.workerUrl}/webhooks/whatsapp/${DEMO_WHATSAPP.channelId}`,
    ...secrets,
  });
  if (options.intervalSeconds <= 0) return { stop() {} };
  return startWhatsAppSimulator({
    fakeMeta: options.fakeMeta,
    phoneNumberId: DEMO_WHATSAPP.phoneNumberId,
    intervalMs: options.intervalSeconds * 1000,
    log: options.log,
  });
}
