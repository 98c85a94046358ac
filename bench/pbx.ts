/**
 * `npm run bench:pbx`: how many call events per second the ARI simulator -> pbx-bridge ->
 * Worker (PbxGateway, PostgreSQL, TenantRoom) pipeline sustains, and the latency from the ARI
 * event to a browser-side WebSocket client, with 10 and 100 calls in progress at all times.
 *
 * Calls are agents dialling out from their desk phones (the simulator's `outbound_desk`:
 * ringing, answered, ended), each to a number of its own. Latency is measured per call for
 * two moments: the agent's channel entering Stasis -> the first `call.updated`, and the
 * customer's channel being destroyed -> the `call.updated` that says ended.
 *
 * Latency phases run calls at a human pace (about 12 s each: ring, answer, 5 s of talk), 10
 * and then 100 of them in progress at all times. The throughput phase compresses every call
 * twenty-fold (the simulator's time scale) with 100 in progress, more than the pipeline can
 * take, and reports how many events per second it delivered.
 *
 * The simulator and pbx-bridge share this process with the browser-side client, and at the
 * throughput phase's pace they take about a core themselves: that phase cannot offer the edge
 * much more than ~400 events/s here. The capacity phase therefore speaks the bridge's protocol
 * itself (no simulator, no outbox): CAPACITY_EVENTS events of CAPACITY_EVENTS / 3 calls, at
 * most 256 unacked as the bridge keeps them, in `events` frames with `batches` as the bridge
 * sends them, and reports events acked per second and each event's send -> ack time.
 *
 * The Worker is measured on workerd through Miniflare (no dev CLI) and on `wrangler dev`, one
 * after the other, each in an organization of its own (BENCH_HOSTS=workerd|wrangler keeps one).
 *
 * Own stack by default; BENCH_URL measures a running one (see bench/target.ts).
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import WebSocket from "ws";
import { type AriEvent, startAriSimulator } from "../pbx-bridge/simulator/index";
import { type BridgeHandle, parseConfig, startBridge } from "../pbx-bridge/src/index";
import { loadDescription, log, ms, percentile, perSecond, table } from "./lib";
import {
  interruption,
  runBenchmark,
  signUp,
  type Target,
  type WorkerHost,
  workerHosts,
} from "./target";

interface PhasePlan {
  name: string;
  concurrency: number;
  seconds: number;
  timeScale: number;
}

const PHASES: PhasePlan[] = [
  { name: "latency", concurrency: 10, seconds: 30, timeScale: 1 },
  { name: "latency", concurrency: 100, seconds: 30, timeScale: 1 },
  { name: "throughput", concurrency: 100, seconds: 20, timeScale: 0.05 },
];
const DRAIN_LIMIT_MS = 120_000;
const CAPACITY_EVENTS = Number(process.env.BENCH_PBX_CAPACITY_EVENTS ?? 6000);
/** As pbx-bridge's edge client (MAX_IN_FLIGHT). */
const CAPACITY_WINDOW = 256;
const EXTENSIONS = ["1001", "1002", "1003", "1004", "1005", "1006", "1007", "1008", "1009", "1010"];

/** Server times a published frame carries (worker/realtime/events.ts, PublishTrace). */
interface Trace {
  received?: number;
  began?: number;
  committed: number;
  room: number;
}

interface CallTiming {
  /** The trace of the first `call.updated` and of the one that said ended. */
  traceStart?: Trace;
  traceEnd?: Trace;
  ariStart?: number;
  /** When pbx-bridge emitted the call's first event (into its outbox). */
  bridgeStart?: number;
  liveStart?: number;
  ariEnd?: number;
  bridgeEnd?: number;
  liveEnd?: number;
}

const now = () => performance.timeOrigin + performance.now();

/** The number a call was placed to, if this ARI event is about one of the bench's calls. */
function benchNumber(event: AriEvent): string | null {
  const match = /"(\+1999\d{7})"/.exec(JSON.stringify(event));
  return match?.[1] ?? null;
}

/** What bench/pbx-live-client.mjs hands over for each `call.updated` it read. */
interface LiveCallUpdated {
  kind: "call.updated";
  /** When the frame was read (ms since the epoch). */
  at: number;
  call: { id: string; toNumber: string; endedAt: string | null };
  trace?: Trace;
}

