/**
 * `npm run bench:webhooks`: Meta's WhatsApp deliveries at the issue's load, against the Worker.
 *
 * Per host (the Worker in workerd through Miniflare, then under `wrangler dev`; bench/target.ts):
 * an organization with a WhatsApp channel, an inbox socket (`/api/v1/realtime`) of its owner,
 * and signed `messages` webhooks (scripts/lib/whatsapp-payloads.ts), one customer message per
 * delivery, sent open-loop at a fixed rate: a sustained phase (BENCH_SUSTAINED_RATE/s, default
 * 100, for BENCH_SUSTAINED_SECONDS, default 600) and a burst (BENCH_BURST_RATE/s, default 1000,
 * for BENCH_BURST_SECONDS, default 60). BENCH_DUPLICATES (default 0.1) of the deliveries repeat
 * an earlier one byte for byte, as Meta does when an answer is slow. Printed per phase: the
 * rate reached, the webhook answers' p50/p95/p99 and errors, the messages stored against the
 * unique messages sent (equal, or the run fails), and the delay from a message's first
 * delivery until the inbox socket shows it (p50/p99).
 *
 * The reference, in the same run: the raw floor, a Worker that only puts the body on a queue
 * (whose consumer acks) and answers 200, in the same workerd, at the same rates.
 * `wrangler dev` is measured at BENCH_WRANGLER_RATE/s (default 150) for the sustained length
 * of BENCH_WRANGLER_SECONDS (default 60): its per-request echo caps it at a few hundred/s.
 */
import { createHmac } from "node:crypto";
import http from "node:http";
import path from "node:path";
import { convertV4MiniflareOptions, Miniflare, type V4MiniflareOptions } from "miniflare";
import pg from "pg";
import WebSocket from "ws";
import { incomingMessagePayload, newWamid } from "../scripts/lib/whatsapp-payloads";
import { loadDescription, log, ms, percentile, perSecond, table } from "./lib";
import {
  interruption,
  REQUEST_TIMEOUT_MS,
  runBenchmark,
  signUp,
  type Target,
  workerHosts,
} from "./target";

const SUSTAINED_RATE = Number(process.env.BENCH_SUSTAINED_RATE ?? 100);
const SUSTAINED_SECONDS = Number(process.env.BENCH_SUSTAINED_SECONDS ?? 600);
const BURST_RATE = Number(process.env.BENCH_BURST_RATE ?? 1000);
const BURST_SECONDS = Number(process.env.BENCH_BURST_SECONDS ?? 60);
const WRANGLER_RATE = Number(process.env.BENCH_WRANGLER_RATE ?? 150);
const WRANGLER_SECONDS = Number(process.env.BENCH_WRANGLER_SECONDS ?? 60);
const DUPLICATES = Number(process.env.BENCH_DUPLICATES ?? 0.1);
const CUSTOMERS = 500;
const DRAIN_LIMIT_MS = 180_000;

interface Phase {
  label: string;
  rate: number;
  seconds: number;
}

interface PhaseResult {
  host: string;
  phase: Phase;
  sent: number;
  unique: number;
  answered: number[];
  errors: Map<string, number>;
  wallMs: number;
  stored: number | null;
  inboxDelays: number[];
  missingLive: number;
}

interface Channel {
  id: string;
  phoneNumberId: string;
  wabaId: string;
  displayPhoneNumber: string;
  appSecret: string;
}

