import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { recordAudit } from "../audit/service";
import { applyScope, Database, type Tx } from "../db/client";
import { accountTokens } from "../db/email-schema";
import { memberships, sessions, users } from "../db/schema";
import { queueEmail } from "../email/send";
import { appLink, type Config } from "../env";
import { deliverAfterCommit } from "../lib/after-commit";
import { newId, randomToken, sha256Hex } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import type { RequestMeta } from "../lib/request-meta";
import { type AfterCommit, runUnitOfWork, type UnitOfWork } from "../lib/unit-of-work";
import {
  type AttemptContext,
  addressOf,
  enforceRateLimits,
  limiterFor,
  scaled,
} from "../rate-limit/enforce";
import { RATE_LIMITS } from "../rate-limit/limits";
import { accessRevoked } from "../realtime/revocation";
import { normalizeEmail } from "./accounts";
import { hashPassword } from "./passwords";

/*
 * The links account emails carry: confirm an address (sign-up), choose a new password (forgot
 * password). A link holds a random token; only its SHA-256 is stored (account_tokens), it works
 * once, and asking again replaces the earlier link of the same kind.
 *
 * Asking for a reset answers the same whether or not the address has an account (202, and the
 * work happens after the answer, so its time says nothing either); each address may ask a few
 * times an hour (429 past it) and each account gets a few emails an hour (more asks are
 * silently dropped). Setting the new password ends every session of the person, in every
 * organization, sockets included, and is audited in each.
 */

export const PASSWORD_RESET_MINUTES = 30;
export const EMAIL_VERIFICATION_DAYS = 7;

type Purpose = (typeof accountTokens.$inferSelect)["purpose"];

export async function issueAccountToken(
  tx: Tx,
  link: { userId: string; purpose: Purpose; email: string; ttlMs: number },
): Promise<string> {
  await tx
    .delete(accountTokens)
    .where(
      and(
        eq(accountTokens.userId, link.userId),
        eq(accountTokens.purpose, link.purpose),
        isNull(accountTokens.usedAt),
      ),
    );
  const token = randomToken(32);
  await tx.insert(accountTokens).values({
    id: newId(),
    userId: link.userId,
    purpose: link.purpose,
    tokenHash: await sha256Hex(token),
    email: link.email,
    expiresAt: new Date(Date.now() + link.ttlMs),
  });
  return token;
}

export function invalidLink(message: string): ApiError {
  return new ApiError(400, "invalid_token", message, { token: [message] });
}

/** A link that works: the right kind, not used, not expired (locked until the caller commits). */
export async function takeAccountToken(tx: Tx, token: string, purpose: Purpose) {
  const [row] = await tx
    .select()
    .from(accountTokens)
    .where(
      and(
        eq(accountTokens.tokenHash, await sha256Hex(token)),
        eq(accountTokens.purpose, purpose),
        isNull(accountTokens.usedAt),
        gt(accountTokens.expiresAt, sql`now()`),
      ),
    )
    .for("update");
  if (!row) {
    throw invalidLink("This link has expired or was already used. Ask for a new one.");
  }
  await tx.update(accountTokens).set({ usedAt: new Date() }).where(eq(accountTokens.id, row.id));
  return row;
}

/** Sign-up: the new account's address gets a link to confirm it (in the sign-up's unit). */
export async function sendEmailVerification(
  unit: UnitOfWork,
  config: Pick<Config, "APP_URL" | "EMAIL_FROM">,
  user: { id: string; email: string; name: string },
) {
  const token = await issueAccountToken(unit.tx, {
    userId: user.id,
    purpose: "verify_email",
    email: user.email,
    ttlMs: EMAIL_VERIFICATION_DAYS * 24 * 3600_000,
  });
  await queueEmail(unit, config, {
    to: user.email,
    request: {
      template: "verify_email",
      data: { name: user.name, link: appLink(config, `/verify-email?token=${token}`) },
    },
  });
}

/** The link's address is confirmed (if it is still the account's address). */
export async function verifyEmail(database: Database, token: string): Promise<{ email: string }> {
  return database.global(async (tx) => {
    const link = await takeAccountToken(tx, token, "verify_email");
    const [user] = await tx
      .update(users)
      .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
      .where(and(eq(users.id, link.userId), eq(users.email, link.email)))
      .returning({ email: users.email });
    if (!user) {
      throw invalidLink("This link is for an address the account no longer uses.");
    }
    return user;
  });
}

