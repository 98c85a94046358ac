import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserStackForThisFile, createAccountAndSignIn } from "./harness";

/*
 * Account emails as a person meets them on a laptop running the product: a new owner sees the
 * "confirm your email" line, opens the sign-up email in the local mailbox (/dev/mailbox) and
 * confirms; later, signed out, they forget their password, ask for a link, open it from the
 * mailbox, choose a new password (the two fields must match) and sign in with it.
 *
 * With PAGES_SCREENSHOTS=<folder>, each page is also saved at 1440 and 390 px wide.
 */

const { newPage, pageErrors, baseUrl } = browserStackForThisFile({ width: 1440, height: 900 });

const SHOTS = process.env.PAGES_SCREENSHOTS;

/** Saves the page at 1440 px and at 390 px wide (when asked to), then goes back to 1440. */
async function shoot(page: Page, name: string, fullPage = true) {
  if (!SHOTS) return;
  await page.screenshot({ path: `${SHOTS}/${name}-1440.png`, fullPage });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${SHOTS}/${name}-390.png`, fullPage });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.waitForTimeout(300);
}

/** Opens the newest email to `to` whose subject matches, from the local mailbox page. */
async function openEmail(page: Page, to: string, subject: RegExp, listShot?: string) {
  await page.goto(`${baseUrl()}/dev/mailbox`);
  // The list refreshes itself every few seconds: the email shows up once it has been sent.
  const entry = page
    .getByRole("navigation", { name: "Emails" })
    .getByRole("link")
    .filter({ hasText: to })
    .filter({ hasText: subject })
    .filter({ hasText: "sent" })
    .first();
  await entry.waitFor({ timeout: 30_000 });
  if (listShot) await shoot(page, listShot);
  await entry.click();
  await page.getByRole("heading", { level: 2, name: subject }).waitFor();
}

describe("account emails", () => {
  it("confirms the address from the mailbox, then resets a forgotten password and signs in with it", async () => {
    const base = baseUrl();
    const run = Date.now().toString(36);
    const email = `robin-${run}@example.com`;
    const oldPassword = "the passphrase I will forget";
    const newPassword = "a passphrase I will remember";

    // Nothing was sent yet (this file's own stack).
    const page = await newPage();
    await page.goto(`${base}/dev/mailbox`);
    await page.getByText("No emails yet").waitFor();
    await shoot(page, "mailbox-empty");

    // Sign up: the shell asks to confirm the address.
    await page.goto(`${base}/signup`);
    await page.getByLabel("Your name").fill("Robin Reset");
    await page.getByLabel("Work email").fill(email);
    await page.getByLabel("Password").fill(oldPassword);
    await page.getByLabel("Organization name").fill("Forgetful Ltd");
    await createAccountAndSignIn(page, oldPassword);
    await page.waitForURL(`${base}/app`);
    const banner = page.getByRole("region", { name: "Email confirmation" });
    await banner.getByText(`Confirm your email address: we sent a link to ${email}`).waitFor();
    await page.getByRole("list", { name: "Online now" }).getByText("Robin Reset").waitFor();
    await shoot(page, "app-banner", false);

    // Dismissed, it stays away for this tab's session.
    await banner.getByRole("button", { name: "Dismiss" }).click();
    await banner.waitFor({ state: "detached" });
    await page.reload();
    await page.getByRole("list", { name: "Online now" }).getByText("Robin Reset").waitFor();
    expect(await banner.count()).toBe(0);

    // The sign-up email, from the local mailbox: opening its link only shows a button.
    await openEmail(page, email, /Confirm your email address/, "mailbox-list");
    await shoot(page, "mailbox-verify");
    await page.getByRole("link", { name: /\/verify-email\?token=/ }).click();
    await page.waitForURL(/\/verify-email\?token=/);
    await shoot(page, "verify-email");
    await page.getByRole("button", { name: "Confirm my email" }).click();
    await page.getByRole("heading", { name: "Your email is confirmed" }).waitFor();
    await shoot(page, "verify-email-done");
    await page.getByRole("link", { name: "Continue to Switchboard" }).click();
    await page.waitForURL(`${base}/app`);
    await page.getByRole("list", { name: "Online now" }).getByText("Robin Reset").waitFor();
    expect(await page.getByText("Confirm your email address").count()).toBe(0);
    // The link worked once.
    await page.goBack();
    await page.waitForURL(/\/verify-email\?token=/);
    await page.getByRole("button", { name: "Confirm my email" }).click();
    await page.getByRole("heading", { name: "This link can't be used" }).waitFor();
    await shoot(page, "verify-email-used");

    // Signed out, the password is forgotten.
    const person = await newPage();
    await person.goto(`${base}/login`);
    await person.getByRole("link", { name: "Forgot your password?" }).click();
    await person.waitForURL(`${base}/forgot-password`);
    await shoot(person, "forgot-password");
    await person.getByLabel("Email").fill(email);
    await person.getByRole("button", { name: "Send reset link" }).click();
    await person
      .getByText("If an account uses this address, a link to reset its password is on its way")
      .waitFor();
    await shoot(person, "forgot-password-sent");

    // The reset email, from the local mailbox; its link opens the reset page.
    await openEmail(person, email, /Reset your Switchboard password/);
    await shoot(person, "mailbox-reset");
    await person.getByRole("link", { name: /\/reset-password\?token=/ }).click();
    await person.waitForURL(/\/reset-password\?token=/);
    const resetLink = person.url();
    await person.getByRole("heading", { name: "Choose a new password" }).waitFor();
    await shoot(person, "reset-password");

    // The two fields must match: checked before anything is sent.
    let posted = 0;
    person.on("request", (request) => {
      if (request.method() === "POST") posted += 1;
    });
    await person.getByLabel("New password", { exact: true }).fill(newPassword);
    await person
      .getByLabel("Confirm new password", { exact: true })
      .fill("a passphrase I mistyped");
    await person.getByRole("button", { name: "Set new password" }).click();
    await person.getByText("The two passwords don't match.").waitFor();
    expect(posted).toBe(0);
    await shoot(person, "reset-password-mismatch");

    await person.getByLabel("Confirm new password", { exact: true }).fill(newPassword);
    await person.getByRole("button", { name: "Set new password" }).click();
    await person.waitForURL(`${base}/login?reset=1`);
    await person.getByText("Your password was changed. Sign in with it.").waitFor();
    await shoot(person, "login-after-reset");

    // The old password no longer works; the new one does.
    await person.getByLabel("Email").fill(email);
    await person.getByLabel("Password").fill(oldPassword);
    await person.getByRole("button", { name: "Sign in" }).click();
    await person.getByText("Sign-in failed").waitFor();
    await person.getByLabel("Password").fill(newPassword);
    await person.getByRole("button", { name: "Sign in" }).click();
    await person.waitForURL(`${base}/app`);
    await person.getByRole("list", { name: "Online now" }).getByText("Robin Reset").waitFor();

    // The used link, tried again, says so and offers a new one.
    await person.goto(resetLink);
    await person.getByLabel("New password", { exact: true }).fill("one more passphrase");
    await person.getByLabel("Confirm new password", { exact: true }).fill("one more passphrase");
    await person.getByRole("button", { name: "Set new password" }).click();
    await person.getByRole("heading", { name: "This link can't be used" }).waitFor();
    await person.getByRole("link", { name: "Ask for a new link" }).waitFor();
    await shoot(person, "reset-password-invalid");

    expect(pageErrors).toEqual([]);
  });
});