const sign = (body: string, secret: string) =>
  `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

async function createChannel(baseUrl: string, token: string): Promise<Channel> {
  const digits = String(Date.now()).slice(-9);
  const spec = {
    phoneNumberId: `7${digits}${Math.floor(Math.random() * 1000)}`,
    wabaId: `8${digits}`,
    appSecret: `bench-secret-${digits}`,
  };
  const response = await fetch(`${baseUrl}/api/v1/channels`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      type: "whatsapp",
      name: "Bench WhatsApp",
      accessToken: "bench-token",
      verifyToken: "bench-verify",
      ...spec,
    }),
  });
  const body = (await response.json()) as { data?: { id?: string } };
  if (response.status !== 201 || !body.data?.id) {
    throw new Error(`channel not created: HTTP ${response.status}`);
  }
  return { id: body.data.id, displayPhoneNumber: `1555${digits}`, ...spec };
}

/** The owner's inbox socket: when each wamid first showed as `message.created`. */
function openInbox(baseUrl: string, token: string) {
  const seen = new Map<string, number>();
  const socket = new WebSocket(`${baseUrl.replace("http", "ws")}/api/v1/realtime`, {
    headers: { authorization: `Bearer ${token}`, origin: baseUrl },
    perMessageDeflate: false,
  });
  socket.on("message", (data) => {
    const text = data.toString();
    if (!text.includes('"message.created"')) return;
    const event = JSON.parse(text) as { type: string; message?: { externalId?: string | null } };
    const wamid = event.message?.externalId;
    if (event.type === "message.created" && wamid && !seen.has(wamid)) seen.set(wamid, Date.now());
  });
  const opened = new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  const ping = setInterval(() => {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "ping" }));
  }, 20_000);
  return {
    opened,
    seen,
    close: () => {
      clearInterval(ping);
      socket.close();
    },
  };
}

/** Sends one delivery per tick slot, open loop: late answers never slow the schedule. */
async function runPhase(
  host: string,
  url: string,
  channel: Channel,
  phase: Phase,
  countStored: (() => Promise<number>) | null,
  inbox: ReturnType<typeof openInbox> | null,
): Promise<PhaseResult> {
  const total = Math.round(phase.rate * phase.seconds);
  const firstSent = new Map<string, number>();
  const answered: number[] = [];
  const errors = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  const countError = (label: string): void => {
    errors.set(label, (errors.get(label) ?? 0) + 1);
  };
  // Bodies and signatures are made before the clock starts, so the load generator's own CPU
  // (it shares this machine's two cores with the Worker) goes to sending, not to JSON and HMAC.
  const deliveries = planDeliveries(channel, total);
  const target = new URL(`${url}/webhooks/whatsapp/${channel.id}`);
  const agent = new http.Agent({ keepAlive: true });
  const before = countStored ? await countStored() : 0;
  log(`${host}: ${phase.label}, ${phase.rate}/s for ${phase.seconds} s (${total} deliveries) ...`);
  const started = performance.now();
  for (let index = 0; index < total && !interruption.signal.aborted; index += 1) {
    const due = started + (index * 1000) / phase.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const delivery = deliveries[index] as Delivery;
    if (delivery.wamid) firstSent.set(delivery.wamid, Date.now());
    const sentAt = performance.now();
    const request = post(agent, target, delivery)
      .then((status) => {
        if (status === 200) answered.push(performance.now() - sentAt);
        else countError(`HTTP ${status}`);
      })
      .catch((error: unknown) => countError(error instanceof Error ? error.name : "error"))
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  }
  await Promise.all(inFlight);
  const wallMs = performance.now() - started;
  agent.destroy();
  const unique = firstSent.size;
  let stored: number | null = null;
  if (countStored) {
    const drainStart = Date.now();
    let last = -1;
    while (Date.now() - drainStart < DRAIN_LIMIT_MS && !interruption.signal.aborted) {
      stored = (await countStored()) - before;
      if (stored >= unique) break;
      if (stored === last && Date.now() - drainStart > 30_000) break;
      last = stored;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  const inboxDelays: number[] = [];
  let missingLive = 0;
  if (inbox) {
    const waitUntil = Date.now() + 10_000;
    while (Date.now() < waitUntil && [...firstSent.keys()].some((w) => !inbox.seen.has(w))) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    for (const [wamid, at] of firstSent) {
      const shown = inbox.seen.get(wamid);
      if (shown === undefined) missingLive += 1;
      else inboxDelays.push(shown - at);
    }
  }
  return {
    host,
    phase,
    sent: total,
    unique,
    answered,
    errors,
    wallMs,
    stored,
    inboxDelays,
    missingLive,
  };
}

interface Delivery {
  body: Buffer;
  signature: string;
  /** Null for a byte-identical repeat of an earlier delivery. */
  wamid: string | null;
}

/** One customer message per delivery; DUPLICATES of them repeat an earlier one byte for byte. */
function planDeliveries(channel: Channel, total: number): Delivery[] {
  const deliveries: Delivery[] = [];
  for (let index = 0; index < total; index += 1) {
    if (deliveries.length > 10 && Math.random() < DUPLICATES) {
      const earlier = deliveries[Math.floor(Math.random() * deliveries.length)] as Delivery;
      deliveries.push({ ...earlier, wamid: null });
      continue;
    }
    const customer = `4477009${String(Math.floor(Math.random() * CUSTOMERS)).padStart(5, "0")}`;
    const wamid = newWamid(customer, "inbound");
    const body = JSON.stringify(
      incomingMessagePayload({
        ...channel,
        messages: [
          {
            from: customer,
            id: wamid,
            name: `Customer ${customer.slice(-3)}`,
            type: "text",
            text: { body: `Order question ${index}` },
          },
        ],
      }),
    );
    deliveries.push({ body: Buffer.from(body), signature: sign(body, channel.appSecret), wamid });
  }
  return deliveries;
}

/** POST over a keep-alive connection (node:http: far less CPU per request than fetch). */
function post(agent: http.Agent, target: URL, delivery: Delivery): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      target,
      {
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json",
          "content-length": delivery.body.length,
          "x-hub-signature-256": delivery.signature,
        },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      },
      (response) => {
        response.resume();
        response.once("end", () => resolve(response.statusCode ?? 0));
        response.once("error", reject);
      },
    );
    request.once("error", reject);
    request.end(delivery.body);
  });
}

/** The floor: a Worker that only queues the body and answers 200, in workerd too. */
async function startFloor(stateDir: string) {
  const options = {
    modules: true,
    script: `export default {
      async fetch(request, env) {
        await env.INBOUND.send(await request.text(), { contentType: "text" });
        return new Response("EVENT_RECEIVED");
      },
      async queue(batch) { batch.ackAll(); },
    };`,
    queueProducers: { INBOUND: "floor-inbound" },
    queueConsumers: { "floor-inbound": { maxBatchSize: 100, maxBatchTimeout: 1 } },
    host: "127.0.0.1",
    port: 0,
    compatibilityDate: "2026-08-01",
    defaultPersistRoot: path.join(stateDir, "floor"),
  } as unknown as V4MiniflareOptions;
  const miniflare = new Miniflare(convertV4MiniflareOptions(options));
  const url = (await miniflare.ready).toString().replace(/\/+$/, "");
  return { url, stop: () => miniflare.dispose() };
}

function row(result: PhaseResult): string[] {
  const sorted = [...result.answered].sort((a, b) => a - b);
  const delays = [...result.inboxDelays].sort((a, b) => a - b);
  let errors = 0;
  for (const count of result.errors.values()) errors += count;
  const errorRate = result.sent > 0 ? (100 * errors) / result.sent : 0;
  return [
    result.host,
    result.phase.label,
    `${result.phase.rate}/s x ${result.phase.seconds}s`,
    perSecond(result.answered.length / (result.wallMs / 1000)),
    ms(percentile(sorted, 50)),
    ms(percentile(sorted, 95)),
    ms(percentile(sorted, 99)),
    `${errors} (${errorRate.toFixed(2)}%)`,
    String(result.unique),
    result.stored === null ? "-" : String(result.stored),
    result.stored === null ? "-" : result.stored === result.unique ? "yes" : "NO",
    delays.length ? ms(percentile(delays, 50)) : "-",
    delays.length ? ms(percentile(delays, 99)) : "-",
    result.inboxDelays.length || result.missingLive ? String(result.missingLive) : "-",
  ];
}

await runBenchmark({
  title: "Switchboard WhatsApp webhook ingestion benchmark (beside a queue-only floor)",
  settings: [
    `sustained ${SUSTAINED_RATE}/s for ${SUSTAINED_SECONDS} s, burst ${BURST_RATE}/s for ${BURST_SECONDS} s, ${(DUPLICATES * 100).toFixed(0)} % duplicates, ${CUSTOMERS} customers`,
    `wrangler dev: ${WRANGLER_RATE}/s for ${WRANGLER_SECONDS} s`,
    "targets from the issue: p95 < 200 ms, p99 < 500 ms, errors < 1 %, stored = unique sent",
  ],
  async run(target: Target) {
    const results: PhaseResult[] = [];
    const database = target.ownerUrl
      ? new pg.Pool({ connectionString: target.ownerUrl, max: 2 })
      : null;
    const stateDir = path.join(process.cwd(), ".cache", "bench-webhooks");
    const floor = await startFloor(stateDir);
    try {
      const floorChannel: Channel = {
        id: crypto.randomUUID(),
        phoneNumberId: "1",
        wabaId: "2",
        displayPhoneNumber: "3",
        appSecret: "floor",
      };
      for (const phase of [
        { label: "sustained", rate: SUSTAINED_RATE, seconds: SUSTAINED_SECONDS },
        { label: "burst", rate: BURST_RATE, seconds: BURST_SECONDS },
      ]) {
        if (phase.seconds <= 0) continue;
        results.push(
          await runPhase("floor (queue only)", floor.url, floorChannel, phase, null, null),
        );
      }
      for (const host of workerHosts(target)) {
        const account = await signUp(host.url);
        const channel = await createChannel(host.url, account.accessToken);
        const inbox = openInbox(host.url, account.accessToken);
        await inbox.opened;
        const countStored = database
          ? async () => {
              const { rows } = await database.query<{ n: string }>(
                "select count(*) as n from messages where channel_id = $1",
                [channel.id],
              );
              return Number(rows[0]?.n ?? 0);
            }
          : null;
        const phases: Phase[] =
          host.label === "wrangler dev"
            ? [{ label: "sustained", rate: WRANGLER_RATE, seconds: WRANGLER_SECONDS }]
            : [
                { label: "sustained", rate: SUSTAINED_RATE, seconds: SUSTAINED_SECONDS },
                { label: "burst", rate: BURST_RATE, seconds: BURST_SECONDS },
              ];
        for (const phase of phases) {
          if (phase.seconds <= 0 || interruption.signal.aborted) continue;
          results.push(
            await runPhase(
              `switchboard, ${host.label}`,
              host.url,
              channel,
              phase,
              countStored,
              inbox,
            ),
          );
        }
        inbox.close();
      }
    } finally {
      await floor.stop();
      await database?.end();
    }
    console.log("");
    console.log(
      table(
        [
          "target",
          "phase",
          "offered",
          "answered/s",
          "p50 ms",
          "p95 ms",
          "p99 ms",
          "errors",
          "unique sent",
          "stored",
          "equal",
          "inbox p50 ms",
          "inbox p99 ms",
          "not live",
        ],
        results.map(row),
      ),
    );
    console.log("");
    console.log(loadDescription());
    for (const result of results) {
      if (result.errors.size > 0) {
        log(
          `${result.host} ${result.phase.label} errors: ${[...result.errors].map(([k, v]) => `${v} x ${k}`).join("; ")}`,
        );
      }
    }
    if (results.some((result) => result.stored !== null && result.stored !== result.unique)) {
      throw new Error("messages stored differ from unique messages sent");
    }
  },
});
