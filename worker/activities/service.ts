import { eq, ilike, or, type SQL, sql } from "drizzle-orm";
import { linkedRecordOf, recordPath } from "../../shared/crm";
import { recordScopedAudit } from "../audit/service";
import { can } from "../auth/permissions";
import { assertCanEdit, canEdit } from "../crm/access";
import { deletedCondition, sortValueOf } from "../crm/list-conditions";
import { type ListQuery, type ListSpec, planList } from "../crm/list-query";
import { assertActiveMember } from "../crm/member-check";
import { emitRecordEvent, recordDeletionChange } from "../crm/record-events";
import { type CrmEntity, findLiveRecord } from "../crm/record-tables";
import { assertRestorable, assertVersion } from "../crm/records";
import { lockRecord, type RecordType } from "../crm/soft-delete";
import { activities } from "../db/crm-schema";
import { newId } from "../lib/crypto";
import { ApiError, type FieldErrors } from "../lib/errors";
import { requirePermission, type TenantScope } from "../lib/scope";
import { notify } from "../notifications/service";
import {
  ACTIVITY_TYPES,
  type CreateActivityBody,
  LINK_FIELDS,
  type LinkField,
  type UpdateActivityBody,
} from "./schemas";

type ActivityRow = typeof activities.$inferSelect;