export interface AccountLinkContext extends AttemptContext {
  database: Database;
  config: AttemptContext["config"] & Pick<Config, "APP_URL" | "EMAIL_FROM">;
  meta: RequestMeta;
  afterCommit: AfterCommit;
}

/** Spends the address's budget for reset requests (429 when empty); call before answering. */
export async function limitPasswordResetRequest(context: AttemptContext) {
  await enforceRateLimits(context.env, context.config.RATE_LIMIT_MULTIPLIER, [
    { limit: "passwordResetsByAddress", key: addressOf(context) },
  ]);
}

/**
 * Forgot password: the account with this address, if any, gets a reset link. Run it after the
 * answer (waitUntil): the answer is the same either way.
 */
export async function requestPasswordReset(context: AccountLinkContext, address: string) {
  const { database } = context;
  const account = await accountWithBudget(context, address, "passwordResetsByAccount");
  if (!account) return;
  const { user, orgId } = account;
  await runUnitOfWork(database, { orgId, userId: null }, context.afterCommit, async (unit) => {
    const token = await issueAccountToken(unit.tx, {
      userId: user.id,
      purpose: "reset_password",
      email: user.email,
      ttlMs: PASSWORD_RESET_MINUTES * 60_000,
    });
    await queueEmail(unit, context.config, {
      to: user.email,
      request: {
        template: "password_reset",
        data: {
          name: user.name,
          link: appLink(context.config, `/reset-password?token=${token}`),
          minutes: PASSWORD_RESET_MINUTES,
        },
      },
    });
    await recordAudit(
      unit.tx,
      {
        orgId,
        actor: { userId: user.id, apiKeyId: null },
        action: "auth.password_reset_requested",
      },
      context.meta,
    );
  });
}

/**
 * The account using an address, if it may get one more email of this kind now (its hourly
 * budget), with the organization its emails are sent for.
 */
async function accountWithBudget(
  context: AccountLinkContext,
  address: string,
  limit: "passwordResetsByAccount" | "accountExistsNoticesByAccount",
) {
  const email = normalizeEmail(address);
  const [user] = await context.database.global((tx) =>
    tx
      .select({ id: users.id, name: users.name, email: users.email })
      .from(users)
      .where(eq(users.email, email)),
  );
  if (!user) return null;
  const budget = await limiterFor(context.env, { limit, key: user.id }).consume(
    scaled(RATE_LIMITS[limit], context.config.RATE_LIMIT_MULTIPLIER),
  );
  if (!budget.allowed) return null;
  const orgId = await homeOrganization(context.database, user.id);
  return orgId ? { user, orgId } : null;
}

/**
 * Sign-up with an address that already has an account: nothing is created, and the account's
 * owner is told (with a way in) instead of the person signing up.
 */
async function tellAccountExists(context: AccountLinkContext, address: string) {
  const account = await accountWithBudget(context, address, "accountExistsNoticesByAccount");
  if (!account) return;
  const { user, orgId } = account;
  await runUnitOfWork(context.database, { orgId, userId: null }, context.afterCommit, (unit) =>
    queueEmail(unit, context.config, {
      to: user.email,
      request: {
        template: "account_exists",
        data: {
          name: user.name,
          signInLink: appLink(context.config, "/login"),
          resetLink: appLink(context.config, "/forgot-password"),
        },
      },
    }),
  );
}

type AfterAnswerContext = Omit<AccountLinkContext, "database" | "afterCommit"> & {
  config: Config;
  waitUntil: (promise: Promise<unknown>) => void;
};

/**
 * Account mail whose sending must not show in the answer or its timing: run after the answer
 * (`waitUntil`), on a database handle of its own (the request's closes with the response),
 * failures logged.
 */
function afterAnswer(
  context: AfterAnswerContext,
  failure: string,
  work: (context: AccountLinkContext) => Promise<void>,
) {
  const database = new Database(context.config.DATABASE_URL, context.config.NEON_LOCAL_PROXY);
  const done = work({
    ...context,
    database,
    afterCommit: deliverAfterCommit(context.env, context.waitUntil),
  })
    .catch((error: unknown) =>
      console.error(
        JSON.stringify({
          level: "error",
          msg: failure,
          requestId: context.meta.requestId,
          error: String(error),
        }),
      ),
    )
    .finally(() => database.close());
  context.waitUntil(done);
}

