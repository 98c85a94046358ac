import { and, eq, inArray, isNull, ne } from "drizzle-orm";
import { recordAudit } from "../audit/service";
import { applyScope } from "../db/client";
import { accountTokens } from "../db/email-schema";
import { sessions, users } from "../db/schema";
import { queueEmail } from "../email/send";
import { appLink } from "../env";
import { sha256Hex } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { isUniqueViolation } from "../lib/postgres";
import type { TenantScope } from "../lib/scope";
import { runUnitOfWork } from "../lib/unit-of-work";
import { enforceRateLimits } from "../rate-limit/enforce";
import { accessRevoked } from "../realtime/revocation";
import {
  type AccountLinkContext,
  invalidLink,
  issueAccountToken,
  organizationsOf,
  sendEmailVerification,
  takeAccountToken,
} from "./account-links";
import type { Actor } from "./actor";
import { checkPassword } from "./password-check";
import { hashPassword } from "./passwords";

/*
 * What a signed-in person changes about themselves: their name, their sign-in address (through
 * a link sent to the new address, the old one told at each step) and their password. Each
 * change that needs the password checks it through `checkPassword` (the one check: its limits
 * and its audit). See docs/decisions/034-account-settings.md.
 */

export const EMAIL_CHANGE_HOURS = 24;

/** A person, not an API key: only they change their own account. */
function personOf(actor: Actor): string {
  if (!actor.userId) throw ApiError.forbidden("Only a signed-in person can change their account.");
  return actor.userId;
}

/** A wrong current password: the same 401 as sign-in, said about the field it was typed in. */
const wrongPassword = (field: string) => () =>
  new ApiError(401, "invalid_credentials", "Your current password is incorrect.", {
    [field]: ["Your current password is incorrect."],
  });