class Timings {
  readonly calls = new Map<string, CallTiming>();
  /** Bridge emission times by call id, until a live event tells the call's number. */
  private readonly emitted = new Map<string, { start?: number; end?: number }>();

  private of(number: string): CallTiming {
    let timing = this.calls.get(number);
    if (!timing) {
      timing = {};
      this.calls.set(number, timing);
    }
    return timing;
  }

  onAriEvent(event: AriEvent) {
    const number = benchNumber(event);
    if (!number) return;
    const timing = this.of(number);
    const at = now();
    if (event.type === "StasisStart") timing.ariStart ??= at;
    if (event.type === "ChannelDestroyed") timing.ariEnd ??= at;
  }

  /** pbx-bridge's JSON log line for each event it emits: `{"msg":"call event","type","callId",…}`. */
  onBridgeLog(line: string) {
    const entry = JSON.parse(line) as { msg?: string; type?: string; callId?: string };
    if (entry.msg !== "call event" || !entry.type || !entry.callId) return;
    const emitted = this.emitted.get(entry.callId) ?? {};
    emitted.start ??= now();
    if (entry.type === "call.ended") emitted.end ??= now();
    this.emitted.set(entry.callId, emitted);
  }

  onLiveEvent(event: LiveCallUpdated) {
    const timing = this.of(event.call.toNumber);
    const at = event.at;
    const emitted = this.emitted.get(event.call.id);
    const trace = event.trace;
    timing.bridgeStart ??= emitted?.start;
    if (timing.liveStart === undefined) {
      timing.liveStart = at;
      timing.traceStart = trace;
    }
    if (event.call.endedAt && timing.liveEnd === undefined) {
      timing.bridgeEnd ??= emitted?.end;
      timing.liveEnd = at;
      timing.traceEnd = trace;
    }
  }
}

type Moment = "ariStart" | "bridgeStart" | "liveStart" | "ariEnd" | "bridgeEnd" | "liveEnd";

function latencies(timings: CallTiming[], from: Moment, to: Moment) {
  return timings
    .flatMap((timing) => {
      const start = timing[from];
      const end = timing[to];
      return start !== undefined && end !== undefined ? [end - start] : [];
    })
    .sort((a, b) => a - b);
}

/**
 * Where the bridge -> browser time of one moment went, from the trace its frame carried:
 * bridge emits -> gateway receives the frame (wire), -> its batch's transaction begins
 * (queued behind the batch in flight), -> commit (the transaction and the acks), -> the room
 * receives the publish, -> the client reads the frame. A batch's `received` is its first
 * event's, so the wait of later events in a batch counts as wire time.
 */
function stages(timings: CallTiming[], moment: "Start" | "End"): [string, number[]][] {
  const parts: [string, (timing: CallTiming, trace: Trace) => number | undefined][] = [
    ["bridge -> gateway", (t, trace) => diff(t[`bridge${moment}`], trace.received)],
    ["gateway queue", (_, trace) => diff(trace.received, trace.began)],
    ["transaction + acks", (_, trace) => diff(trace.began, trace.committed)],
    ["commit -> room", (_, trace) => trace.room - trace.committed],
    ["room -> client", (t, trace) => diff(trace.room, t[`live${moment}`])],
  ];
  return parts.map(([label, part]) => [
    `    ${label}`,
    timings
      .flatMap((timing) => {
        const trace = timing[`trace${moment}`];
        const value = trace ? part(timing, trace) : undefined;
        return value === undefined ? [] : [value];
      })
      .sort((a, b) => a - b),
  ]);
}

function diff(from: number | undefined, to: number | undefined) {
  return from === undefined || to === undefined ? undefined : to - from;
}

async function metric(bridge: BridgeHandle, name: string): Promise<number> {
  const text = await (await fetch(`${bridge.httpUrl}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\d+)`, "m").exec(text)?.[1] ?? Number.NaN);
}

