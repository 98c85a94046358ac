import { apiKeyOrg, type Credential } from "./actor";
import { ACCESS_COOKIE, readCookie } from "./cookies";
import { type TokenConfig, verifyAccessToken } from "./tokens";

export interface PresentedCredential {
  credential: Credential;
  /** Cookie-borne credentials need a same-origin check on unsafe methods (CSRF). */
  source: "header" | "cookie";
}

/**
 * Reads `Authorization: Bearer` (an access token or an API key) or the access cookie and
 * checks what can be checked without the database. Returns null when nothing valid was sent.
 */
export async function readCredential(
  request: Request,
  config: TokenConfig,
): Promise<PresentedCredential | null> {
  const authorization = request.headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const token = match?.[1];
    if (!token) return null;
    if (token.startsWith("sb_")) {
      const orgId = apiKeyOrg(token);
      return orgId
        ? { credential: { kind: "api_key", orgId, key: token }, source: "header" }
        : null;
    }
    const claims = await verifyAccessToken(config, token);
    return claims ? { credential: { kind: "access_token", claims }, source: "header" } : null;
  }
  const cookie = readCookie(request, ACCESS_COOKIE);
  if (!cookie) return null;
  const claims = await verifyAccessToken(config, cookie);
  return claims ? { credential: { kind: "access_token", claims }, source: "cookie" } : null;
}

export function principalKey(credential: Credential): string {
  return credential.kind === "access_token"
    ? `user:${credential.claims.sub}`
    : `key:${credential.key.slice(-16)}`;
}

export function credentialOrg(credential: Credential): string {
  return credential.kind === "access_token" ? credential.claims.org : credential.orgId;
}
