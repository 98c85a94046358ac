import WebSocket from "ws";
import { z } from "zod";
import { type AriEvent, parseAriMessage } from "./ari-events";
import { Backoff, type BackoffOptions, RECONNECT_BACKOFF } from "./backoff";
import type { Logger } from "./logger";
import { closeSocket } from "./socket";

/*
 * ARI over HTTP (fetch, basic auth) and the events WebSocket
 * (`/ari/events?app=<app>&api_key=user:pass`), reconnecting with backoff.
 */

export interface AriClientOptions {
  url: string;
  user: string;
  password: string;
  app: string;
  backoff?: BackoffOptions;
  requestTimeoutMs?: number;
  log: Logger;
}

export interface AriListeners {
  onEvent(event: AriEvent): void;
  /** Every frame received, handled or not (for metrics). */
  onFrame(): void;
  onConnectionChange(connected: boolean): void;
}

/** An ARI request failed: `status` is the HTTP status, or null when ARI was unreachable. */
export class AriError extends Error {
  constructor(
    readonly status: number | null,
    message: string,
  ) {
    super(message);
  }
}

export interface OriginateParams {
  endpoint: string;
  channelId: string;
  appArgs: string;
  callerId: string | null;
  timeoutSeconds: number;
}

/** The `reason` values of DELETE /channels/{id} the bridge uses. */
export type HangupReason = "normal" | "busy" | "no_answer" | "congestion";

const channelListSchema = z.array(z.object({ id: z.string() }));
const errorBodySchema = z.object({ message: z.string() });

type Query = Record<string, string | number | undefined>;

export class AriClient {
  private socket: WebSocket | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private stopped = true;
  private connectedFlag = false;
  private readonly backoff: Backoff;
  private readonly authHeader: string;

  constructor(
    private readonly options: AriClientOptions,
    private readonly listeners: AriListeners,
  ) {
    this.backoff = new Backoff(options.backoff ?? RECONNECT_BACKOFF);
    this.authHeader = `Basic ${Buffer.from(`${options.user}:${options.password}`).toString("base64")}`;
  }

  get connected(): boolean {
    return this.connectedFlag;
  }

  start(): void {
    this.stopped = false;
    this.openSocket();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) await closeSocket(socket);
    this.setConnected(false);
  }

  // ---- REST -------------------------------------------------------------------------------

  async originate(params: OriginateParams): Promise<void> {
    await this.send("POST", "/channels", {
      endpoint: params.endpoint,
      app: this.options.app,
      appArgs: params.appArgs,
      callerId: params.callerId ?? undefined,
      timeout: params.timeoutSeconds,
      channelId: params.channelId,
    });
  }

  async hangup(channelId: string, reason: HangupReason): Promise<void> {
    await this.send("DELETE", `/channels/${enc(channelId)}`, { reason });
  }

  async answer(channelId: string): Promise<void> {
    await this.send("POST", `/channels/${enc(channelId)}/answer`);
  }

  async ring(channelId: string): Promise<void> {
    await this.send("POST", `/channels/${enc(channelId)}/ring`);
  }

  async hold(channelId: string): Promise<void> {
    await this.send("POST", `/channels/${enc(channelId)}/hold`);
  }

  async unhold(channelId: string): Promise<void> {
    await this.send("DELETE", `/channels/${enc(channelId)}/hold`);
  }

  async createBridge(bridgeId: string, name: string): Promise<void> {
    await this.send("POST", "/bridges", { type: "mixing", bridgeId, name });
  }

  async addChannel(bridgeId: string, channelId: string): Promise<void> {
    await this.send("POST", `/bridges/${enc(bridgeId)}/addChannel`, { channel: channelId });
  }

  async destroyBridge(bridgeId: string): Promise<void> {
    await this.send("DELETE", `/bridges/${enc(bridgeId)}`);
  }

  async recordBridge(bridgeId: string, name: string): Promise<void> {
    await this.send("POST", `/bridges/${enc(bridgeId)}/record`, {
      name,
      format: "wav",
      ifExists: "fail",
    });
  }

  async stopRecording(name: string): Promise<void> {
    await this.send("POST", `/recordings/live/${enc(name)}/stop`);
  }

  async listChannelIds(): Promise<Set<string>> {
    const response = await this.request("GET", "/channels");
    const parsed = channelListSchema.safeParse(await response.json());
    if (!parsed.success) throw new AriError(response.status, "GET /channels: unexpected body");
    return new Set(parsed.data.map((channel) => channel.id));
  }

  /** The stored recording's file; the caller must consume or cancel the body. */
  async storedRecordingFile(name: string): Promise<Response> {
    return this.request("GET", `/recordings/stored/${enc(name)}/file`);
  }

  /** A request whose answer carries nothing the bridge needs: the body is drained. */
  private async send(method: string, path: string, query: Query = {}): Promise<void> {
    const response = await this.request(method, path, query);
    await response.arrayBuffer();
  }

  private async request(method: string, path: string, query: Query = {}): Promise<Response> {
    const url = new URL(`${this.options.url}/ari${path}`);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { authorization: this.authHeader },
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new AriError(null, `${method} ${path}: ${(error as Error).message}`);
    }
    if (response.ok) return response;
    throw new AriError(response.status, `${method} ${path}: ${await errorMessage(response)}`);
  }

  // ---- events WebSocket ---------------------------------------------------------------------

  private openSocket(): void {
    const url = new URL(`${this.options.url.replace(/^http/, "ws")}/ari/events`);
    url.searchParams.set("app", this.options.app);
    url.searchParams.set("api_key", `${this.options.user}:${this.options.password}`);
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.on("open", () => {
      this.backoff.reset();
      this.options.log.info("ari events connected");
      this.setConnected(true);
    });
    socket.on("message", (data) => this.handleFrame(String(data)));
    socket.on("error", (error) =>
      this.options.log.warn("ari events socket error", { error: error.message }),
    );
    socket.on("close", () => this.handleClose(socket));
  }

  private handleFrame(raw: string): void {
    this.listeners.onFrame();
    const message = parseAriMessage(raw);
    if (message.kind === "event") this.listeners.onEvent(message.event);
    else if (message.kind === "invalid") {
      this.options.log.warn("ari bad event", { reason: message.reason });
    }
  }

  private handleClose(socket: WebSocket): void {
    if (this.socket !== socket) return;
    this.socket = null;
    this.setConnected(false);
    if (this.stopped) return;
    const delay = this.backoff.next();
    this.options.log.warn("ari events disconnected", { retryInMs: delay });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.openSocket();
    }, delay);
  }

  private setConnected(connected: boolean): void {
    if (this.connectedFlag === connected) return;
    this.connectedFlag = connected;
    this.listeners.onConnectionChange(connected);
  }
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

async function errorMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => "");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return `HTTP ${response.status} ${text.slice(0, 200)}`.trim();
  }
  const parsed = errorBodySchema.safeParse(json);
  return `HTTP ${response.status} ${parsed.success ? parsed.data.message : ""}`.trim();
}
