import { defineConfig } from "vitest/config";

/*
 * System tests in plain Node: telephony (the ARI simulator and pbx-bridge against the whole
 * stack, PostgreSQL, the Neon proxy and wrangler dev, that each test file starts itself) and
 * the local stack's own start-up (tests/local-stack). `npm run test:pbx` runs pbx-bridge's own
 * tests first and builds the app.
 */
export default defineConfig({
  test: {
    include: ["tests/pbx/**/*.test.ts", "tests/local-stack/**/*.test.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
