import { describe, expect, it } from "vitest";
import { pbxForStack } from "../pbx/harness";
import { stackForThisFile } from "../support/stack";
import { browserStackForThisFile } from "./harness";

/*
 * Telephony in the browser, against the ARI simulator and pbx-bridge: click-to-call from a
 * contact's page drives the call bar through ringing, answered and ended, the wrap-up lands
 * on the contact's timeline; an inbound call from the contact pops the contact; a call that
 * rings for the team while the agent is away shows in the bar as a chip until it ends.
 */

const stack = stackForThisFile("browser-calls");
const { newPage, pageErrors, baseUrl } = browserStackForThisFile(
  { width: 1280, height: 900 },
  stack,
);
// Slower than the API tests so each state of the call bar stays on screen for a while.
const pbx = pbxForStack(stack, "browser-calls", 0.5);

const PHONE = "+1 415 555 0166";

describe("calls in the browser", () => {
  it("places a call from a contact's page, follows it in the call bar and logs it; pops inbound callers", async () => {
    const owner = pbx.owner();
    const created = await owner.api<{ id: string }>("/contacts", {
      method: "POST",
      body: { firstName: "Dana", lastName: "Scully", phones: [{ raw: PHONE }] },
    });
    expect(created.status).toBe(201);
    const contactUrl = `${baseUrl()}/app/contacts/${created.data.id}`;

    const page = await newPage();
    await page.goto(`${baseUrl()}/login`);
    await page.getByLabel("Email").fill(owner.email);
    await page.getByLabel("Password").fill(owner.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${baseUrl()}/app`);
    await page
      .getByRole("list", { name: "Online now" })
      .first()
      .getByText(/browser-calls person/)
      .waitFor();

    await page.goto(contactUrl);
    await page.getByRole("heading", { name: "Dana Scully" }).waitFor();
    await page.getByRole("button", { name: `Call ${PHONE}` }).click();

    const callBar = page.getByRole("region", { name: "Current call" });
    const state = callBar.getByTestId("call-state");
    await expect.poll(() => state.textContent(), { timeout: 15_000 }).toBe("Ringing");
    await expect.poll(() => state.textContent(), { timeout: 15_000 }).toBe("Answered");
    await callBar.getByRole("button", { name: "Hang up" }).click();
    await expect.poll(() => state.textContent(), { timeout: 15_000 }).toBe("Ended");

    await callBar.getByLabel("Notes").fill("Wants the enterprise plan.");
    await callBar.getByRole("button", { name: "Save wrap-up" }).click();
    const activity = page.getByRole("region", { name: "Activity" });
    await activity.getByText(/Outbound call, answered/).waitFor();
    await activity.getByText("Wants the enterprise plan.").waitFor();

    // The contact calls back: the agent's screen pops the contact.
    await page.goto(`${baseUrl()}/app`);
    await pbx.simulator().playScenario("inbound_answered", {
      from: "+14155550166",
      queue: null,
      talkSeconds: 4,
    });
    const pop = page.getByRole("region", { name: "Incoming call" });
    await pop.getByText("Dana Scully").waitFor({ timeout: 15_000 });
    await pop.getByRole("link", { name: "Open contact" }).click();
    await page.waitForURL(contactUrl);

    // Away: a caller nobody can take yet rings for the team, shown as a chip in the bar.
    const away = await owner.api("/call-center/status", {
      method: "PUT",
      body: { status: "away" },
    });
    expect(away.status).toBe(200);
    await pbx.simulator().playScenario("inbound_missed", {
      from: "+14155550177",
      queue: null,
      giveUpSeconds: 6,
    });
    const teamChip = page.getByTestId("team-call-chip");
    await teamChip.getByText("Ringing for team").waitFor({ timeout: 15_000 });
    await teamChip.waitFor({ state: "detached", timeout: 30_000 });

    expect(pageErrors).toEqual([]);
  });
});
