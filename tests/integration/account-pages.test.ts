import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, type Session, signUp, uniqueEmail, uniqueIp } from "./helpers";
import { linkToken, type MailboxEmail, sentEmail } from "./mailbox-helpers";

/*
 * The account pages as a browser without JavaScript uses them: forgot password (the same
 * answer for any address), the reset link's page, the address-confirmation link's page (a GET
 * only shows the button), the sign-in page's notices, the shell's "confirm your address"
 * banner, and the local mailbox page that shows what was sent.
 */

const APP = "http://switchboard.test";

function getPage(path: string, init: { ip?: string; accessToken?: string } = {}) {
  const headers = new Headers({ "cf-connecting-ip": init.ip ?? uniqueIp() });
  if (init.accessToken) headers.set("cookie", `sb_access=${init.accessToken}`);
  return SELF.fetch(`${APP}${path}`, { headers, redirect: "manual" });
}

/** A page's form post, as the browser sends it from our own page (Remix compares the two). */
function postPage(path: string, fields: Record<string, string>, ip = uniqueIp()) {
  return SELF.fetch(`${APP}${path}`, {
    method: "POST",
    headers: {
      origin: APP,
      host: new URL(APP).host,
      "content-type": "application/x-www-form-urlencoded",
      "cf-connecting-ip": ip,
    },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
}

/** The page's text as a person reads it (React escapes apostrophes and quotes). */
async function textOf(response: Response): Promise<string> {
  return (await response.text())
    .replaceAll("&#x27;", "'")
    .replaceAll("&quot;", '"')
    .replaceAll("&amp;", "&")
    .replaceAll("<!-- -->", "");
}

async function emailVerified(session: Session): Promise<boolean> {
  const me = await call<{ user: { emailVerified: boolean } }>("/auth/me", {
    token: session.accessToken,
  });
  expect(me.status).toBe(200);
  return me.body.data.user.emailVerified;
}

async function mailbox(): Promise<MailboxEmail[]> {
  const { body } = await call<MailboxEmail[]>("/dev/mailbox?limit=500");
  return body.data;
}

const CONFIRMATION =
  "If an account uses this address, a link to reset its password is on its way; it works for 30 minutes.";

describe("sign-up page", () => {
  it("says 'check your inbox' whether or not the address has an account, and signs no one in", async () => {
    const owner = await signUp("signup-page");
    const fields = (email: string) => ({
      name: "Sam Second",
      email,
      password: "a fresh long passphrase",
      organizationName: "Second Co",
    });
    const fresh = uniqueEmail("signup-page-new");
    const taken = await postPage("/signup", fields(owner.email));
    const free = await postPage("/signup", fields(fresh));
    expect(taken.status).toBe(200);
    expect(free.status).toBe(200);
    expect(taken.headers.getSetCookie()).toEqual([]);
    expect(free.headers.getSetCookie()).toEqual([]);
    const takenText = await textOf(taken);
    const freeText = await textOf(free);
    for (const [text, email] of [
      [takenText, owner.email],
      [freeText, fresh],
    ] as const) {
      expect(text).toContain("Check your inbox");
      expect(text).toContain(`href="/login?email=${encodeURIComponent(email)}"`);
    }
    // The two pages differ only by the address each repeats (and the per-response nonce).
    const same = (text: string, email: string) =>
      text
        .replaceAll(email, "@")
        .replaceAll(encodeURIComponent(email), "@")
        .replace(/nonce="[^"]+"/g, 'nonce=""');
    expect(same(takenText, owner.email)).toBe(same(freeText, fresh));

    // The new address got its confirmation link, the known one a notice; sign-in takes the
    // new account's password.
    await sentEmail(fresh, "verify_email");
    await sentEmail(owner.email, "account_exists");
    const signIn = await postPage("/login", { email: fresh, password: "a fresh long passphrase" });
    expect(signIn.status).toBe(302);
    expect(signIn.headers.get("location")).toBe("/app");
  });
});

describe("forgot password page", () => {
  it("answers with the same confirmation for a known and an unknown address", async () => {
    const owner = await signUp("forgot-page");
    const form = await getPage("/forgot-password");
    expect(form.status).toBe(200);
    expect(await textOf(form)).toContain("Send reset link");

    const ip = uniqueIp();
    const known = await postPage("/forgot-password", { email: owner.email }, ip);
    const nobody = uniqueEmail("forgot-nobody");
    const unknown = await postPage("/forgot-password", { email: nobody }, ip);
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const knownText = await textOf(known);
    const unknownText = await textOf(unknown);
    expect(knownText).toContain(CONFIRMATION);
    expect(unknownText).toContain(CONFIRMATION);
    // Neither page repeats the address nor says anything else that could tell them apart.
    expect(knownText).not.toContain(owner.email);
    expect(unknownText).not.toContain(nobody);
    expect(knownText).toContain('href="/login"');

    // The known address got its link; the unknown one nothing.
    await sentEmail(owner.email, "password_reset");
    expect((await mailbox()).some((email) => email.to === nobody)).toBe(false);
  });

  it("says what is wrong with an address that is not one", async () => {
    const response = await postPage("/forgot-password", { email: "not an address" });
    expect(response.status).toBe(422);
    expect(await textOf(response)).not.toContain(CONFIRMATION);
  });

  it("is linked from the sign-in page", async () => {
    const login = await textOf(await getPage("/login"));
    expect(login).toContain('href="/forgot-password"');
    expect(login).toContain("Forgot your password?");
    expect(login).not.toContain("Your password was changed");
  });
});

describe("reset password page", () => {
  it("sets the new password with the mailbox's link; sign-in then takes it", async () => {
    const owner = await signUp("reset-page");
    await postPage("/forgot-password", { email: owner.email });
    const token = linkToken(await sentEmail(owner.email, "password_reset"), "/reset-password");

    // Opening the link only shows the form.
    const form = await getPage(`/reset-password?token=${token}`);
    expect(form.status).toBe(200);
    const formText = await textOf(form);
    expect(formText).toContain("Choose a new password");
    expect(formText).toContain(`value="${token}"`);

    const newPassword = "a fresh page passphrase";
    // The two fields must match (checked by the server too); nothing is changed, and no
    // password comes back in the page.
    const mismatch = await postPage(`/reset-password?token=${token}`, {
      token,
      password: newPassword,
      confirmPassword: "something else entirely",
    });
    expect(mismatch.status).toBe(422);
    const mismatchText = await textOf(mismatch);
    expect(mismatchText).toContain("The two passwords don't match.");
    expect(mismatchText).not.toContain(newPassword);
    expect(mismatchText).not.toContain("something else entirely");
    const tooShort = await postPage(`/reset-password?token=${token}`, {
      token,
      password: "short",
      confirmPassword: "short",
    });
    expect(tooShort.status).toBe(422);
    expect(await textOf(tooShort)).toContain("Use at least 8 characters.");

    const reset = await postPage(`/reset-password?token=${token}`, {
      token,
      password: newPassword,
      confirmPassword: newPassword,
    });
    expect(reset.status).toBe(302);
    expect(reset.headers.get("location")).toBe("/login?reset=1");
    // This browser's session cookies are cleared (every session of the person ended).
    expect(reset.headers.get("set-cookie")).toMatch(/sb_access=;/);

    const notice = await textOf(await getPage("/login?reset=1"));
    expect(notice).toContain("Your password was changed. Sign in with it.");

    const signIn = (password: string) =>
      call("/auth/login", { method: "POST", body: { email: owner.email, password } });
    expect((await signIn(newPassword)).status).toBe(200);
    expect((await signIn(owner.password)).status).toBe(401);

    // The link worked once.
    const again = await postPage(`/reset-password?token=${token}`, {
      token,
      password: "yet another passphrase",
      confirmPassword: "yet another passphrase",
    });
    expect(again.status).toBe(400);
    expect(await textOf(again)).toContain("This link can't be used");
  });

  it("a made-up or missing token says the link can't be used and offers a new one", async () => {
    const bad = await postPage("/reset-password?token=not-a-real-token", {
      token: "not-a-real-token",
      password: "a perfectly good passphrase",
      confirmPassword: "a perfectly good passphrase",
    });
    expect(bad.status).toBe(400);
    const badText = await textOf(bad);
    expect(badText).toContain("This link can't be used");
    expect(badText).toContain('href="/forgot-password"');
    expect(badText).toContain("Ask for a new link");

    const missing = await getPage("/reset-password");
    expect(missing.status).toBe(200);
    const missingText = await textOf(missing);
    expect(missingText).toContain("This link can't be used");
    expect(missingText).toContain('href="/forgot-password"');
    expect(missingText).not.toContain("New password");
  });
});

describe("verify email page", () => {
  it("opening the link does not confirm; the button does, once", async () => {
    const owner = await signUp("verify-page");
    const token = linkToken(await sentEmail(owner.email, "verify_email"), "/verify-email");

    // Until confirmed, the app shell asks for it.
    const shell = await textOf(await getPage("/app", { accessToken: owner.accessToken }));
    expect(shell).toMatch(
      new RegExp(`Confirm your email address: we sent a link to <span[^>]*>${owner.email}</span>`),
    );

    // A mail scanner (or the person) opening the link twice uses nothing up.
    for (let open = 0; open < 2; open++) {
      const page = await getPage(`/verify-email?token=${token}`);
      expect(page.status).toBe(200);
      expect(await textOf(page)).toContain("Confirm my email");
    }
    expect(await emailVerified(owner)).toBe(false);

    const confirmed = await postPage(`/verify-email?token=${token}`, { token });
    expect(confirmed.status).toBe(200);
    const confirmedText = await textOf(confirmed);
    expect(confirmedText).toContain("Your email is confirmed");
    expect(confirmedText).toContain(owner.email);
    expect(confirmedText).toContain('href="/app"');
    expect(await emailVerified(owner)).toBe(true);
    const after = await textOf(await getPage("/app", { accessToken: owner.accessToken }));
    expect(after).not.toContain("Confirm your email address");

    const again = await postPage(`/verify-email?token=${token}`, { token });
    expect(again.status).toBe(400);
    expect(await textOf(again)).toContain("This link can't be used");
  });

  it("a made-up or missing token says the link can't be used", async () => {
    const bad = await postPage("/verify-email?token=nope", { token: "nope" });
    expect(bad.status).toBe(400);
    expect(await textOf(bad)).toContain("This confirmation link has expired");
    const missing = await textOf(await getPage("/verify-email"));
    expect(missing).toContain("This link can't be used");
    expect(missing).not.toContain("Confirm my email");
  });
});

describe("local mailbox page", () => {
  it("lists what was sent, newest first, and shows an email's text links and sandboxed HTML", async () => {
    const owner = await signUp("mailbox-page");
    await postPage("/forgot-password", { email: owner.email });
    const reset = await sentEmail(owner.email, "password_reset");
    const verify = await sentEmail(owner.email, "verify_email");

    const list = await getPage("/dev/mailbox");
    expect(list.status).toBe(200);
    const listText = await textOf(list);
    expect(listText).toContain(reset.subject);
    expect(listText).toContain(verify.subject);
    expect(listText).toContain(`?id=${reset.id}`);
    // Newest first: the reset came after the sign-up's confirmation.
    expect(listText.indexOf(`?id=${reset.id}`)).toBeLessThan(listText.indexOf(`?id=${verify.id}`));
    // No bodies in the list.
    expect(listText).not.toContain("/reset-password?token=");

    const open = await getPage(`/dev/mailbox?id=${reset.id}`);
    expect(open.status).toBe(200);
    const html = await open.text();
    const link = /https?:\/\/[^\s"<]+\/reset-password\?token=[A-Za-z0-9_-]+/.exec(reset.text)?.[0];
    expect(link).toBeDefined();
    // The text's link is a plain anchor; the HTML is in a frame that may do nothing.
    expect(html).toContain(`<a href="${link}"`);
    expect(html).toMatch(/<iframe[^>]* sandbox=""[^>]* srcdoc="/i);
    expect(html).not.toMatch(/sandbox="[^"]+"/);
    // The email's own markup is only ever an attribute's text, never the page's markup.
    expect(html).toContain("&lt;!doctype html&gt;");

    const gone = await textOf(await getPage(`/dev/mailbox?id=${crypto.randomUUID()}`));
    expect(gone).toContain("This email is not among the 100 newest.");
  });
});
