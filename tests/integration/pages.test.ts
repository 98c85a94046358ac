import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { RATE_LIMITS } from "../../worker/rate-limit/limits";
import { call, signUp } from "./helpers";
import { page } from "./page-helpers";

/** The `db` entry of a page's Server-Timing header: how many transactions it ran. */
function transactionsOf(response: { headers: Headers }): number {
  const timing = response.headers.get("server-timing") ?? "";
  const match = /(?:^|,)\s*db;[^,]*desc="(\d+) transactions?"/.exec(timing);
  if (!match) throw new Error(`no db entry in Server-Timing: ${JSON.stringify(timing)}`);
  return Number(match[1]);
}

describe("page loads", () => {
  it("run the session check and every loader's work in one transaction", async () => {
    const owner = await signUp("one-page-tx");
    await call("/contacts", {
      method: "POST",
      token: owner.accessToken,
      body: { firstName: "Paige", lastName: "Loader" },
    });

    // A document: the shell's loader and the list's loader (rows, count, saved views).
    const document = await page("/app/contacts", owner.accessToken);
    expect(document.status).toBe(200);
    expect(await document.text()).toContain("Paige Loader");
    expect(transactionsOf(document)).toBe(1);

    // A client-side navigation asks for one route's data.
    const data = await page("/app/contacts?_data=routes%2Fapp.contacts._index", owner.accessToken);
    expect(data.status).toBe(200);
    expect(JSON.stringify(await data.json())).toContain('"lastName":"Loader"');
    expect(transactionsOf(data)).toBe(1);

    // The dashboard, a record page and a settings page.
    for (const path of ["/app", "/app/deals/board", "/app/settings/team"]) {
      const response = await page(path, owner.accessToken);
      expect(response.status, path).toBe(200);
      expect(transactionsOf(response), path).toBe(1);
    }
  });

  it("the dashboard lists each of my open tasks once, dated ones first", async () => {
    const owner = await signUp("dashboard-tasks");
    const contact = await call<{ id: string }>("/contacts", {
      method: "POST",
      token: owner.accessToken,
      body: { firstName: "Tess", lastName: "Tasker" },
    });
    const contactId = contact.body.data.id;
    const task = (subject: string, dueAt?: string) =>
      call("/activities", {
        method: "POST",
        token: owner.accessToken,
        body: {
          type: "task",
          subject,
          contactId,
          assigneeId: owner.userId,
          ...(dueAt ? { dueAt } : {}),
        },
      });
    expect((await task("Undated follow-up")).status).toBe(201);
    await task("Call back Monday", new Date(Date.now() + 86_400_000).toISOString());
    const html = (await (await page("/app", owner.accessToken)).text()).replaceAll("<!-- -->", "");
    // Each task row leads with its subject (the buttons repeat it for screen readers).
    const section = html.slice(html.indexOf("My open tasks"));
    const rows = section.slice(0, section.indexOf("</section>")).split("<li").slice(1);
    const listed = rows.map((row) => /<p[^>]*>([^<]+)<\/p>/.exec(row)?.[1]);
    expect(listed).toEqual(["Call back Monday", "Undated follow-up"]);
  });

  it("/app/settings opens the first settings page", async () => {
    const owner = await signUp("settings-index");
    const response = await page("/app/settings", owner.accessToken, { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/app/settings/organization");
  });

  it("a missing record is a 404 page and the page's other loaders still render", async () => {
    const owner = await signUp("one-page-tx-404");
    const response = await page(`/app/contacts/${crypto.randomUUID()}`, owner.accessToken);
    expect(response.status).toBe(404);
    const html = await response.text();
    // The shell (its loader ran in the same transaction) still says who is signed in.
    expect(html).toContain(owner.email);
    expect(transactionsOf(response)).toBe(1);
  });

  it("spend the same rate-limit budget as the API", async () => {
    const owner = await signUp("page-limits");
    const limiter = env.RATE_LIMITER.getByName(`apiByPrincipal:user:${owner.userId}`);
    const rule = RATE_LIMITS.apiByPrincipal;
    // A burst of calls well past the person's budget (it refills in seconds, not at once).
    await limiter.adjust(rule, -2 * rule.capacity, rule.capacity);
    const limited = await page("/app/contacts", owner.accessToken);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.text()).toContain("Too many requests");

    // Another person in another organization is unaffected.
    const other = await signUp("page-limits-other");
    expect((await page("/app/contacts", other.accessToken)).status).toBe(200);
  });
});

describe("API requests", () => {
  it("say in Server-Timing how many transactions they ran and where their time went", async () => {
    const owner = await signUp();
    const me = await call("/auth/me", { token: owner.accessToken });
    expect(me.status).toBe(200);
    expect(transactionsOf(me)).toBe(1);
    const timing = me.headers.get("server-timing") ?? "";
    for (const entry of ["auth", "limit", "db", "total"]) {
      expect(timing).toMatch(new RegExp(`(?:^|,)\\s*${entry};dur=\\d+(?:\\.\\d+)?`));
    }
    const health = await call("/health");
    expect(transactionsOf(health)).toBe(1);
    const missing = await call("/no-such-route");
    expect(missing.status).toBe(404);
    expect(transactionsOf(missing)).toBe(0);
  });
});
