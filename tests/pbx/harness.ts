import { mkdtemp } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import WebSocket from "ws";
import { type AriSimulator, startAriSimulator } from "../../pbx-bridge/simulator/index";
import { type BridgeHandle, parseConfig, startBridge } from "../../pbx-bridge/src/index";
import { freePort } from "../../scripts/lib/stack";
import { parseServerEvent, type ServerEvent } from "../../worker/realtime/events";
import { type StackForThisFile, stackForThisFile } from "../support/stack";

export const TIME_SCALE = 0.05;
const OWNER_PASSWORD = "correct horse battery staple";

export type Api = <T = unknown>(
  path: string,
  init?: { method?: string; body?: unknown },
) => Promise<{
  status: number;
  data: T;
  message: string;
}>;

export interface Owner {
  email: string;
  password: string;
  userId: string;
  orgId: string;
  accessToken: string;
  api: Api;
}

async function signUp(baseUrl: string, label: string): Promise<Owner> {
  const email = `${label}-${Date.now().toString(36)}@example.com`;
  const post = (path: string, body: unknown) =>
    fetch(`${baseUrl}/api/v1${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": "10.9.9.9" },
      body: JSON.stringify(body),
    });
  // Sign-up answers the same for any address and signs no one in: then sign in.
  const signedUp = await post("/auth/signup", {
    email,
    password: OWNER_PASSWORD,
    name: `${label} person`,
    organizationName: `${label} org`,
  });
  expect(signedUp.status).toBe(202);
  const response = await post("/auth/login", { email, password: OWNER_PASSWORD });
  const body = (await response.json()) as {
    data: { user: { id: string }; organization: { id: string }; accessToken: string };
  };
  expect(response.status).toBe(200);
  const accessToken = body.data.accessToken;
  const api: Api = async (apiPath, init = {}) => {
    const reply = await fetch(`${baseUrl}/api/v1${apiPath}`, {
      method: init.method ?? "GET",
      headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const json = (await reply.json()) as { data: never; message: string };
    return { status: reply.status, data: json.data, message: json.message };
  };
  return {
    email,
    password: OWNER_PASSWORD,
    userId: body.data.user.id,
    orgId: body.data.organization.id,
    accessToken,
    api,
  };
}

/** A realtime client like the browser's: collects the organization's events. */
export class LiveClient {
  readonly events: { at: number; event: ServerEvent }[] = [];
  private waiters: { match: (event: ServerEvent) => boolean; resolve: (e: ServerEvent) => void }[] =
    [];

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const event = parseServerEvent(String(data));
      if (!event) return;
      this.events.push({ at: performance.timeOrigin + performance.now(), event });
      for (const waiter of this.waiters.filter((candidate) => candidate.match(event))) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    });
  }

  static async connect(baseUrl: string, accessToken: string): Promise<LiveClient> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/api/v1/realtime`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    const client = new LiveClient(socket);
    await new Promise((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    await client.waitFor((event) => event.type === "presence.snapshot");
    return client;
  }

  waitFor(
    match: (event: ServerEvent) => boolean,
    timeoutMs = 20_000,
    what = "a matching realtime event",
  ): Promise<ServerEvent> {
    const seen = this.events.find((entry) => match(entry.event));
    if (seen) return Promise.resolve(seen.event);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no ${what} within ${timeoutMs} ms; got ${this.events.map((entry) => JSON.stringify(entry.event)).join("\n")}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({
        match,
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event);
        },
      });
    });
  }

  close() {
    this.socket.close();
  }
}

/**
 * A TCP relay in front of the Worker for the bridge's edge connection: `cut()` makes the edge
 * unreachable (open connections drop, new ones are refused), `restore()` brings it back.
 */
export class EdgeRelay {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();

  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async restore(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on("close", () => this.sockets.delete(socket));
        socket.on("error", () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

/**
 * The product plus the PBX side for one test file: an organization whose owner is agent
 * 1001, its bridge token, the ARI simulator, and pbx-bridge connected to the Worker through
 * an EdgeRelay.
 */
export function pbxStackForThisFile(label: string) {
  return pbxForStack(stackForThisFile(label), label);
}

/** The PBX side (organization, simulator, bridge) beside a stack another harness started. */
export function pbxForStack(stack: StackForThisFile, label: string, timeScale = TIME_SCALE) {
  let owner: Owner | undefined;
  let simulator: AriSimulator | undefined;
  let relay: EdgeRelay | undefined;
  let bridge: BridgeHandle | undefined;
  let bridgeToken = "";
  let outboxDir = "";
  const bridgeLog: string[] = [];

  const startPbxBridge = async () => {
    if (!simulator || !relay) throw new Error("the PBX side did not start");
    bridge = await startBridge(
      parseConfig({
        ARI_URL: simulator.url,
        ARI_USER: "ari",
        ARI_PASSWORD: "secret",
        EDGE_URL: `ws://127.0.0.1:${relay.port}/api/v1/pbx/bridge`,
        BRIDGE_TOKEN: bridgeToken,
        OUTBOX_DIR: outboxDir,
        HTTP_HOST: "127.0.0.1",
        HTTP_PORT: 0,
        FALLBACK_EXTENSIONS: "1001",
      }),
      {
        logSink: (line) => bridgeLog.push(line),
        reconnectBackoff: { minMs: 50, maxMs: 500 },
        queueRetryMs: 100,
        recordingWaitMs: 1000,
      },
    );
    return bridge;
  };

  beforeAll(async () => {
    owner = await signUp(stack.baseUrl(), label);
    expect(
      (
        await owner.api(`/call-center/agents/${owner.userId}`, {
          method: "PUT",
          body: { extension: "1001" },
        })
      ).status,
    ).toBe(200);
    await owner.api("/call-center/status", { method: "PUT", body: { status: "available" } });
    const created = await owner.api<{ token: string }>("/pbx/bridge-tokens", {
      method: "POST",
      body: { name: "test PBX" },
    });
    bridgeToken = created.data.token;
    outboxDir = await mkdtemp(path.join(stack.tempDir(), "outbox-"));
    simulator = await startAriSimulator({
      username: "ari",
      password: "secret",
      timeScale,
    });
    const workerPort = Number(new URL(stack.baseUrl()).port);
    relay = new EdgeRelay(await freePort(), { host: "127.0.0.1", port: workerPort });
    await relay.restore();
    await startPbxBridge();
    await waitUntil(
      () => bridge?.status().edgeConnected === true && bridge.status().ariConnected,
      20_000,
    );
  }, 120_000);

  afterAll(async () => {
    await bridge?.stop();
    await simulator?.close();
    await relay?.cut();
  });

  const required = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} did not start`);
    return value;
  };

  return {
    baseUrl: stack.baseUrl,
    databaseOwnerUrl: stack.databaseOwnerUrl,
    owner: () => required(owner, "the organization"),
    simulator: () => required(simulator, "the ARI simulator"),
    bridge: () => required(bridge, "pbx-bridge"),
    relay: () => required(relay, "the edge relay"),
    bridgeLog,
    /** Stops pbx-bridge and starts a new one on the same outbox (a process restart). */
    async restartBridge() {
      await bridge?.stop();
      return startPbxBridge();
    },
  };
}

export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what = "condition",
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
