import { createHmac, timingSafeEqual } from "node:crypto";

const encoder = new TextEncoder();

export function randomToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** SHA-256 is enough for high-entropy secrets (tokens, keys); passwords use scrypt. */
export async function sha256Hex(value: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(value));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

export function newId(): string {
  return crypto.randomUUID();
}

let lastMs = 0;
let sequence = 0;

/**
 * A UUID version 7: milliseconds since the epoch, then a counter (12 bits) that keeps ids made
 * in the same millisecond by this isolate in the order they were made, then random bits. For
 * rows whose order of creation is their order (messages of one second sort as they came).
 */
export function newOrderedId(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    sequence = 0;
  } else {
    sequence += 1;
    if (sequence > 0xfff) {
      lastMs += 1;
      sequence = 0;
    }
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let ms = lastMs;
  for (let index = 5; index >= 0; index -= 1) {
    bytes[index] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** Equal strings, compared in time that does not depend on where they differ (as passwords are). */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  return left.byteLength === right.byteLength && timingSafeEqual(left, right);
}

/** Hex HMAC-SHA256 of `message` with `secret` (Meta's webhook signatures, chat identities). */
export function hmacSha256Hex(secret: string, message: string): string {
  return createHmac("sha256", secret).update(message, "utf8").digest("hex");
}

const hmacKeys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = hmacKeys.get(secret);
  if (!key) {
    if (hmacKeys.size >= 1000) hmacKeys.clear();
    key = crypto.subtle.importKey(
      "raw",
      encoder.encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["verify"],
    );
    hmacKeys.set(secret, key);
  }
  return key;
}

/**
 * Whether `hexSignature` is the HMAC-SHA256 of `message` with `secret`: WebCrypto's own
 * verification (constant time, native), with the imported key kept per secret. For hot paths
 * (every webhook delivery).
 */
export async function verifyHmacSha256Hex(
  secret: string,
  message: string,
  hexSignature: string,
): Promise<boolean> {
  if (!/^[0-9a-f]{64}$/.test(hexSignature)) return false;
  const signature = new Uint8Array(32);
  for (let index = 0; index < 32; index += 1) {
    signature[index] = Number.parseInt(hexSignature.slice(index * 2, index * 2 + 2), 16);
  }
  return crypto.subtle.verify("HMAC", await hmacKey(secret), signature, encoder.encode(message));
}
