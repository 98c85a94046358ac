import type { BucketDecision, BucketRule } from "../../durable-objects/rate-limiter";
import type { Env } from "../env";
import { ApiError } from "../lib/errors";
import { RATE_LIMITS, type RateLimitName } from "./limits";

export interface RateLimitCheck {
  limit: RateLimitName;
  key: string;
}

function scaled(rule: BucketRule, multiplier: number): BucketRule {
  return {
    capacity: rule.capacity * multiplier,
    refillPerSecond: rule.refillPerSecond * multiplier,
  };
}

export function rateLimitHeaders(decision: BucketDecision): Record<string, string> {
  return {
    "RateLimit-Limit": String(decision.limit),
    "RateLimit-Remaining": String(decision.remaining),
    "RateLimit-Reset": String(decision.resetSeconds),
  };
}

/**
 * Consumes one token from each named bucket (in parallel) and throws 429 when any is empty.
 * Returns the tightest decision, for the RateLimit-* headers of the response.
 */
export async function enforceRateLimits(
  env: Env,
  multiplier: number,
  checks: RateLimitCheck[],
): Promise<BucketDecision> {
  const decisions = await Promise.all(
    checks.map(({ limit, key }) => {
      const stub = env.RATE_LIMITER.getByName(`${limit}:${key}`);
      return stub.consume(scaled(RATE_LIMITS[limit], multiplier));
    }),
  );
  const denied = decisions.find((decision) => !decision.allowed);
  if (denied) {
    throw new ApiError(429, "rate_limited", "Too many requests. Try again shortly.", null, {
      ...rateLimitHeaders(denied),
      "Retry-After": String(Math.max(1, denied.retryAfterSeconds)),
    });
  }
  return decisions.reduce((tightest, decision) =>
    decision.remaining / decision.limit < tightest.remaining / tightest.limit ? decision : tightest,
  );
}

interface AttemptContext {
  env: Env;
  config: { RATE_LIMIT_MULTIPLIER: number };
  meta: { ip: string | null };
}

/**
 * Credential-guessing entry points (sign-in, sign-up, refresh, invitation acceptance, from the
 * API or a page form) are limited per IP and, where an email is given, per email.
 */
export function limitSignInAttempt(context: AttemptContext, email?: string) {
  return enforceRateLimits(context.env, context.config.RATE_LIMIT_MULTIPLIER, [
    { limit: "authByIp", key: context.meta.ip ?? "unknown" },
    ...(email ? [{ limit: "authByEmail" as const, key: email.trim().toLowerCase() }] : []),
  ]);
}
