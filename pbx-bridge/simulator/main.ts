import { randomInt } from "node:crypto";
import { z } from "zod";
import { type AriSimulator, SCENARIO_NAMES, startAriSimulator } from "./index";

/*
 * `npm run simulator`: the ARI simulator as a process, configured from the environment.
 * Unless DEMO_CALLS is "0", it plays a random scenario every DEMO_INTERVAL_SECONDS.
 */

const envSchema = z.object({
  ARI_PORT: z.coerce.number().int().min(0).max(65_535).default(8088),
  ARI_USER: z.string().min(1).default("switchboard"),
  ARI_PASSWORD: z.string().min(1).default("switchboard"),
  ARI_APP: z.string().min(1).default("switchboard"),
  DEMO_CALLS: z.string().default("1"),
  DEMO_INTERVAL_SECONDS: z.coerce.number().positive().default(8),
  TIME_SCALE: z.coerce.number().positive().default(1),
});

function log(line: string): void {
  console.log(`${new Date().toISOString()} ${line}`);
}

function playDemoCalls(simulator: AriSimulator, intervalSeconds: number): () => void {
  const timer = setInterval(() => {
    const name = SCENARIO_NAMES[randomInt(SCENARIO_NAMES.length)];
    if (!name) return;
    simulator.playScenario(name).catch((error: unknown) => log(`demo ${name}: ${String(error)}`));
  }, intervalSeconds * 1000);
  return () => clearInterval(timer);
}

async function main(): Promise<void> {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    console.error(`Invalid environment:\n${z.prettifyError(parsed.error)}`);
    process.exit(1);
  }
  const env = parsed.data;
  const simulator = await startAriSimulator({
    port: env.ARI_PORT,
    username: env.ARI_USER,
    password: env.ARI_PASSWORD,
    app: env.ARI_APP,
    timeScale: env.TIME_SCALE,
    log,
  });
  const stopDemo =
    env.DEMO_CALLS === "0" ? () => {} : playDemoCalls(simulator, env.DEMO_INTERVAL_SECONDS);
  const shutdown = (signal: string) => {
    log(`${signal}: shutting down`);
    stopDemo();
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
