import { and, desc, eq, isNull } from "drizzle-orm";
import { type AuditAction, recordScopedAudit } from "../audit/service";
import { orgOfScopedSecret, orgScopedSecret } from "../auth/org-tokens";
import type { Database } from "../db/client";
import { pbxBridgeTokens } from "../db/telephony-schema";
import { newId, randomToken, sha256Hex } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { requirePermission, type TenantScope } from "../lib/scope";

/** Bridge tokens authenticate an organization's pbx-bridge to its PbxGateway. */
const BRIDGE_TOKEN_PREFIX = "sbb";

export interface BridgeTokenView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

function toView(row: typeof pbxBridgeTokens.$inferSelect): BridgeTokenView {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export async function listBridgeTokens(scope: TenantScope): Promise<BridgeTokenView[]> {
  requirePermission(scope.actor, "pbx:configure");
  const rows = await scope.tx
    .select()
    .from(pbxBridgeTokens)
    .orderBy(desc(pbxBridgeTokens.createdAt));
  return rows.map(toView);
}

/** Returns the token once; only its SHA-256 is stored. */
export async function createBridgeToken(scope: TenantScope, input: { name: string }) {
  const { actor, tx } = scope;
  requirePermission(actor, "pbx:configure");
  const token = orgScopedSecret(BRIDGE_TOKEN_PREFIX, actor.orgId, randomToken(32));
  const [row] = await tx
    .insert(pbxBridgeTokens)
    .values({
      id: newId(),
      orgId: actor.orgId,
      name: input.name,
      tokenHash: await sha256Hex(token),
      createdBy: actor.userId,
    })
    .returning();
  if (!row) throw new Error("bridge token insert returned no row");
  await auditToken(scope, "pbx.bridge_token_created", row.id, input.name);
  return { ...toView(row), token };
}

export async function revokeBridgeToken(scope: TenantScope, id: string): Promise<void> {
  requirePermission(scope.actor, "pbx:configure");
  const [row] = await scope.tx
    .update(pbxBridgeTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(pbxBridgeTokens.id, id), isNull(pbxBridgeTokens.revokedAt)))
    .returning();
  if (!row) throw ApiError.notFound("Active bridge token");
  await auditToken(scope, "pbx.bridge_token_revoked", row.id, row.name);
}

async function auditToken(scope: TenantScope, action: AuditAction, id: string, name: string) {
  await recordScopedAudit(scope, {
    action,
    target: { type: "pbx_bridge_token", id },
    metadata: { name },
  });
}

export interface BridgeIdentity {
  orgId: string;
  tokenId: string;
}

/** The organization and token a presented bridge token belongs to, or null. */
export async function authenticateBridge(
  database: Database,
  token: string,
): Promise<BridgeIdentity | null> {
  const orgId = orgOfScopedSecret(BRIDGE_TOKEN_PREFIX, token);
  if (!orgId) return null;
  const tokenHash = await sha256Hex(token);
  const [row] = await database.transaction({ orgId, userId: null }, (tx) =>
    tx
      .update(pbxBridgeTokens)
      .set({ lastUsedAt: new Date() })
      .where(and(eq(pbxBridgeTokens.tokenHash, tokenHash), isNull(pbxBridgeTokens.revokedAt)))
      .returning({ id: pbxBridgeTokens.id }),
  );
  return row ? { orgId, tokenId: row.id } : null;
}
