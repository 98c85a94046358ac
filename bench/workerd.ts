/**
 * The same Worker as `wrangler dev` runs (wrangler.toml, .dev.vars, the same vars), served by
 * workerd through Miniflare's API: bundled once with `wrangler deploy --dry-run`, then no dev
 * CLI in the request path (no proxy Worker in front, no per-request echo and its terminal
 * work), so a benchmark measures Switchboard rather than the dev tooling.
 */
import path from "node:path";
import { convertV4MiniflareOptions, Miniflare, type V4MiniflareOptions } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { ROOT, run } from "../scripts/lib/stack";

export interface WorkerdTarget {
  url: string;
  stop(): Promise<void>;
}

export async function startWorkerd(
  vars: Record<string, string>,
  stateDir: string,
): Promise<WorkerdTarget> {
  const outdir = path.join(stateDir, "bundle");
  await run(
    path.join(ROOT, "node_modules/.bin/wrangler"),
    ["deploy", "--dry-run", "--outdir", outdir],
    { quiet: true, env: { WRANGLER_SEND_METRICS: "false" } },
  );
  const { workerOptions } = unstable_getMiniflareWorkerOptions(path.join(ROOT, "wrangler.toml"));
  // The bundle is one module: no module rules. Empty binding groups are left out, since
  // Miniflare 5 refuses some v4 options it cannot convert.
  const { modulesRules: _rules, ...rest } = workerOptions as Record<string, unknown>;
  const given = Object.fromEntries(
    Object.entries(rest).filter(
      ([, value]) =>
        !(Array.isArray(value) && value.length === 0) &&
        !(value && typeof value === "object" && Object.keys(value).length === 0),
    ),
  );
  const options = {
    ...given,
    name: "switchboard",
    scriptPath: path.join(outdir, "index.js"),
    modules: true,
    modulesRoot: outdir,
    bindings: { ...(workerOptions.bindings as Record<string, unknown>), ...vars },
    host: "127.0.0.1",
    port: 0,
    cf: false,
    // In memory: Durable Object storage and the queues are Cloudflare's services in
    // production, not local SQLite files; persisted, Miniflare's queue broker alone tops out
    // near 500 sends/s here (decision 028). BENCH_WORKERD_PERSIST=1 keeps them on disk.
    ...(process.env.BENCH_WORKERD_PERSIST === "1" && {
      resourcePersistencePath: path.join(stateDir, "state"),
    }),
    // BENCH_INSPECTOR_PORT opens workerd's inspector (DevTools protocol) for a CPU profile.
    ...(process.env.BENCH_INSPECTOR_PORT && {
      inspectorPort: Number(process.env.BENCH_INSPECTOR_PORT),
    }),
    // The Worker's one log line per request is dropped, as `quiet` does for wrangler dev.
    handleStructuredLogs: () => {},
  } as unknown as V4MiniflareOptions;
  const miniflare = new Miniflare(convertV4MiniflareOptions(options));
  const url = await miniflare.ready;
  return { url: url.toString().replace(/\/+$/, ""), stop: () => miniflare.dispose() };
}
