import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { Logo } from "./ui";

/** The centred card of the signed-out pages (sign in, sign up, invitations). */
export function AuthLayout({
  title,
  subtitle,
  children,
  footer,
}: {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <div className="flex min-h-full flex-col bg-slate-50">
      <header className="px-6 pt-8 sm:pt-12">
        <Link
          to="/"
          className="mx-auto flex w-fit items-center gap-2 rounded-md text-base font-semibold tracking-tight text-slate-900 focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-indigo-600"
        >
          <Logo />
          Switchboard
        </Link>
      </header>
      <main className="flex flex-1 flex-col items-center px-4 pt-8 pb-16 sm:pt-10">
        <div className="w-full max-w-sm">
          <div className="mb-6 text-center">
            <h1 className="text-xl font-semibold tracking-tight text-slate-900">{title}</h1>
            {subtitle ? <p className="mt-2 text-sm text-slate-600">{subtitle}</p> : null}
          </div>
          <div className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200 sm:p-8">
            {children}
          </div>
          {footer ? <p className="mt-6 text-center text-sm text-slate-600">{footer}</p> : null}
        </div>
      </main>
    </div>
  );
}

export const textLink =
  "font-medium text-indigo-700 underline-offset-2 hover:underline focus-visible:rounded-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600";
