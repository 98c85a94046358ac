import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserStackForThisFile } from "./harness";

/*
 * The first minutes of a team: the owner signs up through the form, invites a teammate from
 * team settings, the teammate opens the link in another browser and joins, and each sees the
 * other in "Online now" without reloading.
 */

const { newPage, pageErrors, baseUrl } = browserStackForThisFile();

const onlineNow = (page: Page) => page.getByRole("list", { name: "Online now" });

describe("sign up, invite, presence", () => {
  it("a teammate joins through an invitation and both see each other online", async () => {
    const base = baseUrl();
    const run = Date.now().toString(36);
    const owner = {
      name: "Olivia Owner",
      email: `olivia-${run}@example.com`,
      password: "correct horse battery staple",
      organization: "Acme Support",
    };
    const teammate = {
      name: "Tariq Teammate",
      email: `tariq-${run}@example.com`,
      password: "another long passphrase",
    };

    // Context A signs up through the form, is asked to check the inbox, and signs in.
    const pageA = await newPage();
    await pageA.goto(`${base}/signup`);
    await pageA.getByLabel("Your name").fill(owner.name);
    await pageA.getByLabel("Work email").fill(owner.email);
    await pageA.getByLabel("Password").fill(owner.password);
    await pageA.getByLabel("Organization name").fill(owner.organization);
    await pageA.getByRole("button", { name: "Create account" }).click();
    await pageA.getByRole("heading", { name: "Check your inbox" }).waitFor();
    await pageA.getByRole("link", { name: "Sign in" }).click();
    await pageA.waitForURL(`${base}/login?email=${encodeURIComponent(owner.email)}`);
    // The address is filled in already; the password they just chose opens the workspace.
    expect(await pageA.getByLabel("Email").inputValue()).toBe(owner.email);
    await pageA.getByLabel("Password").fill(owner.password);
    await pageA.getByRole("button", { name: "Sign in" }).click();
    await pageA.waitForURL(`${base}/app`);
    await pageA.getByRole("heading", { name: "Welcome, Olivia" }).waitFor();

    // The session cookies are Secure and HttpOnly, and Chromium keeps them on http://127.0.0.1.
    const cookies = await pageA.context().cookies();
    for (const name of ["sb_access", "sb_refresh"]) {
      expect(cookies.find((cookie) => cookie.name === name)).toMatchObject({
        secure: true,
        httpOnly: true,
        sameSite: "Lax",
      });
    }
    await onlineNow(pageA).getByText(owner.name).waitFor();

    // Team settings: invite a teammate as an agent and read the accept link from the page.
    await pageA
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Team", exact: true })
      .click();
    await pageA.waitForURL(`${base}/app/settings/team`);
    const invitations = pageA.getByRole("region", { name: "Invitations" });
    await invitations.getByLabel("Email address").fill(teammate.email);
    await invitations.getByLabel("Role").selectOption("agent");
    await invitations.getByRole("button", { name: "Create invitation" }).click();
    const linkField = invitations.getByLabel("Invitation link");
    await linkField.waitFor();
    const acceptUrl = await linkField.inputValue();
    expect(acceptUrl.startsWith(`${base}/invite/`)).toBe(true);
    const pending = invitations.getByRole("listitem").filter({ hasText: teammate.email });
    await pending.waitFor();

    // From here on, A must not reload: everything it learns arrives over the socket.
    await pageA.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });

    // Context B opens the link, sees the organization and role, and creates an account.
    const pageB = await newPage();
    await pageB.goto(acceptUrl);
    await pageB.getByRole("heading", { name: `Join ${owner.organization}` }).waitFor();
    await pageB.getByText("Agent", { exact: true }).waitFor();
    await pageB.getByText(teammate.email).first().waitFor();
    await pageB.getByLabel("Your name").fill(teammate.name);
    await pageB.getByLabel("Choose a password").fill(teammate.password);
    await pageB.getByRole("button", { name: "Create account and join" }).click();
    await pageB.waitForURL(`${base}/app`);
    await pageB.getByRole("heading", { name: "Welcome, Tariq" }).waitFor();

    // Presence both ways.
    await onlineNow(pageA).getByText(teammate.name).waitFor();
    await onlineNow(pageB).getByText(owner.name).waitFor();

    // member.updated refreshed A's team page: B is a member, the invitation is no longer pending.
    const members = pageA.getByRole("table", { name: "Members of this organization" });
    await members.getByText(teammate.email).waitFor();
    await pending.waitFor({ state: "detached" });
    expect(
      await pageA.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
    ).toBe(true);

    // When B leaves, A sees it.
    await pageB.context().close();
    await onlineNow(pageA).getByText(teammate.name).waitFor({ state: "detached" });

    expect(pageErrors).toEqual([]);
  });
});
