import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/*
 * Bundles the website chat widget (widget/widget.ts) into build/client/widget.js, which the
 * Worker's static assets serve at /widget.js (or into $SWITCHBOARD_BUILD_DIR, as the Remix
 * build). Runs after `remix vite:build`, which empties build/client. Fails when the bundle outgrows its budget (30 KB gzipped).
 */
const ROOT = path.resolve(import.meta.dirname, "..");
const BUDGET_GZIP_BYTES = 30 * 1024;
const buildDir = path.resolve(ROOT, process.env.SWITCHBOARD_BUILD_DIR ?? "build");
const outfile = path.join(buildDir, "client/widget.js");

await mkdir(path.dirname(outfile), { recursive: true });
await build({
  entryPoints: [path.join(ROOT, "widget/widget.ts")],
  outfile,
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2022", "safari15.4"],
  legalComments: "none",
  logLevel: "warning",
});
const bytes = await readFile(outfile);
const gzipped = gzipSync(bytes).byteLength;
console.log(
  `widget.js: ${(bytes.byteLength / 1024).toFixed(1)} KB, ${(gzipped / 1024).toFixed(1)} KB gzipped`,
);
if (gzipped > BUDGET_GZIP_BYTES) {
  console.error(`widget.js is over its budget of ${BUDGET_GZIP_BYTES / 1024} KB gzipped`);
  process.exit(1);
}
