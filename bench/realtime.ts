/**
 * `npm run bench:realtime`: realtime fan-out, Switchboard beside its peer, with the same client.
 *
 * The peer is seed 003's design (`../shared/bench/peer-socketio/`: Socket.io + the Redis adapter
 * in two Node processes, a pooled PostgreSQL write). The client, `bench/realtime-client.mjs`
 * (derived from the peer's `fanout.mjs`), opens N sockets of one organization at once (a
 * reconnect storm: time until all are open, failures), then makes K writes one after another
 * and records, per write, how long until every socket had its event. Against Switchboard the
 * write is `PATCH /api/v1/deals/:id` and the sockets are `/api/v1/realtime`; its frames carry
 * the commit and room-arrival times, so the run also prints where the time went.
 *
 * The peer folder is read-only: it is copied to `.cache/peer-socketio` and installed there
 * once (its lock file pins the versions); the client is copied beside it. Redis comes from
 * Debian's `redis-server`. Each socket is a file descriptor on both sides: `ulimit -n` must
 * exceed 2 x N (checked).
 *
 * Switchboard is measured twice, as the other benchmarks do: the same Worker served by workerd
 * through Miniflare (bench/workerd.ts: no dev CLI in the path) and by `wrangler dev`, whose
 * proxy Worker and per-request echo cost CPU on every upgrade and frame (decision 023).
 *
 * BENCH_SOCKETS (default 1000) and BENCH_WRITES (default 20) set N and K; `--storm` (or
 * BENCH_WRITES=0) only opens the sockets. Own stack by default; BENCH_URL measures a running
 * one (see bench/target.ts).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir } from "node:fs/promises";
import path from "node:path";
import { freePort, ROOT, run } from "../scripts/lib/stack";
import { loadDescription, log, ms, perSecond, ratio, table } from "./lib";
import { runBenchmark, signUp, workerHosts } from "./target";

const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 1000);
const WRITES = process.argv.includes("--storm") ? 0 : Number(process.env.BENCH_WRITES ?? 20);
const CLIENT_SOURCE = path.join(ROOT, "bench/realtime-client.mjs");
const PEER_SOURCE = path.resolve(ROOT, "../shared/bench/peer-socketio");
const PEER_DIR = path.join(ROOT, ".cache/peer-socketio");

interface Percentiles {
  p50: number | null;
  p99: number | null;
}

/** What realtime-client.mjs prints as its last line. */
interface FanoutResult {
  sockets: number;
  writes: number;
  delivery_ms: { p50: number | null; p95: number | null; p99: number | null };
  all_delivered_ms: Percentiles;
  deliveries_per_s: number;
  missing: number;
  connect_failed: number;
  connect_errors: Record<string, number>;
  connect_ms: number;
  /** Switchboard only: commit, room arrival, first and last socket, per write. */
  breakdown_ms: {
    write: Percentiles;
    publish: Percentiles;
    room_to_first: Percentiles;
    first_to_last: Percentiles;
  } | null;
  client_cpu_us_per_delivery: number | null;
  load: number[];
}

const children: ChildProcess[] = [];
process.on("exit", () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});

async function preparePeer() {
  if (!existsSync(PEER_SOURCE)) throw new Error(`The peer is missing at ${PEER_SOURCE}`);
  if (!existsSync(path.join(PEER_DIR, "node_modules"))) {
    log(`installing the peer in ${PEER_DIR} ...`);
    await mkdir(PEER_DIR, { recursive: true });
    await cp(PEER_SOURCE, PEER_DIR, { recursive: true });
    execFileSync("chmod", ["-R", "u+w", PEER_DIR]);
    await run("npm", ["install", "--no-audit", "--no-fund"], { quiet: true, cwd: PEER_DIR });
  }
  // The client imports the peer's socket.io-client, ws and jose: it runs from the peer folder.
  await cp(CLIENT_SOURCE, path.join(PEER_DIR, "realtime-client.mjs"));
  const limit = Number(execFileSync("sh", ["-c", "ulimit -n"], { encoding: "utf8" }).trim());
  if (Number.isFinite(limit) && limit < 2 * SOCKETS + 256) {
    throw new Error(`ulimit -n is ${limit}; ${SOCKETS} sockets need more (ulimit -n 20000)`);
  }
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
  } catch {
    throw new Error("The peer needs Redis: apt-get install -y redis-server");
  }
}

/** Runs `script` in the peer folder until it prints a line that `ready` accepts. */
function startPeerProcess(
  script: string,
  env: Record<string, string>,
  ready: (line: string) => boolean,
): Promise<{ child: ChildProcess; line: string }> {
  // Its stderr is left out: the peer's set-up dumps a client object when stopped.
  const child = spawn(process.execPath, [script], {
    cwd: PEER_DIR,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "ignore"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => reject(new Error(`${script} did not start`)), 120_000);
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      buffered += chunk;
      for (const line of buffered.split("\n")) {
        if (!ready(line)) continue;
        clearTimeout(timer);
        resolve({ child, line });
        return;
      }
    });
    child.on("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

async function waitForPort(port: number) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      await fetch(`http://127.0.0.1:${port}/socket.io/?EIO=4&transport=polling`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`The peer on port ${port} did not answer`);
}

