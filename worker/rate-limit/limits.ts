import type { BucketRule } from "./rate-limiter";

/** Every rate limit in one place. Keys are named `scope:key` (one RateLimiter object each). */
export const RATE_LIMITS = {
  /** Credential attempts (sign-in, sign-up, refresh, invitation acceptance) from one address. */
  authByIp: { capacity: 30, refillPerSecond: 30 / 60 },
  /**
   * Wrong passwords for one account from one address: the tight limit. Only failures spend it;
   * once empty, that address gets 429 for that account before its password is checked.
   */
  passwordFailuresByAccountAddress: { capacity: 5, refillPerSecond: 5 / 900 },
  /** Wrong passwords from one address, whatever the accounts: the broad limit. */
  passwordFailuresByAddress: { capacity: 100, refillPerSecond: 100 / 3600 },
  /**
   * Wrong passwords for one account from anywhere. Never a refusal: past this budget every
   * check of that account's password waits first, doubling with each failure (see
   * worker/auth/password-check.ts), so a botnet slows down and the owner still gets in.
   */
  passwordFailuresByAccount: { capacity: 20, refillPerSecond: 20 / 3600 },
  /** Password-reset emails asked for from one address (whatever the accounts): 429 past it. */
  passwordResetsByAddress: { capacity: 10, refillPerSecond: 10 / 3600 },
  /** Password-reset emails one account gets; more asks are dropped without a word. */
  passwordResetsByAccount: { capacity: 3, refillPerSecond: 3 / 3600 },
  /** "You already have an account" emails one account gets when its address signs up again. */
  accountExistsNoticesByAccount: { capacity: 3, refillPerSecond: 3 / 3600 },
  /** Email-address changes one signed-in person asks for (each mails two addresses): 429 past it. */
  emailChangesByAccount: { capacity: 5, refillPerSecond: 5 / 3600 },
  /** Verification links one signed-in person asks to be sent again: 429 past it. */
  verificationEmailsByAccount: { capacity: 3, refillPerSecond: 3 / 3600 },
  /** Emails one sender gets into one organization's support mailbox; past it they bounce. */
  inboundEmailsBySender: { capacity: 30, refillPerSecond: 30 / 3600 },
  /** Authenticated API calls by one user or API key. */
  apiByPrincipal: { capacity: 300, refillPerSecond: 20 },
  /** Authenticated API calls across one organization. */
  apiByOrg: { capacity: 1500, refillPerSecond: 100 },
  /**
   * Messages one WhatsApp channel hands to Meta: Cloud API's default throughput is 80
   * messages/s per number; past it Meta answers 130429. A send over the limit waits (its job
   * is retried later), it is never dropped.
   */
  whatsappSendsByChannel: { capacity: 80, refillPerSecond: 80 },
  /** The public website-chat API (sessions, messages, socket upgrades) from one address. */
  webchatByAddress: { capacity: 120, refillPerSecond: 2 },
  /** Satisfaction survey answers sent from one address (the public `/csat/<token>` page). */
  csatAnswersByAddress: { capacity: 30, refillPerSecond: 30 / 3600 },
  /** Requests sent through organizations' public request forms from one address. */
  requestFormsByAddress: { capacity: 10, refillPerSecond: 10 / 3600 },
  /** Requests one email address sends through an organization's public request form. */
  requestFormsByEmail: { capacity: 5, refillPerSecond: 5 / 3600 },
  /** Searches of organizations' public help pages from one address: a person reading, not a scraper. */
  helpSearchesByAddress: { capacity: 30, refillPerSecond: 0.5 },
  /** Messages one website visitor writes: a person typing, not a script. */
  webchatMessagesByVisitor: { capacity: 30, refillPerSecond: 0.5 },
} as const satisfies Record<string, BucketRule>;

export type RateLimitName = keyof typeof RATE_LIMITS;
