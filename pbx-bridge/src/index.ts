import { randomUUID } from "node:crypto";
import { AriClient } from "./ari-client";
import type { AriEvent } from "./ari-events";
import type { BackoffOptions } from "./backoff";
import { CallTracker } from "./call-tracker";
import { CommandRunner } from "./commands";
import type { BridgeConfig } from "./config";
import { EdgeClient } from "./edge-client";
import { EffectExecutor } from "./executor";
import { startHttpServer } from "./http-server";
import { createLogger, type Logger } from "./logger";
import { Metrics } from "./metrics";
import { type CallEventDraft, Outbox } from "./outbox";
import { signedRecordingUrl } from "./recording-links";
import { Router } from "./router";

export type { BridgeConfig } from "./config";
export { ConfigError, loadConfig, parseConfig } from "./config";
export type { Logger, LogLevel } from "./logger";
export { createLogger } from "./logger";

export const BRIDGE_VERSION = "0.1.0";

export interface BridgeStatus {
  ariConnected: boolean;
  edgeConnected: boolean;
  outboxDepth: number;
  activeCalls: number;
  /** How many routing updates the edge has sent since start (0: ringing FALLBACK_EXTENSIONS). */
  routingUpdates: number;
}

export interface BridgeHandle {
  /** Base URL of the HTTP server (health, metrics, recordings). */
  httpUrl: string;
  status(): BridgeStatus;
  stop(): Promise<void>;
}

/** Knobs for tests and embedding; production uses the defaults. */
export interface BridgeOptions {
  /** Where log lines (one JSON object each) go instead of stdout. */
  logSink?: (line: string) => void;
  reconnectBackoff?: BackoffOptions;
  queueRetryMs?: number;
  recordingWaitMs?: number;
  /** Node process metrics on /metrics (default true). */
  processMetrics?: boolean;
}

const QUEUE_RETRY_MS = 2000;
const RECORDING_WAIT_MS = 5000;

export async function startBridge(
  config: BridgeConfig,
  options: BridgeOptions = {},
): Promise<BridgeHandle> {
  const log = createLogger({ level: config.logLevel, sink: options.logSink });
  const outbox = Outbox.open(config.outboxDir);
  let routingUpdates = 0;
  const router = new Router({
    fallbackExtensions: config.fallbackExtensions,
    fallbackRingTimeoutSeconds: config.ringTimeoutSeconds,
  });
  const tracker = createTracker(config, options, router);

  const metrics: Metrics = new Metrics(
    {
      outboxDepth: () => outbox.depth,
      ariConnected: () => ariClient.connected,
      edgeConnected: () => edgeClient.connected,
      activeCalls: () => tracker.activeCalls,
    },
    { processMetrics: options.processMetrics ?? true },
  );

  const ariClient: AriClient = new AriClient(
    {
      url: config.ariUrl,
      user: config.ariUser,
      password: config.ariPassword,
      app: config.ariApp,
      backoff: options.reconnectBackoff,
      log,
    },
    {
      onFrame: () => metrics.ariEventReceived(),
      onEvent: (event: AriEvent) => void executor.run(tracker.handleAriEvent(event, Date.now())),
      onConnectionChange: (connected) => {
        edgeClient.sendAriStatus(connected);
        if (connected) void reconcile();
      },
    },
  );
  const executor: EffectExecutor = new EffectExecutor({
    ari: ariClient,
    tracker,
    now: Date.now,
    log,
    emit: (draft) => emitEvent(draft, { outbox, metrics, log }),
  });
  const commands: CommandRunner = new CommandRunner({
    tracker,
    executor,
    metrics,
    ariConnected: () => ariClient.connected,
    timeoutMs: config.commandTimeoutMs,
    now: Date.now,
  });

  /** After (re)connecting to ARI: legs tracked before that and now gone are over. */
  async function reconcile(): Promise<void> {
    const tracked = new Set(tracker.trackedChannelIds());
    if (tracked.size === 0) return;
    try {
      const existing = await ariClient.listChannelIds();
      const vanished = [...tracked].filter((id) => !existing.has(id));
      void executor.run(tracker.channelsVanished(vanished, Date.now()));
    } catch (error) {
      log.warn("ari reconcile failed", { error: (error as Error).message });
    }
  }

  const edgeClient: EdgeClient = new EdgeClient(
    {
      url: config.edgeUrl,
      token: config.bridgeToken,
      bridgeVersion: BRIDGE_VERSION,
      outbox,
      ariConnected: () => ariClient.connected,
      backoff: options.reconnectBackoff,
      log,
    },
    {
      onRouting: (routing) => {
        routingUpdates += 1;
        router.setRouting(routing);
        void executor.run(tracker.routingChanged(Date.now()));
      },
      onCommand: (command) => commands.run(command),
      onDelivered: () => metrics.callEventDelivered(),
    },
  );

  let http: Awaited<ReturnType<typeof startHttpServer>>;
  try {
    http = await startHttpServer({
      host: config.httpHost,
      port: config.httpPort,
      metrics,
      signingSecret: config.bridgeToken,
      fetchRecording: (name) => ariClient.storedRecordingFile(name),
      health: () => ({
        ari: ariClient.connected,
        edge: edgeClient.connected,
        outboxDepth: outbox.depth,
      }),
      log,
    });
  } catch (error) {
    outbox.close();
    throw error;
  }
  ariClient.start();
  edgeClient.start();
  log.info("started", {
    version: BRIDGE_VERSION,
    http: http.url,
    ari: config.ariUrl,
    edge: config.edgeUrl,
  });

  return {
    httpUrl: http.url,
    status: () => ({
      ariConnected: ariClient.connected,
      edgeConnected: edgeClient.connected,
      outboxDepth: outbox.depth,
      activeCalls: tracker.activeCalls,
      routingUpdates,
    }),
    async stop() {
      await Promise.all([ariClient.stop(), edgeClient.stop()]);
      await executor.stop();
      await http.close();
      outbox.close();
      log.info("stopped");
    },
  };
}

function createTracker(config: BridgeConfig, options: BridgeOptions, router: Router): CallTracker {
  return new CallTracker({
    router,
    newId: randomUUID,
    trunkEndpoint: config.trunkEndpoint,
    extensionEndpoint: config.extensionEndpoint,
    defaultQueue: config.defaultQueue,
    ringTimeoutSeconds: config.ringTimeoutSeconds,
    dialTimeoutSeconds: config.dialTimeoutSeconds,
    queueRetryMs: options.queueRetryMs ?? QUEUE_RETRY_MS,
    recordingWaitMs: options.recordingWaitMs ?? RECORDING_WAIT_MS,
    recordingUrl: (name, now) => recordingUrl(config, name, now),
  });
}

/** Writes a call event to the outbox; an event that cannot be written is logged and lost. */
function emitEvent(
  draft: CallEventDraft,
  sinks: { outbox: Outbox; metrics: Metrics; log: Logger },
): void {
  try {
    const event = sinks.outbox.append(draft);
    sinks.metrics.callEventEmitted();
    sinks.log.info("call event", { seq: event.seq, type: event.type, callId: event.callId });
  } catch (error) {
    sinks.log.error("outbox write failed, event lost", {
      type: draft.type,
      callId: draft.callId,
      error: (error as Error).message,
    });
  }
}

function recordingUrl(config: BridgeConfig, name: string, now: number): string | null {
  if (!config.recordingsPublicUrl) return null;
  const expires = Math.floor(now / 1000) + config.recordingUrlTtlSeconds;
  return signedRecordingUrl(config.recordingsPublicUrl, config.bridgeToken, name, expires);
}