/** `n***@example.com`: enough for the owner to recognise, not enough to read. */
export function maskedAddress(email: string): string {
  const at = email.lastIndexOf("@");
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

export async function changeName(scope: TenantScope, name: string) {
  const userId = personOf(scope.actor);
  const [user] = await scope.tx
    .update(users)
    .set({ name, updatedAt: new Date() })
    .where(eq(users.id, userId))
    .returning({ id: users.id, email: users.email, name: users.name });
  if (!user) throw ApiError.notFound("User");
  await recordAudit(
    scope.tx,
    { orgId: scope.actor.orgId, actor: { userId, apiKeyId: null }, action: "auth.name_changed" },
    scope.meta,
  );
  return user;
}

async function accountOf(context: Pick<AccountLinkContext, "database">, userId: string) {
  const [user] = await context.database.global((tx) =>
    tx
      .select({ id: users.id, email: users.email, name: users.name })
      .from(users)
      .where(eq(users.id, userId)),
  );
  if (!user) throw ApiError.unauthenticated();
  return user;
}

/**
 * Asks to move the sign-in to `newEmail`: the current password re-checked, then (same answer
 * whether the address is free or not) a link to the new address if it is free, a notice to it
 * if another account uses it, and a notice to the current address either way.
 */
export async function requestEmailChange(
  context: AccountLinkContext,
  actor: Actor,
  input: { newEmail: string; password: string },
) {
  const userId = personOf(actor);
  await enforceRateLimits(context.env, context.config.RATE_LIMIT_MULTIPLIER, [
    { limit: "emailChangesByAccount", key: userId },
  ]);
  const current = await accountOf(context, userId);
  await checkPassword(
    context,
    {
      email: current.email,
      password: input.password,
      via: "reauthentication",
    },
    wrongPassword("password"),
  );
  if (input.newEmail === current.email) {
    throw ApiError.validation({ newEmail: ["This is already your sign-in address."] });
  }
  await runUnitOfWork(
    context.database,
    { orgId: actor.orgId, userId },
    context.afterCommit,
    async (unit) => {
      const [taken] = await unit.tx
        .select({ id: users.id })
        .from(users)
        .where(eq(users.email, input.newEmail));
      if (taken) {
        await unit.tx
          .delete(accountTokens)
          .where(
            and(
              eq(accountTokens.userId, userId),
              eq(accountTokens.purpose, "change_email"),
              isNull(accountTokens.usedAt),
            ),
          );
        await queueEmail(unit, context.config, {
          to: input.newEmail,
          request: { template: "email_change_taken", data: {} },
        });
      } else {
        const token = await issueAccountToken(unit.tx, {
          userId,
          purpose: "change_email",
          email: input.newEmail,
          ttlMs: EMAIL_CHANGE_HOURS * 3600_000,
        });
        await queueEmail(unit, context.config, {
          to: input.newEmail,
          request: {
            template: "email_change_confirm",
            data: {
              name: current.name,
              link: appLink(context.config, `/confirm-email?token=${token}`),
              hours: EMAIL_CHANGE_HOURS,
            },
          },
        });
      }
      await queueEmail(unit, context.config, {
        to: current.email,
        request: {
          template: "email_change_requested",
          data: { name: current.name, masked: maskedAddress(input.newEmail) },
        },
      });
      await recordAudit(
        unit.tx,
        {
          orgId: actor.orgId,
          actor: { userId, apiKeyId: null },
          action: "auth.email_change_requested",
        },
        context.meta,
      );
    },
  );
}

const addressTaken = () =>
  ApiError.conflict(
    "Another account signs in with this address now, so yours cannot move to it. Your address stays as it was.",
  );

/**
 * The new address's link, opened: the account signs in with it from now on (verified), the
 * old address is told, the change is audited in each of the person's organizations. Sessions
 * stay (the password did not change; see the decision). Links sent to the old address (reset,
 * verification) stop working.
 */
export async function confirmEmailChange(
  context: Pick<AccountLinkContext, "database" | "config" | "meta" | "afterCommit">,
  token: string,
): Promise<{ email: string }> {
  const { database, meta } = context;
  const userId = await database.global(async (tx) => {
    const [row] = await tx
      .select({ userId: accountTokens.userId })
      .from(accountTokens)
      .where(
        and(
          eq(accountTokens.tokenHash, await sha256Hex(token)),
          eq(accountTokens.purpose, "change_email"),
        ),
      );
    return row?.userId ?? null;
  });
  const orgIds = userId ? await organizationsOf(database, userId) : [];
  const home = orgIds[0];
  if (!userId || !home) {
    throw invalidLink("This link has expired or was already used. Ask for a new one.");
  }
  try {
    return await runUnitOfWork(
      database,
      { orgId: home, userId },
      context.afterCommit,
      async (unit) => {
        const link = await takeAccountToken(unit.tx, token, "change_email");
        if (link.userId !== userId) throw new Error("email change token changed hands");
        const [taken] = await unit.tx
          .select({ id: users.id })
          .from(users)
          .where(and(eq(users.email, link.email), ne(users.id, userId)));
        if (taken) throw addressTaken();
        const [before] = await unit.tx
          .select({ email: users.email, name: users.name })
          .from(users)
          .where(eq(users.id, userId));
        if (!before) throw new Error("email change for a missing user");
        await unit.tx
          .update(users)
          .set({ email: link.email, emailVerifiedAt: new Date(), updatedAt: new Date() })
          .where(eq(users.id, userId));
        await unit.tx
          .delete(accountTokens)
          .where(
            and(
              eq(accountTokens.userId, userId),
              inArray(accountTokens.purpose, ["reset_password", "verify_email"]),
              isNull(accountTokens.usedAt),
            ),
          );
        for (const orgId of orgIds) {
          await applyScope(unit.tx, { orgId, userId });
          await recordAudit(
            unit.tx,
            {
              orgId,
              actor: { userId, apiKeyId: null },
              action: "auth.email_changed",
              metadata: { from: before.email, to: link.email },
            },
            meta,
          );
        }
        await applyScope(unit.tx, { orgId: home, userId });
        await queueEmail(unit, context.config, {
          to: before.email,
          request: { template: "email_changed", data: { name: before.name, email: link.email } },
        });
        return { email: link.email };
      },
    );
  } catch (error) {
    if (isUniqueViolation(error, "users_email_key")) throw addressTaken();
    throw error;
  }
}

/**
 * A new password for a signed-in person who knows the current one: every other session ends
 * (in each organization, sockets closed, audited there); the one that asked stays signed in.
 * A pending email change is cancelled too.
 */
export async function changePassword(
  context: AccountLinkContext,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
) {
  const userId = personOf(actor);
  const current = await accountOf(context, userId);
  await checkPassword(
    context,
    {
      email: current.email,
      password: input.currentPassword,
      via: "reauthentication",
    },
    wrongPassword("currentPassword"),
  );
  const passwordHash = await hashPassword(input.newPassword);
  const orgIds = await organizationsOf(context.database, userId);
  const endedElsewhere = new Map<string, string[]>();
  await runUnitOfWork(
    context.database,
    { orgId: actor.orgId, userId },
    context.afterCommit,
    async (unit) => {
      await unit.tx
        .update(users)
        .set({ passwordHash, updatedAt: new Date() })
        .where(eq(users.id, userId));
      await unit.tx
        .delete(accountTokens)
        .where(
          and(
            eq(accountTokens.userId, userId),
            inArray(accountTokens.purpose, ["reset_password", "change_email"]),
            isNull(accountTokens.usedAt),
          ),
        );
      for (const orgId of orgIds) {
        await applyScope(unit.tx, { orgId, userId });
        const ended = await unit.tx
          .update(sessions)
          .set({ revokedAt: new Date() })
          .where(
            and(
              eq(sessions.userId, userId),
              isNull(sessions.revokedAt),
              actor.sessionId ? ne(sessions.familyId, actor.sessionId) : undefined,
            ),
          )
          .returning({ familyId: sessions.familyId });
        const families = [...new Set(ended.map((row) => row.familyId))];
        if (orgId === actor.orgId) {
          for (const familyId of families) {
            unit.emit(accessRevoked({ kind: "session", sessionId: familyId }));
          }
        } else if (families.length > 0) {
          endedElsewhere.set(orgId, families);
        }
        await recordAudit(
          unit.tx,
          { orgId, actor: { userId, apiKeyId: null }, action: "auth.password_changed" },
          context.meta,
        );
      }
      await applyScope(unit.tx, { orgId: actor.orgId, userId });
      await queueEmail(unit, context.config, {
        to: current.email,
        request: { template: "password_changed", data: { name: current.name, kept: true } },
      });
    },
  );
  // Sockets of the sessions that ended in the person's other organizations close too.
  for (const [orgId, families] of endedElsewhere) {
    await context.afterCommit({
      orgId,
      events: families.map((familyId) => accessRevoked({ kind: "session", sessionId: familyId })),
      jobs: [],
    });
  }
}

/** Sends the sign-up's verification link again (a few times an hour); nothing if verified. */
export async function resendEmailVerification(scope: TenantScope, context: AccountLinkContext) {
  const userId = personOf(scope.actor);
  await enforceRateLimits(context.env, context.config.RATE_LIMIT_MULTIPLIER, [
    { limit: "verificationEmailsByAccount", key: userId },
  ]);
  const [user] = await scope.tx
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      verifiedAt: users.emailVerifiedAt,
    })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) throw ApiError.unauthenticated();
  if (user.verifiedAt) return { alreadyVerified: true };
  await sendEmailVerification(scope, context.config, user);
  return { alreadyVerified: false };
}
