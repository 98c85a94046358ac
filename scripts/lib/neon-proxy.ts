import { once } from "node:events";
import { Worker } from "node:worker_threads";

export interface NeonProxy {
  port: number;
  close(): Promise<void>;
}

type ThreadMessage =
  | { type: "listening" }
  | { type: "error"; message: string }
  | { type: "closed" };

/**
 * The local stand-in for Neon's WebSocket endpoint: the Neon serverless driver opens
 * `ws://127.0.0.1:<port>/v2?address=host:port` and speaks the Postgres wire protocol over it;
 * we pipe those bytes to a TCP socket on the local PostgreSQL. Loopback targets only.
 *
 * It runs on a thread of its own (neon-proxy-thread.mjs), as Neon's proxy is a service of its
 * own: in the process that starts it, a busy event loop (a load client, the PBX simulator and
 * bridge in `bench:pbx`, the dev script's demo traffic) would otherwise hold every database
 * round trip of the Worker behind it (docs/decisions/025).
 */
export async function startNeonProxy(options: {
  port: number;
  postgresPort: number;
}): Promise<NeonProxy> {
  const thread = new Worker(new URL("./neon-proxy-thread.mjs", import.meta.url), {
    workerData: { port: options.port, postgresPort: options.postgresPort },
  });
  const next = async (): Promise<ThreadMessage> => {
    const [message] = (await Promise.race([
      once(thread, "message"),
      once(thread, "error").then(([error]) => [{ type: "error", message: String(error) }]),
    ])) as [ThreadMessage];
    return message;
  };
  const started = await next();
  if (started.type !== "listening") {
    await thread.terminate();
    throw new Error(
      `the local Neon proxy did not start on port ${options.port}: ${started.type === "error" ? started.message : started.type}`,
    );
  }
  let closing: Promise<void> | null = null;
  return {
    port: options.port,
    close: () => {
      closing ??= (async () => {
        const closed = next();
        thread.postMessage({ type: "close" });
        await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2_000))]);
        await thread.terminate();
      })();
      return closing;
    },
  };
}
