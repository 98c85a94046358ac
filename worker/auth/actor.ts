import { and, eq, isNull, sql } from "drizzle-orm";
import type { Tx } from "../db/client";
import { apiKeys, memberships, sessions, users } from "../db/schema";
import { sha256Hex } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { orgOfScopedSecret, orgScopedSecret } from "./org-tokens";
import { lesserRole, type Role } from "./permissions";
import type { AccessClaims } from "./tokens";

/** Who is calling, once their credential has been checked against the database. */
export interface Actor {
  kind: "user" | "api_key";
  orgId: string;
  role: Role;
  userId: string | null;
  apiKeyId: string | null;
  /** Session family of a signed-in user (for sign-out). */
  sessionId: string | null;
  name: string;
}

/** A credential whose signature or format is valid but not yet checked against the database. */
export type Credential =
  | { kind: "access_token"; claims: AccessClaims }
  | { kind: "api_key"; orgId: string; key: string };

const API_KEY_PREFIX = "sb";

export function apiKeyOrg(key: string): string | null {
  return orgOfScopedSecret(API_KEY_PREFIX, key);
}

export function apiKeyFor(orgId: string, secret: string): string {
  return orgScopedSecret(API_KEY_PREFIX, orgId, secret);
}

export function credentialScope(credential: Credential) {
  return credential.kind === "access_token"
    ? { orgId: credential.claims.org, userId: credential.claims.sub }
    : { orgId: credential.orgId, userId: null };
}

/** Must run inside a transaction scoped to the credential's organization. */
export async function loadActor(tx: Tx, credential: Credential): Promise<Actor> {
  const actor =
    credential.kind === "access_token"
      ? await loadUserActor(tx, credential.claims)
      : await loadApiKeyActor(tx, credential.orgId, credential.key);
  if (!actor) throw ApiError.unauthenticated("Your session is no longer valid. Sign in again.");
  return actor;
}

async function loadUserActor(tx: Tx, claims: AccessClaims): Promise<Actor | null> {
  const [row] = await tx
    .select({
      role: memberships.role,
      name: users.name,
      sessionLive: sql<boolean>`exists (select 1 from ${sessions} where ${sessions.familyId} = ${claims.sid} and ${sessions.revokedAt} is null and ${sessions.expiresAt} > now())`,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.orgId, claims.org),
        eq(memberships.userId, claims.sub),
        eq(memberships.status, "active"),
      ),
    );
  if (!row?.sessionLive) return null;
  return {
    kind: "user",
    orgId: claims.org,
    role: row.role,
    userId: claims.sub,
    apiKeyId: null,
    sessionId: claims.sid,
    name: row.name,
  };
}

/**
 * A key acts with no more than its creator's current role, and not at all once its creator is
 * no longer an active member (deactivation also revokes the creator's keys).
 */
async function loadApiKeyActor(tx: Tx, orgId: string, key: string): Promise<Actor | null> {
  const [row] = await tx
    .update(apiKeys)
    .set({ lastUsedAt: new Date() })
    .from(memberships)
    .where(
      and(
        eq(apiKeys.keyHash, await sha256Hex(key)),
        eq(apiKeys.orgId, orgId),
        isNull(apiKeys.revokedAt),
        eq(memberships.orgId, apiKeys.orgId),
        eq(memberships.userId, apiKeys.createdBy),
        eq(memberships.status, "active"),
      ),
    )
    .returning({
      id: apiKeys.id,
      role: apiKeys.role,
      creatorRole: memberships.role,
      name: apiKeys.name,
    });
  if (!row) return null;
  return {
    kind: "api_key",
    orgId,
    role: lesserRole(row.role, row.creatorRole),
    userId: null,
    apiKeyId: row.id,
    sessionId: null,
    name: row.name,
  };
}

export function auditActorOf(actor: Actor) {
  return { userId: actor.userId, apiKeyId: actor.apiKeyId };
}
