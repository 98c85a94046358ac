import { and, eq, sql } from "drizzle-orm";
import { CSAT_CLOSED_MESSAGE } from "../../shared/csat";
import type { Database } from "../db/client";
import { csatSurveys, tickets } from "../db/desk-schema";
import { organizations } from "../db/schema";
import { sha256Hex } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { type AfterCommit, runUnitOfWork, type UnitOfWork } from "../lib/unit-of-work";
import { notify } from "../notifications/service";
import { insertComment, publishTicket } from "../tickets/store";
import { type CsatAnswerInput, csatTokenSchema } from "./schemas";

/*
 * The requester's side of a survey, from its public link (`/csat/<token>`). Before any
 * organization is known, `csat_survey_by_token()` (SECURITY DEFINER) finds the survey by the
 * token's SHA-256 and answers its ids only; everything else runs in that organization's unit of
 * work under row-level security. Reading never records anything (mail scanners open links);
 * answering records the rating and comment, and may change them until the survey expires. An
 * answer lands on the ticket: an internal note in its thread, `ticket.updated` (with `csat`),
 * and the assignee's notification.
 */

export interface SurveyView {
  organizationName: string;
  ticketNumber: number;
  subject: string;
  rating: number | null;
  comment: string | null;
  answeredAt: string | null;
  expiresAt: string;
  expired: boolean;
}

/** The survey's organization and id for a token, or null (malformed, unknown). */
async function surveyByToken(database: Database, token: string) {
  if (!csatTokenSchema.safeParse(token).success) return null;
  const hash = await sha256Hex(token);
  return database.global(async (tx) => {
    const { rows } = await tx.execute<{ org_id: string; survey_id: string }>(
      sql`select org_id, survey_id from csat_survey_by_token(${hash})`,
    );
    const row = rows[0];
    return row ? { orgId: row.org_id, surveyId: row.survey_id } : null;
  });
}

async function loadSurvey(unit: UnitOfWork, surveyId: string, lock: boolean) {
  const query = unit.tx
    .select({ survey: csatSurveys, ticket: tickets, organizationName: organizations.name })
    .from(csatSurveys)
    .innerJoin(tickets, eq(tickets.id, csatSurveys.ticketId))
    .innerJoin(organizations, eq(organizations.id, csatSurveys.orgId))
    .where(and(eq(csatSurveys.id, surveyId), sql`${tickets.deletedAt} is null`));
  const [row] = lock ? await query.for("update", { of: csatSurveys }) : await query;
  if (!row) throw ApiError.notFound("Survey");
  return row;
}

function toView(row: Awaited<ReturnType<typeof loadSurvey>>, now = new Date()): SurveyView {
  return {
    organizationName: row.organizationName,
    ticketNumber: row.ticket.number,
    subject: row.ticket.subject,
    rating: row.survey.rating,
    comment: row.survey.comment,
    answeredAt: row.survey.answeredAt?.toISOString() ?? null,
    expiresAt: row.survey.expiresAt.toISOString(),
    expired: row.survey.expiresAt <= now,
  };
}

/** The survey a link names (read only); 404 when the token finds none. */
export async function readSurvey(
  database: Database,
  afterCommit: AfterCommit,
  token: string,
): Promise<SurveyView> {
  const found = await surveyByToken(database, token);
  if (!found) throw ApiError.notFound("Survey");
  return runUnitOfWork(database, { orgId: found.orgId, userId: null }, afterCommit, async (unit) =>
    toView(await loadSurvey(unit, found.surveyId, false)),
  );
}

/** Records (or changes) the answer; 404 unknown, 410 expired. */
export async function answerSurvey(
  database: Database,
  afterCommit: AfterCommit,
  token: string,
  input: CsatAnswerInput,
): Promise<SurveyView> {
  const found = await surveyByToken(database, token);
  if (!found) throw ApiError.notFound("Survey");
  return runUnitOfWork(
    database,
    { orgId: found.orgId, userId: null },
    afterCommit,
    async (unit) => {
      const row = await loadSurvey(unit, found.surveyId, true);
      const now = new Date();
      if (row.survey.expiresAt <= now) {
        throw new ApiError(410, "gone", CSAT_CLOSED_MESSAGE);
      }
      const comment = input.comment ? input.comment : null;
      if (row.survey.rating === input.rating && row.survey.comment === comment) return toView(row);
      const [updated] = await unit.tx
        .update(csatSurveys)
        .set({ rating: input.rating, comment, answeredAt: now })
        .where(eq(csatSurveys.id, row.survey.id))
        .returning();
      if (!updated) throw ApiError.notFound("Survey");
      const changed = row.survey.answeredAt !== null;
      const said = `${changed ? "Customer changed their rating to" : "Customer rated"} ${input.rating}/5`;
      await insertComment(unit.tx, unit.orgId, {
        ticketId: row.ticket.id,
        authorKind: "system",
        authorContactId: row.ticket.requesterId,
        public: false,
        body: comment ? `${said}: ${comment}` : `${said}.`,
        via: "web_form",
      });
      await unit.tx.update(tickets).set({ updatedAt: now }).where(eq(tickets.id, row.ticket.id));
      await notify(unit, [row.ticket.assigneeId ?? row.survey.assigneeId], {
        kind: "csat_answered",
        title: `Ticket #${row.ticket.number} was rated ${input.rating}/5`,
        body: comment ?? row.ticket.subject,
        link: `/app/tickets/${row.ticket.id}`,
      });
      await publishTicket(unit, row.ticket.id);
      return toView({ ...row, survey: updated }, now);
    },
  );
}
