import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  redirect,
} from "@remix-run/cloudflare";
import { z } from "zod";
import type { CrmEntity } from "../../shared/crm";
import {
  ACTIVITY_TYPES,
  createActivityBodySchema,
  updateActivityBodySchema,
} from "../../worker/activities/schemas";
import {
  changeableActivityIds,
  completeActivity,
  createActivity,
  deleteActivity,
  restoreActivity,
  updateActivity,
} from "../../worker/activities/service";
import { recordTimeline } from "../../worker/activities/timeline";
import { can } from "../../worker/auth/permissions";
import { canEdit } from "../../worker/crm/access";
import { listCustomFields } from "../../worker/custom-fields/service";
import { ApiError } from "../../worker/lib/errors";
import type { TenantScope } from "../../worker/lib/scope";
import { parseForm } from "./actions.server";
import { memberSummaries } from "./members.server";
import { customFieldSpecs, type FieldSpec } from "./record-fields";
import {
  type ActionOutcome,
  bodyFromFields,
  localDateTimeToIso,
  type PostedForm,
  postedSpecs,
  postedVersion,
  readPostedForm,
  recordFailure,
} from "./record-forms.server";
import { requireUser, runAsUser } from "./session.server";

/*
 * The server half of every record page: the record (loaded by the route), its timeline, who
 * may edit it, and the shared actions (inline edits with the record's version, delete and
 * restore, notes, tasks and meetings). Routes add their own intents (convert a lead, move a
 * deal) through `intents`.
 */

export const TIMELINE_PAGE_SIZE = 20;

const LINK_FIELDS: Record<CrmEntity, "contactId" | "companyId" | "leadId" | "dealId"> = {
  contact: "contactId",
  company: "companyId",
  lead: "leadId",
  deal: "dealId",
};

export interface IntentContext {
  scope: TenantScope;
  id: string;
  form: PostedForm;
}

export interface RecordPageConfig {
  entity: CrmEntity;
  /** "/app/contacts" */
  path: string;
  /** "contact" */
  one: string;
  /** The built-in fields editable inline (custom fields are added). */
  fields: FieldSpec[];
  update(scope: TenantScope, id: string, body: Record<string, unknown>): Promise<unknown>;
  remove(scope: TenantScope, id: string): Promise<unknown>;
  restore(scope: TenantScope, id: string): Promise<unknown>;
  intents?: Record<string, (context: IntentContext) => Promise<ActionOutcome>>;
}

const idSchema = z.string().uuid();

function notFound(): never {
  throw new Response("Not found", { status: 404 });
}

/** The `$id` route param, or a 404 page for anything that is not an id. */
export function recordIdParam(params: LoaderFunctionArgs["params"]): string {
  const parsed = idSchema.safeParse(params.id);
  return parsed.success ? parsed.data : notFound();
}

/** `?activity=note` shows only notes on the timeline (anything else: everything). */
function timelineTypeParam(value: string | null): TimelineType | null {
  return ACTIVITY_TYPES.find((type) => type === value) ?? null;
}

type TimelineType = (typeof ACTIVITY_TYPES)[number];

/**
 * The page data: whatever `load` returns (it must include `record`), plus the timeline page
 * (`?timeline=<cursor>` for older entries), custom fields, members and permissions.
 */
export async function loadRecordPage<
  Loaded extends { record: { id: string; ownerId: string | null; version: number } },
>(
  { request, params, context }: LoaderFunctionArgs,
  config: Pick<RecordPageConfig, "entity">,
  load: (scope: TenantScope, id: string) => Promise<Loaded>,
) {
  const session = await requireUser(request, context);
  const id = recordIdParam(params);
  const searchParams = new URL(request.url).searchParams;
  const cursor = searchParams.get("timeline") ?? undefined;
  const timelineType = timelineTypeParam(searchParams.get("activity"));
  try {
    const data = await runAsUser(context, session, async (scope) => {
      const loaded = await load(scope, id);
      const timeline = await recordTimeline(scope, config.entity, id, {
        limit: TIMELINE_PAGE_SIZE,
        cursor,
        type: timelineType ? [timelineType] : undefined,
      });
      const activities = timeline.rows.flatMap((row) => (row.activity ? [row.activity] : []));
      return {
        ...loaded,
        timeline,
        timelinePaged: Boolean(cursor),
        timelineType,
        changeableActivities: await changeableActivityIds(scope, activities),
        customFields: await listCustomFields(scope, config.entity),
        members: await memberSummaries(scope),
        me: scope.actor.userId ?? "",
        canWrite: can(scope.actor.role, "crm:write"),
        canEdit: await canEdit(scope, loaded.record.ownerId),
        canReassign: can(scope.actor.role, "crm:bulk"),
      };
    });
    return json(data, { headers: session.headers });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) notFound();
    // A stale or hand-edited ?timeline= cursor starts over from the newest entries.
    if (cursor && error instanceof ApiError && error.status === 400) {
      throw redirect(new URL(request.url).pathname, { headers: session.headers });
    }
    throw error;
  }
}

export type RecordActionResult = {
  ok: true;
  intent: string;
  message: string;
  /** For `update`: which fields were saved (the editor closes). */
  fields?: string[];
  /** For `update`: the record's version after the save. */
  version?: number;
  /** For `delete-activity` and `restore-activity`: which activity (the "Undo" restores it). */
  activity?: { id: string; type: string };
};