/** The browser-side client, in a worker thread (bench/pbx-live-client.mjs). */
async function connectLive(baseUrl: string, accessToken: string, timings: Timings) {
  const worker = new Worker(new URL("./pbx-live-client.mjs", import.meta.url), {
    workerData: { url: `${baseUrl.replace(/^http/, "ws")}/api/v1/realtime`, accessToken },
  });
  await new Promise<void>((resolve, reject) => {
    worker.on("message", (message: { kind: string; message?: string }) => {
      if (message.kind === "open") resolve();
      else if (message.kind === "error") reject(new Error(message.message));
      else if (message.kind === "call.updated") timings.onLiveEvent(message as LiveCallUpdated);
    });
    worker.once("error", reject);
  });
  return { close: () => worker.postMessage("close") };
}

async function waitFor(check: () => Promise<boolean> | boolean, limitMs: number, what: string) {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface PhaseResult {
  name: string;
  concurrency: number;
  calls: number;
  eventsPerSecond: number;
  drainSeconds: number;
  latencies: [string, number[]][];
}

async function runPhase(
  simulator: Awaited<ReturnType<typeof startAriSimulator>>,
  bridge: BridgeHandle,
  timings: Timings,
  phase: PhasePlan,
  numbering: { next: number },
): Promise<PhaseResult> {
  const deliveredBefore = await metric(bridge, "pbx_bridge_call_events_delivered_total");
  // How busy this process (simulator, bridge and the browser-side client) was: near 100%,
  // its own event loop delays what it measures.
  const busyBefore = performance.eventLoopUtilization();
  const emittedBefore = await metric(bridge, "pbx_bridge_call_events_emitted_total");
  const numbers: string[] = [];
  const startedAt = Date.now();
  const deadline = startedAt + phase.seconds * 1000;
  const worker = async (slot: number) => {
    while (Date.now() < deadline && !interruption.signal.aborted) {
      numbering.next += 1;
      const to = `+1999${String(numbering.next).padStart(7, "0")}`;
      numbers.push(to);
      const extension = EXTENSIONS[slot % EXTENSIONS.length] ?? "1001";
      const started = await simulator.playScenario("outbound_desk", {
        extension,
        to,
        talkSeconds: 5,
      });
      await simulator.scenarioDone(started.scenarioId);
    }
  };
  await Promise.all(Array.from({ length: phase.concurrency }, (_, slot) => worker(slot)));
  const offeredSeconds = (Date.now() - startedAt) / 1000;
  await waitFor(async () => bridge.status().activeCalls === 0, DRAIN_LIMIT_MS, "calls to end");
  const emitted = (await metric(bridge, "pbx_bridge_call_events_emitted_total")) - emittedBefore;
  await waitFor(() => bridge.status().outboxDepth === 0, DRAIN_LIMIT_MS, "the outbox to drain");
  const drainedAt = Date.now();
  const delivered =
    (await metric(bridge, "pbx_bridge_call_events_delivered_total")) - deliveredBefore;
  await waitFor(
    () => numbers.every((number) => timings.calls.get(number)?.liveEnd !== undefined),
    DRAIN_LIMIT_MS,
    "every call's end to reach the browser-side client",
  );
  const phaseTimings = numbers.flatMap((number) => timings.calls.get(number) ?? []);
  log(
    `${phase.name} c=${phase.concurrency}: ${numbers.length} calls, ${emitted} events emitted, ${delivered} delivered; this process's event loop ${(performance.eventLoopUtilization(busyBefore).utilization * 100).toFixed(0)}% busy; ${loadDescription()}`,
  );
  return {
    name: phase.name,
    concurrency: phase.concurrency,
    calls: numbers.length,
    eventsPerSecond: delivered / ((drainedAt - startedAt) / 1000),
    drainSeconds: (drainedAt - startedAt) / 1000 - offeredSeconds,
    latencies: [
      ["ARI StasisStart -> call.updated", latencies(phaseTimings, "ariStart", "liveStart")],
      ["  of which ARI -> bridge emits", latencies(phaseTimings, "ariStart", "bridgeStart")],
      ["  of which bridge -> call.updated", latencies(phaseTimings, "bridgeStart", "liveStart")],
      ...stages(phaseTimings, "Start"),
      [
        "ARI ChannelDestroyed -> call.updated (ended)",
        latencies(phaseTimings, "ariEnd", "liveEnd"),
      ],
      ["  of which ARI -> bridge emits", latencies(phaseTimings, "ariEnd", "bridgeEnd")],
      ["  of which bridge -> call.updated", latencies(phaseTimings, "bridgeEnd", "liveEnd")],
      ...stages(phaseTimings, "End"),
    ],
  };
}

function printResults(host: WorkerHost, results: PhaseResult[]) {
  console.log("");
  console.log(`Host: ${host.label} (${host.url})`);
  console.log("Pipeline: ARI simulator -> pbx-bridge (outbox, WebSocket) -> Worker PbxGateway ->");
  console.log(
    "PostgreSQL (one transaction per batch) -> TenantRoom -> a WebSocket client in Node.",
  );
  console.log(
    "events/s = call events delivered (acked by the edge) per second, from the first call",
  );
  console.log("until the outbox was empty; drain = seconds after the last call until then.");
  console.log("");
  const rows = results.flatMap((result) =>
    result.latencies.map(([moment, values]) => [
      result.name,
      String(result.concurrency),
      String(result.calls),
      perSecond(result.eventsPerSecond),
      result.drainSeconds.toFixed(1),
      moment,
      ms(percentile(values, 50)),
      ms(percentile(values, 95)),
      ms(percentile(values, 99)),
    ]),
  );
  console.log(
    table(
      [
        "phase",
        "calls in progress",
        "calls",
        "events/s",
        "drain s",
        "latency",
        "p50 ms",
        "p95 ms",
        "p99 ms",
      ],
      rows,
    ),
  );
  console.log("");
}

/** A fresh ARI simulator at `timeScale` and a bridge to the target, for one phase. */
async function withPipeline<T>(
  url: string,
  token: string,
  timings: Timings,
  timeScale: number,
  work: (
    simulator: Awaited<ReturnType<typeof startAriSimulator>>,
    bridge: BridgeHandle,
  ) => Promise<T>,
): Promise<T> {
  const outboxDir = await mkdtemp(path.join(os.tmpdir(), "switchboard-bench-outbox-"));
  const simulator = await startAriSimulator({
    username: "bench",
    password: "bench-secret",
    timeScale,
    onEvent: (event) => timings.onAriEvent(event),
  });
  const bridge = await startBridge(
    parseConfig({
      ARI_URL: simulator.url,
      ARI_USER: "bench",
      ARI_PASSWORD: "bench-secret",
      EDGE_URL: `${url.replace(/^http/, "ws")}/api/v1/pbx/bridge`,
      BRIDGE_TOKEN: token,
      OUTBOX_DIR: outboxDir,
      HTTP_HOST: "127.0.0.1",
      HTTP_PORT: 0,
    }),
    { logSink: (line) => timings.onBridgeLog(line) },
  );
  try {
    await waitFor(
      () => bridge.status().edgeConnected && bridge.status().ariConnected,
      30_000,
      "the bridge",
    );
    return await work(simulator, bridge);
  } finally {
    await bridge.stop();
    await simulator.close();
    await rm(outboxDir, { recursive: true, force: true });
  }
}

interface CapacityResult {
  events: number;
  eventsPerSecond: number;
  ackFrames: number;
  ackMs: number[];
  load: string;
}

/** The edge's capacity for one organization: a bridge-shaped client at full speed. */
async function runCapacity(url: string, token: string): Promise<CapacityResult> {
  const socket = new WebSocket(`${url.replace(/^http/, "ws")}/api/v1/pbx/bridge`, {
    headers: { authorization: `Bearer ${token}` },
    // As pbx-bridge's edge client.
    perMessageDeflate: false,
  });
  const waiting = new Map<string, () => void>();
  let ackFrames = 0;
  socket.on("message", (data) => {
    const frame = JSON.parse(String(data)) as {
      type: string;
      eventId?: string;
      eventIds?: string[];
    };
    const ids =
      frame.type === "acks" ? (frame.eventIds ?? []) : frame.eventId ? [frame.eventId] : [];
    if (frame.type === "acks" || frame.type === "ack") ackFrames += 1;
    for (const id of ids) {
      waiting.get(id)?.();
      waiting.delete(id);
    }
  });
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  socket.send(
    JSON.stringify({
      type: "hello",
      protocolVersion: 1,
      bridgeVersion: "bench",
      ariConnected: true,
      features: ["batches"],
    }),
  );
  let seq = 0;
  const event = (type: string, callId: string, body: object) => ({
    id: crypto.randomUUID(),
    seq: seq++,
    callId,
    occurredAt: new Date().toISOString(),
    type,
    ...body,
  });
  const events = Array.from({ length: Math.ceil(CAPACITY_EVENTS / 3) }, (_, index) => {
    const callId = crypto.randomUUID();
    const to = `+1998${String(index).padStart(7, "0")}`;
    const extension = EXTENSIONS[index % EXTENSIONS.length] ?? "1001";
    return [
      event("call.ringing", callId, {
        direction: "outbound",
        from: extension,
        fromName: null,
        to,
        extension,
        queue: null,
      }),
      event("call.answered", callId, { extension }),
      event("call.ended", callId, {
        outcome: "answered",
        durationSeconds: 5,
        hangupCause: 16,
        hangupCauseText: "Normal Clearing",
        hangupBy: "customer",
      }),
    ];
  }).flat();
  const ackMs: number[] = [];
  const startedAt = performance.now();
  await new Promise<void>((resolve) => {
    let next = 0;
    let inFlight = 0;
    let acked = 0;
    const pump = () => {
      const frame: typeof events = [];
      while (next < events.length && inFlight < CAPACITY_WINDOW) {
        const item = events[next++];
        if (!item) break;
        inFlight += 1;
        frame.push(item);
        const sentAt = performance.now();
        waiting.set(item.id, () => {
          ackMs.push(performance.now() - sentAt);
          inFlight -= 1;
          acked += 1;
          if (acked === events.length) resolve();
          else queueMicrotask(pump);
        });
      }
      if (frame.length > 0) socket.send(JSON.stringify({ type: "events", events: frame }));
    };
    pump();
  });
  const seconds = (performance.now() - startedAt) / 1000;
  socket.close();
  return {
    events: events.length,
    eventsPerSecond: events.length / seconds,
    ackFrames,
    ackMs: ackMs.sort((a, b) => a - b),
    load: loadDescription(),
  };
}

function printCapacity(host: WorkerHost, result: CapacityResult) {
  console.log(
    `${host.label}: capacity (a bridge-shaped client, no simulator): ${result.events} events of ${result.events / 3} calls, window ${CAPACITY_WINDOW}, events frames: ${perSecond(result.eventsPerSecond)} events/s acked, ${result.ackFrames} ack frames; send -> ack p50 ${ms(percentile(result.ackMs, 50))} / p95 ${ms(percentile(result.ackMs, 95))} / p99 ${ms(percentile(result.ackMs, 99))} ms; ${result.load}`,
  );
  console.log("");
}

/** Every phase, then the capacity, against one host, in an organization of its own. */
async function runOn(host: WorkerHost) {
  const account = await signUp(host.url);
  const created = await fetch(`${host.url}/api/v1/pbx/bridge-tokens`, {
    method: "POST",
    headers: { authorization: `Bearer ${account.accessToken}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "bench" }),
  });
  const { token } = ((await created.json()) as { data: { token: string } }).data;
  const timings = new Timings();
  const live = await connectLive(host.url, account.accessToken, timings);
  try {
    const numbering = { next: 0 };
    const results: PhaseResult[] = [];
    const only = process.env.BENCH_PBX_ONLY?.split(",");
    for (const phase of PHASES.filter((plan) => !only || only.includes(plan.name))) {
      log(`${host.label}: ${phase.name} ...`);
      results.push(
        await withPipeline(host.url, token, timings, phase.timeScale, (simulator, bridge) =>
          runPhase(simulator, bridge, timings, phase, numbering),
        ),
      );
    }
    printResults(host, results);
    if (CAPACITY_EVENTS > 0) printCapacity(host, await runCapacity(host.url, token));
  } finally {
    live.close();
  }
}

async function run(target: Target) {
  for (const host of workerHosts(target)) await runOn(host);
}

void runBenchmark({
  title: "bench:pbx: call events through pbx-bridge and the edge",
  settings: [
    ...PHASES.map(
      (phase) =>
        `${phase.name}: ${phase.concurrency} calls in progress for ${phase.seconds} s, simulator time scale ${phase.timeScale}`,
    ),
    `capacity: ${CAPACITY_EVENTS} events from a bridge-shaped client (BENCH_PBX_CAPACITY_EVENTS, 0 skips)`,
  ],
  run,
});
