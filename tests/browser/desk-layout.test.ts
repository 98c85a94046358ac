import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { CallView } from "../../worker/calls/call-view";
import { pbxForStack, waitUntil } from "../pbx/harness";
import { stackForThisFile } from "../support/stack";
import { browserStackForThisFile } from "./harness";

/*
 * What a person working the product for a while notices about its layout: the team-ringing
 * chips follow the calls that really ring (one each, in a row of fixed height that never
 * pushes the page), the screen-pop overlays the page instead of pushing it, every action is
 * reachable at 390 px, long values wrap, the sidebar's items are all within reach, and the
 * dashboard reads cleanly.
 */

const stack = stackForThisFile("browser-layout");
const { newPage, pageErrors, baseUrl } = browserStackForThisFile(
  { width: 1440, height: 900 },
  stack,
);
// Real time: the scenarios' seconds are seconds.
const pbx = pbxForStack(stack, "browser-layout", 1);

/** Sets the owner's agent status and waits until pbx-bridge routes calls by it. */
async function setStatus(status: "available" | "away") {
  // The bridge's first routing comes with its welcome: counting from before it would take that
  // one (which may predate this change) for the update this waits for.
  await waitUntil(
    () => pbx.bridge().status().edgeConnected && pbx.bridge().status().routingUpdates > 0,
    20_000,
    "the bridge's first routing",
  );
  const routed = pbx.bridge().status().routingUpdates;
  const answer = await pbx.owner().api("/call-center/status", { method: "PUT", body: { status } });
  expect(answer.status).toBe(200);
  await waitUntil(
    () => pbx.bridge().status().routingUpdates > routed,
    10_000,
    "the bridge's new routing",
  );
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${baseUrl()}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${baseUrl()}/app`);
}

/** Inbound calls ringing that are not the owner's: what "Ringing for team" should show. */
async function ringingForTeam(): Promise<string[]> {
  const owner = pbx.owner();
  const live = await owner.api<CallView[]>("/calls/live");
  return live.data
    .filter(
      (call) =>
        call.direction === "inbound" &&
        call.status === "ringing" &&
        call.endedAt === null &&
        call.agent?.id !== owner.userId,
    )
    .map((call) => call.id)
    .sort();
}

interface ChipSample {
  /** Every team chip in the document (shown or folded into "+N more"). */
  ids: string[];
  /** Chips a person can see. */
  visible: number;
  /** The N of a visible "+N more". */
  more: number;
  /** The team-ringing row's height, or null when there is none. */
  rowHeight: number | null;
  /** Where the page's content starts (document coordinates). */
  mainTop: number;
  sideScroll: boolean;
}

function chips(page: Page): Promise<ChipSample> {
  return page.evaluate(() => {
    const shown = (element: Element) => {
      const box = element.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && getComputedStyle(element).visibility !== "hidden";
    };
    const all = [...document.querySelectorAll('[data-testid="team-call-chip"]')];
    const more = [...document.querySelectorAll('[data-testid="team-call-more"]')].find(shown);
    const row = document.querySelector('[data-testid="team-ringing"]');
    const main = document.querySelector("main");
    return {
      ids: all.map((chip) => chip.getAttribute("data-call-id") ?? "").sort(),
      visible: all.filter(shown).length,
      more: more ? Number(/\+(\d+)/.exec(more.textContent ?? "")?.[1] ?? Number.NaN) : 0,
      rowHeight: row ? row.getBoundingClientRect().height : null,
      mainTop: (main?.getBoundingClientRect().top ?? 0) + window.scrollY,
      sideScroll: document.documentElement.scrollWidth > window.innerWidth,
    };
  });
}

type Box = { x: number; y: number; width: number; height: number };

function overlaps(a: Box, b: Box) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/**
 * Whether a control is on screen horizontally without scrolling anything sideways: inside the
 * viewport and inside every box that clips it.
 */
function reachableWithoutSideScroll(control: Locator): Promise<boolean> {
  return control.evaluate((element) => {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return false;
    if (box.left < -1 || box.right > window.innerWidth + 1) return false;
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
      const style = getComputedStyle(parent);
      if (style.overflowX === "visible") continue;
      const clip = parent.getBoundingClientRect();
      if (box.left < clip.left - 1 || box.right > clip.right + 1) return false;
      if (parent.scrollLeft !== 0) return false;
    }
    return true;
  });
}

function sideScroll(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}

describe("the desk over time", () => {
  it("shows one team chip per call ringing, in a row that never moves the page, and reconciles on reload", async () => {
    const owner = pbx.owner();
    await setStatus("away");

    // Two callers are already waiting when the page opens.
    for (const from of ["+14155550101", "+14155550102"]) {
      await pbx
        .simulator()
        .playScenario("inbound_missed", { from, queue: null, giveUpSeconds: 75 });
    }
    await waitUntil(async () => (await ringingForTeam()).length === 2, 20_000, "two calls ringing");

    // Events about calls can be held back (a missed event) once `holdCallEvents` is set.
    let holdCallEvents = false;
    const page = await newPage();
    await page.routeWebSocket(/\/api\/v1\/realtime/, (socket) => {
      const server = socket.connectToServer();
      server.onMessage((message) => {
        if (holdCallEvents && String(message).includes('"call.updated"')) return;
        socket.send(message);
      });
    });
    await signIn(page, owner.email, owner.password);
    await page.goto(`${baseUrl()}/app/contacts`);
    await page.getByRole("heading", { name: "Contacts" }).waitFor();

    // The page starts from the server's view: both waiting calls have a chip.
    await expect
      .poll(async () => (await chips(page)).ids, { timeout: 10_000 })
      .toEqual(await ringingForTeam());
    const first = await chips(page);

    // Five more callers: still one chip each (some folded into "+N more"), same row height,
    // and the page below does not move.
    for (let index = 0; index < 5; index += 1) {
      await pbx.simulator().playScenario("inbound_missed", {
        from: `+1415555020${index}`,
        queue: null,
        // Long enough that all seven ring together on a loaded CI machine.
        giveUpSeconds: 30,
      });
    }
    let ringing: string[] = [];
    await waitUntil(
      async () => {
        ringing = await ringingForTeam();
        return ringing.length === 7;
      },
      25_000,
      "seven ringing",
    ).catch((error: Error) => {
      throw new Error(`${error.message} (${ringing.length} ringing)`);
    });
    await expect.poll(async () => (await chips(page)).ids.length, { timeout: 10_000 }).toBe(7);
    const busy = await chips(page);
    expect(busy.ids).toEqual(await ringingForTeam());
    expect(new Set(busy.ids).size).toBe(busy.ids.length);
    expect(busy.visible + busy.more).toBe(7);
    expect(busy.visible).toBeGreaterThan(0);
    expect(busy.rowHeight).toBe(first.rowHeight);
    expect(busy.rowHeight ?? 0).toBeLessThanOrEqual(48);
    expect(busy.mainTop).toBe(first.mainTop);
    expect(busy.sideScroll).toBe(false);

    // The five give up while the page misses the events saying so; a reload shows what the
    // server knows.
    holdCallEvents = true;
    await waitUntil(async () => (await ringingForTeam()).length === 2, 60_000, "five gone");
    holdCallEvents = false;
    await page.reload();
    await page.getByRole("heading", { name: "Contacts" }).waitFor();
    await expect
      .poll(async () => (await chips(page)).ids, { timeout: 10_000 })
      .toEqual(await ringingForTeam());

    // The last two give up: no chip left, and the page stays where it was.
    await waitUntil(async () => (await ringingForTeam()).length === 0, 90_000, "all gone");
    await expect.poll(async () => (await chips(page)).ids, { timeout: 10_000 }).toEqual([]);
    expect((await chips(page)).mainTop).toBe(first.mainTop);
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it("pops an incoming call over the page, below the call bar and inside the viewport, at 1440 and 390 px", async () => {
    const owner = pbx.owner();
    await setStatus("available");
    const page = await newPage();
    await signIn(page, owner.email, owner.password);
    await page.goto(`${baseUrl()}/app/settings/phone`);
    await page.getByRole("heading", { name: "Phone", exact: true }).waitFor();

    await pbx.simulator().playScenario("inbound_answered", {
      from: "+14155550303",
      queue: null,
      talkSeconds: 40,
    });
    const pop = page.getByRole("region", { name: "Incoming call" });
    await pop.waitFor({ timeout: 15_000 });
    const bar = page.getByRole("region", { name: "Current call" });
    await bar.waitFor();

    const layout = () =>
      page.evaluate(() => {
        const box = (selector: string) => {
          const rect = document.querySelector(selector)?.getBoundingClientRect();
          return rect ? { x: rect.x, y: rect.y, width: rect.width, height: rect.height } : null;
        };
        const main = document.querySelector("main")?.getBoundingClientRect();
        return {
          pop: box('[data-testid="screen-pop"]'),
          // Everything of the phone that sits above the page (call bar and chips).
          header: box('[data-testid="call-bar"]')
            ? (() => {
                const bar = document.querySelector('[data-testid="call-bar"]');
                const top = bar?.closest("[data-phone-ui]")?.getBoundingClientRect();
                return top ? { x: top.x, y: top.y, width: top.width, height: top.height } : null;
              })()
            : null,
          mainTop: (main?.top ?? 0) + window.scrollY,
          viewport: { width: window.innerWidth, height: window.innerHeight },
          sideScroll: document.documentElement.scrollWidth > window.innerWidth,
        };
      });
    const inViewport = (box: Box | null, viewport: { width: number; height: number }) =>
      box !== null &&
      box.x >= 0 &&
      box.y >= 0 &&
      box.x + box.width <= viewport.width &&
      box.y + box.height <= viewport.height;

    // 1440: the pop is inside the viewport, clear of the call bar, and the page starts right
    // under the call bar as it would without a pop.
    const wide = await layout();
    expect(inViewport(wide.pop, wide.viewport)).toBe(true);
    expect(wide.header).not.toBeNull();
    if (wide.pop && wide.header) expect(overlaps(wide.pop, wide.header)).toBe(false);
    expect(wide.mainTop).toBeCloseTo((wide.header?.y ?? 0) + (wide.header?.height ?? 0), 0);

    // Scrolled down: still fully in view, still clear of the (sticky) call bar.
    await page.mouse.wheel(0, 600);
    await page.waitForTimeout(300);
    const scrolled = await layout();
    expect(inViewport(scrolled.pop, scrolled.viewport)).toBe(true);
    if (scrolled.pop && scrolled.header)
      expect(overlaps(scrolled.pop, scrolled.header)).toBe(false);

    // 390 px: inside the viewport, no sideways scroll.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(300);
    const narrow = await layout();
    expect(inViewport(narrow.pop, narrow.viewport)).toBe(true);
    expect(narrow.sideScroll).toBe(false);
    await pop.getByRole("button", { name: "Dismiss" }).click();
    await pop.waitFor({ state: "detached" });
    // Dismissing it does not move the page either.
    expect((await layout()).mainTop).toBeCloseTo(narrow.mainTop, 0);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});

describe("fit and finish", () => {
  it("keeps every action of Team members and Phone extensions reachable at 390 px, and the dashboard's charts inside their cards", async () => {
    const owner = pbx.owner();
    const invite = await owner.api<{ token: string }>("/invitations", {
      method: "POST",
      body: { email: `narrow-${Date.now().toString(36)}@example.com`, role: "agent" },
    });
    expect(invite.status).toBe(201);
    const accepted = await fetch(`${baseUrl()}/api/v1/invitations/accept`, {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": "10.9.9.8" },
      body: JSON.stringify({
        token: invite.data.token,
        name: "Narrow Screen Tester",
        password: "another long passphrase",
      }),
    });
    expect(accepted.status).toBe(200);
    const contact = await owner.api<{ id: string }>("/contacts", {
      method: "POST",
      body: { firstName: "Note", lastName: "Taker" },
    });
    for (const subject of ["First call notes", "Follow-up"]) {
      await owner.api("/activities", {
        method: "POST",
        body: { type: "note", subject, contactId: contact.data.id },
      });
    }

    const page = await newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, owner.email, owner.password);

    await page.goto(`${baseUrl()}/app/settings/team`);
    await page.getByRole("heading", { name: "Team", exact: true }).waitFor();
    expect(await sideScroll(page)).toBe(false);
    for (const name of ["Save role for Narrow Screen Tester", "Deactivate Narrow Screen Tester"]) {
      expect(await reachableWithoutSideScroll(page.getByRole("button", { name })), name).toBe(true);
    }

    await page.goto(`${baseUrl()}/app/settings/phone`);
    await page.getByRole("heading", { name: "Phone", exact: true }).waitFor();
    expect(await sideScroll(page)).toBe(false);
    for (const name of [
      "Save extension for Narrow Screen Tester",
      "Save extension for browser-layout person",
      "Remove extension of browser-layout person",
    ]) {
      expect(await reachableWithoutSideScroll(page.getByRole("button", { name })), name).toBe(true);
    }

    await page.goto(`${baseUrl()}/app`);
    const activities = page.getByRole("figure", { name: "Activities per person" });
    await activities.waitFor();
    expect(await sideScroll(page)).toBe(false);
    // Nothing drawn in a chart sticks out of its card (where it would be cut off).
    const outside = await page.evaluate(() =>
      [...document.querySelectorAll("main figure")].flatMap((figure) => {
        const card = figure.getBoundingClientRect();
        return [...figure.querySelectorAll("*")]
          .filter((element) => !element.closest(".sr-only"))
          .filter((element) => {
            const box = element.getBoundingClientRect();
            if (box.width === 0 && box.height === 0) return false;
            return box.left < card.left - 1 || box.right > card.right + 1;
          })
          .map(
            (element) =>
              `${figure.querySelector("figcaption")?.textContent}: ${element.textContent}`,
          );
      }),
    );
    expect(outside).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it("wraps a long email address instead of running it under the Edit link", async () => {
    const owner = pbx.owner();
    const email =
      "bartholomew.maximilian.longaddress-procurement@international-logistics-holdings.example.com";
    const created = await owner.api<{ id: string }>("/contacts", {
      method: "POST",
      body: { firstName: "Bartholomew", lastName: "Longaddress", emails: [{ email }] },
    });
    expect(created.status).toBe(201);
    const page = await newPage();
    await signIn(page, owner.email, owner.password);
    await page.goto(`${baseUrl()}/app/contacts/${created.data.id}`);
    const link = page.getByRole("link", { name: email });
    const edit = page.getByRole("link", { name: /^Edit Emails?$/ });
    const [linkBox, editBox] = [await link.boundingBox(), await edit.boundingBox()];
    expect(linkBox).not.toBeNull();
    expect(editBox).not.toBeNull();
    if (linkBox && editBox) expect(overlaps(linkBox, editBox)).toBe(false);
    // Each line of the address stays left of the Edit link.
    const rightmost = await link.evaluate((element) =>
      Math.max(...[...element.getClientRects()].map((rect) => rect.right)),
    );
    expect(rightmost).toBeLessThanOrEqual(editBox?.x ?? 0);
    expect(pageErrors).toEqual([]);
  });

  it("puts every sidebar item within reach at 1440×900", async () => {
    const owner = pbx.owner();
    const page = await newPage();
    await signIn(page, owner.email, owner.password);
    for (const path of ["/app", "/app/settings/jobs"]) {
      await page.goto(`${baseUrl()}${path}`);
      const nav = page.getByRole("navigation", { name: "Main" });
      await nav.waitFor();
      // Each item is on screen inside the sidebar, or inside a closed group whose toggle is.
      const hidden = await nav.evaluate((element) => {
        const area = element.getBoundingClientRect();
        const within = (box: DOMRect) =>
          box.height > 0 && box.top >= area.top - 1 && box.bottom <= area.bottom + 1;
        return [...element.querySelectorAll("a[href]")]
          .filter((link) => {
            if (within(link.getBoundingClientRect())) return false;
            const group = link.closest("details");
            const toggle = group?.querySelector("summary");
            return !(group && !group.open && toggle && within(toggle.getBoundingClientRect()));
          })
          .map((link) => link.textContent?.trim());
      });
      expect(hidden, path).toEqual([]);
      // The page's own item is on screen.
      const current = nav.locator('[aria-current="page"]');
      expect(await current.isVisible(), path).toBe(true);
    }
    expect(pageErrors).toEqual([]);
  });

  it("reads the dashboard's headline numbers cleanly and names each chart and table once", async () => {
    const owner = pbx.owner();
    const page = await newPage();
    await signIn(page, owner.email, owner.password);
    const won = page.locator("dl > div").filter({ hasText: "Won this month" }).locator("dd");
    const text = ((await won.first().textContent()) ?? "").trim();
    expect(text).toMatch(/^\d+ deals?\b/);
    expect(text).not.toMatch(/[·—]\s*$|—/);

    const snapshot = await page.locator("main").ariaSnapshot();
    const names = [
      ...snapshot.matchAll(/- (figure|table|region|navigation|img|group) "([^"]+)"/g),
    ].map((match) => match[2]);
    const repeated = names.filter((name, index) => names.indexOf(name) !== index);
    expect(repeated).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