/** Forgot password, from the API or the page. */
export function requestPasswordResetAfterAnswer(context: AfterAnswerContext, address: string) {
  afterAnswer(context, "password reset not sent", (links) => requestPasswordReset(links, address));
}

/** Sign-up met an existing account, from the API or the page. */
export function tellAccountExistsAfterAnswer(context: AfterAnswerContext, address: string) {
  afterAnswer(context, "account-exists notice not sent", (links) =>
    tellAccountExists(links, address),
  );
}

/** The organization an account's emails are sent for: the first one it joined. */
async function homeOrganization(database: Database, userId: string): Promise<string | null> {
  const rows = await organizationsOf(database, userId);
  return rows[0] ?? null;
}

/** Every organization the person belongs to (active or not): their sessions live in each. */
export async function organizationsOf(database: Database, userId: string): Promise<string[]> {
  const rows = await database.transaction({ orgId: null, userId }, (tx) =>
    tx
      .select({ orgId: memberships.orgId })
      .from(memberships)
      .where(eq(memberships.userId, userId))
      .orderBy(memberships.createdAt),
  );
  return rows.map((row) => row.orgId);
}

/**
 * A new password through a reset link: the link is used up, the password replaced, every
 * session of the person ended in each organization (audited there, sockets closed), and the
 * address told. A reset also proves the address, so it counts as verified.
 */
export async function resetPassword(
  context: Pick<AccountLinkContext, "database" | "config" | "meta" | "afterCommit">,
  input: { token: string; password: string },
) {
  const { database, meta } = context;
  const userId = await database.global(async (tx) => {
    const [row] = await tx
      .select({ userId: accountTokens.userId })
      .from(accountTokens)
      .where(eq(accountTokens.tokenHash, await sha256Hex(input.token)));
    return row?.userId ?? null;
  });
  const orgIds = userId ? await organizationsOf(database, userId) : [];
  const home = orgIds[0];
  if (!userId || !home) {
    throw invalidLink("This link has expired or was already used. Ask for a new one.");
  }
  const passwordHash = await hashPassword(input.password);
  const revoked = accessRevoked({ kind: "user", userId });
  const user = await runUnitOfWork(
    database,
    { orgId: home, userId },
    context.afterCommit,
    async (unit) => {
      const link = await takeAccountToken(unit.tx, input.token, "reset_password");
      if (link.userId !== userId) throw new Error("reset token changed hands");
      const [updated] = await unit.tx
        .update(users)
        .set({
          passwordHash,
          updatedAt: new Date(),
          emailVerifiedAt: sql`case when ${users.email} = ${link.email} then coalesce(${users.emailVerifiedAt}, now()) else ${users.emailVerifiedAt} end`,
        })
        .where(eq(users.id, userId))
        .returning({ email: users.email, name: users.name });
      if (!updated) throw new Error("reset for a missing user");
      // A reset is how the owner stops an email change they did not ask for.
      await unit.tx
        .delete(accountTokens)
        .where(
          and(
            eq(accountTokens.userId, userId),
            eq(accountTokens.purpose, "change_email"),
            isNull(accountTokens.usedAt),
          ),
        );
      for (const orgId of orgIds) {
        await applyScope(unit.tx, { orgId, userId });
        await unit.tx
          .update(sessions)
          .set({ revokedAt: new Date() })
          .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
        await recordAudit(
          unit.tx,
          { orgId, actor: { userId, apiKeyId: null }, action: "auth.password_reset" },
          meta,
        );
      }
      await applyScope(unit.tx, { orgId: home, userId });
      unit.emit(revoked);
      await queueEmail(unit, context.config, {
        to: updated.email,
        request: { template: "password_changed", data: { name: updated.name } },
      });
      return updated;
    },
  );
  // The person's sockets in their other organizations close too.
  for (const orgId of orgIds.slice(1)) {
    await context.afterCommit({ orgId, events: [revoked], jobs: [] });
  }
  return user;
}
