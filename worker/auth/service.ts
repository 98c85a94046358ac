import { and, eq, sql } from "drizzle-orm";
import { recordAudit } from "../audit/service";
import { applyScope, type Database, type Tx } from "../db/client";
import { memberships, organizations, users } from "../db/schema";
import { supportAddress } from "../email/addresses";
import type { Config } from "../env";
import { newId, randomToken } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { isUniqueViolation } from "../lib/postgres";
import type { RequestMeta } from "../lib/request-meta";
import type { TenantScope } from "../lib/scope";
import { slugBase } from "../lib/slug";
import { type AfterCommit, runUnitOfWork } from "../lib/unit-of-work";
import { accessRevoked } from "../realtime/revocation";
import { sendEmailVerification } from "./account-links";
import {
  normalizeEmail,
  type PublicOrganization,
  publicOrganization,
  userMemberships,
} from "./accounts";

export { type PublicOrganization, publicOrganization };

import type { Actor } from "./actor";
import { checkPassword, type PasswordCheckContext } from "./password-check";
import { hashPassword, needsRehash } from "./passwords";
import { permissionsOf, type Role } from "./permissions";
import {
  findSessionByToken,
  type IssuedTokens,
  issueTokens,
  markRotated,
  parseRefreshToken,
  revokeFamily,
} from "./sessions";
import type { TokenConfig } from "./tokens";

export interface PublicUser {
  id: string;
  email: string;
  name: string;
}

export interface AuthResult extends IssuedTokens {
  user: PublicUser;
  organization: PublicOrganization;
  role: Role;
}

/** What sign-in answers carry in `data` (the cookie expiry stays server-side). */
export function toAuthPayload(result: AuthResult) {
  return {
    user: result.user,
    organization: result.organization,
    role: result.role,
    accessToken: result.accessToken,
    refreshToken: result.refreshToken,
    expiresIn: result.expiresIn,
  };
}

function publicUser(row: { id: string; email: string; name: string }): PublicUser {
  return { id: row.id, email: row.email, name: row.name };
}

export function slugify(name: string): string {
  const base = slugBase(name, 40);
  return `${base || "org"}-${randomToken(4)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "x")}`;
}

export interface SignupInput {
  email: string;
  password: string;
  name: string;
  organizationName: string;
}

/**
 * Sign-up: the account, its organization (owned by it) and a link to confirm the address; or,
 * when the address already has an account, nothing. The caller answers the same either way
 * (finding L4: sign-up must not tell whether an address has an account) and, for `exists`,
 * tells that account's owner after the answer (`tellAccountExistsAfterAnswer`). Nobody is
 * signed in here: the new owner signs in with the password they chose (the account works,
 * flagged until the address is confirmed). Both outcomes hash the password first, so the
 * expensive part of the work is the same.
 */
export async function signup(
  db: Database,
  config: Pick<Config, "APP_URL" | "EMAIL_FROM">,
  input: SignupInput,
  meta: RequestMeta,
  afterCommit: AfterCommit,
): Promise<"created" | "exists"> {
  const email = normalizeEmail(input.email);
  const userId = newId();
  const orgId = newId();
  const passwordHash = await hashPassword(input.password);
  try {
    await runUnitOfWork(db, { orgId, userId }, afterCommit, async (unit) => {
      const { tx } = unit;
      const [user] = await tx
        .insert(users)
        .values({ id: userId, email, name: input.name.trim(), passwordHash })
        .returning();
      const [organization] = await tx
        .insert(organizations)
        .values({
          id: orgId,
          name: input.organizationName.trim(),
          slug: slugify(input.organizationName),
        })
        .returning();
      if (!user || !organization) throw new Error("Sign-up insert returned no row");
      await tx.insert(memberships).values({ id: newId(), orgId, userId, role: "owner" });
      const actor = { userId, apiKeyId: null };
      await recordAudit(tx, { orgId, actor, action: "auth.signed_up" }, meta);
      await sendEmailVerification(unit, config, user);
    });
    return "created";
  } catch (error) {
    if (isUniqueViolation(error, "users_email_key")) return "exists";
    throw error;
  }
}

export interface LoginInput {
  email: string;
  password: string;
  organizationId?: string | undefined;
}

