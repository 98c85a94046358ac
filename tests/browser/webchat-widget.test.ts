import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserStackForThisFile, signUpOwner } from "./harness";

/*
 * The website chat as a visitor and an agent use it: a shop embeds the widget's script tag,
 * the visitor writes, the agent answers from the inbox API, the answer arrives live in the
 * widget, and the conversation survives a reload and a new tab. At phone width the panel
 * takes the screen.
 */

const { newPage, pageErrors, baseUrl } = browserStackForThisFile({ width: 390, height: 844 });

let base = "";
let shop: Server;
let shopUrl = "";
let token = "";

async function api<T>(path: string, init: { method?: string; body?: unknown } = {}) {
  const response = await fetch(`${base}/api/v1${path}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const body = (await response.json()) as { data: T };
  return { status: response.status, data: body.data };
}

beforeAll(async () => {
  base = baseUrl();
  const run = Date.now().toString(36);
  token = (
    await signUpOwner(base, {
      email: `shop-${run}@example.com`,
      password: "a long and careful passphrase",
      name: "Sam Support",
      organizationName: "Acme Outdoor",
    })
  ).accessToken;
  shop = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(
      `<!doctype html><html><head><title>Acme Outdoor</title></head><body><h1>Acme Outdoor</h1>` +
        `<p>Tents, stoves and everything for the trail.</p>` +
        `<script src="${base}/widget.js" data-channel="${channelIdHolder.id}" async></script></body></html>`,
    );
  });
  await new Promise<void>((resolve) => shop.listen(0, "127.0.0.1", resolve));
  shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
  const channel = await api<{ id: string }>("/channels", {
    method: "POST",
    body: {
      type: "webchat",
      name: "Shop chat",
      allowedOrigins: [shopUrl],
      greeting: "Hi! How can we help?",
      preChatForm: false,
    },
  });
  expect(channel.status).toBe(201);
  channelIdHolder.id = channel.data.id;
}, 120_000);

const channelIdHolder = { id: "" };

afterAll(async () => {
  await new Promise((resolve) => shop?.close(resolve));
});

describe("website chat widget", () => {
  it("carries a visitor's conversation with an agent live, across a reload and a new tab", async () => {
    const page = await newPage();
    await page.goto(shopUrl);
    await page.getByRole("button", { name: "Chat", exact: true }).click();
    await page.getByText("Hi! How can we help?").waitFor();
    // At phone width the open panel takes the whole screen.
    const panel = await page.getByRole("dialog", { name: "Chat" }).boundingBox();
    expect(panel?.width ?? 0).toBeGreaterThanOrEqual(380);

    await page
      .getByRole("textbox", { name: "Message" })
      .fill("Do you have the Trailblazer tent in green?");
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByText("Do you have the Trailblazer tent in green?").waitFor();

    // The agent sees it in the inbox and answers.
    let conversationId = "";
    for (let attempt = 0; attempt < 50 && !conversationId; attempt += 1) {
      const list = await api<{ id: string; lastMessagePreview: string }[]>("/conversations");
      conversationId =
        list.data.find((c) => c.lastMessagePreview.includes("Trailblazer"))?.id ?? "";
      if (!conversationId) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(conversationId).not.toBe("");
    // The agent starts writing: the visitor sees it. The composer tells the visitor every 2 s
    // while the agent types (app/routes/app.inbox/thread.tsx), so a tell sent before the
    // visitor's socket was up is followed by the next one.
    const typingShown = page.getByText("Sam Support is typing…");
    for (let tell = 0; tell < 10 && !(await typingShown.isVisible()); tell += 1) {
      const typing = await api(`/conversations/${conversationId}/typing`, { method: "POST" });
      expect(typing.status).toBe(202);
      await typingShown.waitFor({ timeout: 2_000 }).catch(() => {});
    }
    await typingShown.waitFor();
    const reply = await api(`/conversations/${conversationId}/messages`, {
      method: "POST",
      body: { body: "Yes, two left in forest green." },
    });
    expect(reply.status).toBe(201);
    await page.getByText("Yes, two left in forest green.").waitFor();

    // A private note never reaches the visitor.
    await api(`/conversations/${conversationId}/messages`, {
      method: "POST",
      body: { note: true, body: "Offer the discount code" },
    });

    await page.reload();
    await page.getByRole("button", { name: /^Chat/ }).click();
    await page.getByText("Yes, two left in forest green.").waitFor();
    await page.getByText("Do you have the Trailblazer tent in green?").waitFor();

    const other = await page.context().newPage();
    await other.goto(shopUrl);
    await other.getByRole("button", { name: /^Chat/ }).click();
    await other.getByText("Yes, two left in forest green.").waitFor();
    expect(await other.getByText("Offer the discount code").count()).toBe(0);
    expect(await page.getByText("Offer the discount code").count()).toBe(0);

    // The delivered reply shows as delivered to the agent.
    const messages = await api<{ body: string; status: string }[]>(
      `/conversations/${conversationId}/messages`,
    );
    expect(messages.data.find((m) => m.body === "Yes, two left in forest green.")?.status).toBe(
      "delivered",
    );
    expect(pageErrors).toEqual([]);
  });
});
