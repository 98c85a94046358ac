import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, type RunningStack, startStack } from "../../scripts/lib/stack";

/*
 * What `npm run dev` prints while someone uses the product: each request once (the Worker's
 * own line; wrangler's echo of it is dropped), no stack trace from the offline lookup of
 * Cloudflare's `Request.cf` data, no warnings about idle database sockets that workerd
 * closes when a request ends, and expected 404s quiet.
 */
const output: string[] = [];
let stack: RunningStack | undefined;
let tempDir = "";
const nodeEnv = process.env.NODE_ENV;

beforeAll(async () => {
  // As in `npm run dev` (vitest sets NODE_ENV=test, which alone would skip the lookup).
  process.env.NODE_ENV = "development";
  tempDir = await mkdtemp(path.join(os.tmpdir(), "switchboard-devlog-"));
  stack = await startStack({
    port: await freePort(),
    dataDir: path.join(tempDir, "postgres"),
    wranglerStateDir: path.join(tempDir, "wrangler"),
    persistent: false,
    seed: false,
    watchApp: false,
    quiet: true,
    vars: { ENVIRONMENT: "development" },
    log: () => {},
    workerOutput: (line) => output.push(line),
  });
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  await rm(tempDir, { recursive: true, force: true });
  process.env.NODE_ENV = nodeEnv;
});

/** Waits until a line matching `seen` has been printed and nothing more for half a second. */
async function logSettled(seen: RegExp, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let count = -1;
  while (Date.now() < deadline) {
    if (output.length === count && output.some((line) => seen.test(line))) return;
    count = output.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`The dev log never printed ${seen}:\n${output.join("\n")}`);
}

describe("the dev log", () => {
  it("shows each request once, and no stack traces or idle-socket warnings", async () => {
    if (!stack) throw new Error("The stack did not start");
    // The start-up's own health probe is a request too: its line can reach us after
    // startStack returns (a busy machine), so wait for it, and for the log to go quiet.
    await logSettled(/["\s]\/api\/v1\/health["\s]/);
    const before = output.length;
    const paths = ["/api/v1/health", "/login", "/signup"];
    for (const requestPath of paths) {
      const response = await fetch(`${stack.url}${requestPath}`);
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const during = output.slice(before);
    for (const requestPath of paths) {
      const mentions = during.filter((line) => new RegExp(`["\\s]${requestPath}["\\s]`).test(line));
      expect(mentions, `log lines for ${requestPath}: ${mentions.join("\n")}`).toHaveLength(1);
    }
    // An unknown page is an expected 404: one line, no error with a stack trace. The favicon
    // browsers ask for is a file.
    const unknown = await fetch(`${stack.url}/no-such-page`);
    expect(unknown.status).toBe(404);
    await unknown.arrayBuffer();
    const favicon = await fetch(`${stack.url}/favicon.ico`);
    expect(favicon.status).toBe(200);
    expect(favicon.headers.get("content-type")).toMatch(/icon/);
    await favicon.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const notFound = output.filter((line) => line.includes("/no-such-page"));
    expect(notFound, notFound.join("\n")).toHaveLength(1);

    const all = output.join("\n");
    expect(all).not.toMatch(/No route matches/);
    expect(all).not.toMatch(/ENOTFOUND|workers\.cloudflare\.com/);
    expect(all).not.toMatch(/^\s+at /m);
    expect(all).not.toMatch(/idle database client/);
  });
});
