/*
 * The bridge's Prometheus metrics, rendered in the text exposition format (0.0.4).
 */

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface Gauges {
  outboxDepth(): number;
  ariConnected(): boolean;
  edgeConnected(): boolean;
  activeCalls(): number;
}

export class Metrics {
  private ariEventsReceived = 0;
  private callEventsEmitted = 0;
  private callEventsDelivered = 0;
  private readonly commands = new Map<string, { action: string; result: string; count: number }>();
  private readonly durationBuckets = DURATION_BUCKETS.map(() => 0);
  private durationCount = 0;
  private durationSum = 0;

  constructor(private readonly gauges: Gauges) {}

  ariEventReceived(): void {
    this.ariEventsReceived += 1;
  }

  callEventEmitted(): void {
    this.callEventsEmitted += 1;
  }

  callEventDelivered(): void {
    this.callEventsDelivered += 1;
  }

  /** `result`: "ok" or the error code. */
  commandFinished(action: string, result: string, seconds: number): void {
    const key = `${action}\u0000${result}`;
    const entry = this.commands.get(key) ?? { action, result, count: 0 };
    entry.count += 1;
    this.commands.set(key, entry);
    this.durationCount += 1;
    this.durationSum += seconds;
    DURATION_BUCKETS.forEach((bound, index) => {
      if (seconds <= bound) this.durationBuckets[index] = (this.durationBuckets[index] ?? 0) + 1;
    });
  }

  render(): string {
    const g = this.gauges;
    return [
      ...counter(
        "pbx_bridge_ari_events_received_total",
        "ARI events received.",
        this.ariEventsReceived,
      ),
      ...counter(
        "pbx_bridge_call_events_emitted_total",
        "Call events written to the outbox.",
        this.callEventsEmitted,
      ),
      ...counter(
        "pbx_bridge_call_events_delivered_total",
        "Call events acked or rejected by the edge.",
        this.callEventsDelivered,
      ),
      ...gauge(
        "pbx_bridge_outbox_depth",
        "Call events not yet acked by the edge.",
        g.outboxDepth(),
      ),
      ...gauge(
        "pbx_bridge_ari_connected",
        "1 while the ARI events WebSocket is open.",
        Number(g.ariConnected()),
      ),
      ...gauge(
        "pbx_bridge_edge_connected",
        "1 while the edge WebSocket is open.",
        Number(g.edgeConnected()),
      ),
      ...gauge("pbx_bridge_active_calls", "Calls the bridge is tracking.", g.activeCalls()),
      ...this.renderCommands(),
      ...this.renderDurations(),
      "",
    ].join("\n");
  }

  private renderCommands(): string[] {
    const lines = [
      "# HELP pbx_bridge_commands_total Edge commands handled, by action and result.",
      "# TYPE pbx_bridge_commands_total counter",
    ];
    for (const { action, result, count } of this.commands.values()) {
      lines.push(
        `pbx_bridge_commands_total{action="${label(action)}",result="${label(result)}"} ${count}`,
      );
    }
    return lines;
  }

  private renderDurations(): string[] {
    const name = "pbx_bridge_command_duration_seconds";
    const lines = [`# HELP ${name} Time to execute an edge command.`, `# TYPE ${name} histogram`];
    DURATION_BUCKETS.forEach((bound, index) => {
      lines.push(`${name}_bucket{le="${bound}"} ${this.durationBuckets[index] ?? 0}`);
    });
    lines.push(`${name}_bucket{le="+Inf"} ${this.durationCount}`);
    lines.push(`${name}_sum ${this.durationSum}`, `${name}_count ${this.durationCount}`);
    return lines;
  }
}

function counter(name: string, help: string, value: number): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${value}`];
}

function gauge(name: string, help: string, value: number): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${value}`];
}

function label(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
