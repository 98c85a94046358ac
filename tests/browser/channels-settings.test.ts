import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { browserStackForThisFile, createAccountAndSignIn } from "./harness";

/*
 * An admin sets up the inbox's channels in Settings -> Channels: connects a WhatsApp number
 * (and Meta's verification request to the URL the page shows succeeds), adds a website chat
 * (and gets its snippet), sees a clear error for a website that is not an origin, and removes
 * a channel. Secrets typed into the page never come back to it.
 */

const { newPage, pageErrors, baseUrl } = browserStackForThisFile({ width: 1440, height: 900 });

const SECRETS = {
  "Access token": "EAAG-browser-access-token",
  "App secret": "browser-app-secret-123",
  "Verify token": "browser-verify-token-456",
};

let page: Page;
let base: string;

beforeAll(async () => {
  base = baseUrl();
  const run = Date.now().toString(36);
  page = await newPage();
  await page.goto(`${base}/signup`);
  await page.getByLabel("Your name").fill("Ada Admin");
  await page.getByLabel("Work email").fill(`ada-${run}@example.com`);
  await page.getByLabel("Password").fill("a long and careful passphrase");
  await page.getByLabel("Organization name").fill("Channel Co");
  await createAccountAndSignIn(page, "a long and careful passphrase");
  await page.waitForURL(`${base}/app`);
}, 120_000);

describe("Settings -> Channels", () => {
  it("connects a WhatsApp number whose webhook URL passes Meta's verification, and removes it", async () => {
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Channels" })
      .click();
    await page.waitForURL(`${base}/app/settings/channels`);
    await page.getByText("No channels yet.").waitFor();

    const form = page.getByRole("region", { name: "Connect a WhatsApp number" });
    await form.getByLabel("Name", { exact: true }).fill("Support line");
    await form.getByLabel("Phone number id").fill(`10654${Date.now()}`.slice(0, 15));
    await form.getByLabel("WhatsApp Business Account id").fill("102290129340398");
    for (const [label, value] of Object.entries(SECRETS)) await form.getByLabel(label).fill(value);
    await form.getByRole("button", { name: "Connect number" }).click();
    await page.getByText("WhatsApp number “Support line” connected.").waitFor();

    const webhook = page.getByRole("textbox", { name: "Webhook URL of Support line" });
    const url = await webhook.inputValue();
    expect(url).toMatch(/\/webhooks\/whatsapp\/[0-9a-f-]{36}$/);
    const html = await page.content();
    for (const value of Object.values(SECRETS)) expect(html).not.toContain(value);

    // What Meta's dashboard does when the admin saves that URL with the verify token.
    const path = new URL(url).pathname;
    const answer = await page.evaluate(async (query) => {
      const response = await fetch(query);
      return { status: response.status, text: await response.text() };
    }, `${path}?hub.mode=subscribe&hub.verify_token=${SECRETS["Verify token"]}&hub.challenge=8315`);
    expect(answer).toEqual({ status: 200, text: "8315" });

    await page.getByText("Remove channel Support line").click();
    await page.getByRole("button", { name: "Remove channel" }).click();
    await page.getByText("Channel removed.").waitFor();
    await page.getByText("No channels yet.").waitFor();
    expect(pageErrors).toEqual([]);
  });

  it("adds a website chat with its snippet after naming a website that is not an origin", async () => {
    await page.goto(`${base}/app/settings/channels`);
    const form = page.getByRole("region", { name: "Add a website chat" });
    await form.getByLabel("Name", { exact: true }).fill("Website");
    await form.getByLabel("Websites").fill("www.example.com");
    await form.getByLabel("Identity secret (optional)").fill("site-identity-secret-1");
    await form.getByRole("button", { name: "Create website chat" }).click();
    const field = page.getByRole("region", { name: "Add a website chat" }).getByLabel("Websites");
    await page
      .getByRole("region", { name: "Add a website chat" })
      .getByText(/starting with http/)
      .waitFor();
    expect(await field.getAttribute("aria-invalid")).toBe("true");
    // The name is kept to try again; the secret is not sent back.
    expect(
      await page
        .getByRole("region", { name: "Add a website chat" })
        .getByLabel("Name", { exact: true })
        .inputValue(),
    ).toBe("Website");
    expect(await page.content()).not.toContain("site-identity-secret-1");

    await field.fill("https://www.example.com\nhttps://shop.example.com");
    await page
      .getByRole("region", { name: "Add a website chat" })
      .getByLabel("Ask for name and e-mail before the chat starts")
      .check();
    await page
      .getByRole("region", { name: "Add a website chat" })
      .getByRole("button", { name: "Create website chat" })
      .click();
    await page.getByText("Website chat “Website” created.").waitFor();
    const snippet = await page
      .getByRole("textbox", { name: "Embed snippet of Website" })
      .inputValue();
    expect(snippet).toMatch(
      /^<script src="[^"]+\/widget\.js" data-channel="[0-9a-f-]{36}" async><\/script>$/,
    );
    await page
      .getByText(
        "On https://www.example.com, https://shop.example.com · asks for name and e-mail first",
      )
      .waitFor();
    expect(pageErrors).toEqual([]);
  });

  it("never scrolls sideways at 390 px", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/app/settings/channels`);
    await page.getByRole("textbox", { name: "Embed snippet of Website" }).waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: "/tmp/channels-390.png", fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.screenshot({ path: "/tmp/channels-1440.png", fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
