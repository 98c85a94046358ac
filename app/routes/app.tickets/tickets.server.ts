import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  redirect,
} from "@remix-run/cloudflare";
import { can } from "../../../worker/auth/permissions";
import { listCustomFields } from "../../../worker/custom-fields/service";
import { ApiError } from "../../../worker/lib/errors";
import { bulkTickets } from "../../../worker/tickets/bulk";
import {
  type BulkTicketsResult,
  bulkTicketsBodySchema,
} from "../../../worker/tickets/bulk-schemas";
import { createTicketBodySchema, listTicketsQuerySchema } from "../../../worker/tickets/schemas";
import { createTicket, listTickets, ticketCounts } from "../../../worker/tickets/service";
import { formFailure, parseForm } from "../../lib/actions.server";
import { memberSummaries } from "../../lib/members.server";
import { customFieldSpecs } from "../../lib/record-fields";
import { bodyFromFields, type PostedForm, readPostedForm } from "../../lib/record-forms.server";
import { requireUser, runAsUser } from "../../lib/session.server";
import { readTicketFilters, type TicketFilters } from "./ticket-params";

/*
 * The ticket list (app/routes/app.tickets/route.tsx): the loader reads one page of the view
 * and filters in the URL, the views' counts and the members (assignees by name) in the page's
 * one transaction, through the tickets service; the action opens a ticket ("New ticket") and
 * leads to it. Live changes reach the page through the socket afterwards.
 */

const PAGE_SIZE = 50;

function serviceQuery(filters: TicketFilters) {
  return listTicketsQuerySchema.safeParse({
    limit: PAGE_SIZE,
    cursor: filters.cursor || undefined,
    view: filters.view,
    status: filters.status || undefined,
    priority: filters.priority || undefined,
    q: filters.q || undefined,
  });
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  const url = new URL(request.url);
  const filters = readTicketFilters(url.searchParams);
  const query = serviceQuery(filters);
  try {
    const data = await runAsUser(context, session, async (scope) => {
      const list = query.success
        ? await listTickets(scope, query.data)
        : { tickets: [], nextCursor: null, counts: await ticketCounts(scope) };
      return {
        ...list,
        members: await memberSummaries(scope),
        customFields: await listCustomFields(scope, "ticket"),
      };
    });
    return json(
      {
        ...data,
        filters,
        invalidFilters: !query.success,
        me: session.me.user.id,
        canWrite: can(session.me.role, "tickets:write"),
        canDelete: can(session.me.role, "tickets:delete"),
      },
      { headers: session.headers },
    );
  } catch (error) {
    // A stale or hand-edited cursor: the first page again.
    if (error instanceof ApiError && error.status === 400 && filters.cursor) {
      url.searchParams.delete("cursor");
      const search = url.searchParams.toString();
      throw redirect(search ? `${url.pathname}?${search}` : url.pathname, {
        headers: session.headers,
      });
    }
    throw error;
  }
}

/** The "New ticket" form as the API's create body: absent fields are left to the service. */
function createBody(values: Record<string, string>) {
  const email = values.requesterEmail?.trim() ?? "";
  const name = values.requesterName?.trim() ?? "";
  return {
    subject: values.subject ?? "",
    description: values.description ?? "",
    ...(email || name ? { requester: { email: email || undefined, name: name || undefined } } : {}),
    ...(values.priority ? { priority: values.priority } : {}),
    ...(values.type ? { type: values.type } : {}),
    ...(values.assigneeId ? { assigneeId: values.assigneeId } : {}),
  };
}

/**
 * The bulk bar's request: the ticked rows (`ids` as `<id>:<version>`, the version the agent
 * saw) and the changes picked (blank: keep). `assigneeId` "none" unassigns.
 */
function bulkBody(form: PostedForm) {
  const versions: Record<string, number> = {};
  const ids = form.all("ids").map((value) => {
    const [id = "", version] = value.split(":");
    if (version && /^\d+$/.test(version)) versions[id] = Number(version);
    return id;
  });
  if (form.intent === "bulk-delete")
    return parseForm(bulkTicketsBodySchema, { action: "delete", ids, versions });
  const { status, priority, assigneeId, addTag, removeTag } = form.values;
  const tags = (text: string | undefined) => {
    const list = (text ?? "")
      .split(",")
      .map((tag) => tag.trim())
      .filter(Boolean);
    return list.length > 0 ? list : undefined;
  };
  return parseForm(bulkTicketsBodySchema, {
    action: "update",
    ids,
    versions,
    changes: {
      ...(status ? { status } : {}),
      ...(priority ? { priority } : {}),
      ...(assigneeId ? { assigneeId: assigneeId === "none" ? null : assigneeId } : {}),
      addTags: tags(addTag),
      removeTags: tags(removeTag),
    },
  });
}

function bulkMessage(result: BulkTicketsResult, deleting: boolean) {
  const done = deleting ? result.deleted : result.updated;
  const noun = done === 1 ? "ticket" : "tickets";
  const head = `${done} ${noun} ${deleting ? "deleted" : "updated"}.`;
  const unsolvable = result.results.filter((r) => r.outcome === "invalid").length;
  const others = result.skipped - unsolvable;
  const parts = [head];
  if (unsolvable > 0) {
    parts.push(
      `${unsolvable} not solved: ${unsolvable === 1 ? "it needs its" : "they need their"} required fields filled first.`,
    );
  }
  if (others > 0) {
    parts.push(
      `${others} skipped (changed by someone else meanwhile, closed, already so, or gone).`,
    );
  }
  return parts.join(" ");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireUser(request, context);
  const form = await readPostedForm(request);
  try {
    if (form.intent === "bulk-update" || form.intent === "bulk-delete") {
      const body = bulkBody(form);
      const result = await runAsUser(context, session, (scope) =>
        bulkTickets(scope, body, context.config),
      );
      return json(
        {
          ok: true as const,
          intent: form.intent,
          message: bulkMessage(result, body.action === "delete"),
        },
        { headers: session.headers },
      );
    }
    if (form.intent !== "create") {
      throw ApiError.badRequest("That action is not available on this page.");
    }
    const ticket = await runAsUser(context, session, async (scope) => {
      const specs = customFieldSpecs(await listCustomFields(scope, "ticket"));
      const body = parseForm(createTicketBodySchema, {
        ...bodyFromFields(specs, form, "create"),
        ...createBody(form.values),
      });
      return createTicket(scope, body, "agent");
    });
    return redirect(`/app/tickets/${ticket.id}`, { headers: session.headers });
  } catch (error) {
    return formFailure(error, form, session.headers);
  }
}
