import { and, eq, isNull } from "drizzle-orm";
import type { Tx } from "../db/client";
import { memberships, sessions, users } from "../db/schema";
import { isUuid, newId, randomToken, sha256Hex } from "../lib/crypto";
import type { RequestMeta } from "../lib/request-meta";
import { ACCESS_TOKEN_TTL_SECONDS, signAccessToken, type TokenConfig } from "./tokens";

export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  refreshExpiresAt: Date;
}

/**
 * Refresh tokens read `<orgId>.<secret>`: the organization (not secret) lets the lookup run
 * under that organization's row-level security; only the secret's hash is stored.
 */
export function parseRefreshToken(token: string): { orgId: string } | null {
  const [orgId, secret, ...rest] = token.split(".");
  if (!orgId || !secret || rest.length > 0 || !isUuid(orgId) || secret.length < 40) return null;
  return { orgId };
}

interface SessionSubject {
  orgId: string;
  userId: string;
}

interface FamilyContinuation {
  familyId: string;
  expiresAt: Date;
}

/** Starts a session family (sign-in) or continues one (rotation) and signs its tokens. */
export async function issueTokens(
  tx: Tx,
  config: TokenConfig,
  subject: SessionSubject,
  meta: RequestMeta,
  family?: FamilyContinuation,
): Promise<IssuedTokens> {
  const familyId = family?.familyId ?? newId();
  const expiresAt = family?.expiresAt ?? new Date(Date.now() + REFRESH_TOKEN_TTL_SECONDS * 1000);
  const refreshToken = `${subject.orgId}.${randomToken(32)}`;
  await tx.insert(sessions).values({
    id: newId(),
    orgId: subject.orgId,
    userId: subject.userId,
    familyId,
    tokenHash: await sha256Hex(refreshToken),
    expiresAt,
    ip: meta.ip,
    userAgent: meta.userAgent,
  });
  const [member] = await tx
    .select({ name: users.name, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, subject.orgId), eq(memberships.userId, subject.userId)));
  const accessToken = await signAccessToken(config, {
    sub: subject.userId,
    org: subject.orgId,
    sid: familyId,
    ...member,
  });
  return {
    accessToken,
    refreshToken,
    expiresIn: ACCESS_TOKEN_TTL_SECONDS,
    refreshExpiresAt: expiresAt,
  };
}

export async function findSessionByToken(tx: Tx, refreshToken: string) {
  const [row] = await tx
    .select()
    .from(sessions)
    .where(eq(sessions.tokenHash, await sha256Hex(refreshToken)))
    .for("update");
  return row ?? null;
}

export async function markRotated(tx: Tx, sessionId: string) {
  await tx.update(sessions).set({ rotatedAt: new Date() }).where(eq(sessions.id, sessionId));
}

export async function revokeFamily(tx: Tx, familyId: string) {
  await tx
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.familyId, familyId), isNull(sessions.revokedAt)));
}
