import { readFileSync } from "node:fs";
import { z } from "zod";
import { httpUrlSchema } from "../../shared/http-url";
import { LOG_LEVELS, type LogLevel } from "./logger";

/*
 * Bridge configuration: environment variables, optionally layered over a JSON file named by
 * PBX_BRIDGE_CONFIG (same keys; the environment wins). Documented in pbx-bridge/README.md.
 */

const text = z.string().trim().min(1);
const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : null));
const integer = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);
const extensionList = z
  .union([z.string(), z.array(z.string())])
  .default("")
  .transform((value) =>
    (Array.isArray(value) ? value : value.split(","))
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0),
  )
  .pipe(z.array(z.string().regex(/^[0-9A-Za-z_*#+-]{1,32}$/)));

const rawConfigSchema = z.object({
  ARI_URL: z.url().default("http://127.0.0.1:8088"),
  ARI_USER: text,
  ARI_PASSWORD: text,
  ARI_APP: text.default("switchboard"),
  EDGE_URL: z.url({ protocol: /^wss?$/ }).default("ws://127.0.0.1:8787/api/v1/pbx/bridge"),
  BRIDGE_TOKEN: z.string().min(16, "BRIDGE_TOKEN must be at least 16 characters"),
  OUTBOX_DIR: text.default("./.outbox"),
  HTTP_HOST: text.default("0.0.0.0"),
  HTTP_PORT: integer(0, 65535, 9464),
  TRUNK_ENDPOINT: text.includes("{number}").default("PJSIP/{number}@trunk"),
  EXTENSION_ENDPOINT: text.includes("{extension}").default("PJSIP/{extension}"),
  RECORDINGS_PUBLIC_URL: httpUrlSchema
    .optional()
    .transform((value) => (value ? value.replace(/\/+$/, "") : null)),
  RECORDING_URL_TTL_SECONDS: integer(60, 31_536_000, 604_800),
  DEFAULT_QUEUE: optionalText,
  FALLBACK_EXTENSIONS: extensionList,
  RING_TIMEOUT_SECONDS: integer(5, 120, 20),
  DIAL_TIMEOUT_SECONDS: integer(5, 300, 60),
  COMMAND_TIMEOUT_MS: integer(100, 120_000, 5000),
  LOG_LEVEL: z.string().trim().toLowerCase().pipe(z.enum(LOG_LEVELS)).default("info"),
});

const CONFIG_KEYS = Object.keys(rawConfigSchema.shape) as (keyof RawConfig)[];
type RawConfig = z.input<typeof rawConfigSchema>;

export interface BridgeConfig {
  ariUrl: string;
  ariUser: string;
  ariPassword: string;
  ariApp: string;
  edgeUrl: string;
  bridgeToken: string;
  outboxDir: string;
  httpHost: string;
  httpPort: number;
  trunkEndpoint: string;
  extensionEndpoint: string;
  recordingsPublicUrl: string | null;
  recordingUrlTtlSeconds: number;
  defaultQueue: string | null;
  fallbackExtensions: string[];
  ringTimeoutSeconds: number;
  dialTimeoutSeconds: number;
  commandTimeoutMs: number;
  logLevel: LogLevel;
}

export class ConfigError extends Error {}

/** Validates raw settings (env-style keys, strings or JSON values) into a BridgeConfig. */
export function parseConfig(raw: Record<string, unknown>): BridgeConfig {
  const parsed = rawConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".")}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid bridge configuration: ${problems.join("; ")}`);
  }
  const c = parsed.data;
  return {
    ariUrl: c.ARI_URL.replace(/\/+$/, ""),
    ariUser: c.ARI_USER,
    ariPassword: c.ARI_PASSWORD,
    ariApp: c.ARI_APP,
    edgeUrl: c.EDGE_URL,
    bridgeToken: c.BRIDGE_TOKEN,
    outboxDir: c.OUTBOX_DIR,
    httpHost: c.HTTP_HOST,
    httpPort: c.HTTP_PORT,
    trunkEndpoint: c.TRUNK_ENDPOINT,
    extensionEndpoint: c.EXTENSION_ENDPOINT,
    recordingsPublicUrl: c.RECORDINGS_PUBLIC_URL,
    recordingUrlTtlSeconds: c.RECORDING_URL_TTL_SECONDS,
    defaultQueue: c.DEFAULT_QUEUE,
    fallbackExtensions: c.FALLBACK_EXTENSIONS,
    ringTimeoutSeconds: c.RING_TIMEOUT_SECONDS,
    dialTimeoutSeconds: c.DIAL_TIMEOUT_SECONDS,
    commandTimeoutMs: c.COMMAND_TIMEOUT_MS,
    logLevel: c.LOG_LEVEL,
  };
}

const configFileSchema = z.record(z.string(), z.unknown());

function readConfigFile(path: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ConfigError(`Cannot read config file ${path}: ${(error as Error).message}`);
  }
  const parsed = configFileSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError(`Config file ${path} must hold a JSON object`);
  return parsed.data;
}

/** The JSON file named by PBX_BRIDGE_CONFIG (if any), overridden by the environment. */
export function loadConfig(env: NodeJS.ProcessEnv): BridgeConfig {
  const file = env.PBX_BRIDGE_CONFIG ? readConfigFile(env.PBX_BRIDGE_CONFIG) : {};
  const merged: Record<string, unknown> = { ...file };
  for (const key of CONFIG_KEYS) {
    const value = env[key];
    if (value !== undefined && value !== "") merged[key] = value;
  }
  return parseConfig(merged);
}
