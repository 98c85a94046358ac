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
