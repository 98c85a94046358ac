import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { browserStackForThisFile, signUpOwner } from "./harness";

/*
 * The support desk as two people work it: an agent opens a ticket with "New ticket", and a
 * teammate watching the ticket list sees it appear without reloading; the agent replies
 * publicly and submits it as Pending, and the teammate's list shows it pending, live, while
 * the agent's page shows the reply and how its email went.
 */

const { newPage, pageErrors, baseUrl } = browserStackForThisFile({ width: 1440, height: 900 });

const PASSWORD = "a long and careful passphrase";

let base: string;
let owner: { email: string; name: string };
let agent: { email: string; name: string };

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

async function signIn(person: { email: string }): Promise<Page> {
  const page = await newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${base}/app`);
  return page;
}

beforeAll(async () => {
  base = baseUrl();
  const run = Date.now().toString(36);
  owner = { email: `tess-${run}@example.com`, name: "Tess Teamlead" };
  agent = { email: `theo-${run}@example.com`, name: "Theo Agent" };
  const signedUp = await signUpOwner(base, {
    email: owner.email,
    password: PASSWORD,
    name: owner.name,
    organizationName: "Desk Co",
  });
  const invitation = await api<{ token: string }>("/invitations", {
    method: "POST",
    token: signedUp.accessToken,
    body: { email: agent.email, role: "agent" },
  });
  await api("/invitations/accept", {
    method: "POST",
    body: { token: invitation.token, name: agent.name, password: PASSWORD },
  });
}, 60_000);

describe("the support desk", () => {
  it("shows a new ticket and its status change live to a teammate watching the list", async () => {
    const [theo, tess] = await Promise.all([signIn(agent), signIn(owner)]);
    await Promise.all([
      theo.goto(`${base}/app/tickets`),
      tess.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tickets" }).click(),
    ]);
    await tess.waitForURL(`${base}/app/tickets`);
    await tess.getByTestId("tickets-empty").waitFor();
    // Both sockets are up: each sees the other online.
    await tess.getByRole("list", { name: "Online now" }).getByText(agent.name).waitFor();
    await theo.getByRole("list", { name: "Online now" }).getByText(owner.name).waitFor();
    // Marks Tess's document: a reload would lose it.
    await tess.evaluate(() => {
      (window as unknown as { ticketsMarker: string }).ticketsMarker = "same document";
    });

    // Theo opens a ticket for a caller.
    await theo.getByRole("link", { name: "New ticket" }).click();
    const dialog = theo.getByRole("dialog", { name: "New ticket" });
    await dialog.getByLabel("Subject").fill("Headset echo on every call");
    await dialog.getByLabel("Description").fill("Caller hears themselves with a delay.");
    await dialog.getByLabel("Requester email").fill("echo.caller@example.com");
    await dialog.getByLabel("Requester name").fill("Ella Echo");
    await dialog.getByLabel("Priority").selectOption("high");
    await dialog.getByRole("button", { name: "Open ticket" }).click();
    await theo.waitForURL(/\/app\/tickets\/[0-9a-f-]{36}$/);
    await theo.getByRole("heading", { name: /#1001\s*Headset echo on every call/ }).waitFor();

    // Tess's list shows it without a reload, with the counts.
    const row = tess.getByTestId("ticket-list").locator("li", {
      hasText: "Headset echo on every call",
    });
    await row.waitFor({ timeout: 10_000 });
    await expect.poll(() => row.getAttribute("data-status")).toBe("new");
    await expect.poll(() => tess.getByTestId("count-unsolved").textContent()).toBe("1");
    await expect.poll(() => tess.getByTestId("count-unassigned").textContent()).toBe("1");

    // Theo replies publicly and submits it as Pending.
    const composer = theo.getByTestId("ticket-composer");
    await expect
      .poll(() => composer.getByTestId("composer-hint").textContent())
      .toContain("echo.caller@example.com");
    await composer
      .getByLabel("Reply to the requester")
      .fill("Could you try another USB port and tell us if it helps?");
    await composer.getByLabel("Submit as").selectOption("pending");
    await composer.getByRole("button", { name: "Submit as Pending" }).click();
    const reply = theo
      .getByTestId("ticket-comments")
      .locator('[data-kind="reply"]', { hasText: "another USB port" });
    await reply.waitFor();
    await expect
      .poll(() =>
        theo.getByTestId("ticket-header").getByTestId("ticket-status").getAttribute("data-status"),
      )
      .toBe("pending");
    // The composer is empty again, ready for the next one.
    expect(await composer.getByLabel("Reply to the requester").inputValue()).toBe("");
    // The reply's email goes out (the page looks again until it did).
    await expect
      .poll(() => reply.getByTestId("email-status").getAttribute("data-status"), {
        timeout: 20_000,
      })
      .toBe("sent");

    // Tess's list turns it pending, live, in the same document.
    await expect.poll(() => row.getAttribute("data-status")).toBe("pending");
    expect(
      await tess.evaluate(() => (window as unknown as { ticketsMarker?: string }).ticketsMarker),
    ).toBe("same document");

    // An internal note, in its own colour.
    await composer.getByText("Internal note", { exact: true }).click();
    await composer.getByLabel("Note for your team").fill("Known issue with the XR-7 headset.");
    await composer.getByRole("button", { name: "Submit as Pending" }).click();
    const note = theo
      .getByTestId("ticket-comments")
      .locator('[data-kind="note"]', { hasText: "XR-7" });
    await note.waitFor();
    expect(await note.evaluate((element) => getComputedStyle(element).backgroundColor)).not.toBe(
      await reply.evaluate((element) => getComputedStyle(element).backgroundColor),
    );

    expect(pageErrors).toEqual([]);
  }, 60_000);
});
