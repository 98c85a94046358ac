/**
 * Prints the JavaScript a first visit downloads for each page, gzipped: the client entry,
 * the root route and every route module on the way to the page, with their static imports
 * (what Remix puts in modulepreload links). Reads the Remix manifest of `npm run build`.
 *
 *   tsx scripts/bundle-report.ts [routes/login=100 routes/app._index=113 ...]
 *
 * Exits 1 when a page is over its budget, or when any client asset carries the database
 * schema (its RLS policies are named `tenant_isolation`): a lint rule keeps app/ from importing
 * worker/db, this catches a worker module that brings it in on the way.
 *
 * Budgets: the sign-in page's is the product's target (100 KB); the dashboard's is where it
 * stands (React and Remix alone are ~84 KB gz), so that it only goes down (see
 * docs/decisions/024-page-weight.md).
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";

interface ManifestRoute {
  id: string;
  parentId?: string;
  module: string;
  imports?: string[];
}

interface RemixManifest {
  entry: { module: string; imports: string[] };
  routes: Record<string, ManifestRoute>;
}

const clientDir = path.resolve(process.env.SWITCHBOARD_BUILD_DIR ?? "build", "client");

async function readManifest(): Promise<RemixManifest> {
  const assets = await readdir(path.join(clientDir, "assets"));
  const file = assets.find((name) => /^manifest-.*\.js$/.test(name));
  if (!file)
    throw new Error("No Remix manifest in build/client/assets: run `npm run build` first.");
  const text = await readFile(path.join(clientDir, "assets", file), "utf8");
  return JSON.parse(text.replace(/^window\.__remixManifest=/, "").replace(/;\s*$/, ""));
}

const gzipCache = new Map<string, number>();
async function gzipBytes(asset: string): Promise<number> {
  const cached = gzipCache.get(asset);
  if (cached !== undefined) return cached;
  const size = gzipSync(await readFile(path.join(clientDir, asset)), { level: 9 }).length;
  gzipCache.set(asset, size);
  return size;
}

/** The modules a first load of `routeId` fetches: entry, then each route from the root down. */
function initialModules(manifest: RemixManifest, routeId: string): string[] {
  const chain: ManifestRoute[] = [];
  let route: ManifestRoute | undefined = manifest.routes[routeId];
  while (route) {
    chain.unshift(route);
    route = route.parentId ? manifest.routes[route.parentId] : undefined;
  }
  const modules = new Set<string>([manifest.entry.module, ...manifest.entry.imports]);
  for (const route of chain) {
    modules.add(route.module);
    for (const imported of route.imports ?? []) modules.add(imported);
  }
  return [...modules];
}

/** Budgets as `route=KB` arguments; by default the sign-in page and the dashboard. */
function budgetsFrom(args: string[]): Map<string, number> {
  const pairs = args.length > 0 ? args : ["routes/login=100", "routes/app._index=113"];
  return new Map(
    pairs.map((pair) => {
      const [id = "", kb = ""] = pair.split("=");
      if (!id || !Number.isFinite(Number(kb))) throw new Error(`Expected route=KB, got ${pair}`);
      return [id, Number(kb)] as const;
    }),
  );
}

/** Client assets that contain the drizzle schema (it names every table's RLS policy). */
async function assetsWithSchema(): Promise<string[]> {
  const assets = await readdir(path.join(clientDir, "assets"));
  const found: string[] = [];
  for (const name of assets.filter((asset) => asset.endsWith(".js"))) {
    const text = await readFile(path.join(clientDir, "assets", name), "utf8");
    if (text.includes("tenant_isolation")) found.push(name);
  }
  return found;
}

async function main() {
  const budgets = budgetsFrom(process.argv.slice(2));
  const manifest = await readManifest();
  const leaks = await assetsWithSchema();
  if (leaks.length > 0) {
    console.error(`The database schema is in the browser bundle: ${leaks.join(", ")}`);
    process.exitCode = 1;
  }

  const rows: { id: string; kb: number; modules: number }[] = [];
  for (const id of Object.keys(manifest.routes).filter((key) => key !== "root")) {
    const modules = initialModules(manifest, id);
    let bytes = 0;
    for (const module of modules) bytes += await gzipBytes(module);
    rows.push({ id, kb: bytes / 1024, modules: modules.length });
  }
  rows.sort((a, b) => b.kb - a.kb);
  console.log("Initial JavaScript per page (gzip -9, entry + route chain + static imports)");
  console.log(`${"page".padEnd(44)} ${"KB gz".padStart(8)} ${"files".padStart(6)}`);
  for (const row of rows) {
    const budget = budgets.get(row.id);
    const mark =
      budget === undefined ? "" : `  ${row.kb <= budget ? "within" : "OVER"} ${budget} KB`;
    console.log(
      `${row.id.padEnd(44)} ${row.kb.toFixed(1).padStart(8)} ${String(row.modules).padStart(6)}${mark}`,
    );
  }
  const missing = [...budgets.keys()].filter((id) => !manifest.routes[id]);
  if (missing.length > 0) throw new Error(`Unknown routes: ${missing.join(", ")}`);
  const over = rows.filter((row) => row.kb > (budgets.get(row.id) ?? Number.POSITIVE_INFINITY));
  if (over.length > 0) {
    console.error(`Over budget: ${over.map((row) => row.id).join(", ")}`);
    process.exitCode = 1;
  }
}

await main();
