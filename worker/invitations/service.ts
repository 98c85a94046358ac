import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { recordAudit, recordScopedAudit } from "../audit/service";
import { normalizeEmail } from "../auth/accounts";
import { auditActorOf } from "../auth/actor";
import { checkPassword, type PasswordCheckContext } from "../auth/password-check";
import { hashPassword } from "../auth/passwords";
import { canGrantRole, type Role } from "../auth/permissions";
import { type AuthResult, publicOrganization } from "../auth/service";
import { issueTokens } from "../auth/sessions";
import type { TokenConfig } from "../auth/tokens";
import type { Database, Tx } from "../db/client";
import { invitations, memberships, organizations, users } from "../db/schema";
import { queueEmail } from "../email/send";
import { appLink, type Config } from "../env";
import { isUuid, newId, randomToken, sha256Hex } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { requirePermission, type TenantScope } from "../lib/scope";
import { type AfterCommit, runUnitOfWork } from "../lib/unit-of-work";
import { notify } from "../notifications/service";

export const INVITATION_TTL_DAYS = 7;

export interface InvitationView {
  id: string;
  email: string;
  role: Role;
  expiresAt: string;
  createdAt: string;
}

function toView(row: typeof invitations.$inferSelect): InvitationView {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
  };
}

/** Invitation tokens read `<orgId>.<secret>` so acceptance can look them up under that org's RLS. */
function parseInvitationToken(token: string): string | null {
  const [orgId, secret, ...rest] = token.split(".");
  return orgId && secret && rest.length === 0 && isUuid(orgId) && secret.length >= 40
    ? orgId
    : null;
}

export async function createInvitation(
  scope: TenantScope,
  input: { email: string; role: Role },
  config: Pick<Config, "APP_URL" | "EMAIL_FROM">,
) {
  const { actor, tx } = scope;
  requirePermission(actor, "invitations:manage");
  if (!canGrantRole(actor.role, input.role))
    throw ApiError.forbidden(`You cannot invite someone as ${input.role}.`);
  const email = normalizeEmail(input.email);
  const [existing] = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(users.email, email));
  if (existing)
    throw ApiError.conflict("This person is already a member.", { email: ["Already a member."] });

  const token = `${actor.orgId}.${randomToken(32)}`;
  const [row] = await tx
    .insert(invitations)
    .values({
      id: newId(),
      orgId: actor.orgId,
      email,
      role: input.role,
      tokenHash: await sha256Hex(token),
      invitedBy: actor.userId,
      expiresAt: new Date(Date.now() + INVITATION_TTL_DAYS * 86_400_000),
    })
    .returning();
  if (!row) throw new Error("Invitation insert returned no row");
  await recordAudit(
    tx,
    {
      orgId: actor.orgId,
      actor: auditActorOf(actor),
      action: "invitation.created",
      target: { type: "invitation", id: row.id },
      metadata: { email, role: input.role },
    },
    scope.meta,
  );
  const acceptUrl = appLink(config, `/invite/${encodeURIComponent(token)}`);
  await queueEmail(scope, config, {
    to: email,
    request: {
      template: "invitation",
      data: {
        inviterName: actor.kind === "user" ? actor.name : null,
        role: input.role,
        link: acceptUrl,
        days: INVITATION_TTL_DAYS,
      },
    },
  });
  return { invitation: toView(row), token, acceptUrl };
}

export async function listPendingInvitations(scope: TenantScope): Promise<InvitationView[]> {
  requirePermission(scope.actor, "invitations:manage");
  const rows = await scope.tx
    .select()
    .from(invitations)
    .where(
      and(
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, new Date()),
      ),
    )
    .orderBy(desc(invitations.createdAt));
  return rows.map(toView);
}

export async function revokeInvitation(scope: TenantScope, invitationId: string) {
  requirePermission(scope.actor, "invitations:manage");
  const [row] = await scope.tx
    .update(invitations)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(invitations.id, invitationId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
      ),
    )
    .returning();
  if (!row) throw ApiError.notFound("Invitation");
  await recordScopedAudit(scope, {
    action: "invitation.revoked",
    target: { type: "invitation", id: row.id },
  });
}

export interface InvitationPreview {
  organizationName: string;
  email: string;
  role: Role;
  hasAccount: boolean;
}

/** What the accept page shows before the invitee commits. */
export async function previewInvitation(db: Database, token: string): Promise<InvitationPreview> {
  const orgId = parseInvitationToken(token);
  if (!orgId) throw ApiError.notFound("Invitation");
  return db.transaction({ orgId, userId: null }, async (tx) => {
    const invitation = await findUsableInvitation(tx, token);
    const [org] = await tx.select({ name: organizations.name }).from(organizations);
    const [user] = await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(users.email, invitation.email));
    return {
      organizationName: org?.name ?? "",
      email: invitation.email,
      role: invitation.role,
      hasAccount: Boolean(user),
    };
  });
}

