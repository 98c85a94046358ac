import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

/**
 * The pages an organization's customers open (a satisfaction survey, the request form): the
 * organization's name on top (a link to its help page when `home` is given, as on the request
 * form), one card, "Sent by Switchboard" below. Works from 320 px up.
 */
export function PublicLayout({
  organization,
  title,
  subtitle,
  home,
  children,
}: {
  organization: string | null;
  title: string;
  home?: string;
  subtitle?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="flex min-h-full flex-col bg-slate-50">
      <header className="border-b border-slate-200 bg-white px-4 py-4 sm:px-6">
        <p className="mx-auto max-w-xl truncate text-base font-semibold tracking-tight text-slate-900">
          {home ? (
            <Link to={home} className="hover:text-indigo-700">
              {organization ?? "Support"} <span className="font-normal text-slate-500">Help</span>
            </Link>
          ) : (
            (organization ?? "Support")
          )}
        </p>
      </header>
      <main className="flex flex-1 flex-col items-center px-4 pt-8 pb-16 sm:pt-12">
        <div className="w-full max-w-xl">
          <div className="mb-6">
            <h1 className="text-xl font-semibold tracking-tight text-slate-900 sm:text-2xl">
              {title}
            </h1>
            {subtitle ? <div className="mt-2 text-sm text-slate-600">{subtitle}</div> : null}
          </div>
          <div className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:p-8">
            {children}
          </div>
          <p className="mt-6 text-center text-xs text-slate-500">Sent by Switchboard</p>
        </div>
      </main>
    </div>
  );
}
