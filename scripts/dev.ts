import path from "node:path";
import { startPbxDemo } from "./lib/pbx-demo";
import { LocalSetupError } from "./lib/postgres";
import { DEMO_ORG, DEMO_PASSWORD, DEMO_USERS } from "./lib/seed";
import { ROOT, startStack } from "./lib/stack";
import { startWhatsAppDemo } from "./lib/whatsapp-demo";

/** `npm run dev`: the whole product locally with demo data, on http://127.0.0.1:8787 (or $PORT). */
const CRON_INTERVAL_MS = 15 * 60 * 1000;

async function main() {
  const port = Number(process.env.PORT ?? 8787);
  const log = (line: string) => console.log(`[dev] ${line}`);
  log("starting PostgreSQL, the Neon proxy and workerd ...");
  const stack = await startStack({
    port,
    dataDir: path.join(ROOT, ".data/postgres"),
    persistent: true,
    wranglerStateDir: path.join(ROOT, ".data/wrangler"),
    seed: true,
    watchApp: true,
    vars: { ENVIRONMENT: "development" },
    log,
  });

  const demoCalls = process.env.DEMO_CALLS !== "0";
  const pbx = await startPbxDemo({
    workerUrl: stack.url,
    ownerUrl: stack.databaseOwnerUrl,
    orgId: DEMO_ORG.id,
    dataDir: path.join(ROOT, ".data/pbx"),
    demoIntervalSeconds: demoCalls ? Number(process.env.DEMO_INTERVAL_SECONDS ?? 10) : 0,
    log,
  });

  const whatsappDemo = process.env.WHATSAPP_DEMO !== "0";
  const whatsapp = await startWhatsAppDemo({
    workerUrl: stack.url,
    ownerUrl: stack.databaseOwnerUrl,
    orgId: DEMO_ORG.id,
    fakeMeta: stack.fakeMeta,
    intervalSeconds: whatsappDemo ? Number(process.env.WHATSAPP_INTERVAL_SECONDS ?? 8) : 0,
    log,
  });

  // wrangler dev does not fire cron triggers by itself; mirror wrangler.toml's schedule.
  const cron = setInterval(() => {
    fetch(`${stack.url}/__scheduled?cron=*/15+*+*+*+*`).catch(() => {});
  }, CRON_INTERVAL_MS);

  console.log("");
  console.log(`  Switchboard is running at ${stack.url}`);
  console.log(`  API reference: ${stack.url}/api/docs`);
  if (stack.seeded) console.log("  Demo data was seeded.");
  console.log(`  Demo users (password "${DEMO_PASSWORD}"):`);
  for (const user of DEMO_USERS) console.log(`    ${user.role.padEnd(8)} ${user.email}`);
  console.log(
    `  PBX: ARI simulator ${pbx.ariUrl} -> pbx-bridge ${pbx.bridgeUrl} (/healthz, /metrics) -> the Worker;`,
  );
  console.log(
    demoCalls
      ? "  a demo call every few seconds (DEMO_CALLS=0 turns them off). The agent is extension 1001."
      : "  demo calls are off (DEMO_CALLS=0).",
  );
  console.log(
    `  WhatsApp: a local fake of Meta's Graph API at ${stack.fakeMeta.url} (sent messages: /_fake/sent);`,
  );
  console.log(
    whatsappDemo
      ? "  a customer writes to the demo number every few seconds (WHATSAPP_DEMO=0 turns it off)."
      : "  demo WhatsApp messages are off (WHATSAPP_DEMO=0).",
  );
  console.log("  Ctrl-C stops everything; data is kept in .data/.");
  console.log("");

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(cron);
    log("stopping ...");
    whatsapp.stop();
    await pbx.stop();
    await stack.stop();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main().catch((error) => {
  console.error(error instanceof LocalSetupError ? `\n${error.message}\n` : error);
  process.exit(1);
});
