/**
 * Timers in simulated time: every delay is multiplied by `timeScale` (tests use ~0.02), and
 * `close()` cancels everything still pending so the simulator shuts down cleanly.
 */
export class Scheduler {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly closing = new AbortController();

  constructor(private readonly timeScale: number) {}

  get closed(): boolean {
    return this.closing.signal.aborted;
  }

  /** Runs `action` after `simulatedMs`; returns a function that cancels it. */
  after(simulatedMs: number, action: () => void): () => void {
    if (this.closed) return () => {};
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, this.toRealMs(simulatedMs));
    this.timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    };
  }

  /** Resolves after `simulatedMs`; rejects with SchedulerClosedError when the simulator closes. */
  sleep(simulatedMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new SchedulerClosedError());
      const onClose = () => reject(new SchedulerClosedError());
      this.closing.signal.addEventListener("abort", onClose, { once: true });
      this.after(simulatedMs, () => {
        this.closing.signal.removeEventListener("abort", onClose);
        resolve();
      });
    });
  }

  /** Subscribes to the simulator closing (for waits that are not timers). */
  onClose(listener: () => void): () => void {
    if (this.closed) {
      listener();
      return () => {};
    }
    this.closing.signal.addEventListener("abort", listener, { once: true });
    return () => this.closing.signal.removeEventListener("abort", listener);
  }

  /** Simulated seconds elapsed since the real time `sinceMs` (Date.now() based). */
  simulatedSecondsSince(sinceMs: number): number {
    return (Date.now() - sinceMs) / this.timeScale / 1000;
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.closing.abort();
  }

  private toRealMs(simulatedMs: number): number {
    return Math.max(0, Math.round(simulatedMs * this.timeScale));
  }
}

export class SchedulerClosedError extends Error {
  constructor() {
    super("simulator closed");
    this.name = "SchedulerClosedError";
  }
}
