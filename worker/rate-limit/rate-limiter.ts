import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

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
  /** The rule last applied, so the alarm knows when the bucket is full again. */
  rule?: BucketRule;
}

/**
 * A token bucket per key (the object's name is `scope:key`). The bucket is kept in memory and
 * mirrored to storage, so an evicted object resumes where it left off.
 *
 * `consume` spends a token only when one is there. `adjust` always lands: it gives a token back
 * (a password check that succeeded) or spends one into debt, down to `-maxDebt`, which tells
 * the caller how far past its budget a key is (worker/auth/password-check.ts).
 *
 * A bucket that is full again holds nothing worth keeping: an alarm set for the moment it
 * refills deletes its storage (and a later request starts from a full bucket, the same
 * answer), so keys seen once (an address, an e-mail) leave nothing behind.
 */
export class RateLimiter extends DurableObject<Env> {
  #bucket: BucketState | null = null;
  /** An alarm is pending: set once, not on every request (it reschedules itself until full). */
  #alarmPending = false;

  async #tokens(rule: BucketRule, now: number): Promise<number> {
    const bucket = this.#bucket ??
      (await this.ctx.storage.get<BucketState>("bucket")) ?? {
        tokens: rule.capacity,
        updatedAt: now,
      };
    const elapsedSeconds = Math.max(0, now - bucket.updatedAt) / 1000;
    return Math.min(rule.capacity, bucket.tokens + elapsedSeconds * rule.refillPerSecond);
  }

  #store(rule: BucketRule, tokens: number, now: number) {
    this.#bucket = { tokens, updatedAt: now, rule };
    this.ctx.storage.put("bucket", this.#bucket);
    if (!this.#alarmPending) {
      this.#alarmPending = true;
      this.ctx.storage.setAlarm(now + msUntilFull(rule, tokens));
    }
  }

  /** Deletes a bucket that has refilled; otherwise looks again when it will have. */
  override async alarm(): Promise<void> {
    this.#alarmPending = false;
    const bucket = this.#bucket ?? (await this.ctx.storage.get<BucketState>("bucket"));
    if (!bucket?.rule) {
      await this.#forget();
      return;
    }
    const now = Date.now();
    const tokens = await this.#tokens(bucket.rule, now);
    if (tokens >= bucket.rule.capacity) await this.#forget();
    else {
      this.#alarmPending = true;
      await this.ctx.storage.setAlarm(now + msUntilFull(bucket.rule, tokens));
    }
  }

  async #forget() {
    this.#bucket = null;
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }

  async consume(rule: BucketRule, cost = 1): Promise<BucketDecision> {
    const now = Date.now();
    const tokens = await this.#tokens(rule, now);
    const allowed = tokens >= cost;
    const remainingTokens = allowed ? tokens - cost : tokens;
    this.#store(rule, remainingTokens, now);
    return decide(rule, remainingTokens, allowed, cost);
  }

  /** Adds `delta` (negative to spend) whatever is left, within [-maxDebt, capacity]. */
  async adjust(rule: BucketRule, delta: number, maxDebt = 0): Promise<number> {
    const now = Date.now();
    const current = await this.#tokens(rule, now);
    const tokens = Math.min(rule.capacity, Math.max(-maxDebt, current + delta));
    this.#store(rule, tokens, now);
    return tokens;
  }
}

function msUntilFull(rule: BucketRule, tokens: number): number {
  return Math.max(1000, Math.ceil(((rule.capacity - tokens) / rule.refillPerSecond) * 1000));
}

function decide(rule: BucketRule, tokens: number, allowed: boolean, cost: number): BucketDecision {
  return {
    allowed,
    limit: rule.capacity,
    remaining: Math.max(0, Math.floor(tokens)),
    resetSeconds: Math.ceil((rule.capacity - tokens) / rule.refillPerSecond),
    retryAfterSeconds: allowed ? 0 : Math.ceil((cost - tokens) / rule.refillPerSecond),
  };
}
