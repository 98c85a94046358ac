import { and, asc, eq, isNull, ne, or, type SQL, sql } from "drizzle-orm";
import { activities, companies, contacts, deals, leads } from "../db/crm-schema";
import { requirePermission, type TenantScope } from "../lib/scope";
import { type ActivityView, toActivityView } from "./service";

/*
 * "My tasks": the open tasks assigned to the caller (or, with `createdForOthers`, the open
 * tasks the caller created for someone else), soonest due first and undated last, each with
 * the record it belongs to (its kind, id and name) for a link.
 */

export interface TaskRecord {
  entity: "contact" | "company" | "lead" | "deal";
  id: string;
  name: string;
}

export interface TaskView extends ActivityView {
  record: TaskRecord | null;
}

const MAX_TASKS = 200;

export async function listMyOpenTasks(
  scope: TenantScope,
  options: { createdForOthers?: boolean; limit?: number } = {},
): Promise<TaskView[]> {
  requirePermission(scope.actor, "crm:read");
  const me = scope.actor.userId;
  if (!me) return [];
  const whose: SQL | undefined = options.createdForOthers
    ? and(
        eq(activities.createdBy, me),
        or(isNull(activities.assigneeId), ne(activities.assigneeId, me)),
      )
    : eq(activities.assigneeId, me);
  const rows = await scope.tx
    .select({
      activity: activities,
      contactName: sql<
        string | null
      >`nullif(trim(${contacts.firstName} || ' ' || ${contacts.lastName}), '')`,
      companyName: companies.name,
      leadName: leads.title,
      dealName: deals.title,
    })
    .from(activities)
    .leftJoin(contacts, eq(contacts.id, activities.contactId))
    .leftJoin(companies, eq(companies.id, activities.companyId))
    .leftJoin(leads, eq(leads.id, activities.leadId))
    .leftJoin(deals, eq(deals.id, activities.dealId))
    .where(
      and(
        eq(activities.type, "task"),
        isNull(activities.doneAt),
        isNull(activities.deletedAt),
        whose,
      ),
    )
    .orderBy(sql`${activities.dueAt} asc nulls last`, asc(activities.createdAt))
    .limit(Math.min(options.limit ?? MAX_TASKS, MAX_TASKS));
  return rows.map((row) => {
    const task = row.activity;
    // The most specific record: a deal, then a lead, a contact, a company.
    const record: TaskRecord | null =
      task.dealId && row.dealName
        ? { entity: "deal", id: task.dealId, name: row.dealName }
        : task.leadId && row.leadName
          ? { entity: "lead", id: task.leadId, name: row.leadName }
          : task.contactId && row.contactName
            ? { entity: "contact", id: task.contactId, name: row.contactName }
            : task.companyId && row.companyName
              ? { entity: "company", id: task.companyId, name: row.companyName }
              : null;
    return { ...toActivityView(task), record };
  });
}
