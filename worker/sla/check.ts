import { and, inArray, isNull, sql } from "drizzle-orm";
import { type SlaAlerts, slaWarningMinutes, UNSOLVED_TICKET_STATUSES } from "../../shared/desk";
import { recordAudit } from "../audit/service";
import type { Database } from "../db/client";
import { tickets } from "../db/desk-schema";
import { type AfterCommit, runUnitOfWork } from "../lib/unit-of-work";
import { notify } from "../notifications/service";
import { publishTicket } from "../tickets/store";
import { slaContextOf, slaPriorities, ticketSla } from "./clocks";
import { storeSlaDeadlines } from "./deadlines";

/*
 * Every minute (cron -> `maintenance.sla_check` job): in each organization with running SLA
 * clocks, a target due within its warning window is announced once as "breaching soon", and
 * a target past due once as breached: the ticket's `sla_alerts` remembers it, the ticket is
 * published live (its page and the lists show it), and the audit log keeps the event.
 * The job computes; pages only read. It also keeps each ticket's stored deadlines (the
 * "Breaching soon" and "Overdue" views) current, as a safety net behind the writes. The SLA
 * context is loaded once per organization and shared by every ticket (and its publication).
 */

const SYSTEM_META = { requestId: "sla-check", ip: null, userAgent: null };

export async function runSlaCheck(database: Database, afterCommit: AfterCommit, now = new Date()) {
  const orgs = await database.global(async (tx) => {
    const { rows } = await tx.execute<{ org_id: string }>(
      sql`select org_id from organizations_with_sla_clocks()`,
    );
    return rows.map((row) => row.org_id);
  });
  let announced = 0;
  for (const orgId of orgs) {
    announced += await runUnitOfWork(
      database,
      { orgId, userId: null },
      afterCommit,
      async (unit) => {
        const context = await slaContextOf(unit.tx, orgId);
        const priorities = slaPriorities(context);
        const locked = await unit.tx
          .select()
          .from(tickets)
          .where(
            and(
              inArray(tickets.status, [...UNSOLVED_TICKET_STATUSES]),
              isNull(tickets.deletedAt),
              inArray(tickets.priority, priorities),
            ),
          )
          .for("update", { skipLocked: true });
        const open = await storeSlaDeadlines(unit.tx, locked, context);
        let count = 0;
        for (const ticket of open) {
          const sla = ticketSla(ticket, context, now);
          if (!sla) continue;
          const alerts: SlaAlerts = structuredClone(ticket.slaAlerts);
          const events: { action: "ticket.sla_breached" | "ticket.sla_warning"; metric: string }[] =
            [];
          for (const target of sla.targets) {
            if (target.achievedAt || target.paused || target.remainingMinutes === null) continue;
            const seen = alerts[target.metric] ?? {};
            if (target.breached && !seen.breachedAt) {
              alerts[target.metric] = { ...seen, breachedAt: now.toISOString() };
              events.push({ action: "ticket.sla_breached", metric: target.metric });
            } else if (
              !target.breached &&
              !seen.warnedAt &&
              target.remainingMinutes <= slaWarningMinutes(target.targetMinutes)
            ) {
              alerts[target.metric] = { ...seen, warnedAt: now.toISOString() };
              events.push({ action: "ticket.sla_warning", metric: target.metric });
            }
          }
          if (events.length === 0) continue;
          await unit.tx
            .update(tickets)
            .set({ slaAlerts: alerts })
            .where(sql`${tickets.id} = ${ticket.id}`);
          for (const event of events) {
            await recordAudit(
              unit.tx,
              {
                orgId,
                actor: { userId: null, apiKeyId: null },
                action: event.action,
                target: { type: "ticket", id: ticket.id },
                metadata: { metric: event.metric, number: ticket.number },
              },
              SYSTEM_META,
            );
          }
          await publishTicket(unit, ticket.id);
          for (const event of events) {
            const breached = event.action === "ticket.sla_breached";
            const what = event.metric.replace("_", " ");
            await notify(unit, [ticket.assigneeId], {
              kind: breached ? "sla_breach" : "sla_warning",
              title: `Ticket #${ticket.number} ${breached ? "breached" : "is about to breach"} its ${what} target`,
              body: ticket.subject,
              link: `/app/tickets/${ticket.id}`,
            });
          }
          count += events.length;
        }
        return count;
      },
    );
  }
  return { organizations: orgs.length, announced };
}
