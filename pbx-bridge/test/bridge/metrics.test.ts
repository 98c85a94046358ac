import { describe, expect, it } from "vitest";
import { Metrics } from "../../src/metrics";

function metrics(state = { depth: 0, ari: true, edge: false, calls: 0 }) {
  return new Metrics({
    outboxDepth: () => state.depth,
    ariConnected: () => state.ari,
    edgeConnected: () => state.edge,
    activeCalls: () => state.calls,
  });
}

describe("Metrics", () => {
  it("renders the dashboard's names, help texts, types, labels and buckets", async () => {
    const m = metrics();
    m.ariEventReceived();
    m.ariEventReceived();
    m.callEventEmitted();
    m.commandFinished("originate", "ok", 0.02);
    m.commandFinished("hangup", "CALL_NOT_FOUND", 3);
    const text = await m.render();
    const lines = text.split("\n");
    expect(lines).toEqual(
      expect.arrayContaining([
        "# HELP pbx_bridge_ari_events_received_total ARI events received.",
        "# TYPE pbx_bridge_ari_events_received_total counter",
        "pbx_bridge_ari_events_received_total 2",
        "pbx_bridge_call_events_emitted_total 1",
        "pbx_bridge_call_events_delivered_total 0",
        "# HELP pbx_bridge_outbox_depth Call events not yet acked by the edge.",
        "# TYPE pbx_bridge_outbox_depth gauge",
        "pbx_bridge_ari_connected 1",
        "pbx_bridge_edge_connected 0",
        "# HELP pbx_bridge_commands_total Edge commands handled, by action and result.",
        "# TYPE pbx_bridge_commands_total counter",
        'pbx_bridge_commands_total{action="originate",result="ok"} 1',
        'pbx_bridge_commands_total{action="hangup",result="CALL_NOT_FOUND"} 1',
        "# HELP pbx_bridge_command_duration_seconds Time to execute an edge command.",
        "# TYPE pbx_bridge_command_duration_seconds histogram",
        'pbx_bridge_command_duration_seconds_bucket{le="0.005"} 0',
        'pbx_bridge_command_duration_seconds_bucket{le="0.025"} 1',
        'pbx_bridge_command_duration_seconds_bucket{le="2.5"} 1',
        'pbx_bridge_command_duration_seconds_bucket{le="5"} 2',
        'pbx_bridge_command_duration_seconds_bucket{le="10"} 2',
        'pbx_bridge_command_duration_seconds_bucket{le="+Inf"} 2',
        "pbx_bridge_command_duration_seconds_sum 3.02",
        "pbx_bridge_command_duration_seconds_count 2",
      ]),
    );
    expect(
      lines.filter((line) => line.startsWith("pbx_bridge_command_duration_seconds_bucket")),
    ).toHaveLength(12);
    expect(m.contentType).toBe("text/plain; version=0.0.4; charset=utf-8");
  });

  it("reads the live gauges at scrape time", async () => {
    const state = { depth: 3, ari: false, edge: true, calls: 2 };
    const m = metrics(state);
    expect(await m.render()).toContain("pbx_bridge_outbox_depth 3");
    state.depth = 0;
    state.calls = 5;
    const text = await m.render();
    expect(text).toContain("pbx_bridge_outbox_depth 0");
    expect(text).toContain("pbx_bridge_active_calls 5");
    expect(text).toContain("pbx_bridge_ari_connected 0");
  });

  it("keeps each instance's counts apart (one registry per bridge)", async () => {
    const a = metrics();
    const b = metrics();
    a.callEventDelivered();
    expect(await a.render()).toContain("pbx_bridge_call_events_delivered_total 1");
    expect(await b.render()).toContain("pbx_bridge_call_events_delivered_total 0");
  });

  it("escapes label values", async () => {
    const m = metrics();
    m.commandFinished('we"ird\\', "ok", 0);
    expect(await m.render()).toContain(
      'pbx_bridge_commands_total{action="we\\"ird\\\\",result="ok"} 1',
    );
  });
});
