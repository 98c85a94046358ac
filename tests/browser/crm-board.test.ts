import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserStackForThisFile, createAccountAndSignIn } from "./harness";

/*
 * The deal board, live: two teammates of one organization have the board open. A drags a card
 * to another stage with the mouse, then moves another with the keyboard (Space, arrows, Space);
 * B sees both cards move without reloading, and the moves are saved. A tab that missed a
 * change (no live events) gets its stale move refused: the card goes back, with the reason.
 */

const { newPage, pageErrors, baseUrl } = browserStackForThisFile({ width: 1600, height: 900 });

interface BoardStage {
  id: string;
  name: string;
  deals: { id: string; title: string; stageId: string }[];
}

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

const column = (page: Page, stage: string) => page.getByRole("region", { name: stage });
const card = (page: Page, stage: string, title: string) =>
  column(page, stage).locator("li[data-card-id]").filter({ hasText: title });

/** What the board's live region last announced. */
const live = (page: Page) => page.getByTestId("board-live").textContent();

async function markNotReloaded(page: Page) {
  await page.evaluate(() => {
    (window as unknown as { notReloaded: boolean }).notReloaded = true;
  });
}

async function stillNotReloaded(page: Page) {
  return page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded);
}

describe("deal board", () => {
  it("shows a teammate's moves live and rolls back a stale move", async () => {
    const base = baseUrl();
    const run = Date.now().toString(36);

    // A signs up and opens three deals in the first stage through the API.
    const pageA = await newPage();
    await pageA.goto(`${base}/signup`);
    await pageA.getByLabel("Your name").fill("Bea Board");
    await pageA.getByLabel("Work email").fill(`bea-${run}@example.com`);
    await pageA.getByLabel("Password").fill("correct horse battery staple");
    await pageA.getByLabel("Organization name").fill("Board Co");
    await createAccountAndSignIn(pageA, "correct horse battery staple");
    await pageA.waitForURL(`${base}/app`);

    const board = await api<{ stages: BoardStage[] }>(pageA, "GET", "/deals/board");
    const [leadIn, qualified, proposal] = board.stages;
    if (!leadIn || !qualified || !proposal) throw new Error("The default pipeline has no stages");
    const created: Record<string, string> = {};
    for (const [index, title] of ["Dragged deal", "Keyboard deal", "Staying deal"].entries()) {
      const deal = await api<{ id: string }>(pageA, "POST", "/deals", {
        title,
        amount: (index + 1) * 100_000,
        currency: "USD",
        stageId: leadIn.id,
      });
      created[title] = deal.id;
    }

    // A invites B, who joins in another browser.
    await pageA.goto(`${base}/app/settings/team`);
    const invitations = pageA.getByRole("region", { name: "Invitations" });
    await invitations.getByLabel("Email address").fill(`cal-${run}@example.com`);
    await invitations.getByLabel("Role").selectOption("agent");
    await invitations.getByRole("button", { name: "Create invitation" }).click();
    const acceptUrl = await invitations.getByLabel("Invitation link").inputValue();
    const pageB = await newPage();
    await pageB.goto(acceptUrl);
    await pageB.getByLabel("Your name").fill("Cal Colleague");
    await pageB.getByLabel("Choose a password").fill("another long passphrase");
    await pageB.getByRole("button", { name: "Create account and join" }).click();
    await pageB.waitForURL(`${base}/app`);

    // Both open the board; B's page must not reload from here on.
    for (const page of [pageA, pageB]) {
      await page.goto(`${base}/app/deals/board`);
      await card(page, leadIn.name, "Dragged deal").waitFor();
      await page.getByRole("list", { name: "Online now" }).getByText("Bea Board").waitFor();
    }
    await pageB.getByRole("list", { name: "Online now" }).getByText("Cal Colleague").waitFor();
    await markNotReloaded(pageB);
    await expect(
      column(pageA, leadIn.name).getByTestId("stage-summary").textContent(),
    ).resolves.toBe("3 deals · $6,000.00");

    // A drags "Dragged deal" onto the Proposal column with the mouse.
    const from = await card(pageA, leadIn.name, "Dragged deal").boundingBox();
    const to = await column(pageA, proposal.name).boundingBox();
    if (!from || !to) throw new Error("The board is not laid out");
    await pageA.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await pageA.mouse.down();
    await pageA.mouse.move(from.x + from.width / 2 + 20, from.y + from.height / 2 + 10, {
      steps: 4,
    });
    await pageA.mouse.move(to.x + to.width / 2, to.y + 80, { steps: 15 });
    await pageA.mouse.up();
    await card(pageA, proposal.name, "Dragged deal").waitFor();
    expect(pageA.url()).toBe(`${base}/app/deals/board`);

    // B sees it arrive, with the columns' counts and totals updated.
    await card(pageB, proposal.name, "Dragged deal").waitFor();
    await card(pageB, leadIn.name, "Dragged deal").waitFor({ state: "detached" });
    await expect
      .poll(() => column(pageB, proposal.name).getByTestId("stage-summary").textContent())
      .toBe("1 deal · $1,000.00");
    await expect
      .poll(() => column(pageB, leadIn.name).getByTestId("stage-summary").textContent())
      .toBe("2 deals · $5,000.00");

    // A moves "Keyboard deal" one stage right with the keyboard, announced as it goes.
    await card(pageA, leadIn.name, "Keyboard deal").locator("a").focus();
    await pageA.keyboard.press("Space");
    await expect.poll(() => live(pageA)).toContain("Picked up Keyboard deal");
    await pageA.keyboard.press("ArrowRight");
    await expect.poll(() => live(pageA)).toBe(`${qualified.name}, position 1 of 1`);
    await pageA.keyboard.press("Space");
    await expect.poll(() => live(pageA)).toContain(`Keyboard deal dropped in ${qualified.name}`);
    await card(pageB, qualified.name, "Keyboard deal").waitFor();
    await card(pageB, leadIn.name, "Keyboard deal").waitFor({ state: "detached" });

    // Escape puts a lifted card back where it was.
    await card(pageA, leadIn.name, "Staying deal").locator("a").focus();
    await pageA.keyboard.press("Space");
    await pageA.keyboard.press("ArrowRight");
    await pageA.keyboard.press("Escape");
    await expect.poll(() => live(pageA)).toContain("Move cancelled");
    await card(pageA, leadIn.name, "Staying deal").waitFor();

    // A second tab of A's that hears no live events moves a card someone changed meanwhile:
    // the service refuses the stale version, the card goes back and the reason is shown.
    const quietTab = await pageA.context().newPage();
    quietTab.on("pageerror", (error) => pageErrors.push(error.message));
    await quietTab.routeWebSocket(/\/api\/v1\/realtime/, () => {});
    await quietTab.goto(`${base}/app/deals/board`);
    await card(quietTab, leadIn.name, "Staying deal").waitFor();
    const staying = created["Staying deal"] ?? "";
    const current = await api<{ version: number }>(pageA, "GET", `/deals/${staying}`);
    await api(pageA, "PATCH", `/deals/${staying}`, { amount: 350_000, version: current.version });
    await card(quietTab, leadIn.name, "Staying deal").locator("a").focus();
    await quietTab.keyboard.press("Space");
    await quietTab.keyboard.press("ArrowRight");
    await quietTab.keyboard.press("Space");
    const alert = quietTab.getByRole("alert").filter({ hasText: "was not moved" });
    await alert.waitFor();
    expect(await alert.textContent()).toContain("“Staying deal” was not moved: someone changed");
    await card(quietTab, leadIn.name, "Staying deal").filter({ hasText: "$3,500.00" }).waitFor();
    await card(quietTab, qualified.name, "Staying deal").waitFor({ state: "detached" });

    // The moves were saved, and B never reloaded.
    const saved = await api<{ stages: BoardStage[] }>(pageB, "GET", "/deals/board");
    const stageOf = (id: string | undefined) =>
      saved.stages.find((stage) => stage.deals.some((deal) => deal.id === id))?.name;
    expect(stageOf(created["Dragged deal"])).toBe(proposal.name);
    expect(stageOf(created["Keyboard deal"])).toBe(qualified.name);
    expect(stageOf(created["Staying deal"])).toBe(leadIn.name);
    expect(await stillNotReloaded(pageB)).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
