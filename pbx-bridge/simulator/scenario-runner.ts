import { randomUUID } from "node:crypto";
import type { Pbx, SimChannel } from "./pbx";
import type { People } from "./people";
import { ScenarioRuntime } from "./scenario-runtime";
import { isScenarioName, SCENARIOS, type ScenarioScript } from "./scenarios";
import { type Scheduler, SchedulerClosedError } from "./scheduler";
import { waitForPbx } from "./wait";

export interface StartedScenario {
  scenarioId: string;
  channelIds: string[];
}

export class UnknownScenarioError extends Error {
  override name = "UnknownScenarioError";
}

interface RunnerDeps {
  pbx: Pbx;
  people: People;
  scheduler: Scheduler;
  app: string;
  log: (line: string) => void;
}

/**
 * Starts scenarios and tells when each is over: its script finished and every channel it
 * placed, or that was ever bridged with one of those, is destroyed.
 */
export class ScenarioRunner {
  private readonly finished = new Map<string, Promise<void>>();

  constructor(private readonly deps: RunnerDeps) {}

  play(name: string, params: unknown): StartedScenario {
    if (!isScenarioName(name)) throw new UnknownScenarioError(`No scenario named ${name}`);
    const { pbx, people, scheduler, app, log } = this.deps;
    const scenarioId = randomUUID();
    const runtime = new ScenarioRuntime(scenarioId, people, pbx, scheduler, app);
    const script = SCENARIOS[name].start(runtime, params);
    this.finished.set(scenarioId, this.settle(name, scenarioId, script));
    const channelIds = script.channels.map((channel) => channel.id);
    log(`scenario ${name} ${scenarioId} started (channels ${channelIds.join(", ")})`);
    return { scenarioId, channelIds };
  }

  done(scenarioId: string): Promise<void> {
    return (
      this.finished.get(scenarioId) ?? Promise.reject(new Error(`Unknown scenario ${scenarioId}`))
    );
  }

  private async settle(name: string, scenarioId: string, script: ScenarioScript): Promise<void> {
    const related = trackRelatedChannels(this.deps.pbx, script.channels);
    try {
      await script.done;
      await waitForPbx(
        this.deps.pbx,
        this.deps.scheduler,
        () => (related.allGone() ? { value: true } : undefined),
        null,
      );
      this.deps.log(`scenario ${name} ${scenarioId} done`);
    } catch (error) {
      if (!(error instanceof SchedulerClosedError)) {
        this.deps.log(`scenario ${name} ${scenarioId} failed: ${String(error)}`);
      }
    } finally {
      related.stop();
    }
  }
}

/** The scenario's channels plus every channel that shares a bridge with one of them. */
function trackRelatedChannels(pbx: Pbx, initial: readonly SimChannel[]) {
  const related = new Set(initial.map((channel) => channel.id));
  const collect = () => {
    for (const id of [...related]) {
      const channel = pbx.channel(id);
      const bridge = channel?.bridgeId ? pbx.bridge(channel.bridgeId) : undefined;
      for (const memberId of bridge?.channelIds ?? []) related.add(memberId);
    }
  };
  collect();
  const stop = pbx.onChange(collect);
  return {
    allGone: () => [...related].every((id) => pbx.channel(id) === undefined),
    stop,
  };
}
