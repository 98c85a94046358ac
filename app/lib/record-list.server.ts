import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  redirect,
} from "@remix-run/cloudflare";
import { z } from "zod";
import type { CrmEntity } from "../../shared/crm";
import { can } from "../../worker/auth/permissions";
import { bulkBodySchema } from "../../worker/bulk/schemas";
import { runBulkAction } from "../../worker/bulk/service";
import { type ListQuery, listQuerySchema } from "../../worker/crm/list-query";
import { listCustomFields } from "../../worker/custom-fields/service";
import { ApiError } from "../../worker/lib/errors";
import type { TenantScope } from "../../worker/lib/scope";
import { createViewBodySchema } from "../../worker/views/schemas";
import { createView, deleteView, listViews } from "../../worker/views/service";
import { parseForm } from "./actions.server";
import {
  listSearch,
  paramsOfView,
  readListParams,
  toServiceQuery,
  viewDefinitionOf,
} from "./list-params";
import { memberSummaries } from "./members.server";
import { createSpecs, customFieldSpecs, type FieldSpec } from "./record-fields";
import {
  type ActionOutcome,
  bodyFromFields,
  type PostedForm,
  readPostedForm,
  recordFailure,
} from "./record-forms.server";
import { requireUser, runAsUser, type UserSession } from "./session.server";

/*
 * The server half of every record list (contacts, companies, leads, deals): one page of rows
 * for the URL's filters, plus what the toolbar needs (saved views, custom fields, members),
 * and the list's actions (create, bulk actions, saved views, restore).
 */

export const LIST_PAGE_SIZE = 25;

export interface RecordListConfig<Row> {
  entity: CrmEntity;
  /** "/app/contacts" */
  path: string;
  /** "contact" / "contacts" */
  one: string;
  many: string;
  defaultColumns: string[];
  list(scope: TenantScope, query: ListQuery): Promise<{ rows: Row[]; nextCursor: string | null }>;
  /** Creates from the "New" form's body (parse it with the API's schema); returns the record. */
  create(scope: TenantScope, body: Record<string, unknown>): Promise<{ id: string }>;
  restore(scope: TenantScope, id: string): Promise<unknown>;
  /** The built-in fields of the "New" form (custom fields are added). */
  createFields: FieldSpec[];
}

/** A list's `create`: the "New" form's body parsed with the API's schema, then the service. */
export function createParsed<S extends z.ZodType>(
  schema: S,
  create: (scope: TenantScope, body: z.output<S>) => Promise<{ id: string }>,
) {
  return (scope: TenantScope, body: Record<string, unknown>) =>
    create(scope, parseForm(schema, body));
}

async function loadRows<Row>(
  context: LoaderFunctionArgs["context"],
  session: UserSession,
  config: RecordListConfig<Row>,
  search: URLSearchParams,
) {
  const params = readListParams(search);
  try {
    const query = parseForm(listQuerySchema, toServiceQuery(params, LIST_PAGE_SIZE));
    const result = await runAsUser(context, session, (scope) => config.list(scope, query));
    return { params, rows: result.rows, nextCursor: result.nextCursor, listError: null };
  } catch (error) {
    // A filter the service cannot read (a word in a number filter, a stale cursor) is shown
    // above an empty table instead of breaking the page.
    if (!(error instanceof ApiError) || error.status >= 500 || error.status === 403) throw error;
    const details = Object.values(error.fieldErrors ?? {}).flat();
    return {
      params,
      rows: [] as Row[],
      nextCursor: null,
      listError: [error.message, ...details].join(" "),
    };
  }
}

/** Everything a list page shows; `extra` adds entity-specific data (a deal's stages). */
export async function loadRecordList<Row, Extra = null>(
  { request, context }: LoaderFunctionArgs,
  config: RecordListConfig<Row>,
  extra?: (scope: TenantScope) => Promise<Extra>,
) {
  const session = await requireUser(request, context);
  const url = new URL(request.url);
  const viewId = url.searchParams.get("view");
  if (viewId) return applyView(context, session, config, viewId);
  const list = await loadRows(context, session, config, url.searchParams);
  const meta = await runAsUser(context, session, async (scope) => ({
    me: scope.actor.userId ?? "",
    canWrite: can(scope.actor.role, "crm:write"),
    canBulk: can(scope.actor.role, "crm:bulk"),
    canImport: can(scope.actor.role, "crm:import"),
    canExport: can(scope.actor.role, "crm:export"),
    canShareViews: can(scope.actor.role, "views:share"),
    members: await memberSummaries(scope),
    customFields: await listCustomFields(scope, config.entity),
    views: await listViews(scope, config.entity),
    extra: extra ? await extra(scope) : (null as Extra),
  }));
  const removedId = url.searchParams.get("removed");
  return json(
    {
      ...list,
      ...meta,
      defaultColumns: config.defaultColumns,
      removed: removedId
        ? { id: removedId, label: url.searchParams.get("label") ?? `The ${config.one}` }
        : null,
    },
    { headers: session.headers },
  );
}

