import { and, gte, inArray, lt } from "drizzle-orm";
import { TICKET_PRIORITIES } from "../../shared/desk";
import { teams } from "../db/crm-schema";
import { csatSurveys } from "../db/desk-schema";
import { users } from "../db/schema";
import { requirePermission, type TenantScope } from "../lib/scope";
import type { CsatFigures, CsatReport } from "./schemas";

/*
 * Satisfaction for the surveys sent in a date range, overall and per team, per agent and per
 * priority (as they were when the ticket was solved): sent, answered, response rate, average
 * rating and the share of satisfied answers (4 or 5), as Zendesk and Freshdesk count them.
 */

interface Tally {
  sent: number;
  answered: number;
  sum: number;
  satisfied: number;
}

function emptyTally(): Tally {
  return { sent: 0, answered: 0, sum: 0, satisfied: 0 };
}

function add(tally: Tally, rating: number | null) {
  tally.sent += 1;
  if (rating === null) return;
  tally.answered += 1;
  tally.sum += rating;
  if (rating >= 4) tally.satisfied += 1;
}

const percent = (part: number, whole: number) =>
  whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;

function figures(tally: Tally): CsatFigures {
  return {
    sent: tally.sent,
    answered: tally.answered,
    responseRate: percent(tally.answered, tally.sent),
    average: tally.answered > 0 ? Math.round((tally.sum / tally.answered) * 10) / 10 : null,
    satisfied: percent(tally.satisfied, tally.answered),
  };
}

function tallyBy<K>(rows: { key: K; rating: number | null }[]): Map<K, Tally> {
  const map = new Map<K, Tally>();
  for (const row of rows) {
    let tally = map.get(row.key);
    if (!tally) {
      tally = emptyTally();
      map.set(row.key, tally);
    }
    add(tally, row.rating);
  }
  return map;
}

export async function csatReport(
  scope: TenantScope,
  range: { from: string; to: string },
): Promise<CsatReport> {
  requirePermission(scope.actor, "tickets:read");
  const surveys = await scope.tx
    .select({
      teamId: csatSurveys.teamId,
      assigneeId: csatSurveys.assigneeId,
      priority: csatSurveys.priority,
      rating: csatSurveys.rating,
    })
    .from(csatSurveys)
    .where(
      and(
        gte(csatSurveys.createdAt, new Date(range.from)),
        lt(csatSurveys.createdAt, new Date(range.to)),
      ),
    );
  const total = emptyTally();
  for (const survey of surveys) add(total, survey.rating);
  const byTeam = tallyBy(surveys.map((s) => ({ key: s.teamId, rating: s.rating })));
  const byAgent = tallyBy(surveys.map((s) => ({ key: s.assigneeId, rating: s.rating })));
  const byPriority = tallyBy(surveys.map((s) => ({ key: s.priority, rating: s.rating })));
  const teamIds = [...byTeam.keys()].filter((id): id is string => id !== null);
  const agentIds = [...byAgent.keys()].filter((id): id is string => id !== null);
  const teamNames = new Map(
    teamIds.length > 0
      ? (
          await scope.tx
            .select({ id: teams.id, name: teams.name })
            .from(teams)
            .where(inArray(teams.id, teamIds))
        ).map((t) => [t.id, t.name])
      : [],
  );
  const agentNames = new Map(
    agentIds.length > 0
      ? (
          await scope.tx
            .select({ id: users.id, name: users.name })
            .from(users)
            .where(inArray(users.id, agentIds))
        ).map((u) => [u.id, u.name])
      : [],
  );
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  return {
    total: figures(total),
    teams: [...byTeam]
      .map(([teamId, tally]) => ({
        teamId,
        name: teamId ? (teamNames.get(teamId) ?? "Deleted team") : "No team",
        ...figures(tally),
      }))
      .sort(byName),
    agents: [...byAgent]
      .map(([assigneeId, tally]) => ({
        assigneeId,
        name: assigneeId ? (agentNames.get(assigneeId) ?? "Former member") : "Unassigned",
        ...figures(tally),
      }))
      .sort(byName),
    priorities: TICKET_PRIORITIES.flatMap((priority) => {
      const tally = byPriority.get(priority);
      return tally ? [{ priority, ...figures(tally) }] : [];
    }),
  };
}