function fanout(args: string[]): Promise<FanoutResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["realtime-client.mjs", `--n=${SOCKETS}`, `--k=${WRITES}`, ...args],
      {
        cwd: PEER_DIR,
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    children.push(child);
    let output = "";
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      output += chunk;
    });
    child.on("exit", (code) => {
      const last = output.trim().split("\n").pop() ?? "";
      try {
        resolve(JSON.parse(last) as FanoutResult);
      } catch {
        reject(new Error(`realtime-client.mjs exited with ${code}: ${output}`));
      }
    });
  });
}

async function measurePeer(): Promise<FanoutResult> {
  const pgPort = await freePort();
  const setup = await startPeerProcess("setup.mjs", { PG_PORT: String(pgPort) }, (line) =>
    line.startsWith("{"),
  );
  const env = JSON.parse(setup.line) as { DATABASE_URL: string; ORG: string; DEAL: string };
  const ports = [await freePort(), await freePort()];
  const servers: ChildProcess[] = [];
  for (const port of ports) {
    const child = spawn(process.execPath, ["server.mjs"], {
      cwd: PEER_DIR,
      env: { ...process.env, PORT: String(port), DATABASE_URL: env.DATABASE_URL },
      stdio: ["ignore", "ignore", "inherit"],
    });
    children.push(child);
    servers.push(child);
  }
  for (const port of ports) await waitForPort(port);
  log(`peer: ${ports.length} Socket.io processes on ${ports.join(", ")}; ${SOCKETS} sockets ...`);
  try {
    return await fanout([`--peer=${ports.join(",")}`, `--org=${env.ORG}`, `--deal=${env.DEAL}`]);
  } finally {
    // The servers first: they would report the database going away.
    for (const server of servers) server.kill("SIGKILL");
    setup.child.kill("SIGINT");
  }
}

async function measureSwitchboard(url: string): Promise<FanoutResult> {
  const account = await signUp(url);
  const headers = {
    authorization: `Bearer ${account.accessToken}`,
    "content-type": "application/json",
  };
  const created = await fetch(`${url}/api/v1/deals`, {
    method: "POST",
    headers,
    body: JSON.stringify({ title: "Fan-out deal", amount: 1000, currency: "EUR" }),
  });
  if (created.status !== 201) throw new Error(`creating the deal: ${created.status}`);
  const deal = ((await created.json()) as { data: { id: string } }).data;
  log(`switchboard: ${SOCKETS} sockets on ${url}/api/v1/realtime ...`);
  return fanout([`--switchboard=${url}`, `--token=${account.accessToken}`, `--deal=${deal.id}`]);
}

const num = (value: number | null) => ms(value ?? Number.NaN);

function row(name: string, result: FanoutResult): string[] {
  const errors = Object.entries(result.connect_errors)
    .map(([error, count]) => `${count} x ${error}`)
    .join("; ");
  return [
    name,
    `${result.sockets - result.connect_failed}/${result.sockets}`,
    String(result.connect_ms),
    errors || "0",
    num(result.delivery_ms.p50),
    num(result.delivery_ms.p95),
    num(result.delivery_ms.p99),
    num(result.all_delivered_ms.p99),
    perSecond(result.deliveries_per_s),
    String(result.missing),
    num(result.client_cpu_us_per_delivery),
    result.load.map((value) => value.toFixed(2)).join(" / "),
  ];
}

function printBreakdown(label: string, result: FanoutResult) {
  const parts = result.breakdown_ms;
  if (!parts) return;
  console.log("");
  console.log(`${label}: where a write's time went (ms, per write; server clocks in the frame)`);
  const line = (label: string, value: Percentiles) => [label, num(value.p50), num(value.p99)];
  console.log(
    table(
      ["segment", "p50", "p99"],
      [
        line("client sends PATCH -> transaction committed (Worker)", parts.write),
        line("committed -> room received the event (Worker -> DO RPC)", parts.publish),
        line("room received -> first socket has it (send + wire + client)", parts.room_to_first),
        line("first socket -> last socket has it (send loop + client reads)", parts.first_to_last),
      ],
    ),
  );
}

await runBenchmark({
  title: "Switchboard realtime fan-out benchmark (beside seed 003's Socket.io peer)",
  settings: [
    `${SOCKETS} sockets of one organization opened at once, ${WRITES} deal moves one after another`,
    "client: bench/realtime-client.mjs for both (from the peer's fanout.mjs), no permessage-deflate",
  ],
  async run(target) {
    await preparePeer();
    const peer = await measurePeer();
    const measured: { label: string; result: FanoutResult }[] = [];
    for (const host of workerHosts(target)) {
      const label = host.label === "switchboard" ? host.label : `switchboard, ${host.label}`;
      measured.push({ label, result: await measureSwitchboard(host.url) });
    }
    console.log("");
    console.log(
      table(
        [
          "target",
          "connected",
          "all open ms",
          "errors",
          "p50 ms",
          "p95 ms",
          "p99 ms",
          "all-in p99",
          "deliveries/s",
          "missing",
          "client us/delivery",
          "load 1/5/15 at end",
        ],
        [
          row("peer (Socket.io + Redis)", peer),
          ...measured.map(({ label, result }) => row(label, result)),
        ],
      ),
    );
    if (WRITES > 0) {
      for (const { label, result } of measured) {
        console.log(
          `${label} / peer deliveries/s: ${ratio(result.deliveries_per_s, peer.deliveries_per_s)}`,
        );
      }
    }
    for (const { label, result } of measured) printBreakdown(label, result);
    console.log(loadDescription());
  },
});
