import { ConfigError, loadConfig } from "./config";
import { startBridge } from "./index";

/* `npm start`: configuration from the environment (and PBX_BRIDGE_CONFIG), runs until SIGINT/SIGTERM. */

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const bridge = await startBridge(config);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[pbx-bridge] ${signal}: stopping`);
    bridge.stop().then(
      () => process.exit(0),
      (error: Error) => {
        console.error(`[pbx-bridge] stop failed: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error: Error) => {
  console.error(`[pbx-bridge] ${error instanceof ConfigError ? error.message : error.stack}`);
  process.exit(1);
});
