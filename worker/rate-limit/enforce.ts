import type { Credential } from "../auth/actor";
import { credentialOrg, principalKey } from "../auth/credentials";
import type { Env } from "../env";
import { ApiError } from "../lib/errors";
import { RATE_LIMITS, type RateLimitName } from "./limits";
import type { BucketDecision, BucketRule } from "./rate-limiter";

export interface RateLimitCheck {
  limit: RateLimitName;
  key: string;
}

export function scaled(rule: BucketRule, multiplier: number): BucketRule {
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

/** The RateLimiter object holding one bucket. */
export function limiterFor(env: Env, { limit, key }: RateLimitCheck) {
  return env.RATE_LIMITER.getByName(`${limit}:${key}`);
}

/** The 429 answer for a denied bucket. */
export function rateLimited(denied: BucketDecision): ApiError {
  return new ApiError(429, "rate_limited", "Too many requests. Try again shortly.", null, {
    ...rateLimitHeaders(denied),
    "Retry-After": String(Math.max(1, denied.retryAfterSeconds)),
  });
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
    checks.map(({ limit, key }) =>
      limiterFor(env, { limit, key }).consume(scaled(RATE_LIMITS[limit], multiplier)),
    ),
  );
  const denied = decisions.find((decision) => !decision.allowed);
  if (denied) throw rateLimited(denied);
  return decisions.reduce((tightest, decision) =>
    decision.remaining / decision.limit < tightest.remaining / tightest.limit ? decision : tightest,
  );
}

export interface AttemptContext {
  env: Env;
  config: { RATE_LIMIT_MULTIPLIER: number };
  meta: { ip: string | null };
}

/** The address an attempt came from, as rate-limit keys name it. */
export function addressOf(context: AttemptContext): string {
  return context.meta.ip ?? "unknown";
}

/**
 * Every credential entry point (sign-in, sign-up, refresh, invitation acceptance, from the API
 * or a page form) is limited per address. Password checks add their failure budgets in
 * worker/auth/password-check.ts.
 */
export function limitSignInAttempt(context: AttemptContext) {
  return enforceRateLimits(context.env, context.config.RATE_LIMIT_MULTIPLIER, [
    { limit: "authByIp", key: addressOf(context) },
  ]);
}

/**
 * Every authenticated request, to the API or a page, spends one token from its caller's
 * bucket (user or API key) and one from its organization's; 429 when either is empty.
 */
export function limitCaller(
  env: Env,
  config: { RATE_LIMIT_MULTIPLIER: number },
  credential: Credential,
): Promise<BucketDecision> {
  return enforceRateLimits(env, config.RATE_LIMIT_MULTIPLIER, [
    { limit: "apiByPrincipal", key: principalKey(credential) },
    { limit: "apiByOrg", key: credentialOrg(credential) },
  ]);
}
