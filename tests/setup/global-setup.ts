import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startFakeMeta } from "../../scripts/lib/fake-meta";
import { runMigrations } from "../../scripts/lib/migrate";
import { startNeonProxy } from "../../scripts/lib/neon-proxy";
import { startLocalDatabasePath } from "../../scripts/lib/pgbouncer";
import { APP_ROLE, enableAppLogin, startLocalPostgres } from "../../scripts/lib/postgres";
import { generateSigningJwk } from "../../scripts/lib/secrets";
import { freePort } from "../../scripts/lib/stack";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    neonProxy: string;
    jwtPrivateJwk: string;
    /** The local fake of Meta's Graph API (scripts/lib/fake-meta.ts): its base URL. */
    fakeMetaUrl: string;
    graphUrl: string;
  }
}

/**
 * A throwaway PostgreSQL for the whole run, migrated like production, behind PgBouncer in
 * transaction mode (when installed) and the Neon proxy, as Neon's pooled endpoint.
 */
export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "switchboard-test-pg-"));
  const postgres = await startLocalPostgres({
    dataDir: path.join(dataDir, "data"),
    port: await freePort(),
    persistent: false,
  });
  await runMigrations(postgres.ownerUrl);
  await enableAppLogin(postgres.port);
  const database = await startLocalDatabasePath({
    appUrl: postgres.appUrl,
    postgresPort: postgres.port,
    roles: [APP_ROLE],
    freePort,
    startProxy: (postgresPort, port) => startNeonProxy({ port, postgresPort }),
    warn: (line) => console.warn(`[global-setup] warning: ${line}`),
  });

  project.provide("databaseUrl", database.workerUrl);
  project.provide("neonProxy", database.proxy);
  project.provide("jwtPrivateJwk", await generateSigningJwk());
  // Meta's side for the inbox's sends; the Worker under test is not reachable over HTTP, so
  // numbers are registered without a webhook URL and tests deliver statuses themselves.
  const fakeMeta = await startFakeMeta({ port: 0 });
  project.provide("fakeMetaUrl", fakeMeta.url);
  project.provide("graphUrl", fakeMeta.graphUrl);

  return async () => {
    await fakeMeta.stop();
    await database.stop();
    await postgres.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
