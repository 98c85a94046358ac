import type { BucketRule } from "../../durable-objects/rate-limiter";

/** Every rate limit in one place. Keys are named `scope:key` (one RateLimiter object each). */
export const RATE_LIMITS = {
  /** Sign-in, sign-up and refresh attempts from one IP address. */
  authByIp: { capacity: 30, refillPerSecond: 30 / 60 },
  /** Sign-in attempts against one email address, whatever the IP. */
  authByEmail: { capacity: 10, refillPerSecond: 10 / 300 },
  /** Authenticated API calls by one user or API key. */
  apiByPrincipal: { capacity: 300, refillPerSecond: 20 },
  /** Authenticated API calls across one organization. */
  apiByOrg: { capacity: 1500, refillPerSecond: 100 },
} as const satisfies Record<string, BucketRule>;

export type RateLimitName = keyof typeof RATE_LIMITS;