/** Sign-in from the API or the sign-in page; the password goes through `checkPassword`. */
export async function login(
  context: PasswordCheckContext & { config: TokenConfig },
  input: LoginInput,
): Promise<AuthResult> {
  const { database: db, config, meta } = context;
  const user = await checkPassword(context, { ...input, via: "login" });
  const membership = await chooseMembership(db, user.id, input.organizationId);
  const rehashed = needsRehash(user.passwordHash) ? await hashPassword(input.password) : null;
  return startSession(db, config, user, membership, meta, async (tx) => {
    await tx
      .update(users)
      .set({ lastLoginAt: new Date(), ...(rehashed ? { passwordHash: rehashed } : {}) })
      .where(eq(users.id, user.id));
  });
}

/** A new session family in the chosen organization, audited as a sign-in. */
async function startSession(
  db: Database,
  config: TokenConfig,
  user: PublicUser,
  membership: ChosenMembership,
  meta: RequestMeta,
  alsoInTransaction: (tx: Tx) => Promise<void>,
  auditMetadata: Record<string, unknown> = {},
): Promise<AuthResult> {
  const subject = { orgId: membership.orgId, userId: user.id };
  return db.transaction(subject, async (tx) => {
    await alsoInTransaction(tx);
    await recordAudit(
      tx,
      {
        orgId: membership.orgId,
        actor: { userId: user.id, apiKeyId: null },
        action: "auth.signed_in",
        metadata: auditMetadata,
      },
      meta,
    );
    const tokens = await issueTokens(tx, config, subject, meta);
    return {
      ...tokens,
      user: publicUser(user),
      organization: membership.organization,
      role: membership.role,
    };
  });
}

/** Moves a signed-in person to another of their organizations; the current session ends. */
export async function switchOrganization(
  db: Database,
  config: TokenConfig,
  actor: Actor,
  organizationId: string,
  meta: RequestMeta,
): Promise<AuthResult> {
  const { userId, sessionId } = actor;
  if (!userId || !sessionId)
    throw ApiError.forbidden("Only a signed-in person can switch organizations.");
  const membership = await chooseMembership(db, userId, organizationId);
  const [user] = await db.global((tx) => tx.select().from(users).where(eq(users.id, userId)));
  if (!user) throw ApiError.unauthenticated();
  const result = await startSession(db, config, user, membership, meta, async () => {}, {
    switchedFrom: actor.orgId,
  });
  await db.transaction({ orgId: actor.orgId, userId }, (tx) => revokeFamily(tx, sessionId));
  return result;
}

interface ChosenMembership {
  orgId: string;
  role: Role;
  organization: PublicOrganization;
}

/** The requested organization, or the one the user joined first. */
async function chooseMembership(
  db: Database,
  userId: string,
  organizationId: string | undefined,
): Promise<ChosenMembership> {
  const rows = await db.transaction({ orgId: null, userId }, (tx) => userMemberships(tx, userId));
  const chosen = organizationId
    ? rows.find((row) => row.organization.id === organizationId)
    : rows[0];
  if (!chosen) {
    throw ApiError.forbidden(
      organizationId
        ? "You are not an active member of that organization."
        : "Your account has no active organization.",
    );
  }
  return { orgId: chosen.organization.id, role: chosen.role, organization: chosen.organization };
}

/**
 * Two tabs (or two parallel page loads) may present the same refresh token at once when their
 * access token expires. Within this window a second use continues the family instead of
 * counting as theft; after it, reuse revokes the family. See docs/decisions/003.
 */
export const REFRESH_REUSE_GRACE_MS = 10_000;

function isConcurrentRefresh(rotatedAt: Date): boolean {
  return Date.now() - rotatedAt.getTime() < REFRESH_REUSE_GRACE_MS;
}

type RefreshOutcome =
  | { kind: "rotated"; result: AuthResult }
  | { kind: "rejected"; reason: string };

/**
 * Rotates a refresh token. A token already rotated means it was stolen or replayed: the whole
 * family is revoked (committed) before the caller gets its 401.
 */
