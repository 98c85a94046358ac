import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type IncomingMessageSpec,
  incomingMessagePayload,
  signWebhookBody,
} from "../../scripts/lib/whatsapp-payloads";
import { browserStackForThisFile, createAccountAndSignIn } from "./harness";

/*
 * The shared inbox as an agent works it: a customer's WhatsApp message, signed as Meta signs
 * it, arrives at a channel created for the test and shows up in the open inbox without a
 * reload; opening it marks it read; a private note appears in the thread in its own colour;
 * `e` resolves it (and it leaves the open list). On a phone the inbox is one pane at a time
 * and never scrolls sideways.
 */

const { newPage, pageErrors, baseUrl } = browserStackForThisFile({ width: 1440, height: 900 });

const PASSWORD = "a long and careful passphrase";

interface Channel {
  id: string;
  phoneNumberId: string;
  wabaId: string;
  displayPhoneNumber: string;
  appSecret: string;
}

let page: Page;
let base: string;
let channel: Channel;

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

/** Meta's delivery of customers' messages to the channel's webhook, signed with its secret. */
async function deliver(messages: IncomingMessageSpec[]) {
  const body = JSON.stringify(incomingMessagePayload({ ...channel, messages }));
  const response = await fetch(`${base}/webhooks/whatsapp/${channel.id}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-hub-signature-256": signWebhookBody(body, channel.appSecret),
    },
    body,
  });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  base = baseUrl();
  const run = Date.now().toString(36);
  const email = `iris-${run}@example.com`;
  page = await newPage();
  await page.goto(`${base}/signup`);
  await page.getByLabel("Your name").fill("Iris Inbox");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Organization name").fill("Inbox Co");
  await createAccountAndSignIn(page, PASSWORD);
  await page.waitForURL(`${base}/app`);

  const { accessToken } = await api<{ accessToken: string }>("/auth/login", {
    method: "POST",
    body: { email, password: PASSWORD },
  });
  const displayPhoneNumber = `1555${String(Date.now()).slice(-7)}`;
  const spec = {
    phoneNumberId: `1${displayPhoneNumber}`,
    wabaId: `2${displayPhoneNumber}`,
    appSecret: `app-secret-${run}`,
    accessToken: `EAAG${run}`,
    verifyToken: "verify-me",
  };
  const created = await api<{ id: string }>("/channels", {
    method: "POST",
    token: accessToken,
    body: { type: "whatsapp", name: "Support line", ...spec },
  });
  channel = { id: created.id, displayPhoneNumber, ...spec };
}, 120_000);

describe("the inbox", () => {
  it("shows a new WhatsApp message live, opens it read, takes a private note and resolves with e", async () => {
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Inbox" })
      .click();
    await page.waitForURL(`${base}/app/inbox`);
    await page.getByTestId("inbox-empty").waitFor();
    // The socket is up (presence arrived) before the customer writes.
    await page.getByRole("list", { name: "Online now" }).getByText("Iris Inbox").waitFor();
    // Marks this document: a reload would lose it.
    await page.evaluate(() => {
      (window as unknown as { inboxMarker: string }).inboxMarker = "same document";
    });

    await deliver([
      {
        from: "+447700900123",
        name: "Olivia Bennett",
        type: "text",
        text: { body: "Hi! Where is my order #48213?" },
      },
    ]);
    const list = page.getByTestId("conversation-list");
    const item = list.locator("a[data-conversation]", { hasText: "Olivia Bennett" });
    await item.waitFor({ timeout: 20_000 });
    await item.getByText("Hi! Where is my order #48213?").waitFor();
    expect(await item.getByTestId("unread-count").textContent()).toContain("1");
    // The sidebar's Inbox badge counts it at once (the shell did not load again).
    const badge = page.getByRole("navigation", { name: "Main" }).getByTestId("inbox-unread-badge");
    await badge.waitFor();
    expect(await badge.textContent()).toContain("1");
    expect(
      await page.evaluate(() => (window as unknown as { inboxMarker?: string }).inboxMarker),
    ).toBe("same document");

    // Opening it shows the thread and marks it read.
    await item.click();
    const thread = page.getByTestId("thread");
    await thread.getByRole("heading", { name: "Olivia Bennett" }).waitFor();
    await thread.getByTestId("message").getByText("Hi! Where is my order #48213?").waitFor();
    await item.getByTestId("unread-count").waitFor({ state: "detached" });
    await badge.waitFor({ state: "detached" });

    // A private note: only the team sees it, in amber.
    await thread.getByRole("tab", { name: "Private note" }).click();
    await thread
      .getByRole("textbox", { name: "Private note" })
      .fill("Order 48213 left the warehouse on Tuesday.");
    await page.keyboard.press("Enter");
    const note = thread.locator('[data-testid="message"][data-kind="note"]');
    await note.getByText("Order 48213 left the warehouse on Tuesday.").waitFor();
    await note.getByText("Private note · Iris Inbox").waitFor();
    expect(await thread.getByRole("textbox", { name: "Private note" }).inputValue()).toBe("");

    // Escape leaves the composer; e resolves; it leaves the open conversations.
    await page.keyboard.press("Escape");
    await page.keyboard.press("e");
    await thread.getByTestId("conversation-state").getByText("Resolved").waitFor();
    await thread.getByRole("button", { name: "Reopen" }).waitFor();
    await item.waitFor({ state: "detached" });
    await page.getByTestId("inbox-empty").waitFor();

    // The resolved tab has it, with the note in its thread after a fresh load.
    await page
      .getByRole("navigation", { name: "Status" })
      .getByRole("link", { name: "Resolved" })
      .click();
    await list.locator("a[data-conversation]", { hasText: "Olivia Bennett" }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it("is one pane at a time at 390 px, without sideways scrolling", async () => {
    await deliver([
      {
        from: "+5215512345678",
        name: "Carlos Mendoza",
        type: "location",
        location: { latitude: 19.4326, longitude: -99.1332, name: "Oficina Centro" },
      },
    ]);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/app/inbox`);
    const item = page.locator("a[data-conversation]", { hasText: "Carlos Mendoza" });
    await item.waitFor();
    const sideways = () =>
      page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
    expect(await sideways()).toBeLessThanOrEqual(0);

    await item.click();
    const thread = page.getByTestId("thread");
    await thread.getByRole("heading", { name: "Carlos Mendoza" }).waitFor();
    expect(await item.isVisible()).toBe(false);
    const map = thread.getByRole("link", { name: /Open in map/ });
    expect(await map.getAttribute("href")).toContain(
      "https://www.openstreetmap.org/?mlat=19.4326&mlon=-99.1332",
    );
    expect(await sideways()).toBeLessThanOrEqual(0);

    await thread.getByRole("button", { name: "Contact" }).click();
    const panel = page.getByTestId("contact-panel");
    await panel.getByRole("link", { name: "Carlos Mendoza" }).waitFor();
    expect(await thread.isVisible()).toBe(false);
    await panel.getByRole("button", { name: "Back to the conversation" }).click();
    await thread.getByRole("link", { name: "Back to the conversations" }).click();
    await item.waitFor();
    expect(await sideways()).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(pageErrors).toEqual([]);
  });
});
