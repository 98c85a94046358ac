import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { freePort, type RunningStack, startStack } from "../../scripts/lib/stack";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * The whole product (throwaway PostgreSQL, Neon proxy, wrangler dev) and Debian's Chromium for
 * one test file: started in beforeAll, stopped in afterAll. Page errors are collected so a test
 * can assert there were none.
 */
export function browserStackForThisFile(viewport = { width: 1280, height: 900 }) {
  let stack: RunningStack | undefined;
  let browser: Browser | undefined;
  let tempDir: string | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    tempDir = await mkdtemp(path.join(os.tmpdir(), "switchboard-browser-"));
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
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  }, 300_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await stack?.stop();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  });

  return {
    pageErrors,
    baseUrl(): string {
      if (!stack) throw new Error("The stack did not start");
      return stack.url;
    },
    tempDir(): string {
      if (!tempDir) throw new Error("The stack did not start");
      return tempDir;
    },
    /** A page in a fresh browser context (its own cookies: another person). */
    async newPage(): Promise<Page> {
      if (!browser) throw new Error("Chromium did not start");
      const context = await browser.newContext({ viewport });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      page.on("pageerror", (error) => pageErrors.push(error.message));
      return page;
    },
  };
}
