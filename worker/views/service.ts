import { and, asc, eq, or } from "drizzle-orm";
import { can } from "../auth/permissions";
import type { CrmEntity } from "../crm/record-tables";
import { savedViews } from "../db/crm-schema";
import { newId } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { requirePermission, type TenantScope } from "../lib/scope";
import type { CreateViewBody, UpdateViewBody } from "./schemas";

type ViewRow = typeof savedViews.$inferSelect;

export interface SavedViewView {
  id: string;
  entity: CrmEntity;
  name: string;
  definition: ViewRow["definition"];
  shared: boolean;
  ownerId: string;
  mine: boolean;
  createdAt: string;
  updatedAt: string;
}

function toView(row: ViewRow, userId: string): SavedViewView {
  return {
    id: row.id,
    entity: row.entity,
    name: row.name,
    definition: row.definition,
    shared: row.shared,
    ownerId: row.ownerId,
    mine: row.ownerId === userId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Saved views belong to a person; API keys have none. */
function viewerId(scope: TenantScope): string {
  requirePermission(scope.actor, "crm:read");
  if (!scope.actor.userId) throw ApiError.forbidden("Saved views belong to signed-in users.");
  return scope.actor.userId;
}

/** The caller's own views and the ones others shared, by name. */
export async function listViews(scope: TenantScope, entity: CrmEntity | undefined) {
  const userId = viewerId(scope);
  const rows = await scope.tx
    .select()
    .from(savedViews)
    .where(
      and(
        entity ? eq(savedViews.entity, entity) : undefined,
        or(eq(savedViews.ownerId, userId), eq(savedViews.shared, true)),
      ),
    )
    .orderBy(asc(savedViews.entity), asc(savedViews.name), asc(savedViews.id));
  return rows.map((row) => toView(row, userId));
}

/** Everyone keeps personal views; sharing one with the organization needs `views:share`. */
function requireShareRight(scope: TenantScope, shared: boolean | undefined) {
  if (shared && !can(scope.actor.role, "views:share"))
    throw ApiError.forbidden("Your role can keep personal views but cannot share them.");
}

export async function createView(scope: TenantScope, body: CreateViewBody) {
  const userId = viewerId(scope);
  requireShareRight(scope, body.shared);
  const now = new Date();
  const [row] = await scope.tx
    .insert(savedViews)
    .values({
      id: newId(),
      orgId: scope.actor.orgId,
      ownerId: userId,
      entity: body.entity,
      name: body.name,
      definition: body.definition,
      shared: body.shared ?? false,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (!row) throw new Error("Saved view insert returned no row");
  return toView(row, userId);
}

/** Only the owner changes a view: a shared one is read-only to others (403), a private one invisible (404). */
async function findOwnView(scope: TenantScope, id: string, userId: string) {
  const [row] = await scope.tx.select().from(savedViews).where(eq(savedViews.id, id)).for("update");
  if (!row || (row.ownerId !== userId && !row.shared)) throw ApiError.notFound("Saved view");
  if (row.ownerId !== userId) throw ApiError.forbidden("Only its owner can change a saved view.");
  return row;
}

export async function updateView(scope: TenantScope, id: string, body: UpdateViewBody) {
  const userId = viewerId(scope);
  requireShareRight(scope, body.shared);
  await findOwnView(scope, id, userId);
  const [row] = await scope.tx
    .update(savedViews)
    .set({ ...body, updatedAt: new Date() })
    .where(eq(savedViews.id, id))
    .returning();
  if (!row) throw ApiError.notFound("Saved view");
  return toView(row, userId);
}

export async function deleteView(scope: TenantScope, id: string) {
  const userId = viewerId(scope);
  const row = await findOwnView(scope, id, userId);
  await scope.tx.delete(savedViews).where(eq(savedViews.id, id));
  return toView(row, userId);
}
