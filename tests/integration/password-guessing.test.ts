import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { RATE_LIMITS } from "../../worker/rate-limit/limits";
import { call, expectErrorEnvelope, signUp, uniqueIp } from "./helpers";

/*
 * Every password check (sign-in API and page, invitation acceptance API and page) shares one
 * budget: failures per (account, address) are limited tightly, failures per address broadly,
 * and failures per account only slow the checks down. See docs/decisions/015.
 */

const PAIR_FAILURES = RATE_LIMITS.passwordFailuresByAccountAddress.capacity;

function login(email: string, password: string, ip: string) {
  return call("/auth/login", { method: "POST", ip, body: { email, password } });
}

/** The sign-in page's form post, as a browser sends it. */
function loginPage(email: string, password: string, ip: string) {
  return SELF.fetch("http://switchboard.test/login", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "cf-connecting-ip": ip,
    },
    body: new URLSearchParams({ email, password }).toString(),
    redirect: "manual",
  });
}

describe("password guessing", () => {
  it("failures from one address do not lock the owner out from another", async () => {
    const owner = await signUp("lockout-target");
    const attacker = uniqueIp();
    let limited = false;
    for (let attempt = 0; attempt < PAIR_FAILURES + 10 && !limited; attempt++) {
      const response = await login(owner.email, "a wrong guess", attacker);
      if (response.status === 429) limited = true;
      else expectErrorEnvelope(response, 401, "invalid_credentials");
    }
    expect(limited).toBe(true);
    // The owner, from their own address, still signs in; and again a minute of
    // attacker traffic later.
    expect((await login(owner.email, owner.password, uniqueIp())).status).toBe(200);
    await login(owner.email, "another guess", attacker);
    await login(owner.email, "another guess", attacker);
    expect((await login(owner.email, owner.password, uniqueIp())).status).toBe(200);
  });

  it("an (account, address) pair gets 429 after its failures, even for the right password", async () => {
    const owner = await signUp("pair-limit");
    const ip = uniqueIp();
    for (let attempt = 0; attempt < PAIR_FAILURES; attempt++) {
      expectErrorEnvelope(await login(owner.email, "wrong", ip), 401, "invalid_credentials");
    }
    const limited = await login(owner.email, owner.password, ip);
    expectErrorEnvelope(limited, 429, "rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // The page form is the same check with the same budget.
    expect((await loginPage(owner.email, owner.password, ip)).status).toBe(429);
    // Successes spend nothing: many right answers from one address stay allowed.
    const home = uniqueIp();
    for (let attempt = 0; attempt < PAIR_FAILURES + 2; attempt++) {
      expect((await login(owner.email, owner.password, home)).status).toBe(200);
    }
  });

  it("invitation acceptance with a password is the same check: limited and audited in the victim's organizations", async () => {
    const victim = await signUp("invite-victim");
    const attacker = await signUp("invite-attacker");
    const invited = await call<{ token: string }>("/invitations", {
      method: "POST",
      token: attacker.accessToken,
      body: { email: victim.email, role: "viewer" },
    });
    expect(invited.status).toBe(201);
    const ip = uniqueIp();
    const accept = (password: string) =>
      call("/invitations/accept", {
        method: "POST",
        ip,
        body: { token: invited.body.data.token, password },
      });
    for (let attempt = 0; attempt < PAIR_FAILURES; attempt++) {
      expectErrorEnvelope(
        await accept(`wrong guess number ${attempt}`),
        401,
        "invalid_credentials",
      );
    }
    // Out of guesses: even the right password is refused from this address, before it is checked.
    expectErrorEnvelope(await accept(victim.password), 429, "rate_limited");
    // The same budget covers sign-in from that address.
    expectErrorEnvelope(await login(victim.email, victim.password, ip), 429, "rate_limited");

    // The victim's own organization sees the guessing.
    const audit = await call<
      { action: string; ip: string | null; metadata: Record<string, unknown> }[]
    >("/audit-logs", { token: victim.accessToken });
    const failures = audit.body.data.filter((entry) => entry.action === "auth.sign_in_failed");
    expect(failures).toHaveLength(PAIR_FAILURES);
    expect(failures.every((entry) => entry.ip === ip)).toBe(true);
    expect(failures[0]?.metadata).toMatchObject({ via: "invitation" });
    // The attacker's organization was not joined.
    const members = await call<{ email: string }[]>("/users", { token: attacker.accessToken });
    expect(members.body.data.map((member) => member.email)).not.toContain(victim.email);
  });

  it("guessing from many addresses slows every check on the account but never refuses the owner", async () => {
    const owner = await signUp("many-addresses");
    const accountFailures = RATE_LIMITS.passwordFailuresByAccount.capacity;
    let failures = 0;
    while (failures < accountFailures + 2) {
      const ip = uniqueIp();
      for (let attempt = 0; attempt < PAIR_FAILURES && failures < accountFailures + 2; attempt++) {
        expectErrorEnvelope(await login(owner.email, "botnet guess", ip), 401);
        failures += 1;
      }
    }
    const started = Date.now();
    const right = await login(owner.email, owner.password, uniqueIp());
    expect(right.status).toBe(200);
    // Past the account's budget every check waits first, growing with each failure.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  }, 120_000);
});
