import type { LinksFunction, MetaFunction } from "@remix-run/cloudflare";
import { Links, Meta, Outlet, Scripts, ScrollRestoration } from "@remix-run/react";
import type { ReactNode } from "react";
import { RouteError } from "./components/route-error";
import { useNonce } from "./lib/nonce";
import styles from "./tailwind.css?url";

const favicon =
  "data:image/svg+xml," +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#4f46e5"/><path d="M10.5 10.5h2c4 0 3 11 7 11h2" fill="none" stroke="#fff" stroke-width="2.4" stroke-linecap="round"/><circle cx="9" cy="10.5" r="2.2" fill="#fff"/><circle cx="23" cy="21.5" r="2.2" fill="#fff"/></svg>',
  );

/*
 * zod compiles object parsers with `new Function` where the page allows it, and probes for that
 * with a `new Function("")` whose throw it catches. Our CSP forbids eval, so the probe was a
 * `script-src eval` violation on every page. zod reads its configuration from
 * `globalThis.__zod_globalConfig`; setting `jitless` there before any module runs (the
 * bundler may evaluate shared chunks that build schemas before the entry's own code) skips the
 * probe and the compiler. zod then parses with its interpreter, as it did under the CSP anyway.
 */
const ZOD_JITLESS = "globalThis.__zod_globalConfig={jitless:true};";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", type: "image/svg+xml", href: favicon },
];

export const meta: MetaFunction = () => [{ title: "Switchboard" }];

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en" className="h-full bg-slate-50">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <Meta />
        <Links />
        {/* Before any module: see ZOD_JITLESS. */}
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant of ours, no user data */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: ZOD_JITLESS }} />
      </head>
      <body className="h-full text-slate-900 antialiased">
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return (
    <main className="min-h-full">
      <RouteError home="/" />
    </main>
  );
}
