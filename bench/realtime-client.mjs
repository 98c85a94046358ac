// The realtime benchmark's client, one program for both sides (bench/realtime.ts copies it
// next to the peer's node_modules and runs it there). Derived from the peer's fanout.mjs, with:
// - a storm mode: N sockets of one organization opened at once, timed until all are open;
// - a light receive path: a frame is matched as bytes, the JSON is parsed once per write;
// - the client's own CPU per delivery, so that it is visible when the client is the limit;
// - for Switchboard, where the time goes: each frame carries the commit time and the time the
//   room received the event (`trace`, server clocks on the same machine).
// --peer=PORTS --org=ORG --deal=DEAL | --switchboard=URL --token=TOKEN --deal=DEAL;
// --n sockets (default 1000), --k writes one after another (default 20; 0: connect only);
// --deflate offers permessage-deflate to Switchboard (browsers do; the local runtime accepts).
import os from "node:os";
import { SignJWT } from "jose";
import { io } from "socket.io-client";
import WebSocket from "ws";

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => arg.replace(/^--/, "").split("=")),
);
const N = Number(args.n || 1000);
const K = Number(args.k ?? 20);
const WRITE_LIMIT_MS = 5000;
const now = () => performance.timeOrigin + performance.now();
const pct = (values, p) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const value = sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  return Number(value.toFixed(1));
};
const summary = (values) => ({ p50: pct(values, 50), p99: pct(values, 99) });

/** The write in flight: which sockets have had its event, and when. */
let pending = null;
let open;
let trigger;
if (args.peer) {
  const ports = args.peer.split(",");
  const secret = new TextEncoder().encode("peer-secret-peer-secret-peer-secret");
  const token = await new SignJWT({ org: args.org })
    .setProtectedHeader({ alg: "HS256" })
    .setExpirationTime("1h")
    .sign(secret);
  open = (i) =>
    new Promise((resolve) => {
      const socket = io(`http://127.0.0.1:${ports[i % ports.length]}`, {
        transports: ["websocket"],
        auth: { token },
        forceNew: true,
        reconnection: false,
      });
      socket.on("deal.moved", () => pending?.hit(i, null));
      socket.on("connect", () => resolve({ socket }));
      socket.on("connect_error", (error) => resolve({ error: String(error.message) }));
    });
  trigger = () =>
    fetch(`http://127.0.0.1:${ports[0]}/deals/${args.deal}/move`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    });
} else {
  const base = args.switchboard;
  const deal = Buffer.from(args.deal);
  open = (i) =>
    new Promise((resolve) => {
      const socket = new WebSocket(`${base.replace("http", "ws")}/api/v1/realtime`, {
        headers: { authorization: `Bearer ${args.token}` },
        // As the peer's server (Socket.io declines it by default): no permessage-deflate unless
        // asked for (--deflate), so that neither side pays for compression.
        perMessageDeflate: args.deflate !== undefined,
      });
      socket.on("message", (data) => {
        if (pending && data.includes(deal)) pending.hit(i, data);
      });
      socket.on("open", () => resolve({ socket }));
      socket.on("unexpected-response", (_request, response) =>
        resolve({ error: `HTTP ${response.statusCode}` }),
      );
      socket.on("error", (error) => resolve({ error: String(error.code ?? error.message) }));
    });
  trigger = () =>
    fetch(`${base}/api/v1/deals/${args.deal}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${args.token}`, "content-type": "application/json" },
      body: JSON.stringify({ position: 0 }),
    });
}

// All at once: the reconnect storm.
const connectStart = now();
const opened = await Promise.all(Array.from({ length: N }, (_, i) => open(i)));
const connectMs = Math.round(now() - connectStart);
const errors = {};
for (const result of opened)
  if (result.error) errors[result.error] = (errors[result.error] ?? 0) + 1;
const live = opened.filter((result) => result.socket).length;
console.error(`[client] ${live} of ${N} sockets open in ${connectMs} ms`);

const latencies = [];
const allDelivered = [];
const parts = { write: [], publish: [], first: [], spread: [] };
let missing = 0;
await new Promise((resolve) => setTimeout(resolve, 500));
const cpuBefore = process.cpuUsage();
for (let k = 0; k < K && live > 0; k++) {
  await new Promise((resolve) => {
    const start = now();
    const seen = new Uint8Array(N);
    let got = 0;
    let first = 0;
    let trace = null;
    const timer = setTimeout(() => {
      missing += live - got;
      pending = null;
      resolve();
    }, WRITE_LIMIT_MS);
    pending = {
      hit(i, data) {
        if (seen[i]) return;
        const at = now();
        seen[i] = 1;
        got += 1;
        latencies.push(at - start);
        if (got === 1) {
          first = at;
          if (data) trace = JSON.parse(data).trace ?? null;
        }
        if (got < live) return;
        clearTimeout(timer);
        allDelivered.push(at - start);
        if (trace) {
          parts.write.push(trace.committed - start);
          parts.publish.push(trace.room - trace.committed);
          parts.first.push(first - trace.room);
          parts.spread.push(at - first);
        }
        pending = null;
        resolve();
      },
    };
    trigger().catch(() => {});
  });
}
const cpu = process.cpuUsage(cpuBefore);
const deliveries = latencies.length;
const seconds = allDelivered.reduce((a, b) => a + b, 0) / 1000;
console.log(
  JSON.stringify({
    sockets: N,
    writes: K,
    delivery_ms: { p50: pct(latencies, 50), p95: pct(latencies, 95), p99: pct(latencies, 99) },
    all_delivered_ms: summary(allDelivered),
    deliveries_per_s: seconds > 0 ? Math.round((live * allDelivered.length) / seconds) : 0,
    missing,
    connect_failed: N - live,
    connect_errors: errors,
    connect_ms: connectMs,
    breakdown_ms: parts.write.length
      ? {
          write: summary(parts.write),
          publish: summary(parts.publish),
          room_to_first: summary(parts.first),
          first_to_last: summary(parts.spread),
        }
      : null,
    client_cpu_us_per_delivery: deliveries
      ? Number(((cpu.user + cpu.system) / deliveries).toFixed(1))
      : null,
    load: os.loadavg().map((value) => Number(value.toFixed(2))),
  }),
);
process.exit(0);
