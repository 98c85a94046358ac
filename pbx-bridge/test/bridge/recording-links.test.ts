import { describe, expect, it } from "vitest";
import { signedRecordingUrl, verifyRecordingSignature } from "../../src/recording-links";

const SECRET = "bridge-token-0123456789";
const NOW = Date.parse("2026-01-01T10:00:00Z");
const EXPIRES = NOW / 1000 + 3600;

function parts(url: string) {
  const parsed = new URL(url);
  return {
    name: decodeURIComponent(parsed.pathname.replace("/recordings/", "")),
    expires: parsed.searchParams.get("expires"),
    sig: parsed.searchParams.get("sig"),
  };
}

describe("recording links", () => {
  it("verifies its own signature until it expires", () => {
    const url = signedRecordingUrl("https://pbx.example.com", SECRET, "call-1", EXPIRES);
    const { name, expires, sig } = parts(url);
    expect(name).toBe("call-1");
    expect(verifyRecordingSignature(SECRET, name, expires, sig, NOW)).toBe(true);
    expect(verifyRecordingSignature(SECRET, name, expires, sig, EXPIRES * 1000 + 1)).toBe(false);
  });

  it("rejects another name, another secret, a changed expiry or a malformed signature", () => {
    const { name, expires, sig } = parts(
      signedRecordingUrl("https://pbx.example.com", SECRET, "call-1", EXPIRES),
    );
    expect(verifyRecordingSignature(SECRET, "call-2", expires, sig, NOW)).toBe(false);
    expect(verifyRecordingSignature("other-secret-0123456", name, expires, sig, NOW)).toBe(false);
    expect(verifyRecordingSignature(SECRET, name, String(EXPIRES + 1), sig, NOW)).toBe(false);
    expect(verifyRecordingSignature(SECRET, name, expires, "abc", NOW)).toBe(false);
    expect(verifyRecordingSignature(SECRET, name, null, sig, NOW)).toBe(false);
  });
});
