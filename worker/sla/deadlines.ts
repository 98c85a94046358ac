import { and, eq, inArray, isNotNull, isNull, or } from "drizzle-orm";
import { UNSOLVED_TICKET_STATUSES } from "../../shared/desk";
import type { Tx } from "../db/client";
import { tickets } from "../db/desk-schema";
import { type SlaContext, slaContextOf, slaDeadlines } from "./clocks";

/*
 * The SLA deadlines a ticket stores (`sla_due_at`, `sla_warn_at`) so that lists filter and
 * count "Breaching soon" and "Overdue" in SQL. They depend only on the ticket's row and the
 * organization's SLA context, so they are written whenever either changes: on every change of
 * the ticket (`publishTicket`), by the minute job (a safety net), and for all unsolved tickets
 * when the policies or the calendar change.
 */

type TicketRow = typeof tickets.$inferSelect;

function sameInstant(a: Date | null, b: Date | null): boolean {
  return (a?.getTime() ?? null) === (b?.getTime() ?? null);
}

/** Writes the deadlines of the rows that changed; returns the rows as they now are. */
export async function storeSlaDeadlines(
  tx: Tx,
  rows: TicketRow[],
  context: SlaContext,
): Promise<TicketRow[]> {
  const stored: TicketRow[] = [];
  for (const row of rows) {
    const next = slaDeadlines(row, context);
    if (sameInstant(row.slaDueAt, next.slaDueAt) && sameInstant(row.slaWarnAt, next.slaWarnAt)) {
      stored.push(row);
      continue;
    }
    await tx.update(tickets).set(next).where(eq(tickets.id, row.id));
    stored.push({ ...row, ...next });
  }
  return stored;
}

/** Every ticket whose deadlines may have moved after a change of policies or calendar. */
export async function refreshOrgSlaDeadlines(tx: Tx, orgId: string) {
  const rows = await tx
    .select()
    .from(tickets)
    .where(
      and(
        isNull(tickets.deletedAt),
        or(
          inArray(tickets.status, [...UNSOLVED_TICKET_STATUSES]),
          isNotNull(tickets.slaDueAt),
          isNotNull(tickets.slaWarnAt),
        ),
      ),
    );
  await storeSlaDeadlines(tx, rows, await slaContextOf(tx, orgId));
}
