import { defineConfig } from "vitest/config";

/*
 * Browser tests: plain Node vitest driving the system Chromium through playwright-core against
 * the whole stack (PostgreSQL, the Neon proxy, wrangler dev) that each test file starts itself.
 * `npm run test:browser` builds the app first.
 */
export default defineConfig({
  test: {
    include: ["tests/browser/**/*.test.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
