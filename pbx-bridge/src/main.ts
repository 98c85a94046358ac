import { ConfigError, loadConfig } from "./config";
import { startBridge } from "./index";
import { createLogger, type Logger } from "./logger";

/* `npm start`: configuration from the environment (and PBX_BRIDGE_CONFIG), runs until SIGINT/SIGTERM. */

// Until the configuration (and its LOG_LEVEL) is read.
let log: Logger = createLogger();

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  log = createLogger({ level: config.logLevel });
  const bridge = await startBridge(config);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("stopping", { signal });
    bridge.stop().then(
      () => process.exit(0),
      (error: Error) => {
        log.error("stop failed", { error: error.message });
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error: Error) => {
  if (error instanceof ConfigError) log.error("invalid configuration", { error: error.message });
  else log.error("start failed", { error: error.message, stack: error.stack });
  process.exit(1);
});
