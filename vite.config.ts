import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";

/*
 * Remix builds the browser bundle and an SSR bundle for workerd; the Worker (worker/remix.ts)
 * imports the latter. Remix 2 has no Vite Environment API support, so there is no vite dev
 * server: `npm run dev` rebuilds with `vite build --watch` beside `wrangler dev`.
 */
export default defineConfig({
  plugins: [
    tailwindcss(),
    remix({
      // npm run dev rebuilds into a side folder and swaps it in (scripts/lib/stack.ts).
      buildDirectory: process.env.SWITCHBOARD_BUILD_DIR ?? "build",
      serverBuildFile: "index.js",
      serverModuleFormat: "esm",
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
  ],
  ssr: {
    target: "webworker",
    noExternal: true,
    resolve: {
      conditions: ["workerd", "worker", "browser"],
      externalConditions: ["workerd", "worker"],
    },
  },
  resolve: { mainFields: ["browser", "module", "main"] },
  build: {
    minify: true,
    sourcemap: false,
    // workerd's own modules (partyserver, used by worker/realtime/publish.ts, imports
    // `cloudflare:workers`); wrangler resolves them when it bundles the Worker.
    rollupOptions: { external: [/^cloudflare:/] },
  },
});