async function findUsableInvitation(tx: Tx, token: string) {
  const [invitation] = await tx
    .select()
    .from(invitations)
    .where(eq(invitations.tokenHash, await sha256Hex(token)))
    .for("update");
  if (!invitation || invitation.revokedAt) throw ApiError.notFound("Invitation");
  if (invitation.acceptedAt) throw ApiError.conflict("This invitation has already been accepted.");
  if (invitation.expiresAt <= new Date())
    throw new ApiError(410, "gone", "This invitation has expired.");
  return invitation;
}

export interface AcceptInput {
  token: string;
  name?: string | undefined;
  password?: string | undefined;
  /** Set when the invitee is already signed in. */
  signedInUserId?: string | undefined;
}

/**
 * Joins the invited organization: as the signed-in user, as an existing account proven by its
 * password, or as a new account. Returns a session in the new organization.
 */
export async function acceptInvitation(
  context: PasswordCheckContext & { config: TokenConfig },
  input: AcceptInput,
  afterCommit: AfterCommit,
): Promise<AuthResult> {
  const { database: db, config, meta } = context;
  const orgId = parseInvitationToken(input.token);
  if (!orgId) throw ApiError.notFound("Invitation");
  const invitee = await db.transaction({ orgId, userId: null }, async (tx) => {
    const invitation = await findUsableInvitation(tx, input.token);
    const [existing] = await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(users.email, invitation.email));
    return { email: invitation.email, existingId: existing?.id ?? null };
  });
  // An existing account proves itself with its password, through the one password check
  // (limited and audited like a sign-in), and outside the transaction that takes the invitation.
  let provenUserId: string | undefined;
  if (invitee.existingId && invitee.existingId !== input.signedInUserId) {
    if (!input.password) throw wrongInvitee();
    const account = await checkPassword(
      context,
      { email: invitee.email, password: input.password, via: "invitation" },
      wrongInvitee,
    );
    provenUserId = account.id;
  }
  const newPasswordHash =
    !invitee.existingId && input.password ? await hashPassword(input.password) : null;
  return runUnitOfWork(db, { orgId, userId: null }, afterCommit, async (unit) => {
    const { tx, emit } = unit;
    const invitation = await findUsableInvitation(tx, input.token);
    const user = await resolveInvitee(tx, invitation.email, input, provenUserId, newPasswordHash);
    const [alreadyMember] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .where(eq(memberships.userId, user.id));
    if (alreadyMember) throw ApiError.conflict("You are already a member of this organization.");
    await tx
      .insert(memberships)
      .values({ id: newId(), orgId, userId: user.id, role: invitation.role });
    await tx
      .update(invitations)
      .set({ acceptedAt: new Date(), acceptedBy: user.id })
      .where(eq(invitations.id, invitation.id));
    await recordAudit(
      tx,
      {
        orgId,
        actor: { userId: user.id, apiKeyId: null },
        action: "invitation.accepted",
        target: { type: "invitation", id: invitation.id },
        metadata: { role: invitation.role },
      },
      meta,
    );
    await notify(unit, [invitation.invitedBy], {
      kind: "invitation_accepted",
      title: `${user.name} joined as ${invitation.role}`,
      body: user.email,
      link: "/app/settings/team",
    });
    const [organization] = await tx.select().from(organizations).where(eq(organizations.id, orgId));
    if (!organization) throw ApiError.notFound("Organization");
    const tokens = await issueTokens(tx, config, { orgId, userId: user.id }, meta);
    emit({
      type: "member.updated",
      member: {
        userId: user.id,
        name: user.name,
        email: user.email,
        role: invitation.role,
        status: "active",
      },
    });
    return {
      ...tokens,
      user: { id: user.id, email: user.email, name: user.name },
      organization: publicOrganization(organization),
      role: invitation.role,
    };
  });
}

const wrongInvitee = () =>
  new ApiError(
    401,
    "invalid_credentials",
    "Sign in as the invited account to accept this invitation.",
    { password: ["Enter the password of the invited account."] },
  );

async function resolveInvitee(
  tx: Tx,
  email: string,
  input: AcceptInput,
  provenUserId: string | undefined,
  newPasswordHash: string | null,
) {
  const [existing] = await tx.select().from(users).where(eq(users.email, email));
  if (existing) {
    if (existing.id === input.signedInUserId || existing.id === provenUserId) return existing;
    throw wrongInvitee();
  }
  if (input.signedInUserId) {
    throw ApiError.forbidden("This invitation was sent to a different email address.");
  }
  const fields: Record<string, string[]> = {};
  if (!input.name?.trim()) fields.name = ["Enter your name."];
  if (!newPasswordHash) fields.password = ["Choose a password."];
  if (Object.keys(fields).length > 0) throw ApiError.validation(fields);
  const [created] = await tx
    .insert(users)
    .values({
      id: newId(),
      email,
      name: (input.name ?? "").trim(),
      passwordHash: newPasswordHash as string,
      // The invitation's link went to this address: opening it proves the address.
      emailVerifiedAt: new Date(),
    })
    .returning();
  if (!created) throw new Error("User insert returned no row");
  return created;
}
