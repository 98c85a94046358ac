import { type ActionFunctionArgs, redirect } from "@remix-run/cloudflare";
import { clearedSessionCookies, REFRESH_COOKIE, readCookie } from "../../worker/auth/cookies";
import { readCredential } from "../../worker/auth/credentials";
import { logout, logoutByRefreshToken } from "../../worker/auth/service";
import { ApiError } from "../../worker/lib/errors";
import { runAsActor } from "../../worker/lib/scope";
import { readForm } from "../lib/actions.server";
import { afterCommitFor, cookieHeaders } from "../lib/session.server";

/** Signing out changes state, so it is a POST; a stray GET just goes home. */
export function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  await readForm(request);
  const presented = await readCredential(request, context.config);
  try {
    if (presented?.credential.kind === "access_token") {
      await runAsActor(
        context.database,
        presented.credential,
        context.meta,
        afterCommitFor(context),
        logout,
      );
    } else {
      const refreshToken = readCookie(request, REFRESH_COOKIE);
      if (refreshToken) {
        await logoutByRefreshToken(context.database, refreshToken, afterCommitFor(context));
      }
    }
  } catch (error) {
    // A session that is already gone is signed out anyway.
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
  return redirect("/login", { headers: cookieHeaders(clearedSessionCookies()) });
}