/** `?view=<id>` opens a saved view: its filters, sort and columns become the URL. */
async function applyView<Row>(
  context: LoaderFunctionArgs["context"],
  session: UserSession,
  config: RecordListConfig<Row>,
  viewId: string,
): Promise<never> {
  const views = await runAsUser(context, session, (scope) => listViews(scope, config.entity));
  const view = views.find((candidate) => candidate.id === viewId);
  if (!view) throw redirect(config.path, { headers: session.headers });
  throw redirect(`${config.path}${listSearch(paramsOfView(view.definition))}`, {
    headers: session.headers,
  });
}

const viewIdForm = z.object({ viewId: z.string().uuid("Unknown view.") });
const recordIdForm = z.object({ id: z.string().uuid("Unknown record.") });

export type ListActionResult = {
  ok: true;
  intent: string;
  message: string;
  /** After a bulk delete: the deleted ids, for "Undo" (a bulk restore). */
  undo?: string[];
};

const BULK_ACTIONS: Record<string, "assign" | "tag" | "untag" | "delete" | "restore"> = {
  "bulk-assign": "assign",
  "bulk-tag": "tag",
  "bulk-untag": "untag",
  "bulk-delete": "delete",
  "bulk-restore": "restore",
};

function splitTags(text: string | undefined) {
  return (text ?? "")
    .split(",")
    .map((tag) => tag.trim())
    .filter(Boolean);
}

/** The bulk request for the checked rows (`ids`) and the pressed button's action. */
function bulkBody(entity: CrmEntity, action: (typeof BULK_ACTIONS)[string], form: PostedForm) {
  const extra =
    action === "assign"
      ? { ownerId: form.values.ownerId || null }
      : action === "delete" || action === "restore"
        ? {}
        : { tags: splitTags(form.values.tags) };
  return parseForm(bulkBodySchema, { entity, ids: form.all("ids"), action, ...extra });
}

function bulkMessage(
  config: Pick<RecordListConfig<unknown>, "one" | "many">,
  action: (typeof BULK_ACTIONS)[string],
  result: { updated: number; skipped: unknown[] },
) {
  const noun = result.updated === 1 ? config.one : config.many;
  if (action === "delete") {
    return `${result.updated} ${noun} deleted. You can restore them for 30 days.`;
  }
  if (action === "restore") return `${result.updated} ${noun} restored.`;
  const done = `${result.updated} ${noun} updated.`;
  const skipped = result.skipped.length;
  return skipped > 0 ? `${done} ${skipped} skipped (not yours to change, or unchanged).` : done;
}

/** Runs one list intent: a message to show, or where to go next. */
async function runListIntent<Row>(
  scope: TenantScope,
  config: RecordListConfig<Row>,
  form: PostedForm,
): Promise<ActionOutcome & { undo?: string[] }> {
  const bulkAction = BULK_ACTIONS[form.intent];
  if (bulkAction) {
    const body = bulkBody(config.entity, bulkAction, form);
    const result = await runBulkAction(scope, body);
    const message = bulkMessage(config, bulkAction, result);
    if (bulkAction !== "delete" || result.updated === 0) return { message };
    const skipped = new Set(result.skipped.map((skip) => skip.id));
    return { message, undo: body.ids.filter((id) => !skipped.has(id)) };
  }
  switch (form.intent) {
    case "create": {
      const definitions = await listCustomFields(scope, config.entity);
      const specs = [...createSpecs(config.createFields), ...customFieldSpecs(definitions)];
      const record = await config.create(scope, bodyFromFields(specs, form, "create"));
      return { redirectTo: `${config.path}/${record.id}` };
    }
    case "save-view": {
      const params = readListParams(new URLSearchParams(form.values.params ?? ""));
      const body = parseForm(createViewBodySchema, {
        entity: config.entity,
        name: form.values.name ?? "",
        shared: form.values.shared === "true",
        definition: viewDefinitionOf(params, config.defaultColumns),
      });
      const view = await createView(scope, body);
      return { message: `Saved the view “${view.name}”.` };
    }
    case "delete-view": {
      const { viewId } = parseForm(viewIdForm, form.values);
      const view = await deleteView(scope, viewId);
      return { message: `Deleted the view “${view.name}”.` };
    }
    case "restore": {
      const { id } = parseForm(recordIdForm, form.values);
      await config.restore(scope, id);
      return { redirectTo: `${config.path}/${id}` };
    }
    default:
      throw ApiError.badRequest("Unknown action.");
  }
}

/** The list page's forms: create, bulk actions, saved views, restore. */
export async function recordListAction<Row>(
  { request, context }: ActionFunctionArgs,
  config: RecordListConfig<Row>,
) {
  const session = await requireUser(request, context);
  const form = await readPostedForm(request);
  try {
    const outcome = await runAsUser(context, session, (scope) =>
      runListIntent(scope, config, form),
    );
    if ("redirectTo" in outcome) throw redirect(outcome.redirectTo, { headers: session.headers });
    return json<ListActionResult>(
      { ok: true, intent: form.intent, message: outcome.message, undo: outcome.undo },
      { headers: session.headers },
    );
  } catch (error) {
    return recordFailure(error, form, session.headers);
  }
}
