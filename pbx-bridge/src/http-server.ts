import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { AriError } from "./ari-client";
import type { Logger } from "./logger";
import type { Metrics } from "./metrics";
import { verifyRecordingSignature } from "./recording-links";

/*
 * GET /healthz, GET /metrics (Prometheus), GET /recordings/:name?expires=..&sig=.. (signed
 * link; proxies ARI's stored recording file).
 */

export interface HttpServerOptions {
  host: string;
  port: number;
  metrics: Metrics;
  health: () => { ari: boolean; edge: boolean; outboxDepth: number };
  signingSecret: string;
  fetchRecording: (name: string) => Promise<Response>;
  log: Logger;
}

export interface HttpServerHandle {
  url: string;
  close(): Promise<void>;
}

const RECORDING_PATH = /^\/recordings\/([^/]{1,200})$/;

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServerHandle> {
  const server = createServer((request, response) => {
    handle(options, request, response).catch((error: Error) => {
      options.log.error("http request failed", {
        method: request.method,
        url: request.url,
        error: error.message,
      });
      if (!response.headersSent) sendJson(response, 500, { error: "internal error" });
      else response.destroy();
    });
  });
  await listen(server, options.host, options.port);
  const address = server.address() as AddressInfo;
  const host = options.host === "0.0.0.0" || options.host === "::" ? "127.0.0.1" : options.host;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`,
    close: () => closeServer(server),
  };
}

async function handle(
  options: HttpServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? "/", "http://bridge");
  if (request.method !== "GET" && request.method !== "HEAD") {
    return sendJson(response, 405, { error: "method not allowed" });
  }
  if (url.pathname === "/healthz") {
    const health = options.health();
    return sendJson(response, 200, {
      status: "ok",
      ari: health.ari ? "connected" : "disconnected",
      edge: health.edge ? "connected" : "disconnected",
      outboxDepth: health.outboxDepth,
    });
  }
  if (url.pathname === "/metrics") {
    const text = await options.metrics.render();
    response.writeHead(200, { "content-type": options.metrics.contentType });
    response.end(text);
    return;
  }
  const match = RECORDING_PATH.exec(url.pathname);
  if (match?.[1]) return serveRecording(options, decodeURIComponent(match[1]), url, response);
  sendJson(response, 404, { error: "not found" });
}

async function serveRecording(
  options: HttpServerOptions,
  name: string,
  url: URL,
  response: ServerResponse,
): Promise<void> {
  const valid = verifyRecordingSignature(
    options.signingSecret,
    name,
    url.searchParams.get("expires"),
    url.searchParams.get("sig"),
    Date.now(),
  );
  if (!valid) return sendJson(response, 403, { error: "invalid or expired signature" });
  let upstream: Response;
  try {
    upstream = await options.fetchRecording(name);
  } catch (error) {
    const status = error instanceof AriError && error.status === 404 ? 404 : 502;
    return sendJson(response, status, { error: (error as Error).message });
  }
  if (!upstream.body) return sendJson(response, 502, { error: "empty recording" });
  response.writeHead(200, {
    "content-type": upstream.headers.get("content-type") ?? "audio/wav",
    "cache-control": "private, max-age=300",
  });
  await pipeline(Readable.fromWeb(upstream.body as WebReadableStream<Uint8Array>), response);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
