import { createServer, type Server } from "node:http";
import pg from "pg";
import { hmacSha256Hex, randomToken } from "../../worker/lib/crypto";

/*
 * The local website chat: a demo channel of the demo organization (fixed id) that may be
 * embedded on a small demo shop the dev script serves on its own port (PORT + 1), the page
 * "Acme Outdoor — demo shop" with the widget's script tag. `?as=<id>` on the page signs the
 * visitor in as a known customer (the page computes the identity hash, as a real site's server
 * would), to try identified visitors.
 */

export const DEMO_WEBCHAT = {
  channelId: "00000000-0000-4000-8000-00000000c002",
  name: "Acme Outdoor website",
  greeting: "Hi! 👋 Questions about gear, sizes or an order? Ask away.",
} as const;

/** The demo channel, created once with the shop's origin; its identity secret is returned. */
async function ensureDemoChannel(ownerUrl: string, orgId: string, origin: string) {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query("begin");
    await client.query("select set_config('app.org_id', $1, true)", [orgId]);
    const existing = await client.query<{ deleted: boolean; identity_secret: string | null }>(
      `select c.deleted_at is not null as deleted, s.identity_secret
       from channels c left join channel_secrets s on s.channel_id = c.id where c.id = $1`,
      [DEMO_WEBCHAT.channelId],
    );
    const row = existing.rows[0];
    if (row) {
      // The dev port may have changed since: keep the shop's origin allowed.
      await client.query(
        `update channels set settings = jsonb_set(settings, '{allowedOrigins}',
           (select coalesce(jsonb_agg(distinct o), '[]'::jsonb) from jsonb_array_elements(
             settings->'allowedOrigins' || jsonb_build_array($2::text)) o))
         where id = $1 and deleted_at is null`,
        [DEMO_WEBCHAT.channelId, origin],
      );
      await client.query("commit");
      return row.deleted ? null : { identitySecret: row.identity_secret };
    }
    const identitySecret = randomToken(24);
    await client.query(
      `insert into channels (id, org_id, type, name, settings) values ($1, $2, 'webchat', $3, $4)`,
      [
        DEMO_WEBCHAT.channelId,
        orgId,
        DEMO_WEBCHAT.name,
        JSON.stringify({
          allowedOrigins: [origin],
          greeting: DEMO_WEBCHAT.greeting,
          preChatForm: true,
        }),
      ],
    );
    await client.query(
      `insert into channel_secrets (channel_id, org_id, identity_secret) values ($1, $2, $3)`,
      [DEMO_WEBCHAT.channelId, orgId, identitySecret],
    );
    await client.query("commit");
    return { identitySecret };
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function shopPage(workerUrl: string, identity: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme Outdoor — demo shop</title>
<style>
  body { font-family: Georgia, serif; margin: 0; color: #1f2937; background: #f7f5f0; }
  header { background: #14532d; color: #fff; padding: 24px; }
  main { max-width: 860px; margin: 0 auto; padding: 24px; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 16px; }
  .card { background: #fff; border-radius: 8px; padding: 16px; box-shadow: 0 1px 3px #0002; }
  /* Styles that would break a widget without a shadow root: */
  button { background: hotpink !important; font-size: 30px; }
  div { letter-spacing: 0.5px; }
</style>
${identity}
</head>
<body>
<header><h1>Acme Outdoor — demo shop</h1><p>Tents, packs and boots since 1987.</p></header>
<main>
  <p>This page is served by <code>npm run dev</code> to try Switchboard's website chat. Open
  the bubble in the corner; answer in the inbox at <a href="${workerUrl}/app">${workerUrl}</a>.
  Add <code>?as=42</code> to the address to chat as a signed-in customer.</p>
  <div class="grid">
    <div class="card"><h3>Ridgeline 2 tent</h3><p>2.1 kg, three seasons. $329</p></div>
    <div class="card"><h3>Summit 45 pack</h3><p>Adjustable back, rain cover. $189</p></div>
    <div class="card"><h3>Trailhead boots</h3><p>Waterproof, wide fit available. $159</p></div>
  </div>
</main>
<script src="${workerUrl}/widget.js" data-channel="${DEMO_WEBCHAT.channelId}" async></script>
</body>
</html>`;
}

export interface WebchatDemoOptions {
  workerUrl: string;
  ownerUrl: string;
  orgId: string;
  port: number;
  log: (line: string) => void;
}

export async function startWebchatDemo(
  options: WebchatDemoOptions,
): Promise<{ url: string; stop(): Promise<void> }> {
  const url = `http://127.0.0.1:${options.port}`;
  const channel = await ensureDemoChannel(options.ownerUrl, options.orgId, url);
  if (!channel) options.log("the demo website chat was removed; the demo shop has no chat");
  const server: Server = createServer((request, response) => {
    const requested = new URL(request.url ?? "/", url);
    if (requested.pathname !== "/") {
      response.writeHead(404).end("Not found");
      return;
    }
    const as = requested.searchParams.get("as");
    let identity = "";
    if (as && channel?.identitySecret) {
      const hash = hmacSha256Hex(channel.identitySecret, as);
      const user = { identifier: as, identifierHash: hash, name: `Customer ${as}` };
      identity = `<script>window.SwitchboardChat = ${JSON.stringify(user).replace(/</g, "\\u003c")};</script>`;
    }
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(shopPage(escapeHtml(options.workerUrl), identity));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  return {
    url,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
