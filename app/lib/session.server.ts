import { type AppLoadContext, redirect } from "@remix-run/cloudflare";
import type { Credential } from "../../worker/auth/actor";
import {
  ACCESS_COOKIE,
  clearedSessionCookies,
  REFRESH_COOKIE,
  readCookie,
  sessionCookies,
} from "../../worker/auth/cookies";
import { readCredential } from "../../worker/auth/credentials";
import {
  type AuthResult,
  describeActor,
  type PublicUser,
  refresh,
} from "../../worker/auth/service";
import { verifyAccessToken } from "../../worker/auth/tokens";
import { deliverAfterCommit } from "../../worker/lib/after-commit";
import { ApiError } from "../../worker/lib/errors";
import { runAsActor, type TenantScope } from "../../worker/lib/scope";
import type { AfterCommit } from "../../worker/lib/unit-of-work";
import { safeRedirect } from "./redirect";

/** The signed-in person as `describeActor` sees them (pages only accept user sessions). */
export type Me = Awaited<ReturnType<typeof describeActor>> & { user: PublicUser };

export interface UserSession {
  credential: Credential;
  me: Me;
  /**
   * Set-Cookie headers the response must carry: the rotated cookies when the access cookie had
   * expired and was refreshed, otherwise empty. Pass them to `json()` / `redirect()`.
   */
  headers: Headers;
}

interface Lookup {
  session: UserSession | null;
  /** Rotated cookies, or cleared ones when stale cookies were presented. */
  headers: Headers;
}

/** All loaders of one document request share one context: the session is looked up once. */
const lookups = new WeakMap<AppLoadContext, Promise<Lookup>>();

/** The signed-in user, or null. Never redirects. */
export async function getUser(request: Request, context: AppLoadContext) {
  return (await lookup(request, context)).session;
}

/**
 * The signed-in user (refreshing an expired access cookie from the refresh cookie), or a thrown
 * redirect to /login?redirectTo=<this page>. Loaders must pass `session.headers` on.
 */
export async function requireUser(request: Request, context: AppLoadContext) {
  const { session, headers } = await lookup(request, context);
  if (session) return session;
  const url = new URL(request.url);
  const here = safeRedirect(`${url.pathname}${url.search}`);
  const target = here === "/app" ? "/login" : `/login?redirectTo=${encodeURIComponent(here)}`;
  throw redirect(target, { headers });
}

/**
 * Runs tenant work as the signed-in user in their organization's transaction (the credential
 * is re-checked inside it), as one unit of work: its events and jobs go out after commit.
 */
export function runAsUser<T>(
  context: AppLoadContext,
  session: UserSession,
  work: (scope: TenantScope) => Promise<T>,
): Promise<T> {
  return runAs(context, session.credential, work);
}

/** A page read shares one transaction (`PageUnit`); a form post runs its own unit of work. */
function runAs<T>(
  context: AppLoadContext,
  credential: Credential,
  work: (scope: TenantScope) => Promise<T>,
): Promise<T> {
  if (context.pageUnit) return context.pageUnit.run(credential, work);
  return runAsActor(context.database, credential, context.meta, afterCommitFor(context), work);
}

/** A page request's after-commit step: events and jobs go out once the response is on its way. */
export function afterCommitFor(context: AppLoadContext): AfterCommit {
  return deliverAfterCommit(context.env, (promise) => context.ctx.waitUntil(promise));
}

export function cookieHeaders(cookies: string[]): Headers {
  const headers = new Headers();
  for (const cookie of cookies) headers.append("Set-Cookie", cookie);
  return headers;
}

function lookup(request: Request, context: AppLoadContext): Promise<Lookup> {
  let pending = lookups.get(context);
  if (!pending) {
    pending = lookupSession(request, context);
    lookups.set(context, pending);
  }
  return pending;
}

async function lookupSession(request: Request, context: AppLoadContext): Promise<Lookup> {
  const presented = await readCredential(request, context.config);
  if (presented?.source === "cookie" && presented.credential.kind === "access_token") {
    const session = await describe(context, presented.credential, new Headers());
    return session ? { session, headers: session.headers } : signedOut();
  }
  const refreshToken = readCookie(request, REFRESH_COOKIE);
  if (!refreshToken) {
    // An expired or forged access cookie without a refresh cookie: clear it.
    return readCookie(request, ACCESS_COOKIE)
      ? signedOut()
      : { session: null, headers: new Headers() };
  }
  const rotated = await rotateOnce(context, refreshToken);
  if (!rotated) return signedOut();
  const claims = await verifyAccessToken(context.config, rotated.accessToken);
  if (!claims) return signedOut();
  const session = await describe(
    context,
    { kind: "access_token", claims },
    cookieHeaders(sessionCookies(rotated)),
  );
  return session ? { session, headers: session.headers } : signedOut();
}

function signedOut(): Lookup {
  return { session: null, headers: cookieHeaders(clearedSessionCookies()) };
}

async function describe(
  context: AppLoadContext,
  credential: Credential,
  headers: Headers,
): Promise<UserSession | null> {
  try {
    const me = await runAs(context, credential, (scope) => describeActor(scope, context.config));
    return me.user ? { credential, me: { ...me, user: me.user }, headers } : null;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/*
 * A refresh token may be used once: a second use revokes the whole session family. After the
 * access cookie expires, Remix can fire several loader requests at once (revalidation), each
 * carrying the same refresh cookie; they share one rotation here for a few seconds instead of
 * tripping reuse detection. (Per isolate; see the report on a server-side grace period.)
 */
const SHARE_ROTATION_MS = 10_000;
const rotations = new Map<string, { startedAt: number; result: Promise<AuthResult | null> }>();

function rotateOnce(context: AppLoadContext, refreshToken: string): Promise<AuthResult | null> {
  const now = Date.now();
  for (const [token, entry] of rotations) {
    if (now - entry.startedAt > SHARE_ROTATION_MS) rotations.delete(token);
  }
  const shared = rotations.get(refreshToken);
  if (shared) return shared.result;
  const result = refresh(context.database, context.config, refreshToken, context.meta).catch(
    (error: unknown) => {
      if (error instanceof ApiError && error.status === 401) return null;
      rotations.delete(refreshToken);
      throw error;
    },
  );
  rotations.set(refreshToken, { startedAt: now, result });
  return result;
}
