import { DurableObject } from "cloudflare:workers";
import type { Env } from "../worker/env";

export interface BucketRule {
  /** Tokens the bucket holds when full: the burst allowed. */
  capacity: number;
  /** Tokens added back per second. */
  refillPerSecond: number;
}

export interface BucketDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** Seconds until one more request would be allowed (0 when allowed). */
  retryAfterSeconds: number;
}

interface BucketState {
  tokens: number;
  updatedAt: number;
}

/**
 * A token bucket per key (the object's name is `scope:key`). The bucket is kept in memory and
 * mirrored to storage, so an evicted object resumes where it left off.
 */
export class RateLimiter extends DurableObject<Env> {
  #bucket: BucketState | null = null;

  async consume(rule: BucketRule, cost = 1): Promise<BucketDecision> {
    const now = Date.now();
    const bucket = this.#bucket ??
      (await this.ctx.storage.get<BucketState>("bucket")) ?? {
        tokens: rule.capacity,
        updatedAt: now,
      };
    const elapsedSeconds = Math.max(0, now - bucket.updatedAt) / 1000;
    const tokens = Math.min(rule.capacity, bucket.tokens + elapsedSeconds * rule.refillPerSecond);
    const allowed = tokens >= cost;
    const remainingTokens = allowed ? tokens - cost : tokens;
    this.#bucket = { tokens: remainingTokens, updatedAt: now };
    this.ctx.storage.put("bucket", this.#bucket);
    return {
      allowed,
      limit: rule.capacity,
      remaining: Math.floor(remainingTokens),
      resetSeconds: Math.ceil((rule.capacity - remainingTokens) / rule.refillPerSecond),
      retryAfterSeconds: allowed ? 0 : Math.ceil((cost - remainingTokens) / rule.refillPerSecond),
    };
  }
}
