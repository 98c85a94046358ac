import { parse, serialize } from "hono/utils/cookie";
import type { IssuedTokens } from "./sessions";

export const ACCESS_COOKIE = "sb_access";
export const REFRESH_COOKIE = "sb_refresh";

/** HttpOnly, Secure, SameSite=Lax: unreadable by scripts and not sent on cross-site posts. */
const baseOptions = { httpOnly: true, secure: true, sameSite: "Lax", path: "/" } as const;

export function sessionCookies(tokens: IssuedTokens): string[] {
  const refreshMaxAge = Math.max(
    0,
    Math.floor((tokens.refreshExpiresAt.getTime() - Date.now()) / 1000),
  );
  return [
    serialize(ACCESS_COOKIE, tokens.accessToken, { ...baseOptions, maxAge: tokens.expiresIn }),
    serialize(REFRESH_COOKIE, tokens.refreshToken, { ...baseOptions, maxAge: refreshMaxAge }),
  ];
}

export function clearedSessionCookies(): string[] {
  return [
    serialize(ACCESS_COOKIE, "", { ...baseOptions, maxAge: 0 }),
    serialize(REFRESH_COOKIE, "", { ...baseOptions, maxAge: 0 }),
  ];
}

export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get("cookie");
  if (!header) return undefined;
  return parse(header, name)[name];
}
