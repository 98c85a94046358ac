import { mkdir } from "node:fs/promises";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { browserStackForThisFile, signUpOwner } from "./harness";

/*
 * The bell as a person meets it: a task of theirs falls due, the minute job reminds them, and
 * the bell in the open page counts it without a reload; its panel lists "Task due: ...", and
 * opening it reads it (the badge clears) and goes to the task's record. With
 * BELL_SHOTS_DIR set, it also saves screenshots of the bell, Tasks and Settings -> Notifications
 * at 1440 and 390 px.
 */

const { newPage, pageErrors, baseUrl } = browserStackForThisFile({ width: 1440, height: 900 });

const PASSWORD = "a long and careful passphrase";

let base: string;
let token: string;
let person: { email: string; name: string };

async function api<T>(path: string, init: { method?: string; body?: unknown } = {}) {
  const response = await fetch(`${base}/api/v1${path}`, {
    method: init.method ?? "GET",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const body = (await response.json()) as { data: T; meta?: Record<string, unknown> };
  expect(response.ok, JSON.stringify(body)).toBe(true);
  return body;
}

async function signIn(): Promise<Page> {
  const page = await newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${base}/app`);
  return page;
}

/** The cron wrangler dev runs every minute (`--test-scheduled`): it queues the task reminders. */
async function runMinuteCron() {
  const response = await fetch(`${base}/__scheduled?cron=${encodeURIComponent("* * * * *")}`);
  expect(response.ok).toBe(true);
}

beforeAll(async () => {
  base = baseUrl();
  const run = Date.now().toString(36);
  person = { email: `bella-${run}@example.com`, name: "Bella Bell" };
  token = (
    await signUpOwner(base, {
      email: person.email,
      password: PASSWORD,
      name: person.name,
      organizationName: "Bell Co",
    })
  ).accessToken;
}, 60_000);

describe("the bell", () => {
  it("shows a task reminder live, and reading it clears the badge", async () => {
    const page = await signIn();
    const me = await api<{ user: { id: string } }>("/auth/me");
    const contact = await api<{ id: string }>("/contacts", {
      method: "POST",
      body: { firstName: "Rita", lastName: "Reminder" },
    });
    const bell = page.getByRole("button", { name: /^Notifications/ });
    await expect(bell.getAttribute("aria-label")).resolves.toBe("Notifications");
    // The socket is up (the sidebar says Live), so the reminder can arrive on it.
    await page
      .getByRole("navigation", { name: "Main" })
      .getByText("Live", { exact: true })
      .waitFor();
    await page.evaluate(() => {
      (window as unknown as { stillHere: boolean }).stillHere = true;
    });

    const dueAt = new Date(Date.now() + 1000);
    await api("/activities", {
      method: "POST",
      body: {
        type: "task",
        subject: "Call Rita about the renewal",
        dueAt: dueAt.toISOString(),
        assigneeId: me.data.user.id,
        contactId: contact.data.id,
      },
    });
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, dueAt.getTime() - Date.now()) + 500),
    );
    // The job runs from the queue a moment after the cron; run the cron again if it has not
    // reminded by then (the task must be due when the job looks).
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await runMinuteCron();
      const shown = await page
        .getByTestId("bell-count")
        .filter({ visible: true })
        .waitFor({ timeout: 6000 })
        .then(() => true)
        .catch(() => false);
      if (shown) break;
    }
    const badge = page.getByTestId("bell-count").filter({ visible: true });
    await expect(badge.textContent()).resolves.toBe("1");
    await expect(bell.getAttribute("aria-label")).resolves.toBe("Notifications, 1 unread");
    // No reload happened.
    expect(
      await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere),
    ).toBe(true);

    await bell.click();
    const panel = page.getByRole("dialog", { name: "Notifications" });
    const item = panel.getByRole("link", { name: /Task due: Call Rita about the renewal/ });
    await item.waitFor();
    await expect(item.textContent()).resolves.toContain("Unread:");

    await item.click();
    await page.waitForURL(`${base}/app/contacts/${contact.data.id}`);
    await badge.waitFor({ state: "detached" });
    await expect(bell.getAttribute("aria-label")).resolves.toBe("Notifications");
    const after = await api<unknown[]>("/notifications");
    expect((after.meta as { unreadCount: number }).unreadCount).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it("closes on Escape, giving focus back to the bell; screenshots when asked", async () => {
    const page = await signIn();
    const bell = page.getByRole("button", { name: /^Notifications/ });
    await bell.click();
    const panel = page.getByRole("dialog", { name: "Notifications" });
    await panel.waitFor();
    await page.keyboard.press("Escape");
    await panel.waitFor({ state: "detached" });
    expect(await bell.evaluate((element) => element === document.activeElement)).toBe(true);

    const dir = process.env.BELL_SHOTS_DIR;
    if (!dir) return;
    await mkdir(dir, { recursive: true });
    // Something unread to show: a teammate joins.
    const invitation = await api<{ token: string }>("/invitations", {
      method: "POST",
      body: { email: `nina-${Date.now().toString(36)}@example.com`, role: "agent" },
    });
    await fetch(`${base}/api/v1/invitations/accept`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        token: invitation.data.token,
        name: "Nina Newcomer",
        password: PASSWORD,
      }),
    });
    const contact = await api<{ id: string }>("/contacts", {
      method: "POST",
      body: { firstName: "Oscar", lastName: "Outlook-Longname" },
    });
    const me = await api<{ user: { id: string } }>("/auth/me");
    for (const [subject, dueAt] of [
      [
        "Send the signed contract and the onboarding checklist to Oscar",
        Date.now() + 3 * 86_400_000,
      ],
      ["Book a demo", null],
    ] as const) {
      await api("/activities", {
        method: "POST",
        body: {
          type: "task",
          subject,
          dueAt: dueAt ? new Date(dueAt).toISOString() : null,
          assigneeId: me.data.user.id,
          contactId: contact.data.id,
        },
      });
    }
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: width > 800 ? 900 : 844 });
      await page.goto(`${base}/app`);
      await page
        .getByRole("button", { name: /^Notifications/ })
        .filter({ visible: true })
        .click();
      await page.getByRole("dialog", { name: "Notifications" }).waitFor();
      await page.screenshot({ path: `${dir}/bell-${width}.png` });
      await page.keyboard.press("Escape");
      await page.goto(`${base}/app/tasks`);
      await page.getByRole("heading", { name: "Tasks", level: 1 }).waitFor();
      await page.screenshot({ path: `${dir}/tasks-${width}.png`, fullPage: true });
      await page.goto(`${base}/app/settings/notifications`);
      await page.getByRole("heading", { name: "Notifications", level: 1 }).waitFor();
      await page.screenshot({ path: `${dir}/preferences-${width}.png`, fullPage: true });
    }
  });
});
