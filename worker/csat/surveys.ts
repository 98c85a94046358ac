import { and, eq } from "drizzle-orm";
import { contacts } from "../db/crm-schema";
import { csatSurveys, tickets } from "../db/desk-schema";
import { organizations } from "../db/schema";
import { ticketReplyAddress } from "../email/addresses";
import { queueEmail } from "../email/send";
import { appLink, type Config } from "../env";
import { newId, randomToken, sha256Hex } from "../lib/crypto";
import type { UnitOfWork } from "../lib/unit-of-work";
import { requesterAddress } from "../tickets/replies";
import type { TicketMail } from "../tickets/service";

/*
 * Asking for a rating: when a ticket becomes solved in an organization that wants CSAT, and
 * its requester has an address, a survey is written and emailed in the same unit of work as
 * the status change. One per solve: the survey is keyed by the ticket and the solve's time
 * (`solved_at`), so the same solve never asks twice; a ticket reopened and solved again asks
 * again. The link's token is stored only as its SHA-256 (answers.ts reads it back).
 */

export const CSAT_SURVEY_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

type Mail = TicketMail;
type TicketRow = typeof tickets.$inferSelect;

const SOLVED = new Set<TicketRow["status"]>(["solved", "closed"]);

/** A survey link: the answer page with `rating` (1-5) chosen, or none. */
export function surveyLink(config: Pick<Config, "APP_URL">, token: string, rating?: number) {
  return appLink(config, `/csat/${token}${rating ? `?rating=${rating}` : ""}`);
}

/**
 * Called after a status change was written: a ticket that just became `solved` (from an
 * unsolved status) gets its survey, if the organization asks for ratings. Returns whether one
 * was queued.
 */
export async function askForRatingIfSolved(
  unit: UnitOfWork,
  before: Pick<TicketRow, "id" | "status">,
  written: TicketRow["status"] | undefined,
  config: Mail,
): Promise<boolean> {
  // Only a change that wrote `solved` can solve: every other edit skips the reads below.
  if (written !== "solved" || SOLVED.has(before.status)) return false;
  const [ticket] = await unit.tx.select().from(tickets).where(eq(tickets.id, before.id));
  if (ticket?.status !== "solved" || !ticket.solvedAt) return false;
  const [organization] = await unit.tx
    .select({ slug: organizations.slug, csatEnabled: organizations.csatEnabled })
    .from(organizations)
    .where(eq(organizations.id, unit.orgId));
  if (!organization?.csatEnabled) return false;
  const to = await requesterAddress(unit, ticket.requesterId);
  if (!to) return false;
  const token = randomToken(32);
  const [survey] = await unit.tx
    .insert(csatSurveys)
    .values({
      id: newId(),
      orgId: unit.orgId,
      ticketId: ticket.id,
      solvedAt: ticket.solvedAt,
      tokenHash: await sha256Hex(token),
      assigneeId: ticket.assigneeId,
      teamId: ticket.teamId,
      priority: ticket.priority,
      expiresAt: new Date(ticket.solvedAt.getTime() + CSAT_SURVEY_DAYS * DAY_MS),
    })
    .onConflictDoNothing()
    .returning({ id: csatSurveys.id });
  if (!survey) return false;
  const emailId = await queueEmail(unit, config, {
    to,
    replyTo: ticketReplyAddress(organization.slug, ticket.replyToken, config),
    request: {
      template: "csat_survey",
      data: {
        number: ticket.number,
        subject: ticket.subject,
        name: await requesterName(unit, ticket.requesterId, to),
        links: [1, 2, 3, 4, 5].map((rating) => surveyLink(config, token, rating)),
        days: CSAT_SURVEY_DAYS,
      },
    },
  });
  await unit.tx
    .update(csatSurveys)
    .set({ emailId })
    .where(and(eq(csatSurveys.id, survey.id), eq(csatSurveys.orgId, unit.orgId)));
  return true;
}

async function requesterName(unit: UnitOfWork, contactId: string | null, address: string) {
  if (!contactId) return address;
  const [contact] = await unit.tx
    .select({ firstName: contacts.firstName, lastName: contacts.lastName })
    .from(contacts)
    .where(eq(contacts.id, contactId));
  return contact ? `${contact.firstName} ${contact.lastName}`.trim() || address : address;
}
