import { type LoaderFunctionArgs, redirect } from "@remix-run/cloudflare";
import { getUser } from "../lib/session.server";

/** `/` has no page of its own: the app when signed in, otherwise the sign-in form. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await getUser(request, context);
  return redirect(session ? "/app" : "/login", session ? { headers: session.headers } : undefined);
}