export async function refresh(
  db: Database,
  config: TokenConfig,
  refreshToken: string,
  meta: RequestMeta,
): Promise<AuthResult> {
  const parsed = parseRefreshToken(refreshToken);
  if (!parsed) throw ApiError.unauthenticated("The refresh token is invalid.");
  const outcome = await db.transaction(
    { orgId: parsed.orgId, userId: null },
    async (tx): Promise<RefreshOutcome> => {
      const session = await findSessionByToken(tx, refreshToken);
      if (!session || session.revokedAt)
        return { kind: "rejected", reason: "The refresh token is invalid." };
      if (session.rotatedAt && !isConcurrentRefresh(session.rotatedAt)) {
        await revokeFamily(tx, session.familyId);
        await recordAudit(
          tx,
          {
            orgId: session.orgId,
            actor: { userId: session.userId, apiKeyId: null },
            action: "auth.refresh_token_reused",
            target: { type: "session", id: session.familyId },
          },
          meta,
        );
        return {
          kind: "rejected",
          reason: "The refresh token was already used; the session has been ended.",
        };
      }
      if (session.expiresAt <= new Date())
        return { kind: "rejected", reason: "The session has expired." };
      await applyScope(tx, { orgId: session.orgId, userId: session.userId });
      const [member] = await tx
        .select({ role: memberships.role, user: users, organization: organizations })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .innerJoin(organizations, eq(organizations.id, memberships.orgId))
        .where(
          and(
            eq(memberships.orgId, session.orgId),
            eq(memberships.userId, session.userId),
            eq(memberships.status, "active"),
          ),
        );
      if (!member) {
        await revokeFamily(tx, session.familyId);
        return { kind: "rejected", reason: "Your membership is no longer active." };
      }
      if (!session.rotatedAt) await markRotated(tx, session.id);
      const tokens = await issueTokens(
        tx,
        config,
        { orgId: session.orgId, userId: session.userId },
        meta,
        { familyId: session.familyId, expiresAt: session.expiresAt },
      );
      return {
        kind: "rotated",
        result: {
          ...tokens,
          user: publicUser(member.user),
          organization: publicOrganization(member.organization),
          role: member.role,
        },
      };
    },
  );
  if (outcome.kind === "rejected") throw ApiError.unauthenticated(outcome.reason);
  return outcome.result;
}

/** Ends the caller's session family; its refresh tokens and sockets stop working at once. */
export async function logout(scope: TenantScope) {
  const { actor, tx, meta } = scope;
  if (!actor.sessionId || !actor.userId) return;
  await revokeFamily(tx, actor.sessionId);
  scope.emit(accessRevoked({ kind: "session", sessionId: actor.sessionId }));
  await recordAudit(
    tx,
    {
      orgId: actor.orgId,
      actor: { userId: actor.userId, apiKeyId: null },
      action: "auth.signed_out",
    },
    meta,
  );
}

/** Sign-out with only a refresh token (the access token may have expired). */
export async function logoutByRefreshToken(
  db: Database,
  refreshToken: string,
  afterCommit: AfterCommit,
) {
  const parsed = parseRefreshToken(refreshToken);
  if (!parsed) return;
  await runUnitOfWork(db, { orgId: parsed.orgId, userId: null }, afterCommit, async (unit) => {
    const session = await findSessionByToken(unit.tx, refreshToken);
    if (!session) return;
    await revokeFamily(unit.tx, session.familyId);
    unit.emit(accessRevoked({ kind: "session", sessionId: session.familyId }));
  });
}

export async function describeActor(
  scope: TenantScope,
  config: Pick<Config, "INBOUND_EMAIL_DOMAIN">,
) {
  const { actor, tx } = scope;
  // The organization and the signed-in user in one round trip (an API key has no user).
  const [row] = await tx
    .select({ organization: organizations, user: users })
    .from(organizations)
    .leftJoin(users, actor.userId ? eq(users.id, actor.userId) : sql`false`)
    .where(eq(organizations.id, actor.orgId));
  if (!row) throw ApiError.notFound("Organization");
  const { organization, user } = row;
  const orgs = actor.userId ? await otherOrganizations(tx, { ...actor, userId: actor.userId }) : [];
  return {
    user: user ? { ...publicUser(user), emailVerified: user.emailVerifiedAt !== null } : null,
    apiKey: actor.apiKeyId ? { id: actor.apiKeyId, name: actor.name } : null,
    organization: {
      ...publicOrganization(organization),
      supportEmail: supportAddress(organization.slug, config),
    },
    role: actor.role,
    permissions: permissionsOf(actor.role),
    organizations: orgs,
  };
}

/** Every organization the user belongs to, for the organization switcher. */
async function otherOrganizations(tx: Tx, actor: Actor & { userId: string }) {
  await applyScope(tx, { orgId: null, userId: actor.userId });
  const rows = await userMemberships(tx, actor.userId);
  await applyScope(tx, { orgId: actor.orgId, userId: actor.userId });
  return rows.map((row) => ({ ...row.organization, role: row.role }));
}
