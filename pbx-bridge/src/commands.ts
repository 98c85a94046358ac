import type { CallTracker } from "./call-tracker";
import type { CommandResultBody } from "./edge-client";
import type { COMMAND_ERROR_CODES, Command } from "./edge-protocol";
import type { EffectExecutor, OpFailure } from "./executor";
import type { Metrics } from "./metrics";

/*
 * Runs edge commands: checks ARI is up, lets the tracker validate and plan the command,
 * performs its ARI operations and turns the outcome into a `command.result` body, or TIMEOUT
 * when that takes longer than COMMAND_TIMEOUT_MS (the operations still complete).
 */

type ErrorCode = (typeof COMMAND_ERROR_CODES)[number];

export interface CommandRunnerOptions {
  tracker: CallTracker;
  executor: EffectExecutor;
  metrics: Metrics;
  ariConnected: () => boolean;
  timeoutMs: number;
  now: () => number;
}

export class CommandRunner {
  constructor(private readonly options: CommandRunnerOptions) {}

  async run(command: Command): Promise<CommandResultBody> {
    const started = performance.now();
    const result = await this.withTimeout(
      this.execute(command).catch((error: Error) => failure("ARI_ERROR", error.message)),
    );
    const outcome = result.ok ? "ok" : (result.error?.code ?? "ARI_ERROR");
    this.options.metrics.commandFinished(
      command.action,
      outcome,
      (performance.now() - started) / 1000,
    );
    return result;
  }

  private async execute(command: Command): Promise<CommandResultBody> {
    if (!this.options.ariConnected()) return failure("ARI_UNAVAILABLE", "ARI is not connected");
    const planned = this.options.tracker.handleCommand(command, this.options.now());
    if (!planned.ok) return failure(planned.code, planned.message);
    const failures = await this.options.executor.run(planned.effects);
    const fatal = failures.find((f) => !isHarmless(f));
    if (!fatal) return { ok: true, error: null };
    return failure(fatal.status === null ? "ARI_UNAVAILABLE" : "ARI_ERROR", fatal.message);
  }

  private withTimeout(work: Promise<CommandResultBody>): Promise<CommandResultBody> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<CommandResultBody>((resolve) => {
      timer = setTimeout(
        () => resolve(failure("TIMEOUT", `no result within ${this.options.timeoutMs} ms`)),
        this.options.timeoutMs,
      );
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }
}

/** Hanging up a channel that is already gone is what the caller wanted anyway. */
function isHarmless(failure: OpFailure): boolean {
  return failure.op.op === "hangup" && failure.status === 404;
}

function failure(code: ErrorCode, message: string): CommandResultBody {
  return { ok: false, error: { code, message: message.slice(0, 500) } };
}
