import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AriSimulator, startAriSimulator } from "../../simulator/index";
import type { CallEvent, RoutingInput } from "../../src/edge-protocol";
import { type BridgeHandle, parseConfig, startBridge } from "../../src/index";
import { EdgeDouble } from "./edge-double";
import { waitUntil } from "./wait";

export const TOKEN = "bridge-token-for-tests-0123456789";
// 20x real time: at 50x a loaded CI machine let scaled ring timeouts lapse before the
// simulated phones answered (a busy outbound call ended as no_answer).
export const TIME_SCALE = 0.05;

export const ROUTING: RoutingInput = {
  queues: [{ name: "support", extensions: ["1001", "1002"], ringTimeoutSeconds: 10 }],
  agents: ["1001", "1002", "1003"].map((extension) => ({ extension, status: "available" })),
};

/** ARI simulator + edge double + a bridge between them, on a fresh outbox directory. */
export class BridgeHarness {
  bridge: BridgeHandle | null = null;
  /** The bridge's log lines (JSON, at LOG_LEVEL debug). */
  readonly logs: string[] = [];

  private constructor(
    readonly sim: AriSimulator,
    readonly edge: EdgeDouble,
    readonly outboxDir: string,
  ) {}

  static async start(options: { routing?: RoutingInput | null } = {}): Promise<BridgeHarness> {
    const sim = await startAriSimulator({
      username: "ari",
      password: "secret",
      timeScale: TIME_SCALE,
    });
    const edge = await EdgeDouble.start(TOKEN);
    const harness = new BridgeHarness(sim, edge, mkdtempSync(join(tmpdir(), "bridge-it-")));
    await harness.startBridge();
    const routing = options.routing === undefined ? ROUTING : options.routing;
    if (routing) {
      edge.sendRouting(routing);
      // The frame crosses a socket: calls placed before it lands would ring the fallbacks.
      await waitUntil(
        () => (harness.bridge?.status().routingUpdates ?? 0) > 0,
        5000,
        "bridge received its routing",
      );
    }
    return harness;
  }

  async startBridge(): Promise<BridgeHandle> {
    const config = parseConfig({
      ARI_URL: this.sim.url,
      ARI_USER: "ari",
      ARI_PASSWORD: "secret",
      EDGE_URL: this.edge.url,
      BRIDGE_TOKEN: TOKEN,
      OUTBOX_DIR: this.outboxDir,
      HTTP_HOST: "127.0.0.1",
      HTTP_PORT: 0,
      RECORDINGS_PUBLIC_URL: "https://pbx.example.com",
      FALLBACK_EXTENSIONS: "1001,1002",
      COMMAND_TIMEOUT_MS: 2000,
      LOG_LEVEL: "debug",
    });
    const bridge = await startBridge(config, {
      logSink: (line) => this.logs.push(line),
      reconnectBackoff: { minMs: 20, maxMs: 200 },
      queueRetryMs: 50,
      recordingWaitMs: 1000,
    });
    this.bridge = bridge;
    await waitUntil(
      () => bridge.status().ariConnected && bridge.status().edgeConnected,
      5000,
      "bridge connected to ARI and edge",
    );
    return bridge;
  }

  /** Waits for `count` call.ended events in total, then returns the events of the last one. */
  async endedCall(count = 1, timeoutMs = 8000): Promise<CallEvent[]> {
    await this.edge.waitFor(
      () => this.ended().length >= count,
      timeoutMs,
      `call.ended #${count}; logs: ${this.logs.slice(-5).join(" | ")}`,
    );
    const last = this.ended()[count - 1] as CallEvent;
    return this.edge.callEvents(last.callId);
  }

  ended(): CallEvent[] {
    return this.edge.events().filter((event) => event.type === "call.ended");
  }

  async close(): Promise<void> {
    await this.bridge?.stop();
    await this.sim.close();
    await this.edge.close();
    rmSync(this.outboxDir, { recursive: true, force: true });
  }
}

/** A compact view of a call's events for assertions: type plus the fields that matter. */
export function summary(events: CallEvent[]): string[] {
  return events.map((event) => {
    switch (event.type) {
      case "call.ringing":
        return `ringing ${event.direction} ${event.from}->${event.to} ext=${event.extension}`;
      case "call.answered":
        return `answered ext=${event.extension}`;
      case "call.transferred":
        return `transferred ${event.fromExtension}->${event.to}`;
      case "call.ended":
        return `ended ${event.outcome} by=${event.hangupBy} cause=${event.hangupCause}`;
      case "call.recording_ready":
        return `recording_ready ${event.recordingName}`;
      default:
        return event.type.replace("call.", "");
    }
  });
}
