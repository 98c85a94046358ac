export interface RequestLog {
  requestId: string;
  method: string;
  route: string;
  path: string;
  status: number;
  durationMs: number;
  orgId?: string | undefined;
  userId?: string | null | undefined;
}

/** One JSON line per request; Workers Logs indexes the fields. */
export function logRequest(entry: RequestLog) {
  const level = entry.status >= 500 ? "error" : entry.status >= 400 ? "warn" : "info";
  console.log(JSON.stringify({ level, msg: "request", ...entry }));
}

export function logError(requestId: string, error: unknown) {
  const detail =
    error instanceof Error
      ? { name: error.name, message: error.message, stack: error.stack }
      : { error: String(error) };
  console.error(JSON.stringify({ level: "error", msg: "unhandled error", requestId, ...detail }));
}
