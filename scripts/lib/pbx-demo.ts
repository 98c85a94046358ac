import { randomInt } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import {
  type AriSimulator,
  SCENARIO_NAMES,
  type ScenarioName,
  startAriSimulator,
} from "../../pbx-bridge/simulator/index";
import { type BridgeHandle, parseConfig, startBridge } from "../../pbx-bridge/src/index";
import { orgScopedSecret } from "../../worker/auth/org-tokens";
import { randomToken, sha256Hex } from "../../worker/lib/crypto";
import { freePort } from "./stack";

/*
 * The local PBX: the ARI simulator playing a call every few seconds, and pbx-bridge relaying
 * it to the Worker with a bridge token of the demo organization (kept in .data/ so restarts
 * reuse it). Inbound calls mostly come from demo contacts' numbers, so screen-pops find them.
 */

const ARI_USER = "switchboard";
const ARI_PASSWORD = "switchboard";
export const INBOUND_SCENARIOS: ScenarioName[] = [
  "inbound_answered",
  "inbound_missed",
  "hold",
  "transfer",
  "long_recorded",
];

export interface PbxDemoOptions {
  workerUrl: string;
  ownerUrl: string;
  orgId: string;
  dataDir: string;
  /** Seconds between demo calls; 0 plays none. */
  demoIntervalSeconds: number;
  log: (line: string) => void;
}

export interface PbxDemo {
  ariUrl: string;
  bridgeUrl: string;
  stop(): Promise<void>;
}

/** A bridge token for the organization, created once and remembered in `file`. */
async function demoBridgeToken(ownerUrl: string, orgId: string, file: string): Promise<string> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    if (existsSync(file)) {
      const token = (await readFile(file, "utf8")).trim();
      const known = await client.query(
        "select 1 from pbx_bridge_tokens where token_hash = $1 and revoked_at is null",
        [await sha256Hex(token)],
      );
      if (known.rowCount) return token;
    }
    const token = orgScopedSecret("sbb", orgId, randomToken(32));
    await client.query(
      "insert into pbx_bridge_tokens (id, org_id, name, token_hash) values ($1, $2, $3, $4)",
      [crypto.randomUUID(), orgId, "Local ARI simulator", await sha256Hex(token)],
    );
    await writeFile(file, `${token}\n`, { mode: 0o600 });
    return token;
  } finally {
    await client.end();
  }
}

async function contactNumbers(ownerUrl: string, orgId: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const result = await client.query<{ number: string }>(
      "select phone_numbers[1] as number from contacts where org_id = $1 and cardinality(phone_numbers) > 0 and deleted_at is null limit 50",
      [orgId],
    );
    return result.rows.map((row) => row.number);
  } finally {
    await client.end();
  }
}

function playDemoCalls(
  simulator: AriSimulator,
  numbers: string[],
  intervalSeconds: number,
  log: (line: string) => void,
): () => void {
  const playOne = () => {
    const inbound = randomInt(10) < 7;
    const pool = inbound ? INBOUND_SCENARIOS : SCENARIO_NAMES;
    const name = pool[randomInt(pool.length)] ?? "inbound_answered";
    const known = numbers[randomInt(Math.max(numbers.length, 1))];
    const params = inbound && known && randomInt(10) < 8 ? { from: known } : {};
    simulator
      .playScenario(name, params)
      .catch((error: unknown) => log(`demo call ${name}: ${String(error)}`));
  };
  const timer = setInterval(playOne, intervalSeconds * 1000);
  return () => clearInterval(timer);
}

export async function startPbxDemo(options: PbxDemoOptions): Promise<PbxDemo> {
  await mkdir(options.dataDir, { recursive: true });
  const token = await demoBridgeToken(
    options.ownerUrl,
    options.orgId,
    path.join(options.dataDir, "bridge-token"),
  );
  const simulator = await startAriSimulator({
    port: await freePort(),
    username: ARI_USER,
    password: ARI_PASSWORD,
    log: () => {},
  });
  const bridgePort = await freePort();
  const bridge: BridgeHandle = await startBridge(
    parseConfig({
      ARI_URL: simulator.url,
      ARI_USER,
      ARI_PASSWORD,
      EDGE_URL: `${options.workerUrl.replace(/^http/, "ws")}/api/v1/pbx/bridge`,
      BRIDGE_TOKEN: token,
      OUTBOX_DIR: path.join(options.dataDir, "outbox"),
      HTTP_PORT: bridgePort,
      RECORDINGS_PUBLIC_URL: `http://127.0.0.1:${bridgePort}`,
      FALLBACK_EXTENSIONS: "1001,1002",
    }),
    {
      // Connection changes and problems, not every call event (the Calls page shows those).
      logSink: (line) => {
        if ((JSON.parse(line) as { msg?: string }).msg !== "call event") {
          options.log(`pbx-bridge: ${line}`);
        }
      },
    },
  );
  const numbers = await contactNumbers(options.ownerUrl, options.orgId);
  const stopCalls =
    options.demoIntervalSeconds > 0
      ? playDemoCalls(simulator, numbers, options.demoIntervalSeconds, options.log)
      : () => {};
  return {
    ariUrl: simulator.url,
    bridgeUrl: bridge.httpUrl,
    async stop() {
      stopCalls();
      await bridge.stop();
      await simulator.close();
    },
  };
}
