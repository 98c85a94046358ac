import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { type StackForThisFile, stackForThisFile } from "../support/stack";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * The whole product (tests/support/stack.ts) and Debian's Chromium for one test file. Page
 * errors and Content-Security-Policy violations are collected so a test can assert there
 * were none.
 */
export function browserStackForThisFile(
  viewport = { width: 1280, height: 900 },
  stack: StackForThisFile = stackForThisFile("browser"),
) {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
  });

  return {
    pageErrors,
    baseUrl: stack.baseUrl,
    tempDir: stack.tempDir,
    /** A page in a fresh browser context (its own cookies: another person). */
    async newPage(): Promise<Page> {
      if (!browser) throw new Error("Chromium did not start");
      const context = await browser.newContext({ viewport });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      page.on("pageerror", (error) => pageErrors.push(error.message));
      // The page's CSP reports what it blocks (an `eval` probe too, even when its throw is
      // caught); each report becomes a page error.
      await page.exposeFunction("__reportCspViolation", (text: string) => pageErrors.push(text));
      await page.addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (event) => {
          const report = (window as unknown as { __reportCspViolation(text: string): void })
            .__reportCspViolation;
          report(
            `CSP violation: ${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber} on ${location.pathname}`,
          );
        });
      });
      return page;
    },
  };
}

/**
 * Resolves once the page has gone `quietMs` without a request that `matches` starting or
 * still running: the moment a live page has finished reacting to what it was sent.
 */
export function requestsSettled(
  page: Page,
  matches: (url: string) => boolean,
  quietMs = 750,
): Promise<void> {
  return new Promise((resolve) => {
    // Requests seen starting: one already in flight when this is called finishes unseen, and
    // must not count (a counter would go below zero and never settle).
    const running = new Set<unknown>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      if (running.size === 0) timer = setTimeout(done, quietMs);
    };
    const started = (request: { url(): string }) => {
      if (!matches(request.url())) return;
      running.add(request);
      clearTimeout(timer);
    };
    const ended = (request: { url(): string }) => {
      if (!running.delete(request)) return;
      arm();
    };
    const done = () => {
      page.off("request", started);
      page.off("requestfinished", ended);
      page.off("requestfailed", ended);
      resolve();
    };
    page.on("request", started);
    page.on("requestfinished", ended);
    page.on("requestfailed", ended);
    arm();
  });
}

/**
 * A new owner through the API as a person gets one: sign-up (which answers the same for any
 * address and signs no one in), then sign-in with the chosen password.
 */
export async function signUpOwner(
  base: string,
  account: { email: string; password: string; name: string; organizationName: string },
): Promise<{ accessToken: string; user: { id: string }; organization: { id: string } }> {
  const post = (path: string, body: unknown) =>
    fetch(`${base}/api/v1${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const signedUp = await post("/auth/signup", account);
  if (signedUp.status !== 202) throw new Error(`sign-up answered ${signedUp.status}`);
  const signedIn = await post("/auth/login", { email: account.email, password: account.password });
  if (signedIn.status !== 200) throw new Error(`sign-in answered ${signedIn.status}`);
  return ((await signedIn.json()) as { data: Awaited<ReturnType<typeof signUpOwner>> }).data;
}

/**
 * Submits the filled sign-up form and signs in as the person would next: the page answers
 * "Check your inbox" (whatever the address), its Sign in link has the address filled in, and
 * the password just chosen opens the workspace.
 */
export async function createAccountAndSignIn(page: Page, password: string) {
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: "Check your inbox" }).waitFor();
  await page.getByRole("link", { name: "Sign in" }).click();
  await page.waitForURL(/\/login\?email=/);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}
