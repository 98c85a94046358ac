import type { Locator } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserStackForThisFile, createAccountAndSignIn } from "./harness";

/*
 * The Details card's grouped fields: a company's postal address (taken by the "New company"
 * dialog, shown as one block, edited as five inputs) and a contact's lists of e-mail addresses
 * and phone numbers (add, remove, label, mark primary). The API's errors show beside the input
 * they are about.
 */

const { newPage, pageErrors, baseUrl } = browserStackForThisFile();

/** The error message an input points to (aria-describedby). */
async function describedError(input: Locator): Promise<string | null> {
  const id = await input.getAttribute("aria-describedby");
  if (!id) return null;
  return input.page().locator(`[id="${id}"]`).textContent();
}

describe("record details", () => {
  it("edits a company's address and a contact's emails and phones", async () => {
    const base = baseUrl();
    const run = Date.now().toString(36);
    const page = await newPage();

    await page.goto(`${base}/signup`);
    await page.getByLabel("Your name").fill("Dee Details");
    await page.getByLabel("Work email").fill(`dee-${run}@example.com`);
    await page.getByLabel("Password").fill("a long and careful passphrase");
    await page.getByLabel("Organization name").fill("Details Co");
    await createAccountAndSignIn(page, "a long and careful passphrase");
    await page.waitForURL(`${base}/app`);
    const nav = page.getByRole("navigation", { name: "Main" });

    // A company created with its address shows it as one block.
    await nav.getByRole("link", { name: "Companies" }).click();
    await page.waitForURL(`${base}/app/companies`);
    await page.getByRole("link", { name: "New company" }).click();
    const dialog = page.getByRole("dialog", { name: "New company" });
    await dialog.getByLabel("Name", { exact: true }).fill("Acme Rockets");
    await dialog.getByLabel("Street").fill("1 Launch Pad Way");
    await dialog.getByLabel("City").fill("Cape Canaveral");
    await dialog.getByLabel("Region").fill("FL");
    await dialog.getByLabel("Postal code").fill("32920");
    await dialog.getByLabel("Country").fill("US");
    await dialog.getByRole("button", { name: "Create company" }).click();
    await page.getByRole("heading", { name: "Acme Rockets" }).waitFor();
    const details = page.getByRole("region", { name: "Details" });
    await details.getByText("1 Launch Pad Way").waitFor();
    await details.getByText("Cape Canaveral, FL 32920").waitFor();

    // "Edit Address" opens the five inputs; a refused part is marked beside its input.
    await details.getByRole("link", { name: "Edit Address" }).click();
    await details.getByRole("textbox", { name: "City" }).fill("Titusville");
    const postalCode = details.getByRole("textbox", { name: "Postal code" });
    await postalCode.fill("3".repeat(21));
    await details.getByRole("button", { name: "Save Address" }).click();
    await expect.poll(() => postalCode.getAttribute("aria-invalid")).toBe("true");
    expect(await describedError(postalCode)).toBeTruthy();
    await postalCode.fill("32780");
    await details.getByRole("button", { name: "Save Address" }).click();
    await details.getByText("Titusville, FL 32780").waitFor();
    await details.getByRole("textbox", { name: "Street" }).waitFor({ state: "detached" });

    // A contact: one email and one phone from the "New contact" dialog.
    await nav.getByRole("link", { name: "Contacts" }).click();
    await page.waitForURL(`${base}/app/contacts`);
    await page.getByRole("link", { name: "New contact" }).click();
    const newContact = page.getByRole("dialog", { name: "New contact" });
    await newContact.getByLabel("First name").fill("Mira");
    await newContact.getByLabel("Email").fill(`mira-${run}@example.com`);
    await newContact.getByLabel("Phone").fill("+1 415 555 0177");
    await newContact.getByRole("button", { name: "Create contact" }).click();
    await page.getByRole("heading", { name: "Mira" }).waitFor();

    // A second number: an unreadable one is refused beside its own input.
    await details.getByRole("link", { name: "Edit Phone" }).click();
    await details.getByRole("button", { name: "Add phone" }).click();
    const second = details.getByRole("textbox", { name: "Phone 2", exact: true });
    expect(await second.evaluate((element) => element === document.activeElement)).toBe(true);
    await second.fill("12");
    await details.getByRole("button", { name: "Save Phone" }).click();
    await expect.poll(() => describedError(second)).toContain("country code");
    expect(
      await details.getByRole("textbox", { name: "Phone 1" }).getAttribute("aria-invalid"),
    ).toBe(null);

    // Fixed, labelled and made primary, it is listed with the first one.
    await second.fill("+44 20 7946 0958");
    await details.getByRole("combobox", { name: "Label for phone 2" }).fill("mobile");
    await details.getByRole("radio", { name: "Primary phone 2" }).check();
    await details.getByRole("button", { name: "Save Phone" }).click();
    await details.getByText("mobile · primary").waitFor();
    await details.getByText("+44 20 7946 0958").waitFor();
    await details.getByText("+1 415 555 0177").waitFor();

    // Emails: add one, remove the first.
    await details.getByRole("link", { name: "Edit Email" }).click();
    await details.getByRole("button", { name: "Add email" }).click();
    await details.getByRole("textbox", { name: "Email 2" }).fill(`mira.work-${run}@example.com`);
    await details.getByRole("button", { name: "Remove email 1" }).click();
    await details.getByRole("button", { name: "Save Email" }).click();
    await details.getByText(`mira.work-${run}@example.com`).waitFor();
    await details.getByText(`mira-${run}@example.com`).waitFor({ state: "detached" });

    expect(pageErrors).toEqual([]);
  });
});
