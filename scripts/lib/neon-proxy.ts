import net from "node:net";
import { WebSocketServer } from "ws";

export interface NeonProxy {
  port: number;
  close(): Promise<void>;
}

/**
 * The local stand-in for Neon's WebSocket endpoint: the Neon serverless driver opens
 * `ws://127.0.0.1:<port>/v2?address=host:port` and speaks the Postgres wire protocol over it;
 * we pipe those bytes to a TCP socket on the local PostgreSQL. Loopback targets only.
 */
export async function startNeonProxy(options: {
  port: number;
  postgresPort: number;
}): Promise<NeonProxy> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: options.port });
  server.on("connection", (socket, request) => {
    const address = new URL(request.url ?? "/", "ws://localhost").searchParams.get("address") ?? "";
    const [host, portText] = address.split(":");
    const port = Number(portText) || options.postgresPort;
    if (host && !["127.0.0.1", "localhost"].includes(host)) {
      socket.close(1008, "only local databases are proxied");
      return;
    }
    const tcp = net.connect({ host: "127.0.0.1", port, noDelay: true });
    const pending: Buffer[] = [];
    let connected = false;
    tcp.on("connect", () => {
      connected = true;
      for (const chunk of pending.splice(0)) tcp.write(chunk);
    });
    socket.on("message", (data: Buffer) => (connected ? tcp.write(data) : pending.push(data)));
    tcp.on("data", (chunk) => socket.send(chunk));
    socket.on("close", () => tcp.end());
    socket.on("error", () => tcp.destroy());
    tcp.on("close", () => socket.close());
    tcp.on("error", () => socket.close());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  return {
    port: options.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
