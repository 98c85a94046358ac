// The local Neon proxy's own thread (started by neon-proxy.ts). Plain JavaScript so that any
// host can start it: tsx scripts, Vitest's global setup and the benchmarks alike.
import net from "node:net";
import { parentPort, workerData } from "node:worker_threads";
import { WebSocketServer } from "ws";

const { port: listenPort, postgresPort } = workerData;
const server = new WebSocketServer({ host: "127.0.0.1", port: listenPort });

server.on("connection", (socket, request) => {
  const address = new URL(request.url ?? "/", "ws://localhost").searchParams.get("address") ?? "";
  const [host, portText] = address.split(":");
  const port = Number(portText) || postgresPort;
  if (host && !["127.0.0.1", "localhost"].includes(host)) {
    socket.close(1008, "only local databases are proxied");
    return;
  }
  // TCP_NODELAY, as a real proxy sets: small frames must not wait for PostgreSQL's delayed ACK.
  const tcp = net.connect({ host: "127.0.0.1", port, noDelay: true });
  const pending = [];
  let connected = false;
  tcp.on("connect", () => {
    connected = true;
    for (const chunk of pending.splice(0)) tcp.write(chunk);
  });
  socket.on("message", (data) => (connected ? tcp.write(data) : pending.push(data)));
  tcp.on("data", (chunk) => socket.send(chunk));
  socket.on("close", () => tcp.end());
  socket.on("error", () => tcp.destroy());
  tcp.on("close", () => socket.close());
  tcp.on("error", () => socket.close());
});

server.once("listening", () => parentPort?.postMessage({ type: "listening" }));
server.once("error", (error) => parentPort?.postMessage({ type: "error", message: error.message }));
parentPort?.on("message", (message) => {
  if (message?.type !== "close") return;
  for (const client of server.clients) client.terminate();
  server.close(() => parentPort?.postMessage({ type: "closed" }));
});
