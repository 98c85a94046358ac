import { type ChildProcess, spawn } from "node:child_process";
import { watch } from "node:fs";
import { rename, rm } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { type FakeMeta, startFakeMeta } from "./fake-meta";
import { runMigrations } from "./migrate";
import { startNeonProxy } from "./neon-proxy";
import { startLocalDatabasePath } from "./pgbouncer";
import { APP_ROLE, enableAppLogin, type LocalPostgres, startLocalPostgres } from "./postgres";
import { ensureDevVars } from "./secrets";
import { seedDemoData } from "./seed";

export const ROOT = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(ROOT, "node_modules/.bin");

export interface StackOptions {
  port: number;
  /** Where PostgreSQL keeps its data (ignored when DATABASE_URL points elsewhere). */
  dataDir: string;
  persistent: boolean;
  /** Where wrangler keeps local Durable Object and Queue state. */
  wranglerStateDir: string;
  seed: boolean;
  /** Rebuild the Remix bundle when app/ changes. */
  watchApp: boolean;
  vars?: Record<string, string>;
  log: (line: string) => void;
  quiet?: boolean;
  /** Receives the Worker's output line by line (default: this process's stdout, unless quiet). */
  workerOutput?: (line: string) => void;
}

export interface RunningStack {
  url: string;
  /** Meta's Graph API, faked locally (the Worker's WHATSAPP_GRAPH_URL points at it). */
  fakeMeta: FakeMeta;
  databaseOwnerUrl: string;
  /** The vars the Worker was started with (database URL and proxy included). */
  workerVars: Record<string, string>;
  seeded: boolean;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

export function run(
  command: string,
  args: string[],
  options: { quiet?: boolean; env?: Record<string, string>; cwd?: string } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? ROOT,
      stdio: options.quiet ? "ignore" : "inherit",
      env: { ...process.env, ...options.env },
    });
    child.on("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.join(" ")} exited with ${code}`)),
    );
  });
}

/*
 * Always the production bundle: under vitest NODE_ENV is "test", and Vite would then build
 * React's development version into the browser tests' pages (450 KB instead of 260 KB).
 */
const PRODUCTION_BUILD = { NODE_ENV: "production" };

export function buildApp(quiet = false) {
  return run(path.join(BIN, "remix"), ["vite:build"], { quiet, env: PRODUCTION_BUILD });
}

/**
 * Rebuilds beside the running Worker and swaps the new build in with two renames, so
 * `wrangler dev` never sees an emptied build/ (a plain rebuild would crash it mid-way).
 */
async function rebuildInPlace() {
  const next = path.join(ROOT, ".cache/build-next");
  const old = path.join(ROOT, ".cache/build-old");
  await rm(next, { recursive: true, force: true });
  await run(path.join(BIN, "remix"), ["vite:build"], {
    quiet: true,
    env: { ...PRODUCTION_BUILD, SWITCHBOARD_BUILD_DIR: next },
  });
  await rm(old, { recursive: true, force: true });
  await rename(path.join(ROOT, "build"), old);
  await rename(next, path.join(ROOT, "build"));
  await rm(old, { recursive: true, force: true });
}

interface Database {
  workerUrl: string;
  ownerUrl: string;
  proxy: string | null;
  stop(): Promise<void>;
}

/**
 * DATABASE_URL (e.g. a Neon branch's pooled URL) if given, otherwise a local PostgreSQL behind
 * PgBouncer and the local proxy, as Neon's pooled endpoint (docs/decisions/021-database-path.md).
 */
async function startDatabase(options: StackOptions): Promise<Database> {
  const external = process.env.DATABASE_URL;
  if (external) {
    const ownerUrl = process.env.DATABASE_OWNER_URL ?? external;
    await runMigrations(ownerUrl);
    return { workerUrl: external, ownerUrl, proxy: null, stop: async () => {} };
  }
  const postgres: LocalPostgres = await startLocalPostgres({
    dataDir: options.dataDir,
    port: await freePort(),
    persistent: options.persistent,
  });
  await runMigrations(postgres.ownerUrl);
  await enableAppLogin(postgres.port);
  const databasePath = await startLocalDatabasePath({
    appUrl: postgres.appUrl,
    postgresPort: postgres.port,
    roles: [APP_ROLE],
    freePort,
    startProxy: (postgresPort, port) => startNeonProxy({ port, postgresPort }),
    warn: (line) => options.log(`warning: ${line}`),
  }).catch(async (error) => {
    await postgres.stop();
    throw error;
  });
  return {
    workerUrl: databasePath.workerUrl,
    ownerUrl: postgres.ownerUrl,
    proxy: databasePath.proxy,
    stop: async () => {
      await databasePath.stop();
      await postgres.stop();
    },
  };
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/api/v1/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`The Worker did not become healthy at ${url} within ${timeoutMs} ms`);
}

