import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import type { EventHub } from "./event-hub";
import { mergeParams } from "./rest/params";
import { RestError, type RestResponse, type Router } from "./rest/router";

export interface Credentials {
  username: string;
  password: string;
}

export interface ServerDeps {
  /** Routes under /ari/ (authenticated). */
  ariRouter: Router;
  /** Routes under /_sim/ (the simulator's own control API, no auth). */
  controlRouter: Router;
  hub: EventHub;
  credentials: Credentials;
  /** True while dropConnections() refuses new events WebSockets. */
  refusingEventSockets: () => boolean;
  log: (line: string) => void;
}

const MAX_BODY_BYTES = 1_000_000;

/** The HTTP server: ARI REST, the ARI events WebSocket and the control API. */
export function createSimulatorServer(deps: ServerDeps): { server: Server; wss: WebSocketServer } {
  const wss = new WebSocketServer({ noServer: true });
  const server = createServer((request, response) => {
    handleRequest(deps, request, response).catch((error: unknown) => {
      deps.log(`request failed: ${String(error)}`);
      if (!response.headersSent) sendJson(response, 500, { message: "Internal Server Error" });
    });
  });
  server.on("upgrade", (request, socket, head) => {
    socket.on("error", () => socket.destroy());
    const url = requestUrl(request);
    const refusal = eventSocketRefusal(deps, request, url);
    if (refusal) return refuseUpgrade(socket, refusal);
    const apps = url.searchParams
      .getAll("app")
      .flatMap((value) => value.split(","))
      .filter((app) => app.length > 0);
    const subscribeAll = url.searchParams.get("subscribeAll") === "true";
    wss.handleUpgrade(request, socket, head, (ws) => {
      deps.hub.connect(ws, apps, subscribeAll);
      deps.log(`events WebSocket connected for ${apps.join(",")}`);
    });
  });
  return { server, wss };
}

async function handleRequest(
  deps: ServerDeps,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = requestUrl(request);
  const isAri = url.pathname.startsWith("/ari/");
  const router = isAri
    ? deps.ariRouter
    : url.pathname.startsWith("/_sim/")
      ? deps.controlRouter
      : null;
  if (!router) return sendJson(response, 404, { message: "Resource not found" });
  if (isAri && !isAuthorized(request, url, deps.credentials)) {
    response.setHeader("WWW-Authenticate", 'Basic realm="Asterisk REST Interface"');
    return sendJson(response, 401, { message: "Authentication required" });
  }
  const method = request.method ?? "GET";
  const match = router.match(method, url.pathname);
  if (match.kind === "not_found") return sendJson(response, 404, { message: "Resource not found" });
  if (match.kind === "method_not_allowed") {
    return sendJson(response, 405, { message: "Method Not Allowed" });
  }
  const body = await readJsonBody(request);
  if (body === INVALID_JSON) return sendJson(response, 400, { message: "Invalid JSON body" });
  const answer = runHandler(() =>
    match.handler({
      pathParams: match.pathParams,
      params: mergeParams(url.searchParams, body),
      body,
    }),
  );
  deps.log(`${method} ${url.pathname} ${answer.status}`);
  send(response, answer);
}

function runHandler(handler: () => RestResponse): RestResponse {
  try {
    return handler();
  } catch (error) {
    if (error instanceof RestError)
      return { status: error.status, json: { message: error.message } };
    throw error;
  }
}

function eventSocketRefusal(deps: ServerDeps, request: IncomingMessage, url: URL): string | null {
  if (url.pathname !== "/ari/events") return "404 Not Found";
  if (deps.refusingEventSockets()) return "503 Service Unavailable";
  if (!isAuthorized(request, url, deps.credentials)) return "401 Unauthorized";
  if (!url.searchParams.getAll("app").some((app) => app.length > 0)) return "400 Bad Request";
  return null;
}

function refuseUpgrade(socket: Duplex, statusLine: string): void {
  socket.end(`HTTP/1.1 ${statusLine}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** HTTP basic auth, or ARI's `api_key=user:password` query parameter. */
function isAuthorized(request: IncomingMessage, url: URL, credentials: Credentials): boolean {
  const expected = `${credentials.username}:${credentials.password}`;
  const header = request.headers.authorization;
  if (header?.startsWith("Basic ")) {
    return Buffer.from(header.slice("Basic ".length), "base64").toString("utf8") === expected;
  }
  return url.searchParams.get("api_key") === expected;
}

function requestUrl(request: IncomingMessage): URL {
  return new URL(request.url ?? "/", "http://simulator.invalid");
}

const INVALID_JSON = Symbol("invalid JSON");

async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return INVALID_JSON;
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return INVALID_JSON;
  }
}

function send(response: ServerResponse, answer: RestResponse): void {
  if ("data" in answer) {
    response.writeHead(answer.status, {
      "content-type": answer.contentType,
      "content-length": answer.data.length,
    });
    response.end(answer.data);
  } else if (answer.json === undefined) {
    response.writeHead(answer.status);
    response.end();
  } else {
    sendJson(response, answer.status, answer.json);
  }
}

function sendJson(response: ServerResponse, status: number, json: unknown): void {
  const text = JSON.stringify(json);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}
