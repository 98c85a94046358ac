import { z } from "@hono/zod-openapi";
import { eq, sql } from "drizzle-orm";
import { emailSchema } from "../auth/schemas";
import type { Database } from "../db/client";
import { organizations } from "../db/schema";
import type { Config } from "../env";
import { type AfterCommit, runUnitOfWork } from "../lib/unit-of-work";
import { acknowledgeNewTicket } from "./replies";
import { contactByEmail, insertComment, insertTicket, publishTicket } from "./store";

/*
 * The public request form (`/help/<slug>/request`): a customer names themselves, their email
 * address, a subject and what they need, and a ticket opens (`via: web_form`) exactly as an
 * email to the support mailbox opens one (worker/tickets/inbound.ts): the requester is the
 * contact with that address (or a new one), their words are the first public comment, and the
 * automatic acknowledgement carries the ticket's Reply-To, so their replies thread back into
 * it. The organization is found by its slug through `support_mailbox_org()` (SECURITY
 * DEFINER, ids only) before its own unit of work; the page adds the honeypot and rate limits.
 */

export const requestFormSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, "Enter your name.")
      .max(200, "Keep your name under 200 characters."),
    email: emailSchema,
    subject: z
      .string()
      .trim()
      .min(1, "Enter a subject.")
      .max(250, "Keep the subject under 250 characters."),
    description: z
      .string()
      .trim()
      .min(1, "Tell us what you need.")
      .max(10_000, "Keep the description under 10,000 characters."),
  })
  .strict();
export type RequestFormInput = z.infer<typeof requestFormSchema>;

const SLUG = /^[a-z0-9-]{1,80}$/;

/** The organization a help-center slug names, with its name; null when none. */
export async function requestFormOrganization(
  database: Database,
  afterCommit: AfterCommit,
  slug: string,
): Promise<{ orgId: string; name: string } | null> {
  if (!SLUG.test(slug)) return null;
  const orgId = await database.global(async (tx) => {
    const { rows } = await tx.execute<{ org_id: string | null }>(
      sql`select support_mailbox_org(${slug}) as org_id`,
    );
    return rows[0]?.org_id ?? null;
  });
  if (!orgId) return null;
  return runUnitOfWork(database, { orgId, userId: null }, afterCommit, async (unit) => {
    const [row] = await unit.tx
      .select({ name: organizations.name })
      .from(organizations)
      .where(eq(organizations.id, orgId));
    return row ? { orgId, name: row.name } : null;
  });
}

/** Opens the requester's ticket and acknowledges it by email; returns its number. */
export async function submitRequestForm(
  database: Database,
  afterCommit: AfterCommit,
  target: { orgId: string; slug: string },
  input: RequestFormInput,
  config: Pick<Config, "EMAIL_FROM" | "INBOUND_EMAIL_DOMAIN">,
): Promise<{ number: number }> {
  const address = input.email.toLowerCase();
  return runUnitOfWork(
    database,
    { orgId: target.orgId, userId: null },
    afterCommit,
    async (unit) => {
      const contactId = await contactByEmail(unit, address, input.name);
      const ticket = await insertTicket(unit, {
        subject: input.subject,
        via: "web_form",
        requesterId: contactId,
      });
      await insertComment(unit.tx, unit.orgId, {
        ticketId: ticket.id,
        authorKind: "requester",
        authorContactId: contactId,
        public: true,
        body: input.description,
        via: "web_form",
      });
      await acknowledgeNewTicket(unit, ticket, { address, name: input.name }, target.slug, config);
      await publishTicket(unit, ticket.id);
      return { number: ticket.number };
    },
  );
}