function watchAppSources(log: (line: string) => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  let building = false;
  let again = false;
  const rebuild = async () => {
    if (building) {
      again = true;
      return;
    }
    building = true;
    try {
      await rebuildInPlace();
      log("app rebuilt");
    } catch (error) {
      log(`app build failed: ${String(error)}`);
    } finally {
      building = false;
      if (again) {
        again = false;
        void rebuild();
      }
    }
  };
  const watcher = watch(path.join(ROOT, "app"), { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(rebuild, 250);
  });
  return () => watcher.close();
}

const ANSI_ESCAPE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/**
 * wrangler dev echoes every request ("[wrangler:info] GET /path 200 OK (12ms)") beside the
 * Worker's own request log line; the Worker's line says more (route, org, user, request id).
 */
export function isWranglerRequestEcho(line: string): boolean {
  return /^\[wrangler:(info|warn|error)\] (GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) \S+ \d{3}\b/.test(
    line.replace(ANSI_ESCAPE, ""),
  );
}

/** Passes the Worker's output on line by line, without wrangler's request echoes. */
function forwardWorkerOutput(stream: NodeJS.ReadableStream, print: (line: string) => void) {
  let pending = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    const lines = (pending + chunk).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) if (!isWranglerRequestEcho(line)) print(line);
  });
  stream.on("end", () => {
    if (pending && !isWranglerRequestEcho(pending)) print(pending);
  });
}

/** The whole product on one machine: PostgreSQL, the Neon proxy, migrations, and workerd. */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const database = await startDatabase(options);
  const seeded = options.seed ? await seedDemoData(database.ownerUrl) : false;
  await ensureDevVars(path.join(ROOT, ".dev.vars"));
  await buildApp(options.quiet);
  const fakeMeta = await startFakeMeta({ port: 0, log: options.quiet ? () => {} : options.log });

  const vars: Record<string, string> = {
    WHATSAPP_GRAPH_URL: fakeMeta.graphUrl,
    DATABASE_URL: database.workerUrl,
    APP_URL: `http://127.0.0.1:${options.port}`,
    ...(database.proxy ? { NEON_LOCAL_PROXY: database.proxy } : {}),
    ...options.vars,
  };
  const args = [
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(options.port),
    "--persist-to",
    options.wranglerStateDir,
    "--test-scheduled",
    "--show-interactive-dev-session=false",
    ...Object.entries(vars).flatMap(([key, value]) => ["--var", `${key}:${value}`]),
  ];
  const print =
    options.workerOutput ??
    (options.quiet ? null : (line: string) => process.stdout.write(`${line}\n`));
  const wrangler = spawn(path.join(BIN, "wrangler"), args, {
    cwd: ROOT,
    stdio: ["ignore", print ? "pipe" : "ignore", "pipe"],
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: "false",
      // Offline, miniflare's fetch of the `Request.cf` placeholder only prints a stack trace.
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
    },
    detached: false,
  });
  if (print && wrangler.stdout) forwardWorkerOutput(wrangler.stdout, print);
  if (wrangler.stderr) {
    forwardWorkerOutput(
      wrangler.stderr,
      options.workerOutput ?? ((line) => process.stderr.write(`${line}\n`)),
    );
  }
  const url = `http://127.0.0.1:${options.port}`;
  const stopWatching = options.watchApp ? watchAppSources(options.log) : () => {};
  const stop = async () => {
    stopWatching();
    if (wrangler.exitCode === null) {
      const exited = new Promise((resolve) => wrangler.once("exit", resolve));
      wrangler.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (wrangler.exitCode === null) wrangler.kill("SIGKILL");
    }
    await fakeMeta.stop();
    await database.stop();
  };
  try {
    await waitForHealth(url, wrangler);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    fakeMeta,
    databaseOwnerUrl: database.ownerUrl,
    workerVars: vars,
    seeded,
    stop,
  };
}
