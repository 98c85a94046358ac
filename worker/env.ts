import { z } from "zod";
import { HTTP_URL_MESSAGE, isHttpUrl } from "../shared/http-url";
import type { JobMessage } from "./jobs/messages";
import type { PbxGateway } from "./pbx/pbx-gateway";
import type { RateLimiter } from "./rate-limit/rate-limiter";
import type { TenantRoom } from "./realtime/tenant-room";
import type { VisitorRoom } from "./webchat/visitor-room";
import type { InboundMessage } from "./whatsapp/inbound-queue";

/** Bindings and variables as wrangler hands them to the Worker (see wrangler.toml). */
export interface Env {
  DATABASE_URL: string;
  /** host:port of the local Neon-compatible WebSocket proxy; unset in production. */
  NEON_LOCAL_PROXY?: string;
  JWT_PRIVATE_JWK: string;
  JWT_ISSUER: string;
  ALLOWED_ORIGINS: string;
  /** Where people reach the product; links sent out of it (invitations) are built on it. */
  APP_URL: string;
  APP_VERSION: string;
  ENVIRONMENT: string;
  /** Rate limits are multiplied by this (tests and benchmarks raise them). */
  RATE_LIMIT_MULTIPLIER?: string;
  /** Meta's Graph API with its version (a local fake in development and tests). */
  WHATSAPP_GRAPH_URL?: string;
  TENANT_ROOM: DurableObjectNamespace<TenantRoom>;
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
  PBX_GATEWAY: DurableObjectNamespace<PbxGateway>;
  /** One room per website chat visitor (worker/webchat/visitor-room.ts). */
  VISITOR_ROOM: DurableObjectNamespace<VisitorRoom>;
  JOBS: Queue<JobMessage>;
  /** Webhook deliveries (Meta's), stored by worker/whatsapp/inbound-queue.ts. */
  INBOUND: Queue<InboundMessage>;
  ASSETS: Fetcher;
  /** Customers' files (WhatsApp media), keyed `<orgId>/media/<messageId>`. */
  MEDIA: R2Bucket;
  /** Cloudflare Email Service: every email the product sends (worker/email/send.ts). */
  EMAIL: SendEmail;
  /** The address emails come from (a domain onboarded to Email Service). */
  EMAIL_FROM?: string;
  /** Organizations' support addresses are `<slug>@` this domain (Email Routing). */
  INBOUND_EMAIL_DOMAIN?: string;
}

const configSchema = z.object({
  DATABASE_URL: z.string().url(),
  NEON_LOCAL_PROXY: z
    .string()
    .regex(/^[\w.-]+:\d+$/)
    .optional()
    .or(z.literal("").transform(() => undefined)),
  JWT_PRIVATE_JWK: z.string().min(1),
  JWT_ISSUER: z.string().min(1),
  ALLOWED_ORIGINS: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((origin) => origin.trim())
        .filter(Boolean),
    ),
  APP_URL: z
    .string()
    .url()
    .refine((value) => /^https?:\/\//.test(value), "Expected an http(s) URL.")
    .transform((value) => new URL(value).origin),
  APP_VERSION: z.string().default("dev"),
  ENVIRONMENT: z.enum(["development", "test", "production"]).default("production"),
  RATE_LIMIT_MULTIPLIER: z.coerce.number().positive().default(1),
  WHATSAPP_GRAPH_URL: z
    .string()
    .refine(isHttpUrl, HTTP_URL_MESSAGE)
    .default("https://graph.facebook.com/v21.0")
    .transform((value) => value.replace(/\/+$/, "")),
  EMAIL_FROM: z.string().email().default("no-reply@switchboard.localhost"),
  INBOUND_EMAIL_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+\.[a-z0-9-]+$/i)
    .default("support.switchboard.localhost"),
});

export type Config = z.infer<typeof configSchema>;

/** A link that leaves the product (an e-mail, a copied URL): always on APP_URL, never the Host. */
export function appLink(config: Pick<Config, "APP_URL">, path: string): string {
  return `${config.APP_URL}${path}`;
}

const configCache = new WeakMap<object, Config>();

/** Parses the Worker's variables once per isolate; a bad deployment fails loudly here. */
export function readConfig(env: Env): Config {
  const cached = configCache.get(env);
  if (cached) return cached;
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join(".")).join(", ");
    throw new Error(`Invalid Worker configuration: ${fields}`);
  }
  configCache.set(env, parsed.data);
  return parsed.data;
}

type SwitchboardEnv = Env;

declare global {
  namespace Cloudflare {
    // `cloudflare:workers` and `cloudflare:test` type their `env` as Cloudflare.Env.
    interface Env extends SwitchboardEnv {}
  }
}
