import pg from "pg";
import { describe, expect, it } from "vitest";
import { pbxStackForThisFile, waitUntil } from "./harness";

/*
 * The edge goes away, calls keep happening (about 1,000 call events), the bridge restarts in
 * the middle, the edge comes back: every event arrives exactly once, in order per call.
 */

const pbx = pbxStackForThisFile("pbx-outage");

const EVENTS_PER_HALF = 500;
const CALLS_PER_WAVE = 25;
let callsPlayed = 0;

/** Waves of inbound calls (one agent answers what it can; the rest are abandoned or missed). */
async function playCallsUntil(minimumEvents: number) {
  const simulator = pbx.simulator();
  while ((await emittedEvents()) < minimumEvents) {
    const started = await Promise.all(
      Array.from({ length: CALLS_PER_WAVE }, () => {
        callsPlayed += 1;
        return simulator.playScenario("inbound_answered", {
          from: `+1415600${String(callsPlayed).padStart(4, "0")}`,
          queue: null,
          talkSeconds: 1,
        });
      }),
    );
    await Promise.all(started.map((scenario) => simulator.scenarioDone(scenario.scenarioId)));
    await waitUntil(() => pbx.bridge().status().activeCalls === 0, 60_000, "the wave to end");
  }
}

async function emittedEvents(): Promise<number> {
  const metrics = await (await fetch(`${pbx.bridge().httpUrl}/metrics`)).text();
  return Number(/^pbx_bridge_call_events_emitted_total (\d+)/m.exec(metrics)?.[1] ?? Number.NaN);
}

describe("delivery through an edge outage and a bridge restart", () => {
  it("delivers every call event exactly once, in order per call", async () => {
    await pbx.relay().cut();
    await waitUntil(() => !pbx.bridge().status().edgeConnected, 10_000, "the bridge to notice");

    await playCallsUntil(EVENTS_PER_HALF);
    const emittedBeforeRestart = await emittedEvents();
    expect(pbx.bridge().status().outboxDepth).toBe(emittedBeforeRestart);

    const restarted = await pbx.restartBridge();
    expect(restarted.status().outboxDepth).toBe(emittedBeforeRestart);
    await waitUntil(() => restarted.status().ariConnected, 10_000, "the new bridge to reach ARI");
    await playCallsUntil(EVENTS_PER_HALF);
    const total = emittedBeforeRestart + (await emittedEvents());
    expect(total).toBeGreaterThanOrEqual(2 * EVENTS_PER_HALF);
    expect(restarted.status().outboxDepth).toBe(total);

    await pbx.relay().restore();
    await waitUntil(() => restarted.status().outboxDepth === 0, 120_000, "the outbox to drain");

    const client = new pg.Client({ connectionString: pbx.databaseOwnerUrl() });
    await client.connect();
    try {
      const stored = await client.query<{ events: string; calls: string; ended: string }>(
        `select count(*) as events, count(distinct call_id) as calls,
           count(*) filter (where type = 'call.ended') as ended
         from call_events where org_id = $1`,
        [pbx.owner().orgId],
      );
      expect(stored.rows[0]).toEqual({
        events: String(total),
        calls: String(callsPlayed),
        ended: String(callsPlayed),
      });
      // Stored in the order the bridge numbered them: per call, arrival order is seq order.
      const outOfOrder = await client.query(
        `select call_id from (
           select call_id, seq, lag(seq) over (partition by call_id order by received_at, seq) as previous
           from call_events where org_id = $1) ordered
         where previous is not null and previous >= seq`,
        [pbx.owner().orgId],
      );
      expect(outOfOrder.rowCount).toBe(0);
      const calls = await client.query<{ total: string; live: string; answered: string }>(
        `select count(*) as total, count(*) filter (where ended_at is null) as live,
           count(*) filter (where outcome = 'answered') as answered
         from calls where org_id = $1`,
        [pbx.owner().orgId],
      );
      expect(calls.rows[0]).toMatchObject({ total: String(callsPlayed), live: "0" });
      expect(Number(calls.rows[0]?.answered)).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  });
});
