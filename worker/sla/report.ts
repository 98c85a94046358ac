import { and, gte, isNull, lt } from "drizzle-orm";
import type { SlaMetric } from "../../shared/desk";
import { tickets } from "../db/desk-schema";
import { requirePermission, type TenantScope } from "../lib/scope";
import { slaContextOf, ticketSla } from "./clocks";
import type { SlaReportRow } from "./schemas";

/*
 * SLA compliance per team and priority for the tickets opened in a date range: for each
 * target, how many were met, breached, or are still running within it. (Next response counts
 * only the reply the ticket is waiting for now.)
 */

type Counts = SlaReportRow["firstResponse"];

const FIELD: Record<SlaMetric, "firstResponse" | "nextResponse" | "resolution"> = {
  first_response: "firstResponse",
  next_response: "nextResponse",
  resolution: "resolution",
};

function emptyCounts(): Counts {
  return { met: 0, breached: 0, running: 0, compliance: null };
}

export async function slaReport(scope: TenantScope, range: { from: string; to: string }) {
  requirePermission(scope.actor, "tickets:read");
  const context = await slaContextOf(scope.tx, scope.orgId);
  const rows = await scope.tx
    .select()
    .from(tickets)
    .where(
      and(
        isNull(tickets.deletedAt),
        gte(tickets.createdAt, new Date(range.from)),
        lt(tickets.createdAt, new Date(range.to)),
      ),
    );
  const groups = new Map<string, SlaReportRow>();
  const now = new Date();
  for (const ticket of rows) {
    const sla = ticketSla(ticket, context, now);
    if (!sla) continue;
    const key = `${ticket.teamId ?? ""}:${ticket.priority}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        teamId: ticket.teamId,
        priority: ticket.priority,
        tickets: 0,
        firstResponse: emptyCounts(),
        nextResponse: emptyCounts(),
        resolution: emptyCounts(),
      };
      groups.set(key, group);
    }
    group.tickets += 1;
    for (const target of sla.targets) {
      const counts = group[FIELD[target.metric]];
      if (target.breached) counts.breached += 1;
      else if (target.achievedAt) counts.met += 1;
      else counts.running += 1;
    }
  }
  const report = [...groups.values()];
  for (const row of report) {
    for (const counts of [row.firstResponse, row.nextResponse, row.resolution]) {
      const decided = counts.met + counts.breached;
      counts.compliance = decided > 0 ? Math.round((counts.met / decided) * 1000) / 10 : null;
    }
  }
  return report.sort(
    (a, b) =>
      (a.teamId ?? "").localeCompare(b.teamId ?? "") || a.priority.localeCompare(b.priority),
  );
}
