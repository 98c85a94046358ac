import { HANGUP_CAUSE } from "./ari-json";
import type { Pbx, SimChannel } from "./pbx";
import { type People, TIMING } from "./people";
import type { Scheduler } from "./scheduler";

/**
 * Plays the far end of a channel the application originated: it rings, then answers, is busy,
 * never answers (until the originate timeout) or is unavailable, as People says.
 */
export class Dialer {
  constructor(
    private readonly pbx: Pbx,
    private readonly people: People,
    private readonly scheduler: Scheduler,
  ) {}

  /** `timeoutMs` is simulated; null = ring forever. */
  dial(channel: SimChannel, timeoutMs: number | null): void {
    const whileDialing = (action: () => void) => () => {
      if (channel.dialing && !channel.destroyed) action();
    };
    if (timeoutMs !== null) {
      this.scheduler.after(
        timeoutMs,
        whileDialing(() => this.giveUp(channel)),
      );
    }
    switch (this.people.behaviourOf(channel.endpoint)) {
      case "unavailable":
        this.scheduler.after(
          TIMING.unavailableAfterMs,
          whileDialing(() => this.unavailable(channel)),
        );
        return;
      case "busy":
        this.scheduler.after(
          TIMING.busyAfterMs,
          whileDialing(() => this.farEndRefuses(channel, HANGUP_CAUSE.userBusy, "BUSY")),
        );
        return;
      case "congestion":
        this.scheduler.after(
          TIMING.congestionAfterMs,
          whileDialing(() => this.farEndRefuses(channel, HANGUP_CAUSE.congestion, "CONGESTION")),
        );
        return;
      case "no_answer":
        this.scheduleRinging(channel, whileDialing);
        return;
      case "answer":
        this.scheduleRinging(channel, whileDialing);
        this.scheduler.after(
          this.people.answerDelayMs(channel.endpoint),
          whileDialing(() => this.pbx.dialAnswered(channel)),
        );
        return;
    }
  }

  private scheduleRinging(channel: SimChannel, guard: (action: () => void) => () => void): void {
    this.scheduler.after(
      TIMING.ringingAfterMs,
      guard(() => this.pbx.dialRinging(channel)),
    );
  }

  private giveUp(channel: SimChannel): void {
    this.pbx.hangup(channel, {
      cause: HANGUP_CAUSE.noAnswer,
      initiator: "pbx",
      dialstatus: "NOANSWER",
    });
  }

  private unavailable(channel: SimChannel): void {
    this.pbx.hangup(channel, {
      cause: HANGUP_CAUSE.subscriberAbsent,
      initiator: "pbx",
      dialstatus: "CHANUNAVAIL",
    });
  }

  private farEndRefuses(channel: SimChannel, cause: number, dialstatus: string): void {
    this.pbx.hangup(channel, { cause, initiator: "far_end", dialstatus });
  }
}
