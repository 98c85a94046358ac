import type { Pbx } from "./pbx";
import { type Scheduler, SchedulerClosedError } from "./scheduler";

/**
 * Resolves with the first result of `check` that is not undefined (run now and after every
 * PBX change), or with null after `timeoutMs` simulated ms (null = no time limit). Rejects
 * with SchedulerClosedError when the simulator closes.
 */
export function waitForPbx<T>(
  pbx: Pbx,
  scheduler: Scheduler,
  check: () => { value: T } | undefined,
  timeoutMs: number | null,
): Promise<T | null> {
  return new Promise((resolve, reject) => {
    if (scheduler.closed) return reject(new SchedulerClosedError());
    const finish = (settle: () => void) => {
      stopWatching();
      cancelTimeout();
      stopOnClose();
      settle();
    };
    const evaluate = () => {
      const result = check();
      if (result) finish(() => resolve(result.value));
    };
    const stopWatching = pbx.onChange(evaluate);
    const cancelTimeout =
      timeoutMs === null ? () => {} : scheduler.after(timeoutMs, () => finish(() => resolve(null)));
    const stopOnClose = scheduler.onClose(() => finish(() => reject(new SchedulerClosedError())));
    evaluate();
  });
}
