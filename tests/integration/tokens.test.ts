import { env } from "cloudflare:test";
import { importJWK, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { call, expectErrorEnvelope, type Session, signUp } from "./helpers";

function b64url(value: string | Uint8Array): string {
  const bytes = typeof value === "string" ? new TextEncoder().encode(value) : value;
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function decodePart(part: string): Record<string, unknown> {
  return JSON.parse(atob(part.replaceAll("-", "+").replaceAll("_", "/")));
}

async function signWithServerKey(
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
  expiresIn = "15m",
) {
  const jwk = JSON.parse(env.JWT_PRIVATE_JWK);
  const key = await importJWK({ ...jwk, alg: "ES256" }, "ES256");
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "ES256", typ: "at+jwt", ...header })
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key);
}

function claimsOf(session: Session) {
  const payload = decodePart(session.accessToken.split(".")[1] as string);
  return {
    sub: payload.sub,
    org: payload.org,
    sid: payload.sid,
    iss: payload.iss,
    aud: payload.aud,
  };
}

async function expectRejected(token: string) {
  expectErrorEnvelope(await call("/auth/me", { token }), 401, "unauthenticated");
}

describe("access tokens", () => {
  it("are accepted as issued", async () => {
    const owner = await signUp();
    expect((await call("/auth/me", { token: owner.accessToken })).status).toBe(200);
  });

  it("are refused when the payload is tampered with", async () => {
    const owner = await signUp();
    const other = await signUp();
    const [header, payload, signature] = owner.accessToken.split(".") as [string, string, string];
    const forged = { ...decodePart(payload), org: other.orgId };
    await expectRejected(`${header}.${b64url(JSON.stringify(forged))}.${signature}`);
  });

  it("are refused with alg none", async () => {
    const owner = await signUp();
    const payload = owner.accessToken.split(".")[1] as string;
    await expectRejected(`${b64url(JSON.stringify({ alg: "none", typ: "at+jwt" }))}.${payload}.`);
  });

  it("are refused when HMAC-signed with the public key (algorithm confusion)", async () => {
    const owner = await signUp();
    const { d: _private, ...publicJwk } = JSON.parse(env.JWT_PRIVATE_JWK);
    const [, payload] = owner.accessToken.split(".") as [string, string];
    const header = b64url(JSON.stringify({ alg: "HS256", typ: "at+jwt" }));
    const secret = new TextEncoder().encode(JSON.stringify(publicJwk));
    const key = await crypto.subtle.importKey(
      "raw",
      secret,
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    const mac = new Uint8Array(
      await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${header}.${payload}`)),
    );
    await expectRejected(`${header}.${payload}.${b64url(mac)}`);
  });

  it("are refused for another audience, another issuer, the wrong type, or when expired", async () => {
    const owner = await signUp();
    const claims = claimsOf(owner);
    const base = { sub: claims.sub, org: claims.org, sid: claims.sid };
    await expectRejected(
      await signWithServerKey({ ...base, iss: claims.iss, aud: "someone-else" }),
    );
    await expectRejected(await signWithServerKey({ ...base, iss: "evil", aud: claims.aud }));
    await expectRejected(
      await signWithServerKey({ ...base, iss: claims.iss, aud: claims.aud }, { typ: "JWT" }),
    );
    await expectRejected(
      await signWithServerKey({ ...base, iss: claims.iss, aud: claims.aud }, {}, "-1m"),
    );
    // Properly signed with a valid shape is accepted: the refusals above are about the claims.
    expect(
      (
        await call("/auth/me", {
          token: await signWithServerKey({ ...base, iss: claims.iss, aud: claims.aud }),
        })
      ).status,
    ).toBe(200);
  });

  it("are refused when they claim an organization the user is not a member of", async () => {
    const owner = await signUp();
    const other = await signUp();
    const claims = claimsOf(owner);
    await expectRejected(
      await signWithServerKey({
        sub: claims.sub,
        org: other.orgId,
        sid: claims.sid,
        iss: claims.iss,
        aud: claims.aud,
      }),
    );
  });
});
