import type { Config } from "../env";

/*
 * An organization's support mailbox: `<slug>@<INBOUND_EMAIL_DOMAIN>` (Email Routing sends the
 * domain's mail to the Worker's `email` handler), and the Reply-To address of a ticket's
 * emails, `<slug>+t<token>@...`, whose token finds the ticket when the requester answers.
 */

type Domain = Pick<Config, "INBOUND_EMAIL_DOMAIN">;

export function supportAddress(slug: string, config: Domain): string {
  return `${slug}@${config.INBOUND_EMAIL_DOMAIN}`;
}

export function ticketReplyAddress(slug: string, replyToken: string, config: Domain): string {
  return `${slug}+t${replyToken}@${config.INBOUND_EMAIL_DOMAIN}`;
}

/** The mailbox an address names on our domain: its slug and a ticket's reply token, if any. */
export function readSupportAddress(
  address: string,
  config: Domain,
): { slug: string; replyToken: string | null } | null {
  const at = address.lastIndexOf("@");
  if (at < 1) return null;
  const domain = address.slice(at + 1).toLowerCase();
  if (domain !== config.INBOUND_EMAIL_DOMAIN.toLowerCase()) return null;
  const local = address.slice(0, at).toLowerCase();
  const match = /^([a-z0-9-]{1,80})(?:\+t([a-z0-9]{8,40}))?$/.exec(local);
  if (!match?.[1]) return null;
  return { slug: match[1], replyToken: match[2] ?? null };
}

/** A Message-ID as we store and compare it: without its angle brackets (`id@host`). */
export function bareMessageId(id: string | null | undefined): string | null {
  const bare = id?.trim().replace(/^<|>$/g, "");
  return bare ? bare.slice(0, 500) : null;
}
