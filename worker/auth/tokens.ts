import { importJWK, type JWK, jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import { ROLES } from "./permissions";

/*
 * Access tokens: ES256 JWTs (RFC 9068 `at+jwt`), 15 minutes. Verification pins the
 * algorithm, issuer, audience, type and maximum age, so `alg: none`, HS256-with-public-key
 * and tokens minted for another audience are all refused.
 */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ALGORITHM = "ES256";
const TOKEN_TYPE = "at+jwt";
export const ACCESS_TOKEN_AUDIENCE = "switchboard-api";

const privateJwkSchema = z.object({
  kty: z.literal("EC"),
  crv: z.literal("P-256"),
  x: z.string(),
  y: z.string(),
  d: z.string(),
  kid: z.string().optional(),
});

const claimsSchema = z.object({
  sub: z.string().uuid(),
  org: z.string().uuid(),
  sid: z.string().uuid(),
  /** Seconds since the epoch; a socket's revocation check compares it. */
  iat: z.number().int(),
  /**
   * Who the subject is in this organization when the token was signed: enough to open a
   * realtime socket and show presence without a database round trip. Never used for
   * authorization (the API reads the role from the membership inside its transaction).
   */
  name: z.string().optional(),
  role: z.enum(ROLES).optional(),
});
export type AccessClaims = z.infer<typeof claimsSchema>;
export type AccessClaimsToSign = Omit<AccessClaims, "iat">;

export interface SigningKeys {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

const keyCache = new Map<string, Promise<SigningKeys>>();

async function importKeys(privateJwkJson: string): Promise<SigningKeys> {
  const jwk = privateJwkSchema.parse(JSON.parse(privateJwkJson));
  const { d: _secret, ...publicJwk } = jwk;
  const kid = jwk.kid ?? "default";
  const [privateKey, publicKey] = await Promise.all([
    importJWK({ ...jwk, alg: ALGORITHM } as JWK, ALGORITHM),
    importJWK({ ...publicJwk, alg: ALGORITHM } as JWK, ALGORITHM),
  ]);
  return { kid, privateKey: privateKey as CryptoKey, publicKey: publicKey as CryptoKey };
}

/** The Worker's ES256 key pair (imported once per isolate); other token kinds sign with it too. */
export function signingKeys(privateJwkJson: string): Promise<SigningKeys> {
  let keys = keyCache.get(privateJwkJson);
  if (!keys) {
    keys = importKeys(privateJwkJson);
    keyCache.set(privateJwkJson, keys);
  }
  return keys;
}

export interface TokenConfig {
  JWT_PRIVATE_JWK: string;
  JWT_ISSUER: string;
}

export async function signAccessToken(
  config: TokenConfig,
  claims: AccessClaimsToSign,
): Promise<string> {
  const keys = await signingKeys(config.JWT_PRIVATE_JWK);
  const { sub: _subject, ...custom } = claims;
  return new SignJWT(custom)
    .setProtectedHeader({ alg: ALGORITHM, typ: TOKEN_TYPE, kid: keys.kid })
    .setSubject(claims.sub)
    .setIssuer(config.JWT_ISSUER)
    .setAudience(ACCESS_TOKEN_AUDIENCE)
    .setIssuedAt()
    .setJti(crypto.randomUUID())
    .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
    .sign(keys.privateKey);
}

/** Returns the claims of a valid token, or null for anything else (expired, forged, foreign). */
export async function verifyAccessToken(
  config: TokenConfig,
  token: string,
): Promise<AccessClaims | null> {
  const keys = await signingKeys(config.JWT_PRIVATE_JWK);
  try {
    const { payload } = await jwtVerify(token, keys.publicKey, {
      algorithms: [ALGORITHM],
      issuer: config.JWT_ISSUER,
      audience: ACCESS_TOKEN_AUDIENCE,
      typ: TOKEN_TYPE,
      maxTokenAge: `${ACCESS_TOKEN_TTL_SECONDS}s`,
      requiredClaims: ["sub", "exp", "iat", "org", "sid"],
    });
    const claims = claimsSchema.safeParse(payload);
    return claims.success ? claims.data : null;
  } catch {
    return null;
  }
}