export interface ActivityView {
  id: string;
  type: ActivityRow["type"];
  subject: string;
  body: string | null;
  occurredAt: string;
  dueAt: string | null;
  doneAt: string | null;
  assigneeId: string | null;
  createdBy: string | null;
  contactId: string | null;
  companyId: string | null;
  leadId: string | null;
  dealId: string | null;
  metadata: Record<string, unknown>;
  version: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export function toActivityView(row: ActivityRow): ActivityView {
  return {
    id: row.id,
    type: row.type,
    subject: row.subject,
    body: row.body,
    occurredAt: row.occurredAt.toISOString(),
    dueAt: row.dueAt?.toISOString() ?? null,
    doneAt: row.doneAt?.toISOString() ?? null,
    assigneeId: row.assigneeId,
    createdBy: row.createdBy,
    contactId: row.contactId,
    companyId: row.companyId,
    leadId: row.leadId,
    dealId: row.dealId,
    metadata: row.metadata,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    deletedAt: row.deletedAt?.toISOString() ?? null,
  };
}

const LINK_ENTITIES: Record<LinkField, CrmEntity> = {
  contactId: "contact",
  companyId: "company",
  leadId: "lead",
  dealId: "deal",
};

const activityListSpec: ListSpec = {
  fields: {
    type: { column: activities.type, type: "enum", values: ACTIVITY_TYPES },
    assigneeId: { column: activities.assigneeId, type: "uuid" },
    createdBy: { column: activities.createdBy, type: "uuid" },
    contactId: { column: activities.contactId, type: "uuid" },
    companyId: { column: activities.companyId, type: "uuid" },
    leadId: { column: activities.leadId, type: "uuid" },
    dealId: { column: activities.dealId, type: "uuid" },
    doneAt: { column: activities.doneAt, type: "date", sortable: true, nullable: true },
    dueAt: { column: activities.dueAt, type: "date", sortable: true, nullable: true },
    occurredAt: { column: activities.occurredAt, type: "date", sortable: true },
    createdAt: { column: activities.createdAt, type: "date", sortable: true },
    updatedAt: { column: activities.updatedAt, type: "date", sortable: true },
  },
  idColumn: activities.id,
  customColumn: activities.metadata,
  search: (term) => {
    const pattern = `%${term.replace(/[%_\\]/g, "\\$&")}%`;
    return or(ilike(activities.subject, pattern), ilike(activities.body, pattern)) as SQL;
  },
  defaultSort: "-occurredAt",
};

export async function listActivities(scope: TenantScope, query: ListQuery) {
  requirePermission(scope.actor, "crm:read");
  const plan = planList(activityListSpec, query, [deletedCondition(activities.deletedAt, query)]);
  const rows = await scope.tx
    .select({ activity: activities, sortValue: sortValueOf(plan) })
    .from(activities)
    .where(plan.where)
    .orderBy(...plan.orderBy)
    .limit(plan.limit);
  const nextCursor = plan.nextCursor(
    rows.map((row) => ({ sortValue: row.sortValue, id: row.activity.id })),
  );
  return {
    rows: rows.slice(0, query.limit).map((row) => toActivityView(row.activity)),
    nextCursor,
  };
}

const activityType: RecordType<typeof activities> = {
  table: activities,
  entity: "activity",
  noun: "Activity",
  ownerOf: (row) => row.createdBy,
  labelOf: (row) => row.subject,
};

export async function getActivity(scope: TenantScope, id: string) {
  requirePermission(scope.actor, "crm:read");
  const [row] = await scope.tx.select().from(activities).where(eq(activities.id, id));
  if (!row || row.deletedAt) throw ApiError.notFound("Activity");
  return toActivityView(row);
}

/**
 * Who may edit or delete an activity: its author and (for a task) its assignee; anyone else's
 * only by the ownership rule on its author (owners and admins all, managers their teams').
 */
async function assertCanChange(scope: TenantScope, row: ActivityRow) {
  requirePermission(scope.actor, "crm:write");
  if (isAuthorOrAssignee(scope, row)) return;
  await assertCanEdit(scope, row.createdBy);
}

function isAuthorOrAssignee(
  scope: TenantScope,
  row: Pick<ActivityRow, "createdBy" | "assigneeId">,
): boolean {
  const me = scope.actor.userId;
  return me !== null && (row.createdBy === me || row.assigneeId === me);
}

/** The ids of these activities the actor may edit and delete (the rule above, per author once). */
export async function changeableActivityIds(
  scope: TenantScope,
  rows: Pick<ActivityView, "id" | "createdBy" | "assigneeId">[],
): Promise<string[]> {
  if (!can(scope.actor.role, "crm:write")) return [];
  const byAuthor = new Map<string | null, boolean>();
  const ids: string[] = [];
  for (const row of rows) {
    if (!byAuthor.has(row.createdBy))
      byAuthor.set(row.createdBy, await canEdit(scope, row.createdBy));
    if (isAuthorOrAssignee(scope, row) || byAuthor.get(row.createdBy)) ids.push(row.id);
  }
  return ids;
}

type Links = Record<LinkField, string | null | undefined>;

/** Every named record must be live in the organization, and at least one must remain. */
async function assertLinks(scope: TenantScope, changed: Partial<Links>, merged: Links) {
  if (!LINK_FIELDS.some((field) => merged[field])) {
    throw ApiError.validation({
      contactId: ["Attach the activity to a contact, company, lead or deal."],
    });
  }
  const errors: FieldErrors = {};
  for (const field of LINK_FIELDS) {
    const id = changed[field];
    if (!id) continue;
    const record = await findLiveRecord(scope, LINK_ENTITIES[field], id);
    if (!record) errors[field] = ["No such record in this organization."];
  }
  if (Object.keys(errors).length > 0) throw ApiError.validation(errors);
}

/** Due and done dates belong to tasks only. */
function assertTaskFields(type: ActivityRow["type"], body: { dueAt?: unknown; doneAt?: unknown }) {
  if (type === "task") return;
  const errors: FieldErrors = {};
  if (body.dueAt) errors.dueAt = ["Only tasks have a due date."];
  if (body.doneAt) errors.doneAt = ["Only tasks can be done."];
  if (Object.keys(errors).length > 0) throw ApiError.validation(errors);
}

function pickLinks(body: Partial<Links>): Partial<Links> {
  const links: Partial<Links> = {};
  for (const field of LINK_FIELDS) if (body[field] !== undefined) links[field] = body[field];
  return links;
}

function emptyLinks(): Links {
  return { contactId: null, companyId: null, leadId: null, dealId: null };
}

const toDate = (value: string | null | undefined) =>
  value === undefined ? undefined : value === null ? null : new Date(value);

export async function createActivity(scope: TenantScope, body: CreateActivityBody) {
  requirePermission(scope.actor, "crm:write");
  assertTaskFields(body.type, body);
  const links = pickLinks(body);
  await assertLinks(scope, links, { ...emptyLinks(), ...links });
  if (body.assigneeId) await assertActiveMember(scope, body.assigneeId, "assigneeId");
  const now = new Date();
  const [row] = await scope.tx
    .insert(activities)
    .values({
      id: newId(),
      orgId: scope.actor.orgId,
      type: body.type,
      subject: body.subject,
      body: body.body ?? null,
      occurredAt: body.occurredAt ? new Date(body.occurredAt) : now,
      dueAt: toDate(body.dueAt) ?? null,
      assigneeId: body.assigneeId ?? null,
      createdBy: scope.actor.userId,
      contactId: body.contactId ?? null,
      companyId: body.companyId ?? null,
      leadId: body.leadId ?? null,
      dealId: body.dealId ?? null,
      metadata: body.metadata ?? {},
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (!row) throw new Error("Activity insert returned no row");
  await tellAssignee(scope, row);
  emitRecordEvent(scope, "activity", "created", row);
  return toActivityView(row);
}

export async function updateActivity(scope: TenantScope, id: string, body: UpdateActivityBody) {
  const current = await lockRecord(scope, activityType, id);
  await assertCanChange(scope, current);
  assertVersion(current, body.version);
  assertTaskFields(current.type, body);
  const links = pickLinks(body);
  await assertLinks(scope, links, { ...current, ...links });
  if (body.assigneeId && body.assigneeId !== current.assigneeId) {
    await assertActiveMember(scope, body.assigneeId, "assigneeId");
  }
  const [row] = await scope.tx
    .update(activities)
    .set({
      subject: body.subject,
      body: body.body,
      occurredAt: body.occurredAt ? new Date(body.occurredAt) : undefined,
      dueAt: toDate(body.dueAt),
      doneAt: toDate(body.doneAt),
      // A new due time (or assignee) earns a new reminder.
      ...(body.dueAt !== undefined || body.assigneeId !== undefined ? { remindedAt: null } : {}),
      assigneeId: body.assigneeId,
      metadata: body.metadata,
      ...links,
      version: sql`${activities.version} + 1`,
      updatedAt: new Date(),
    })
    .where(eq(activities.id, id))
    .returning();
  if (!row) throw ApiError.notFound("Activity");
  if (row.assigneeId !== current.assigneeId) await tellAssignee(scope, row);
  await auditActivityEdit(scope, row, body);
  emitRecordEvent(scope, "activity", "updated", row);
  return toActivityView(row);
}

/** The member given a task hears of it (not when they gave it to themselves). */
async function tellAssignee(scope: TenantScope, task: ActivityRow) {
  if (task.type !== "task") return;
  const record = linkedRecordOf(task);
  await notify(
    scope,
    [task.assigneeId],
    {
      kind: "assignment",
      title: `Task assigned to you: ${task.subject}`,
      body: task.body,
      link: record ? recordPath(record.entity, record.id) : "/app/tasks",
    },
    scope.actor.userId,
  );
}

/** Who changed which fields of whose note or task (the text itself stays out of the log). */
async function auditActivityEdit(scope: TenantScope, row: ActivityRow, body: UpdateActivityBody) {
  await recordScopedAudit(scope, {
    action: "activity.updated",
    target: { type: "activity", id: row.id },
    metadata: {
      type: row.type,
      authorId: row.createdBy,
      label: row.subject,
      fields: Object.keys(body).filter((key) => key !== "version"),
    },
  });
}

/** Marks a task done (or open again with `done: false`). */
export async function completeActivity(
  scope: TenantScope,
  id: string,
  input: { done?: boolean | undefined; version?: number | undefined },
) {
  const current = await lockRecord(scope, activityType, id);
  await assertCanChange(scope, current);
  assertVersion(current, input.version);
  if (current.type !== "task") {
    throw ApiError.validation({ type: ["Only tasks can be completed."] });
  }
  const done = input.done ?? true;
  if (done === (current.doneAt !== null)) return toActivityView(current);
  const now = new Date();
  const [row] = await scope.tx
    .update(activities)
    .set({
      doneAt: done ? now : null,
      version: sql`${activities.version} + 1`,
      updatedAt: now,
    })
    .where(eq(activities.id, id))
    .returning();
  if (!row) throw ApiError.notFound("Activity");
  emitRecordEvent(scope, "activity", "updated", row);
  return toActivityView(row);
}

/** Soft delete (`deletedAt` set) or restore (`deletedAt` null), audited and announced. */
async function setDeletedAt(scope: TenantScope, current: ActivityRow, deletedAt: Date | null) {
  const [row] = await scope.tx
    .update(activities)
    .set({ deletedAt, version: current.version + 1, updatedAt: new Date() })
    .where(eq(activities.id, current.id))
    .returning();
  if (!row) throw ApiError.notFound("Activity");
  await recordDeletionChange(scope, "activity", deletedAt ? "deleted" : "restored", {
    id: row.id,
    version: row.version,
    label: row.subject,
  });
  return toActivityView(row);
}

export async function deleteActivity(scope: TenantScope, id: string) {
  const current = await lockRecord(scope, activityType, id);
  await assertCanChange(scope, current);
  return setDeletedAt(scope, current, new Date());
}

export async function restoreActivity(scope: TenantScope, id: string) {
  const current = await lockRecord(scope, activityType, id, { includeDeleted: true });
  assertRestorable(current.deletedAt);
  await assertCanChange(scope, current);
  return setDeletedAt(scope, current, null);
}
