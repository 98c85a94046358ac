import { describe, expect, it } from "vitest";
import { browserStackForThisFile, createAccountAndSignIn } from "./harness";

/*
 * A first contact: a new owner signs up, creates a contact (email and phone) from the
 * Contacts list's "New contact" dialog, lands on its page, edits a field in place, adds a
 * note that shows up on the timeline, then finds the contact again from anywhere with the
 * command palette (Ctrl-K) despite a misspelled name.
 */

const { newPage, pageErrors, baseUrl } = browserStackForThisFile();

const CONTACT_URL = /\/app\/contacts\/[0-9a-f-]{36}$/;

describe("contacts", () => {
  it("creates a contact, edits it in place, adds a note and finds it with Ctrl-K", async () => {
    const base = baseUrl();
    const run = Date.now().toString(36);
    const page = await newPage();

    await page.goto(`${base}/signup`);
    await page.getByLabel("Your name").fill("Casey Closer");
    await page.getByLabel("Work email").fill(`casey-${run}@example.com`);
    await page.getByLabel("Password").fill("a long and careful passphrase");
    await page.getByLabel("Organization name").fill("Northwind Sales");
    await createAccountAndSignIn(page, "a long and careful passphrase");
    await page.waitForURL(`${base}/app`);
    // The realtime connection is up once the shell hydrated and connected.
    await page.getByRole("list", { name: "Online now" }).getByText("Casey Closer").waitFor();

    // Contacts → "New contact" opens a dialog; creating lands on the contact's page.
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Contacts" }).click();
    await page.waitForURL(`${base}/app/contacts`);
    await page.getByRole("link", { name: "New contact" }).click();
    const dialog = page.getByRole("dialog", { name: "New contact" });
    await dialog.getByLabel("First name").fill("Priya");
    await dialog.getByLabel("Last name").fill("Raghunathan");
    await dialog.getByLabel("Email").fill(`priya-${run}@example.com`);
    await dialog.getByLabel("Phone").fill("+1 415 555 0142");
    await dialog.getByRole("button", { name: "Create contact" }).click();
    await page.waitForURL(CONTACT_URL);
    const contactUrl = page.url();
    await page.getByRole("heading", { name: "Priya Raghunathan" }).waitFor();
    const details = page.getByRole("region", { name: "Details" });
    await details.getByText(`priya-${run}@example.com`).waitFor();
    await details.getByText("+1 415 555 0142").waitFor();

    // Inline edit: the field turns into an input, Save posts it with the record's version.
    await details.getByRole("link", { name: "Edit Job title" }).click();
    await details.getByRole("textbox", { name: "Job title" }).fill("Head of Operations");
    await details.getByRole("button", { name: "Save Job title" }).click();
    await details.getByText("Head of Operations").waitFor();
    await details.getByRole("textbox", { name: "Job title" }).waitFor({ state: "detached" });
    await page.getByText("Head of Operations · Owner: Casey Closer").waitFor();

    // A note appears on the timeline, newest first.
    const activity = page.getByRole("region", { name: "Activity" });
    await activity.getByRole("textbox", { name: "Note" }).fill("Asked for a demo next week.");
    await activity.getByRole("button", { name: "Add note" }).click();
    const timeline = page.getByRole("list", { name: "Timeline" });
    await timeline.getByText("Asked for a demo next week.", { exact: true }).waitFor();
    expect(await timeline.getByRole("listitem").first().textContent()).toContain(
      "Asked for a demo next week.",
    );

    // From another page, Ctrl-K and a misspelled name find the contact; Enter opens it.
    await nav.getByRole("link", { name: "Contacts" }).click();
    await page.waitForURL(`${base}/app/contacts`);
    await page.getByRole("link", { name: "Priya Raghunathan" }).waitFor();
    await page.keyboard.press("Control+k");
    const palette = page.getByRole("dialog", { name: "Search and quick actions" });
    await palette.waitFor();
    const input = palette.getByRole("combobox");
    expect(await input.evaluate((element) => element === document.activeElement)).toBe(true);
    await input.fill("Pria Ragunathan");
    const result = palette.getByRole("option", { name: /Priya Raghunathan/ });
    await result.waitFor();
    expect(await result.getAttribute("aria-selected")).toBe("true");
    await page.keyboard.press("Enter");
    await page.waitForURL(contactUrl);
    await page.getByRole("heading", { name: "Priya Raghunathan" }).waitFor();
    await palette.waitFor({ state: "detached" });

    // A contact added elsewhere shows up in the open list; the list reloads, the shell
    // (who I am, my phone) does not.
    await nav.getByRole("link", { name: "Contacts" }).click();
    await page.waitForURL(`${base}/app/contacts`);
    await page.getByRole("link", { name: "Priya Raghunathan" }).waitFor();
    const reloads: string[] = [];
    page.on("request", (request) => {
      const route = new URL(request.url()).searchParams.get("_data");
      if (route) reloads.push(route);
    });
    const created = await page.evaluate(async () => {
      const response = await fetch("/api/v1/contacts", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ firstName: "Tomasz", lastName: "Elsewhere" }),
      });
      return response.status;
    });
    expect(created).toBe(201);
    await page.getByRole("link", { name: "Tomasz Elsewhere" }).waitFor();
    expect(reloads).toContain("routes/app.contacts._index");
    expect(reloads).not.toContain("routes/app");

    expect(pageErrors).toEqual([]);
  });
});
