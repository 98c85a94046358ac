import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { browserStackForThisFile, createAccountAndSignIn, requestsSettled } from "./harness";

/*
 * What a new user hit in a first week: a note with only a subject (as the demo data writes
 * them) showed empty; the timeline could not be filtered, nor a note corrected or removed;
 * Won and Lost were off the board's right edge with nothing saying so, and the board could
 * not be narrowed to one owner; a bulk delete neither asked nor offered Undo; Ctrl-K only
 * searched records; and on a phone several pages scrolled sideways.
 */

const { newPage, pageErrors, baseUrl } = browserStackForThisFile({ width: 1440, height: 900 });

/** Calls the API from the page, with its session cookie (as the app's own scripts would). */
async function api<T>(page: Page, method: string, apiPath: string, body?: unknown): Promise<T> {
  const result = await page.evaluate(
    async ({ method, apiPath, body }) => {
      const response = await fetch(`/api/v1${apiPath}`, {
        method,
        headers: body ? { "Content-Type": "application/json" } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: response.status, json: (await response.json()) as { data: unknown } };
    },
    { method, apiPath, body },
  );
  if (result.status >= 300) throw new Error(`${method} ${apiPath}: ${JSON.stringify(result.json)}`);
  return result.json.data as T;
}

let page: Page;
let base: string;
let contactId: string;

beforeAll(async () => {
  base = baseUrl();
  const run = Date.now().toString(36);
  page = await newPage();
  await page.goto(`${base}/signup`);
  await page.getByLabel("Your name").fill("Nina New");
  await page.getByLabel("Work email").fill(`nina-${run}@example.com`);
  await page.getByLabel("Password").fill("a long and careful passphrase");
  await page.getByLabel("Organization name").fill("First Week Ltd");
  await createAccountAndSignIn(page, "a long and careful passphrase");
  await page.waitForURL(`${base}/app`);
  const contact = await api<{ id: string }>(page, "POST", "/contacts", {
    firstName: "Liam",
    lastName: "O'Brien",
    email: `liam-${run}@example.com`,
  });
  contactId = contact.id;
}, 120_000);

describe("a CRM user's first week", () => {
  it("shows, filters, edits and deletes (with Undo) notes on the timeline", async () => {
    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    // The demo data's shape: a note with a subject and no body.
    await api(page, "POST", "/activities", {
      type: "note",
      subject: "Intro call went well",
      contactId,
      occurredAt: minutesAgo(50),
    });
    for (const [index, type] of ["task", "call", "message", "meeting"].entries()) {
      await api(page, "POST", "/activities", {
        type,
        subject: `The ${type}`,
        contactId,
        occurredAt: minutesAgo(40 - index * 10),
      });
    }
    await page.goto(`${base}/app/contacts/${contactId}`);
    const timeline = page.getByRole("list", { name: "Timeline" });
    const note = timeline.getByRole("listitem").filter({ hasText: "Intro call went well" });
    await note.waitFor();

    // Filter: only notes, kept in the URL.
    const filter = page.getByRole("navigation", { name: "Show on the timeline" });
    await filter.getByRole("link", { name: "Notes" }).click();
    await page.waitForURL(/activity=note/);
    const item = (text: string) => timeline.getByRole("listitem").filter({ hasText: text });
    await item("The task").waitFor({ state: "detached" });
    expect(await timeline.getByRole("listitem").count()).toBe(1);
    await filter.getByRole("link", { name: "Emails & messages" }).click();
    await page.waitForURL(/activity=message/);
    await item("The message").waitFor();
    expect(await timeline.getByRole("listitem").count()).toBe(1);
    await filter.getByRole("link", { name: "All", exact: true }).click();
    await item("The meeting").waitFor();

    // The author corrects the note in place.
    await note.getByRole("button", { name: "Edit note: Intro call went well" }).click();
    const editor = page.getByRole("form", { name: "Edit note" });
    await editor
      .getByRole("textbox", { name: "Note" })
      .fill("Intro call went well. Demo on Friday.");
    await editor.getByRole("button", { name: "Save" }).click();
    await timeline.getByText("Intro call went well. Demo on Friday.", { exact: true }).waitFor();
    await editor.waitFor({ state: "detached" });

    // ... then deletes it, and takes that back.
    const edited = timeline.getByRole("listitem").filter({ hasText: "Demo on Friday" });
    await edited.getByRole("button", { name: /^Delete note:/ }).click();
    const notice = page.getByRole("status").filter({ hasText: "Note deleted." });
    await notice.waitFor();
    await edited.waitFor({ state: "detached" });
    await notice.getByRole("button", { name: "Undo" }).click();
    await timeline.getByText("Intro call went well. Demo on Friday.", { exact: true }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it("fits Won and Lost on the board at 1440 px, scrolls visibly when narrower, and filters by owner", async () => {
    const board = await api<{ stages: { id: string; name: string }[] }>(
      page,
      "GET",
      "/deals/board",
    );
    const first = board.stages[0];
    if (!first) throw new Error("No stages");
    await api(page, "POST", "/deals", { title: "Mine", amount: 1000, currency: "USD" });
    await api(page, "POST", "/deals", {
      title: "Unowned",
      amount: 2000,
      currency: "USD",
      ownerId: null,
    });
    await page.goto(`${base}/app/deals/board`);
    const lost = page.getByRole("region", { name: "Lost" });
    const won = page.getByRole("region", { name: "Won" });
    for (const column of [won, lost]) {
      const box = await column.boundingBox();
      expect(box && box.x + box.width).toBeLessThanOrEqual(1440);
    }

    // Narrower: the board says there is more, and its buttons bring Lost into view.
    await page.setViewportSize({ width: 1100, height: 900 });
    const later = page.getByRole("button", { name: "Later stages" });
    await later.waitFor();
    expect(await page.getByRole("button", { name: "Earlier stages" }).isDisabled()).toBe(true);
    const scroller = page.getByTestId("board-scroll");
    const visibleRight = async () => {
      const box = await scroller.boundingBox();
      const lostBox = await lost.boundingBox();
      return box && lostBox ? lostBox.x + lostBox.width <= box.x + box.width + 1 : false;
    };
    expect(await visibleRight()).toBe(false);
    for (let step = 0; step < 5 && !(await visibleRight()); step++) {
      await later.click();
      await page.waitForTimeout(500);
    }
    expect(await visibleRight()).toBe(true);
    expect(await later.isDisabled()).toBe(true);
    await page.setViewportSize({ width: 1440, height: 900 });

    // Owner filter, in the URL.
    const cards = page.locator("li[data-card-id]");
    await cards.filter({ hasText: "Mine" }).waitFor();
    await page.getByRole("combobox", { name: "Owner" }).selectOption({ label: "Nobody" });
    await page.waitForURL(/owner=none/);
    await cards.filter({ hasText: "Mine" }).waitFor({ state: "detached" });
    expect(await cards.filter({ hasText: "Unowned" }).count()).toBe(1);
    await page.reload();
    expect(await page.getByRole("combobox", { name: "Owner" }).inputValue()).toBe("none");
    expect(await cards.count()).toBe(1);
    await page.getByRole("combobox", { name: "Owner" }).selectOption({ label: "Nina New (you)" });
    await cards.filter({ hasText: "Mine" }).waitFor();
    expect(await cards.count()).toBe(1);
    expect(pageErrors).toEqual([]);
  });

  it("asks before a bulk delete and offers Undo", async () => {
    for (const name of ["Bulk One", "Bulk Two", "Bulk Keep"]) {
      const [firstName, lastName] = name.split(" ");
      await api(page, "POST", "/contacts", { firstName, lastName });
    }
    const liveSocket = page.waitForEvent("websocket");
    await page.goto(`${base}/app/contacts`);
    await page.getByRole("checkbox", { name: "Select Bulk One" }).check();
    await page.getByRole("checkbox", { name: "Select Bulk Two" }).check();
    await page.getByRole("button", { name: "Delete selected" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete 2 contacts?" });
    await dialog.waitFor();
    // Cancel leaves everything as it was.
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByRole("link", { name: "Bulk One" }).waitFor();
    await page.getByRole("button", { name: "Delete selected" }).click();
    // The delete announces itself to everyone looking at the list, this page too, which then
    // reloads its rows: the Undo offer must outlive that reload.
    const announced = (await liveSocket).waitForEvent("framereceived", {
      predicate: (frame) => String(frame.payload).includes("contact.deleted"),
    });
    await dialog.getByRole("button", { name: "Delete 2 contacts" }).click();
    const banner = page.getByRole("status").filter({ hasText: "2 contacts deleted." });
    await banner.waitFor();
    await page.getByRole("link", { name: "Bulk One" }).waitFor({ state: "detached" });
    await announced;
    await requestsSettled(page, (url) => url.includes("_data=routes%2Fapp.contacts._index"));
    expect(await banner.isVisible()).toBe(true);
    await banner.getByRole("button", { name: "Undo" }).click();
    await page.getByText("2 contacts restored.").waitFor();
    await page.getByRole("link", { name: "Bulk One" }).waitFor();
    await page.getByRole("link", { name: "Bulk Two" }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it("goes to pages and create actions from Ctrl-K with the keyboard", async () => {
    await page.goto(`${base}/app`);
    // The shortcut works once the shell has hydrated (and connected): then "Online now" lists us.
    await page.getByRole("list", { name: "Online now" }).getByText("Nina New").waitFor();
    const palette = page.getByRole("dialog", { name: "Search and quick actions" });
    await page.keyboard.press("Control+k");
    await palette.waitFor();
    await page.keyboard.type("settings");
    const settings = palette.getByRole("option", { name: "Settings", exact: true });
    await settings.waitFor();
    expect(await settings.getAttribute("aria-selected")).toBe("true");
    await page.keyboard.press("Enter");
    await page.waitForURL(`${base}/app/settings/team`);

    await page.keyboard.press("Control+k");
    await palette.waitFor();
    await page.keyboard.type("calls");
    await palette.getByRole("option", { name: "Calls", exact: true }).waitFor();
    await page.keyboard.press("Enter");
    await page.waitForURL(`${base}/app/calls`);

    await page.keyboard.press("Control+k");
    await palette.waitFor();
    await page.keyboard.type("deals board");
    await palette.getByRole("option", { name: "Deals board" }).waitFor();
    await page.keyboard.press("Enter");
    await page.waitForURL(`${base}/app/deals/board`);

    // Without typing: create actions first, arrow keys move.
    await page.keyboard.press("Control+k");
    await palette.waitFor();
    const newContact = palette.getByRole("option", { name: "New contact" });
    expect(await newContact.getAttribute("aria-selected")).toBe("true");
    await page.keyboard.press("ArrowDown");
    expect(
      await palette.getByRole("option", { name: "New company" }).getAttribute("aria-selected"),
    ).toBe("true");
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("Enter");
    await page.getByRole("dialog", { name: "New contact" }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it("never scrolls sideways at 390 px", async () => {
    const deal = await api<{ id: string }>(page, "POST", "/deals", {
      title: "A deal with a rather long title for a narrow screen",
      amount: 123_456_789,
      currency: "USD",
    });
    await page.setViewportSize({ width: 390, height: 844 });
    const pages = [
      "/app",
      "/app/contacts",
      "/app/companies",
      "/app/leads",
      "/app/deals",
      "/app/deals/board",
      "/app/import",
      "/app/calls",
      "/app/calls/queues",
      "/app/search?q=bulk",
      "/app/settings/team",
      "/app/settings/teams",
      "/app/settings/fields",
      "/app/settings/pipelines",
      "/app/settings/phone",
      `/app/contacts/${contactId}`,
      `/app/deals/${deal.id}`,
    ];
    const wide: string[] = [];
    for (const path of pages) {
      await page.goto(`${base}${path}`);
      await page.waitForLoadState("networkidle");
      const [scrollWidth, innerWidth] = await page.evaluate(() => [
        document.scrollingElement?.scrollWidth ?? 0,
        window.innerWidth,
      ]);
      if (scrollWidth > innerWidth) wide.push(`${path}: ${scrollWidth}px`);
    }
    // The contacts list with rows selected (the bulk bar in use).
    await page.goto(`${base}/app/contacts`);
    await page.getByRole("checkbox", { name: "Select all rows on this page" }).check();
    const selectedWidth = await page.evaluate(() => document.scrollingElement?.scrollWidth ?? 0);
    if (selectedWidth > 390) wide.push(`/app/contacts (all selected): ${selectedWidth}px`);
    expect(wide).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
