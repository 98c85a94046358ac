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
