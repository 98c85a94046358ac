import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { buttonClass } from "./ui";

function describe(error: unknown) {
  if (isRouteErrorResponse(error)) {
    if (error.status === 403) {
      return {
        title: "You don't have access to this",
        detail: "Ask an owner or admin for access.",
      };
    }
    if (error.status === 404) {
      return { title: "Page not found", detail: "The page you were looking for isn't here." };
    }
    return {
      title: "Something went wrong",
      detail: typeof error.data === "string" && error.data ? error.data : error.statusText,
    };
  }
  return {
    title: "Something went wrong",
    detail: "We couldn't load this page. Try again in a moment.",
  };
}

/** The error panel of a route (inside the app shell when thrown below /app). */
export function RouteError({ home = "/app" }: { home?: string }) {
  const error = useRouteError();
  const { title, detail } = describe(error);
  return (
    <div className="mx-auto max-w-lg px-4 py-16 text-center sm:px-6">
      <h1 className="text-xl font-semibold tracking-tight text-slate-900">{title}</h1>
      <p className="mt-2 text-sm text-slate-600">{detail}</p>
      <Link to={home} className={`${buttonClass("secondary")} mt-6`}>
        Go back home
      </Link>
    </div>
  );
}
