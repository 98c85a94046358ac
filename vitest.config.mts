import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/*
 * Integration tests run inside workerd (Cloudflare's Workers Vitest integration) against a
 * real PostgreSQL that tests/setup/global-setup.ts starts, reached through the Neon driver
 * and the local Neon proxy, exactly like `npm run dev`.
 */
export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          DATABASE_URL: inject<string>("databaseUrl"),
          NEON_LOCAL_PROXY: inject<string>("neonProxy"),
          JWT_PRIVATE_JWK: inject<string>("jwtPrivateJwk"),
          ENVIRONMENT: "test",
          RATE_LIMIT_MULTIPLIER: "1",
          WHATSAPP_GRAPH_URL: inject<string>("graphUrl"),
        },
      },
    })),
  ],
  test: {
    globalSetup: ["./tests/setup/global-setup.ts"],
    include: ["tests/integration/**/*.test.ts"],
    testTimeout: 30_000,
    // Request logs are shown only for failing tests.
    silent: "passed-only",
    hookTimeout: 60_000,
    deps: {
      optimizer: {
        ssr: {
          enabled: true,
          include: [
            "@remix-run/cloudflare",
            "@remix-run/server-runtime",
            "cookie",
            "set-cookie-parser",
          ],
        },
      },
    },
  },
});
