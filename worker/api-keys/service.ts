import { and, desc, eq, isNull } from "drizzle-orm";
import { recordAudit, recordScopedAudit } from "../audit/service";
import { apiKeyFor, auditActorOf } from "../auth/actor";
import { canGrantRole, type Role } from "../auth/permissions";
import { apiKeys } from "../db/schema";
import { newId, randomToken, sha256Hex } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { requirePermission, type TenantScope } from "../lib/scope";

export interface ApiKeyView {
  id: string;
  name: string;
  role: Role;
  /** The key's last characters, enough to recognise it in a list. */
  hint: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

function toView(row: typeof apiKeys.$inferSelect): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    hint: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** Returns the secret once; only its SHA-256 is stored. */
export async function createApiKey(scope: TenantScope, input: { name: string; role: Role }) {
  const { actor, tx } = scope;
  requirePermission(actor, "api_keys:manage");
  if (!canGrantRole(actor.role, input.role))
    throw ApiError.forbidden(`You cannot create a key with the ${input.role} role.`);
  const createdBy = await personBehind(scope);
  const secret = apiKeyFor(actor.orgId, randomToken(32));
  const [row] = await tx
    .insert(apiKeys)
    .values({
      id: newId(),
      orgId: actor.orgId,
      name: input.name,
      role: input.role,
      prefix: `…${secret.slice(-6)}`,
      keyHash: await sha256Hex(secret),
      createdBy,
    })
    .returning();
  if (!row) throw new Error("API key insert returned no row");
  await recordAudit(
    tx,
    {
      orgId: actor.orgId,
      actor: auditActorOf(actor),
      action: "api_key.created",
      target: { type: "api_key", id: row.id },
      metadata: { name: input.name, role: input.role },
    },
    scope.meta,
  );
  return { apiKey: toView(row), secret };
}

/**
 * The person a new key answers to: the signed-in creator, or the person behind the key that
 * creates it, so that a chain of keys still ends at one member (see `loadApiKeyActor`).
 */
async function personBehind(scope: TenantScope): Promise<string> {
  const { actor, tx } = scope;
  if (actor.userId) return actor.userId;
  const [key] = actor.apiKeyId
    ? await tx
        .select({ createdBy: apiKeys.createdBy })
        .from(apiKeys)
        .where(eq(apiKeys.id, actor.apiKeyId))
    : [];
  if (!key?.createdBy) throw ApiError.forbidden("This key cannot create keys.");
  return key.createdBy;
}

/**
 * Revokes every live key a member created (when they are deactivated), each audited.
 * Returns how many were revoked.
 */
export async function revokeKeysCreatedBy(scope: TenantScope, userId: string): Promise<number> {
  const rows = await scope.tx
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.createdBy, userId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  for (const row of rows) {
    await recordScopedAudit(scope, {
      action: "api_key.revoked",
      target: { type: "api_key", id: row.id },
      metadata: { reason: "creator_deactivated", createdBy: userId },
    });
  }
  return rows.length;
}

export async function listApiKeys(scope: TenantScope): Promise<ApiKeyView[]> {
  requirePermission(scope.actor, "api_keys:manage");
  const rows = await scope.tx.select().from(apiKeys).orderBy(desc(apiKeys.createdAt));
  return rows.map(toView);
}

export async function revokeApiKey(scope: TenantScope, keyId: string) {
  requirePermission(scope.actor, "api_keys:manage");
  const [row] = await scope.tx
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
    .returning();
  if (!row) throw ApiError.notFound("API key");
  await recordScopedAudit(scope, {
    action: "api_key.revoked",
    target: { type: "api_key", id: row.id },
  });
  return toView(row);
}
