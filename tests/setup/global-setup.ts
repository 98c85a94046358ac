import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { runMigrations } from "../../scripts/lib/migrate";
import { startNeonProxy } from "../../scripts/lib/neon-proxy";
import { enableAppLogin, startLocalPostgres } from "../../scripts/lib/postgres";
import { generateSigningJwk } from "../../scripts/lib/secrets";
import { freePort } from "../../scripts/lib/stack";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    neonProxy: string;
    jwtPrivateJwk: string;
  }
}

/** A throwaway PostgreSQL + Neon proxy for the whole run, migrated like production. */
export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "switchboard-test-pg-"));
  const postgres = await startLocalPostgres({
    dataDir: path.join(dataDir, "data"),
    port: await freePort(),
    persistent: false,
  });
  const proxy = await startNeonProxy({ port: await freePort(), postgresPort: postgres.port });
  await runMigrations(postgres.ownerUrl);
  await enableAppLogin(postgres.port);

  project.provide("databaseUrl", postgres.appUrl);
  project.provide("neonProxy", `127.0.0.1:${proxy.port}`);
  project.provide("jwtPrivateJwk", await generateSigningJwk());

  return async () => {
    await proxy.close();
    await postgres.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
