import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { freePort, type RunningStack, startStack } from "../../scripts/lib/stack";

/**
 * The whole product (throwaway PostgreSQL, Neon proxy, wrangler dev) for one test file:
 * started in beforeAll, stopped in afterAll, after `extraTeardown`.
 */
export function stackForThisFile(label: string) {
  let stack: RunningStack | undefined;
  let tempDir: string | undefined;

  beforeAll(async () => {
    tempDir = await mkdtemp(path.join(os.tmpdir(), `switchboard-${label}-`));
    stack = await startStack({
      port: await freePort(),
      dataDir: path.join(tempDir, "postgres"),
      wranglerStateDir: path.join(tempDir, "wrangler"),
      persistent: false,
      seed: false,
      watchApp: false,
      quiet: true,
      vars: { ENVIRONMENT: "test", RATE_LIMIT_MULTIPLIER: "50" },
      log: () => {},
    });
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  });

  return {
    baseUrl(): string {
      if (!stack) throw new Error("The stack did not start");
      return stack.url;
    },
    databaseOwnerUrl(): string {
      if (!stack) throw new Error("The stack did not start");
      return stack.databaseOwnerUrl;
    },
    tempDir(): string {
      if (!tempDir) throw new Error("The stack did not start");
      return tempDir;
    },
  };
}

export type StackForThisFile = ReturnType<typeof stackForThisFile>;
