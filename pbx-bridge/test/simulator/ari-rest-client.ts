import { expect } from "vitest";
import WebSocket from "ws";
import type { AriEvent } from "../../simulator/index";
import { PASSWORD, USERNAME } from "./harness";
import type { SwaggerModels } from "./swagger-validator";

export interface AriAnswer {
  status: number;
  headers: Headers;
  json: unknown;
  bytes: Buffer;
}

export interface AriCall {
  /** Values for the `{name}` segments of the spec path. */
  path?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** Defaults to HTTP basic auth with the right credentials. */
  headers?: Record<string, string>;
}

/**
 * Calls an ARI operation named as in the description files (`POST /channels/{channelId}/hold`)
 * and checks the answer against them: 2xx bodies must match the responseClass, and error
 * statuses must be among the operation's documented errorResponses.
 */
export class AriRestClient {
  constructor(
    private readonly baseUrl: string,
    private readonly models: SwaggerModels,
  ) {}

  async call(method: string, specPath: string, options: AriCall = {}): Promise<AriAnswer> {
    const answer = await this.send(method, specPath, options);
    if (answer.status < 300) {
      const binary = this.models.operation(method, specPath).responseClass === "binary";
      if (!binary) expect(this.models.validateResponse(method, specPath, answer.json)).toEqual([]);
    } else if (answer.status !== 401) {
      expect(this.models.documentedErrors(method, specPath)).toContain(answer.status);
      expect(answer.json).toEqual({ message: expect.any(String) });
    }
    return answer;
  }

  private async send(method: string, specPath: string, options: AriCall): Promise<AriAnswer> {
    const resolvedPath = specPath.replace(/\{(\w+)\}/g, (_, name: string) =>
      encodeURIComponent(options.path?.[name] ?? ""),
    );
    const url = new URL(`${this.baseUrl}/ari${resolvedPath}`);
    for (const [key, value] of Object.entries(options.query ?? {}))
      url.searchParams.set(key, value);
    const headers: Record<string, string> = options.headers ?? { authorization: basicAuth() };
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    const isJson = response.headers.get("content-type")?.includes("application/json") ?? false;
    const json = isJson ? (JSON.parse(bytes.toString("utf8")) as unknown) : undefined;
    return { status: response.status, headers: response.headers, json, bytes };
  }
}

export function basicAuth(username = USERNAME, password = PASSWORD): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

/** An events WebSocket that only listens (registers the app, records what it receives). */
export class ListeningSocket {
  readonly events: AriEvent[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => this.events.push(JSON.parse(String(data)) as AriEvent));
  }

  static async open(baseUrl: string, query: string): Promise<ListeningSocket> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/ari/events?${query}`);
    const listening = new ListeningSocket(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    return listening;
  }

  /** The HTTP status the upgrade request is refused with (fails if it is accepted). */
  static async refusal(baseUrl: string, query: string): Promise<number> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/ari/events?${query}`);
    return new Promise((resolve, reject) => {
      socket.once("unexpected-response", (_request, response) => {
        resolve(response.statusCode ?? 0);
        socket.terminate();
      });
      socket.once("open", () => reject(new Error("the WebSocket was accepted")));
      socket.once("error", () => {});
    });
  }

  ofType(type: string): AriEvent[] {
    return this.events.filter((event) => event.type === type);
  }

  close(): void {
    this.socket.close();
  }
}

export function appQuery(app = "switchboard"): string {
  return `app=${app}&api_key=${USERNAME}:${PASSWORD}`;
}
