import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  redirect,
} from "@remix-run/cloudflare";
import { can } from "../../../worker/auth/permissions";
import { ApiError } from "../../../worker/lib/errors";
import { createTicketBodySchema, listTicketsQuerySchema } from "../../../worker/tickets/schemas";
import { createTicket, listTickets, ticketCounts } from "../../../worker/tickets/service";
import { formFailure, parseForm, readForm } from "../../lib/actions.server";
import { memberSummaries } from "../../lib/members.server";
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
      return { ...list, members: await memberSummaries(scope) };
    });
    return json(
      {
        ...data,
        filters,
        invalidFilters: !query.success,
        me: session.me.user.id,
        canWrite: can(session.me.role, "tickets:write"),
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

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireUser(request, context);
  const form = await readForm(request);
  try {
    if (form.intent !== "create") {
      throw ApiError.badRequest("That action is not available on this page.");
    }
    const body = parseForm(createTicketBodySchema, createBody(form.values));
    const ticket = await runAsUser(context, session, (scope) => createTicket(scope, body, "agent"));
    return redirect(`/app/tickets/${ticket.id}`, { headers: session.headers });
  } catch (error) {
    return formFailure(error, form, session.headers);
  }
}
