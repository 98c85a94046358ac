import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/service";
import { applyScope, type Database } from "../db/client";
import { users } from "../db/schema";
import { ApiError } from "../lib/errors";
import type { RequestMeta } from "../lib/request-meta";
import {
  type AttemptContext,
  addressOf,
  limiterFor,
  type RateLimitCheck,
  rateLimited,
  scaled,
} from "../rate-limit/enforce";
import { RATE_LIMITS } from "../rate-limit/limits";
import { normalizeEmail, userMemberships } from "./accounts";
import { decoyPasswordHash, verifyPassword } from "./passwords";

/** What a password check needs; the API (`attemptContext`) and page actions both provide it. */
export interface PasswordCheckContext extends AttemptContext {
  database: Database;
  meta: RequestMeta;
}

/** Where the password was typed, recorded with each failure. */
export type PasswordCheckVia = "login" | "invitation" | "reauthentication";

export type Account = typeof users.$inferSelect;

/** The slowest a check waits once its account is past its failure budget. */
export const MAX_ACCOUNT_DELAY_MS = 10_000;

/** 0 within the budget; then 0.5 s, 1 s, 2 s, ... doubling with each failure past it. */
export function accountDelayMs(tokensAfterDebit: number): number {
  if (tokensAfterDebit >= 0) return 0;
  return Math.min(MAX_ACCOUNT_DELAY_MS, 500 * 2 ** (-tokensAfterDebit - 1));
}

export const invalidCredentials = () =>
  new ApiError(401, "invalid_credentials", "The email or password is incorrect.");

/**
 * The one place a password is checked (sign-in, invitation acceptance, any re-authentication),
 * from the API or a page. See docs/decisions/016-password-guessing.md:
 * - failures per (account, address) are limited tightly and per address broadly: a spent
 *   budget answers 429 before the password is looked at;
 * - failures per account never refuse: past the budget every check of that account waits
 *   first, doubling per failure, so the owner at a clean address still gets in;
 * - budgets are reserved before the check (parallel guesses cannot overrun them) and given
 *   back when the password is right, so only failures spend them;
 * - each failure is audited as `auth.sign_in_failed` in every organization of the account.
 * Unknown emails cost the same hash and the same budgets as wrong passwords.
 */
export async function checkPassword(
  context: PasswordCheckContext,
  input: { email: string; password: string; via: PasswordCheckVia },
  failure: () => ApiError = invalidCredentials,
): Promise<Account> {
  const email = normalizeEmail(input.email);
  const address = addressOf(context);
  const limited: RateLimitCheck[] = [
    { limit: "passwordFailuresByAccountAddress", key: `${email}|${address}` },
    { limit: "passwordFailuresByAddress", key: address },
  ];
  const accountBucket: RateLimitCheck = { limit: "passwordFailuresByAccount", key: email };
  const multiplier = context.config.RATE_LIMIT_MULTIPLIER;
  const rule = (check: RateLimitCheck) => scaled(RATE_LIMITS[check.limit], multiplier);
  const giveBack = (checks: RateLimitCheck[]) =>
    Promise.all(
      checks.map((check) =>
        limiterFor(context.env, check).adjust(rule(check), 1, rule(check).capacity),
      ),
    );

  const decisions = await Promise.all(
    limited.map((check) => limiterFor(context.env, check).consume(rule(check))),
  );
  const denied = decisions.find((decision) => !decision.allowed);
  if (denied) {
    await giveBack(limited.filter((_, index) => decisions[index]?.allowed));
    throw rateLimited(denied);
  }
  const accountRule = rule(accountBucket);
  const accountTokens = await limiterFor(context.env, accountBucket).adjust(
    accountRule,
    -1,
    accountRule.capacity,
  );
  const delay = accountDelayMs(accountTokens);
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));

  const [account] = await context.database.global((tx) =>
    tx.select().from(users).where(eq(users.email, email)),
  );
  const passwordOk = await verifyPassword(
    input.password,
    account?.passwordHash ?? (await decoyPasswordHash()),
  );
  if (account && passwordOk) {
    await giveBack([...limited, accountBucket]);
    return account;
  }
  if (account) await auditFailure(context.database, account.id, input.via, context.meta);
  throw failure();
}

async function auditFailure(
  db: Database,
  userId: string,
  via: PasswordCheckVia,
  meta: RequestMeta,
) {
  await db.transaction({ orgId: null, userId }, async (tx) => {
    const orgs = await userMemberships(tx, userId);
    for (const { organization } of orgs) {
      // Each audit row is written under its own organization's row-level security.
      await applyScope(tx, { orgId: organization.id, userId });
      await recordAudit(
        tx,
        {
          orgId: organization.id,
          actor: { userId, apiKeyId: null },
          action: "auth.sign_in_failed",
          metadata: { via },
        },
        meta,
      );
    }
  });
}
