import type { LiveRecordingJson, StoredRecordingJson } from "./ari-json";
import type { EventHub } from "./event-hub";
import type { Scheduler } from "./scheduler";

export interface RecordingSpec {
  name: string;
  format: string;
  /** `bridge:<id>` or `channel:<id>`. */
  targetUri: string;
  /** Applications that receive the recording's events (those of its target). */
  audience: ReadonlySet<string>;
  /** 0 = no limit. Simulated seconds. */
  maxDurationSeconds: number;
}

interface LiveRecording {
  readonly spec: RecordingSpec;
  readonly startedAtMs: number;
  readonly cancelLimit: () => void;
}

/** Live recordings (RecordingStarted/RecordingFinished) and the stored files they leave. */
export class Recordings {
  private readonly live = new Map<string, LiveRecording>();
  private readonly stored = new Map<string, StoredRecordingJson>();

  constructor(
    private readonly hub: EventHub,
    private readonly scheduler: Scheduler,
  ) {}

  isLive(name: string): boolean {
    return this.live.has(name);
  }

  isStored(name: string): boolean {
    return this.stored.has(name);
  }

  /** Starts recording; returns the LiveRecording as the REST answer shows it (queued). */
  start(spec: RecordingSpec): LiveRecordingJson {
    const cancelLimit =
      spec.maxDurationSeconds > 0
        ? this.scheduler.after(spec.maxDurationSeconds * 1000, () => this.stop(spec.name))
        : () => {};
    this.live.set(spec.name, { spec, startedAtMs: Date.now(), cancelLimit });
    this.hub.publish(
      { type: "RecordingStarted", recording: recordingJson(spec, "recording") },
      spec.audience,
    );
    return recordingJson(spec, "queued");
  }

  /** Stops a live recording; false when there is none by that name. */
  stop(name: string): boolean {
    const recording = this.live.get(name);
    if (!recording) return false;
    this.live.delete(name);
    recording.cancelLimit();
    const duration = Math.round(this.scheduler.simulatedSecondsSince(recording.startedAtMs));
    const { spec } = recording;
    this.stored.set(name, { name, format: spec.format });
    this.hub.publish(
      { type: "RecordingFinished", recording: { ...recordingJson(spec, "done"), duration } },
      spec.audience,
    );
    return true;
  }

  /** Ends every live recording of a bridge or channel that is going away. */
  finishTarget(targetUri: string): void {
    for (const [name, recording] of [...this.live]) {
      if (recording.spec.targetUri === targetUri) this.stop(name);
    }
  }

  storedRecordings(): StoredRecordingJson[] {
    return [...this.stored.values()].map((recording) => ({ ...recording }));
  }
}

function recordingJson(spec: RecordingSpec, state: LiveRecordingJson["state"]): LiveRecordingJson {
  return { name: spec.name, format: spec.format, target_uri: spec.targetUri, state };
}
