import { defineConfig } from "vitest/config";

/*
 * System tests of telephony: plain Node vitest running the ARI simulator and pbx-bridge against
 * the whole stack (PostgreSQL, the Neon proxy, wrangler dev) that each test file starts
 * itself. `npm run test:pbx` runs pbx-bridge's own tests first and builds the app.
 */
export default defineConfig({
  test: {
    include: ["tests/pbx/**/*.test.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
