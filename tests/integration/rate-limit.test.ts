import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { RATE_LIMITS } from "../../worker/rate-limit/limits";
import { call, expectErrorEnvelope, signUp, uniqueEmail, uniqueIp } from "./helpers";

describe("rate limits", () => {
  it("sign-in attempts from one IP are limited, with Retry-After and RateLimit headers", async () => {
    const ip = uniqueIp();
    const { capacity, refillPerSecond } = RATE_LIMITS.authByIp;
    const started = Date.now();
    let allowed = 0;
    let limited: Awaited<ReturnType<typeof call>> | null = null;
    // Each attempt costs a password hash, so the bucket refills a little meanwhile.
    while (!limited && allowed < capacity * 2) {
      const response = await call("/auth/login", {
        method: "POST",
        ip,
        body: { email: uniqueEmail(), password: "wrong password" },
      });
      if (response.status === 429) limited = response;
      else allowed += 1;
    }
    const refilled = Math.ceil(((Date.now() - started) / 1000) * refillPerSecond);
    expect(allowed).toBeGreaterThanOrEqual(capacity);
    expect(allowed).toBeLessThanOrEqual(capacity + refilled);
    if (!limited) throw new Error("never rate limited");
    expectErrorEnvelope(limited, 429, "rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.headers.get("ratelimit-limit")).toBe(String(capacity));
    expect(limited.headers.get("ratelimit-remaining")).toBe("0");
    // Another IP is unaffected.
    expect(
      (await call("/auth/login", { method: "POST", body: { email: uniqueEmail(), password: "x" } }))
        .status,
    ).toBe(401);
  }, 120_000); // every attempt pays a password hash

  // Failures against one account are limited per (account, address), not per email from
  // anywhere (that let anyone lock the owner out): see password-guessing.test.ts.

  it("authenticated calls report their remaining budget", async () => {
    const owner = await signUp();
    const response = await call("/auth/me", { token: owner.accessToken });
    expect(response.status).toBe(200);
    expect(Number(response.headers.get("ratelimit-remaining"))).toBeLessThan(
      Number(response.headers.get("ratelimit-limit")),
    );
  });

  it("the per-user bucket empties and refills at its rate", async () => {
    const limiter = env.RATE_LIMITER.getByName(`apiByPrincipal:user:${crypto.randomUUID()}`);
    const rule = { capacity: 3, refillPerSecond: 10 };
    const decisions = [];
    for (let index = 0; index < 4; index++) decisions.push(await limiter.consume(rule));
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, false]);
    expect(decisions[3]?.retryAfterSeconds).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await limiter.consume(rule)).allowed).toBe(true);
  });

  it("an idle bucket deletes itself once it is full again, and a busy one does not", async () => {
    const limiter = env.RATE_LIMITER.getByName(`apiByPrincipal:user:${crypto.randomUUID()}`);
    const rule = { capacity: 3, refillPerSecond: 10 };
    const stored = () =>
      runInDurableObject(limiter, async (_, state) => (await state.storage.list()).size);
    await limiter.consume(rule);
    await limiter.consume(rule);
    expect(await stored()).toBeGreaterThan(0);
    // Still refilling: the alarm keeps the bucket.
    await limiter.consume(rule);
    expect(await runDurableObjectAlarm(limiter)).toBe(true);
    expect(await stored()).toBeGreaterThan(0);
    // Full again (3 tokens at 10/s take 300 ms): nothing is kept.
    await new Promise((resolve) => setTimeout(resolve, 400));
    await runDurableObjectAlarm(limiter);
    expect(await stored()).toBe(0);
    // And it starts afresh, full.
    expect((await limiter.consume(rule)).remaining).toBe(2);
  });
});
