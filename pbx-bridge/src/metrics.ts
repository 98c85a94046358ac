import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/*
 * The bridge's Prometheus metrics (prom-client). Each Metrics owns its Registry (never the
 * global default one), so several bridges in one process (tests) keep separate counts.
 */

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface Gauges {
  outboxDepth(): number;
  ariConnected(): boolean;
  edgeConnected(): boolean;
  activeCalls(): number;
}

export interface MetricsOptions {
  /** Node process metrics (CPU, memory, event loop, GC) as `pbx_bridge_process_*` etc. */
  processMetrics?: boolean;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly ariEventsReceived: Counter;
  private readonly callEventsEmitted: Counter;
  private readonly callEventsDelivered: Counter;
  private readonly commands: Counter<"action" | "result">;
  private readonly commandDuration: Histogram;

  constructor(gauges: Gauges, options: MetricsOptions = {}) {
    const registers = [this.registry];
    this.ariEventsReceived = new Counter({
      name: "pbx_bridge_ari_events_received_total",
      help: "ARI events received.",
      registers,
    });
    this.callEventsEmitted = new Counter({
      name: "pbx_bridge_call_events_emitted_total",
      help: "Call events written to the outbox.",
      registers,
    });
    this.callEventsDelivered = new Counter({
      name: "pbx_bridge_call_events_delivered_total",
      help: "Call events acked or rejected by the edge.",
      registers,
    });
    liveGauge(registers, "pbx_bridge_outbox_depth", "Call events not yet acked by the edge.", () =>
      gauges.outboxDepth(),
    );
    liveGauge(
      registers,
      "pbx_bridge_ari_connected",
      "1 while the ARI events WebSocket is open.",
      () => Number(gauges.ariConnected()),
    );
    liveGauge(registers, "pbx_bridge_edge_connected", "1 while the edge WebSocket is open.", () =>
      Number(gauges.edgeConnected()),
    );
    liveGauge(registers, "pbx_bridge_active_calls", "Calls the bridge is tracking.", () =>
      gauges.activeCalls(),
    );
    this.commands = new Counter({
      name: "pbx_bridge_commands_total",
      help: "Edge commands handled, by action and result.",
      labelNames: ["action", "result"] as const,
      registers,
    });
    this.commandDuration = new Histogram({
      name: "pbx_bridge_command_duration_seconds",
      help: "Time to execute an edge command.",
      buckets: DURATION_BUCKETS,
      registers,
    });
    if (options.processMetrics) {
      collectDefaultMetrics({ register: this.registry, prefix: "pbx_bridge_" });
    }
  }

  /** The Content-Type of `render()`'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }

  ariEventReceived(): void {
    this.ariEventsReceived.inc();
  }

  callEventEmitted(): void {
    this.callEventsEmitted.inc();
  }

  callEventDelivered(): void {
    this.callEventsDelivered.inc();
  }

  /** `result`: "ok" or the error code. */
  commandFinished(action: string, result: string, seconds: number): void {
    this.commands.inc({ action, result });
    this.commandDuration.observe(seconds);
  }

  /** Every metric in the Prometheus text exposition format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}

/** A gauge read from the bridge's state at scrape time. */
function liveGauge(registers: Registry[], name: string, help: string, read: () => number): Gauge {
  return new Gauge({
    name,
    help,
    registers,
    collect() {
      this.set(read());
    },
  });
}
