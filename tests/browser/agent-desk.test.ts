import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { INBOUND_SCENARIOS } from "../../scripts/lib/pbx-demo";
import { pbxForStack } from "../pbx/harness";
import { stackForThisFile } from "../support/stack";
import { browserStackForThisFile } from "./harness";

/*
 * The agent desk under steady traffic: an agent stays Available while demo calls keep coming
 * (time-scaled: about eight simulated minutes in one), and the page stays usable: at most one
 * call bar and one wrap-up form, no pop-up over the page's controls, and a typed wrap-up
 * draft survives a reload.
 */

const stack = stackForThisFile("browser-desk");
const { newPage, pageErrors, baseUrl } = browserStackForThisFile(
  { width: 1440, height: 900 },
  stack,
);
const TIME_SCALE = 0.1;
const pbx = pbxForStack(stack, "browser-desk", TIME_SCALE);
/** The demo's call every 10 s, scaled. */
const INTERVAL_MS = 10_000 * TIME_SCALE;
const TRAFFIC_MS = 60_000;

interface DeskSample {
  callBars: number;
  wrapUpForms: number;
  pops: number;
  /** Visible controls in the page whose centre the call bar or a pop-up covers. */
  covered: string[];
}

function sample(page: Page): Promise<DeskSample> {
  return page.evaluate(() => {
    const main = document.querySelector("main");
    const covered: string[] = [];
    for (const control of main?.querySelectorAll<HTMLElement>("a[href], button") ?? []) {
      const box = control.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const x = box.left + box.width / 2;
      const y = box.top + box.height / 2;
      if (x < 0 || y < 0 || x >= window.innerWidth || y >= window.innerHeight) continue;
      const top = document.elementFromPoint(x, y);
      if (top?.closest("[data-phone-ui]")) {
        covered.push(control.textContent?.trim() || control.tagName);
      }
    }
    return {
      callBars: document.querySelectorAll('[data-testid="call-bar"]').length,
      wrapUpForms: document.querySelectorAll('[data-testid="wrap-up-form"]').length,
      pops: document.querySelectorAll('[data-testid="screen-pop"]').length,
      covered,
    };
  });
}

describe("the agent desk under steady traffic", () => {
  it("keeps one call bar, one wrap-up form, no pop-up over controls; a draft survives a reload", async () => {
    const owner = pbx.owner();
    const queue = await owner.api("/call-queues", {
      method: "POST",
      body: { name: "support", memberIds: [owner.userId], wrapUpSeconds: 20 },
    });
    expect(queue.status).toBe(201);

    const page = await newPage();
    await page.goto(`${baseUrl()}/login`);
    await page.getByLabel("Email").fill(owner.email);
    await page.getByLabel("Password").fill(owner.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${baseUrl()}/app`);
    await page.goto(`${baseUrl()}/app/contacts`);

    let played = 0;
    const traffic = setInterval(() => {
      const name = INBOUND_SCENARIOS[played % INBOUND_SCENARIOS.length] ?? "inbound_answered";
      played += 1;
      pbx
        .simulator()
        .playScenario(name, {})
        .catch(() => {});
    }, INTERVAL_MS);

    const samples: DeskSample[] = [];
    let draftChecked = false;
    try {
      const until = Date.now() + TRAFFIC_MS;
      while (Date.now() < until) {
        samples.push(await sample(page));
        const form = page.getByTestId("wrap-up-form");
        if (!draftChecked && (await form.count()) === 1) {
          const callId = await page
            .getByRole("region", { name: "Current call" })
            .getAttribute("data-call-id");
          await form.getByLabel("Notes").fill("Asked about the invoice from March.");
          await page.waitForTimeout(1_500);
          await page.reload();
          const again = page.getByTestId("wrap-up-form");
          await again.waitFor({ timeout: 10_000 });
          expect(
            await page.getByRole("region", { name: "Current call" }).getAttribute("data-call-id"),
          ).toBe(callId);
          expect(await again.getByLabel("Notes").inputValue()).toBe(
            "Asked about the invoice from March.",
          );
          draftChecked = true;
        }
        if (samples.length === 60 && process.env.DESK_SCREENSHOTS) {
          await page.screenshot({ path: `${process.env.DESK_SCREENSHOTS}/desk-1440.png` });
          await page.setViewportSize({ width: 390, height: 844 });
          await page.waitForTimeout(500);
          await page.screenshot({ path: `${process.env.DESK_SCREENSHOTS}/desk-390.png` });
        }
        await page.waitForTimeout(500);
      }
    } finally {
      clearInterval(traffic);
    }

    expect(played).toBeGreaterThan(40);
    expect(draftChecked).toBe(true);
    expect(Math.max(...samples.map((s) => s.callBars))).toBeLessThanOrEqual(1);
    expect(Math.max(...samples.map((s) => s.wrapUpForms))).toBeLessThanOrEqual(1);
    expect(Math.max(...samples.map((s) => s.pops))).toBeLessThanOrEqual(1);
    expect(samples.flatMap((s) => s.covered)).toEqual([]);
    // The agent is still Available: their status was never changed by the desk.
    const agents = await owner.api<{ userId: string; status: string }[]>("/call-center/agents");
    expect(agents.data.find((a) => a.userId === owner.userId)?.status).not.toBe("away");
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
