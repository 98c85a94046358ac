import { createHmac, timingSafeEqual } from "node:crypto";

/*
 * Signed, expiring links to recordings served by the bridge's HTTP server:
 *   <RECORDINGS_PUBLIC_URL>/recordings/<name>?expires=<unix seconds>&sig=<hex HMAC-SHA256>
 * The HMAC key is the bridge token; the signed message is "<name>:<expires>".
 */

function signature(secret: string, name: string, expires: number): string {
  return createHmac("sha256", secret).update(`${name}:${expires}`).digest("hex");
}

export function signedRecordingUrl(
  publicUrl: string,
  secret: string,
  name: string,
  expires: number,
): string {
  const query = new URLSearchParams({
    expires: String(expires),
    sig: signature(secret, name, expires),
  });
  return `${publicUrl}/recordings/${encodeURIComponent(name)}?${query}`;
}

/** True when `sig` is the signature of name+expires and `expires` (unix s) is not past. */
export function verifyRecordingSignature(
  secret: string,
  name: string,
  expires: string | null,
  sig: string | null,
  nowMs: number,
): boolean {
  if (!expires || !sig || !/^\d{1,12}$/.test(expires) || !/^[0-9a-f]{64}$/.test(sig)) return false;
  const expiresAt = Number(expires);
  if (expiresAt * 1000 < nowMs) return false;
  const expected = Buffer.from(signature(secret, name, expiresAt), "hex");
  return timingSafeEqual(expected, Buffer.from(sig, "hex"));
}
