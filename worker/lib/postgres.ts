/** Postgres error codes the API turns into 4xx answers instead of 500s. */
interface PostgresError {
  code?: string;
  constraint?: string;
}

function postgresError(error: unknown): PostgresError | null {
  let current: unknown = error;
  // drizzle wraps driver errors; the Postgres fields sit on the cause.
  for (let depth = 0; current && depth < 4; depth++) {
    if (typeof current === "object" && "code" in current) return current as PostgresError;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pg = postgresError(error);
  return pg?.code === "23505" && (!constraint || pg.constraint === constraint);
}
