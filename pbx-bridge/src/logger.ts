/*
 * Structured logs: one JSON object per line, `{"level","msg",...fields,"time"}`, written to
 * stdout (or to a sink, in tests). Lines below the configured level are dropped.
 */

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export interface LoggerOptions {
  /** Least severe level written (default info). */
  level?: LogLevel;
  /** Receives each line without its newline (default: stdout). */
  sink?: (line: string) => void;
  now?: () => Date;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? "info");
  const sink = options.sink ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const write = (level: LogLevel) => (msg: string, fields?: LogFields) => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    sink(formatLine(level, msg, fields ?? {}, now()));
  };
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}

/** A logger that drops everything (unit tests). */
export const silentLogger: Logger = createLogger({ sink: () => {} });

/** `level`, `msg` and `time` always win over fields of the same name. */
export function formatLine(level: LogLevel, msg: string, fields: LogFields, time: Date): string {
  const entry = { level, msg, ...fields, time: time.toISOString() };
  entry.level = level;
  entry.msg = msg;
  try {
    return JSON.stringify(entry, jsonValue);
  } catch (error) {
    // A field that cannot be serialized (a cycle) must not lose the line.
    return JSON.stringify({
      level,
      msg,
      logError: (error as Error).message,
      time: entry.time,
    });
  }
}

function jsonValue(_key: string, value: unknown): unknown {
  if (value instanceof Error) return value.message;
  if (typeof value === "bigint") return value.toString();
  return value;
}
