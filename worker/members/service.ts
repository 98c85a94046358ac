import { and, asc, eq, gt, ne, or } from "drizzle-orm";
import { revokeKeysCreatedBy } from "../api-keys/service";
import { recordAudit } from "../audit/service";
import { auditActorOf } from "../auth/actor";
import { canGrantRole, type Role } from "../auth/permissions";
import { memberships, sessions, users } from "../db/schema";
import { ApiError } from "../lib/errors";
import { decodeCursor, encodeCursor } from "../lib/pagination";
import { requirePermission, type TenantScope } from "../lib/scope";
import { accessRevoked } from "../realtime/revocation";

export interface Member {
  userId: string;
  name: string;
  email: string;
  role: Role;
  status: "active" | "deactivated";
  joinedAt: string;
}

const memberColumns = {
  userId: memberships.userId,
  name: users.name,
  email: users.email,
  role: memberships.role,
  status: memberships.status,
  createdAt: memberships.createdAt,
  membershipId: memberships.id,
};

function toMember(row: {
  userId: string;
  name: string;
  email: string;
  role: Role;
  status: "active" | "deactivated";
  createdAt: Date;
}): Member {
  return {
    userId: row.userId,
    name: row.name,
    email: row.email,
    role: row.role,
    status: row.status,
    joinedAt: row.createdAt.toISOString(),
  };
}

export async function listMembers(
  scope: TenantScope,
  query: { limit: number; cursor?: string | undefined },
) {
  requirePermission(scope.actor, "members:read");
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const rows = await scope.tx
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      after
        ? or(
            gt(memberships.createdAt, after.at),
            and(eq(memberships.createdAt, after.at), gt(memberships.id, after.id)),
          )
        : undefined,
    )
    .orderBy(asc(memberships.createdAt), asc(memberships.id))
    .limit(query.limit + 1);
  const pageRows = rows.slice(0, query.limit);
  const last = pageRows.at(-1);
  return {
    rows: pageRows.map(toMember),
    nextCursor:
      rows.length > query.limit && last ? encodeCursor(last.createdAt, last.membershipId) : null,
  };
}

async function findMember(scope: TenantScope, userId: string) {
  const [row] = await scope.tx
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.userId, userId))
    .for("update", { of: memberships });
  if (!row) throw ApiError.notFound("Member");
  return row;
}

/** A changed member, with how many of their API keys the change revoked. */
export interface UpdatedMember extends Member {
  revokedApiKeys: number;
}

export interface MemberChange {
  role?: Role | undefined;
  status?: "active" | "deactivated" | undefined;
}

/** Changes a member's role or status. Owners are changed only by owners; the last owner stays. */
export async function updateMember(
  scope: TenantScope,
  userId: string,
  change: MemberChange,
): Promise<UpdatedMember> {
  const { actor, tx } = scope;
  requirePermission(actor, "members:manage");
  const member = await findMember(scope, userId);
  if (member.role === "owner" && actor.role !== "owner") {
    throw ApiError.forbidden("Only an owner can change another owner.");
  }
  if (change.role && !canGrantRole(actor.role, change.role)) {
    throw ApiError.forbidden(`You cannot grant the ${change.role} role.`);
  }
  const losesOwner =
    member.role === "owner" &&
    member.status === "active" &&
    ((change.role && change.role !== "owner") || change.status === "deactivated");
  if (losesOwner) await assertAnotherActiveOwner(scope, userId);

  const [updated] = await tx
    .update(memberships)
    .set({
      role: change.role ?? member.role,
      status: change.status ?? member.status,
      updatedAt: new Date(),
    })
    .where(eq(memberships.id, member.membershipId))
    .returning({ role: memberships.role, status: memberships.status });
  if (!updated) throw ApiError.notFound("Member");
  let revokedApiKeys = 0;
  if (updated.status === "deactivated") {
    await endSessionsOf(scope, userId);
    revokedApiKeys = await revokeKeysCreatedBy(scope, userId);
  }

  await auditMemberChange(scope, member, updated, { revokedApiKeys });
  const result = toMember({ ...member, ...updated });
  scope.emit({ type: "member.updated", member: { ...result } });
  // Their open sockets were authorised as they were: close them (a new role needs new tokens).
  if (updated.role !== member.role || updated.status !== member.status) {
    scope.emit(accessRevoked({ kind: "user", userId }));
  }
  return { ...result, revokedApiKeys };
}

/** What a deactivation did, in words for the API's message and the team page. */
export function deactivationSummary(member: UpdatedMember): string {
  const keys = member.revokedApiKeys;
  const revoked =
    keys === 0
      ? "No API keys they created needed revoking."
      : `${keys} API ${keys === 1 ? "key" : "keys"} they created ${keys === 1 ? "was" : "were"} revoked.`;
  return `${member.name} was deactivated and signed out everywhere. ${revoked}`;
}

async function assertAnotherActiveOwner(scope: TenantScope, exceptUserId: string) {
  const owners = await scope.tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(
      and(
        eq(memberships.role, "owner"),
        eq(memberships.status, "active"),
        ne(memberships.userId, exceptUserId),
      ),
    )
    .for("update");
  if (owners.length === 0) {
    throw ApiError.conflict("The organization must keep at least one active owner.");
  }
}

async function endSessionsOf(scope: TenantScope, userId: string) {
  await scope.tx.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.userId, userId));
}

async function auditMemberChange(
  scope: TenantScope,
  before: { userId: string; role: Role; status: string },
  after: { role: Role; status: string },
  deactivation: { revokedApiKeys: number },
) {
  const base = {
    orgId: scope.actor.orgId,
    actor: auditActorOf(scope.actor),
    target: { type: "user", id: before.userId },
  };
  if (before.role !== after.role) {
    await recordAudit(
      scope.tx,
      { ...base, action: "member.role_changed", metadata: { from: before.role, to: after.role } },
      scope.meta,
    );
  }
  if (before.status !== after.status) {
    const deactivated = after.status === "deactivated";
    await recordAudit(
      scope.tx,
      {
        ...base,
        action: deactivated ? "member.deactivated" : "member.reactivated",
        metadata: deactivated ? deactivation : {},
      },
      scope.meta,
    );
  }
}
