/*
 * Revocation as the realtime room sees it. Its own module (no schemas) so that auth and
 * member services can emit it without loading the whole event protocol.
 */

/**
 * Not sent to clients: tells the room that credentials issued before `at` (ms) no longer
 * open or keep a socket: a member's (deactivated, role changed) or one session's (signed out).
 */
export interface AccessRevoked {
  type: "access.revoked";
  target: { kind: "user"; userId: string } | { kind: "session"; sessionId: string };
  at: number;
}

export function accessRevoked(target: AccessRevoked["target"]): AccessRevoked {
  return { type: "access.revoked", target, at: Date.now() };
}
