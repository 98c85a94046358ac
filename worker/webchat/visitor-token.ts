import { jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import { signingKeys, type TokenConfig } from "../auth/tokens";

/*
 * A website visitor's token: an ES256 JWT signed with the Worker's key (worker/auth/tokens.ts)
 * for its own audience and type, so it is never mistaken for an access token (and the other
 * way round). It names the channel and the visitor (`visitor:<random id>`, or `user:<id>` for a
 * visitor the site identified with a valid hash), plus what the visitor typed in the pre-chat
 * form, so that the contact made on their first message carries it. The widget keeps it in
 * localStorage per channel; a token of another channel is refused.
 */

const ALGORITHM = "ES256";
const TOKEN_TYPE = "vt+jwt";
export const VISITOR_TOKEN_AUDIENCE = "switchboard-webchat";
/** A visitor comes back to their conversation for this long after their last session. */
export const VISITOR_TOKEN_TTL_SECONDS = 180 * 24 * 60 * 60;

const claimsSchema = z.object({
  sub: z.string().regex(/^(visitor|user):.{1,200}$/),
  ch: z.string().uuid(),
  name: z.string().max(200).optional(),
  email: z.string().max(254).optional(),
});
export type VisitorClaims = z.infer<typeof claimsSchema>;

export async function signVisitorToken(
  config: TokenConfig,
  claims: VisitorClaims,
): Promise<string> {
  const keys = await signingKeys(config.JWT_PRIVATE_JWK);
  const { sub, ...custom } = claims;
  return new SignJWT(custom)
    .setProtectedHeader({ alg: ALGORITHM, typ: TOKEN_TYPE, kid: keys.kid })
    .setSubject(sub)
    .setIssuer(config.JWT_ISSUER)
    .setAudience(VISITOR_TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${VISITOR_TOKEN_TTL_SECONDS}s`)
    .sign(keys.privateKey);
}

/** The claims of a valid visitor token, or null (expired, forged, another kind of token). */
export async function verifyVisitorToken(
  config: TokenConfig,
  token: string,
): Promise<VisitorClaims | null> {
  const keys = await signingKeys(config.JWT_PRIVATE_JWK);
  try {
    const { payload } = await jwtVerify(token, keys.publicKey, {
      algorithms: [ALGORITHM],
      issuer: config.JWT_ISSUER,
      audience: VISITOR_TOKEN_AUDIENCE,
      typ: TOKEN_TYPE,
      requiredClaims: ["sub", "exp", "ch"],
    });
    const claims = claimsSchema.safeParse(payload);
    return claims.success ? claims.data : null;
  } catch {
    return null;
  }
}