function firstLine(text: string) {
  const line = text.trim().split("\n")[0]?.trim() ?? "";
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

/** The activity body for the note, task and meeting forms. */
function activityBody(entity: CrmEntity, id: string, form: PostedForm) {
  const { values } = form;
  const text = values.body?.trim() ?? "";
  const link = { [LINK_FIELDS[entity]]: id };
  switch (form.intent) {
    case "add-note":
      if (!text) throw ApiError.validation({ body: ["Write the note first."] });
      return { type: "note", subject: firstLine(text), body: text, ...link };
    case "add-task":
      return {
        type: "task",
        subject: values.subject ?? "",
        body: text || null,
        dueAt: localDateTimeToIso(values.dueAt, values.tzOffset) ?? null,
        assigneeId: values.assigneeId || null,
        ...link,
      };
    default:
      return {
        type: "meeting",
        subject: values.subject ?? "",
        body: text || null,
        occurredAt: localDateTimeToIso(values.occurredAt, values.tzOffset),
        ...link,
      };
  }
}

const ACTIVITY_MESSAGES: Record<string, string> = {
  "add-note": "Note added.",
  "add-task": "Task added.",
  "add-meeting": "Meeting logged.",
};

const activityRefForm = z.object({
  activityId: z.string().uuid("Unknown activity."),
  activityVersion: z.coerce.number().int().min(1).optional(),
});

/** A note is its text (the subject is its first line); a task has a title and details. */
function activityEdit(form: PostedForm) {
  const text = form.values.body?.trim() ?? "";
  if (form.values.activityType === "note") {
    if (!text) throw ApiError.validation({ body: ["Write the note first."] });
    return { subject: firstLine(text), body: text };
  }
  return { subject: form.values.subject ?? "", body: text || null };
}

const ACTIVITY_NOUNS: Record<string, string> = { note: "Note", task: "Task" };

async function runIntent(
  scope: TenantScope,
  config: RecordPageConfig,
  id: string,
  form: PostedForm,
): Promise<
  ActionOutcome & {
    fields?: string[];
    version?: number | undefined;
    activity?: RecordActionResult["activity"];
  }
> {
  switch (form.intent) {
    case "update": {
      const definitions = await listCustomFields(scope, config.entity);
      const specs = postedSpecs([...config.fields, ...customFieldSpecs(definitions)], form);
      const body = bodyFromFields(specs, form, "update");
      const saved = await config.update(scope, id, { ...body, version: postedVersion(form) });
      return {
        message: "Saved.",
        fields: specs.map((spec) => spec.name),
        version: (saved as { version?: number } | null)?.version,
      };
    }
    case "delete": {
      await config.remove(scope, id);
      const label = encodeURIComponent(form.values.label ?? "");
      return { redirectTo: `${config.path}?removed=${id}&label=${label}` };
    }
    case "restore":
      await config.restore(scope, id);
      return { message: "Restored." };
    case "add-note":
    case "add-task":
    case "add-meeting": {
      const body = parseForm(createActivityBodySchema, activityBody(config.entity, id, form));
      await createActivity(scope, body);
      return { message: ACTIVITY_MESSAGES[form.intent] ?? "Added." };
    }
    case "edit-activity": {
      const ref = parseForm(activityRefForm, form.values);
      const body = parseForm(updateActivityBodySchema, {
        ...activityEdit(form),
        version: ref.activityVersion,
      });
      const saved = await updateActivity(scope, ref.activityId, body);
      return { message: `${ACTIVITY_NOUNS[saved.type] ?? "Activity"} saved.` };
    }
    case "delete-activity": {
      const ref = parseForm(activityRefForm, form.values);
      const deleted = await deleteActivity(scope, ref.activityId);
      return {
        message: `${ACTIVITY_NOUNS[deleted.type] ?? "Activity"} deleted.`,
        activity: { id: deleted.id, type: deleted.type },
      };
    }
    case "restore-activity": {
      const ref = parseForm(activityRefForm, form.values);
      const restored = await restoreActivity(scope, ref.activityId);
      return {
        message: `${ACTIVITY_NOUNS[restored.type] ?? "Activity"} restored.`,
        activity: { id: restored.id, type: restored.type },
      };
    }
    case "complete-task":
    case "reopen-task": {
      const ref = parseForm(activityRefForm, form.values);
      const done = form.intent === "complete-task";
      await completeActivity(scope, ref.activityId, { done, version: ref.activityVersion });
      return { message: done ? "Task done." : "Task reopened." };
    }
    default: {
      const handler = config.intents?.[form.intent];
      if (!handler) throw ApiError.badRequest("Unknown action.");
      return handler({ scope, id, form });
    }
  }
}

export async function recordPageAction(
  { request, params, context }: ActionFunctionArgs,
  config: RecordPageConfig,
) {
  const session = await requireUser(request, context);
  const id = recordIdParam(params);
  const form = await readPostedForm(request);
  try {
    const outcome = await runAsUser(context, session, (scope) =>
      runIntent(scope, config, id, form),
    );
    if ("redirectTo" in outcome) throw redirect(outcome.redirectTo, { headers: session.headers });
    return json<RecordActionResult>(
      {
        ok: true,
        intent: form.intent,
        message: outcome.message,
        fields: outcome.fields,
        version: outcome.version,
        activity: outcome.activity,
      },
      { headers: session.headers },
    );
  } catch (error) {
    return recordFailure(error, form, session.headers);
  }
}
