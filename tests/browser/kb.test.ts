import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserStackForThisFile, signUpOwner } from "./harness";

/*
 * The knowledge base as a team lead uses it: writes an article in the editor (the preview
 * follows the Markdown), publishes it, opens it on the public help page (no sign-in, found by
 * a misspelled search), then answers a ticket by inserting the article's link into the reply.
 */

const { newPage, pageErrors, baseUrl } = browserStackForThisFile({ width: 1440, height: 900 });

const PASSWORD = "a long and careful passphrase";

let base: string;
let owner: { email: string; token: string };

async function api<T>(path: string, init: { method?: string; token?: string; body?: unknown }) {
  const response = await fetch(`${base}/api/v1${path}`, {
    method: init.method ?? "GET",
    headers: {
      "content-type": "application/json",
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const body = (await response.json()) as { data: T };
  expect(response.ok, JSON.stringify(body)).toBe(true);
  return body.data;
}

beforeAll(async () => {
  base = baseUrl();
  const email = `kira-${Date.now().toString(36)}@example.com`;
  const signedUp = await signUpOwner(base, {
    email,
    password: PASSWORD,
    name: "Kira Writer",
    organizationName: "Help Co",
  });
  owner = { email, token: signedUp.accessToken };
}, 60_000);

afterAll(() => {
  expect(pageErrors).toEqual([]);
});

describe("the knowledge base", () => {
  it("writes and publishes an article, shows it on the help page and links it in a reply", async () => {
    const page = await newPage();
    await page.goto(`${base}/login`);
    await page.getByLabel("Email").fill(owner.email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${base}/app`);

    // From the Tickets page to the knowledge base, then a new article.
    await page.goto(`${base}/app/tickets`);
    await page.getByRole("link", { name: "Knowledge base" }).first().click();
    await page.waitForURL(`${base}/app/kb`);
    await page.getByRole("link", { name: "New article" }).click();
    await page.waitForURL(`${base}/app/kb/new`);
    await page.getByLabel("Title").fill("Password reset");
    await page
      .getByLabel("Article (Markdown)")
      .fill("Choose **Forgot password?** on the sign-in page.\n\n- Check your inbox");
    // The preview follows, rendered by the server.
    await page
      .getByTestId("kb-preview")
      .locator("strong", { hasText: "Forgot password?" })
      .waitFor();
    await page.getByRole("button", { name: "Publish" }).click();
    await page.waitForURL(/\/app\/kb\/[0-9a-f-]{36}$/);
    await page.getByText("Published", { exact: true }).first().waitFor();
    const helpLink = page.getByRole("link", { name: "View on help page" });
    const helpPath = await helpLink.getAttribute("href");
    expect(helpPath).toMatch(/^\/help\/[a-z0-9-]+\/password-reset$/);
    const orgHelp = helpPath?.replace(/\/password-reset$/, "") ?? "";

    // A customer, not signed in, finds it on the help page despite a typo.
    const visitor = await newPage();
    await visitor.goto(`${base}${orgHelp}`);
    await visitor.getByRole("link", { name: "Submit a request" }).waitFor();
    await visitor.getByLabel("Search the help articles").fill("pasword");
    await visitor.getByRole("button", { name: "Search" }).click();
    await visitor.getByRole("link", { name: "Password reset" }).click();
    await visitor.waitForURL(`${base}${helpPath}`);
    await visitor.getByRole("heading", { name: "Password reset" }).waitFor();
    await visitor.locator("strong", { hasText: "Forgot password?" }).waitFor();

    // A ticket asks about it: the reply gets the article's link at the cursor.
    const ticket = await api<{ id: string }>("/tickets", {
      method: "POST",
      token: owner.token,
      body: {
        subject: "Locked out",
        description: "I forgot my password.",
        requester: { email: "locked.out@example.com", name: "Lou Locked" },
      },
    });
    await page.goto(`${base}/app/tickets/${ticket.id}`);
    const composer = page.getByTestId("ticket-composer");
    const reply = composer.getByLabel("Reply to the requester");
    await reply.fill("Hi Lou, this should help:");
    await composer.getByTestId("insert-article").click();
    const picker = composer.getByRole("dialog", { name: "Insert a help article" });
    await picker.getByLabel("Search published articles").fill("pasword reset");
    await picker.getByRole("button", { name: /Password reset/ }).click();
    await expect
      .poll(() => reply.inputValue())
      .toBe(`Hi Lou, this should help: Password reset: ${base}${helpPath}`);
  });
});
