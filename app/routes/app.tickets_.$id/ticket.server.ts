import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  redirect,
} from "@remix-run/cloudflare";
import { can } from "../../../worker/auth/permissions";
import { listCustomFields } from "../../../worker/custom-fields/service";
import { ApiError } from "../../../worker/lib/errors";
import type { TenantScope } from "../../../worker/lib/scope";
import { listTeams } from "../../../worker/teams/service";
import {
  addCommentBodySchema,
  type TicketCommentView,
  type TicketView,
  updateTicketBodySchema,
} from "../../../worker/tickets/schemas";
import {
  addComment,
  getTicket,
  getTicketByNumber,
  listComments,
  mergeTicket,
  ticketCounts,
  updateTicket,
} from "../../../worker/tickets/service";
import { formFailure, parseForm } from "../../lib/actions.server";
import { memberSummaries } from "../../lib/members.server";
import { CUSTOM_PREFIX, customFieldSpecs } from "../../lib/record-fields";
import { bodyFromFields, type PostedForm, readPostedForm } from "../../lib/record-forms.server";
import { companyChoices, dealChoices } from "../../lib/record-options.server";
import { recordIdParam } from "../../lib/record-page.server";
import { requireUser, runAsUser } from "../../lib/session.server";

/*
 * One ticket (app/routes/app.tickets_.$id/route.tsx): the loader reads the ticket, its
 * comments, the members (authors and assignees by name), for a merged ticket the one it went
 * into, the companies and deals it may link to, and the views' counts (the sidebar's badge), in the page's one transaction; `/app/tickets/1001` leads to ticket #1001. The
 * action replies (public, emailed to the requester) or writes an internal note, either one
 * with the status to submit the ticket as; changes the ticket's fields (with its version:
 * someone else's change meanwhile is a 409 said in the desk's words); and merges it into
 * another ticket, named by number or id.
 */

const NUMBER = /^#?(\d{1,9})$/;

function notFound(headers: Headers): never {
  throw new Response("Not found", { status: 404, headers });
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  const byNumber = NUMBER.exec(params.id ?? "");
  if (byNumber) {
    const ticket = await runAsUser(context, session, (scope) =>
      getTicketByNumber(scope, Number(byNumber[1])),
    ).catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 404) notFound(session.headers);
      throw error;
    });
    throw redirect(`/app/tickets/${ticket.id}`, { headers: session.headers });
  }
  const id = recordIdParam(params);
  try {
    const data = await runAsUser(context, session, async (scope) => {
      const ticket = await getTicket(scope, id);
      return {
        ticket,
        comments: await listComments(scope, id),
        members: await memberSummaries(scope),
        mergedInto: await mergedInto(scope, ticket),
        links: await linkChoices(scope, ticket),
        customFields: await listCustomFields(scope, "ticket"),
        // For the sidebar's badge (the shell does not reload after the desk's forms).
        counts: await ticketCounts(scope),
      };
    });
    return json(
      {
        ...data,
        me: session.me.user.id,
        canWrite: can(session.me.role, "tickets:write"),
      },
      { headers: session.headers },
    );
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) notFound(session.headers);
    throw error;
  }
}

/**
 * What the Team, Company and Deal selects offer: the org's teams and companies, the linked
 * company's open deals.
 */
async function linkChoices(scope: TenantScope, ticket: TicketView) {
  if (!can(scope.actor.role, "tickets:write")) return { teams: [], companies: [], deals: [] };
  const teams = (await listTeams(scope)).map((team) => ({ id: team.id, name: team.name }));
  if (!can(scope.actor.role, "crm:read")) return { teams, companies: [], deals: [] };
  const companyId = ticket.company?.id ?? null;
  return {
    teams,
    companies: await companyChoices(scope, companyId),
    deals: await dealChoices(scope, companyId, ticket.deal?.id ?? null),
  };
}

/** The ticket a merged one went into (null when it was deleted since). */
async function mergedInto(scope: TenantScope, ticket: TicketView) {
  if (!ticket.mergedIntoId) return null;
  try {
    const target = await getTicket(scope, ticket.mergedIntoId);
    return { id: target.id, number: target.number, subject: target.subject };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/**
 * The properties form as the API's update body. Its custom fields are the ones the form
 * showed (`customFields`), read by their definitions (a cleared checkbox posts nothing).
 */
async function updateBody(scope: TenantScope, form: PostedForm) {
  const { values } = form;
  const shown = new Set((values.customFields ?? "").split(",").filter(Boolean));
  const specs = shown.size
    ? customFieldSpecs(await listCustomFields(scope, "ticket")).filter((spec) =>
        shown.has(spec.name.slice(CUSTOM_PREFIX.length)),
      )
    : [];
  const body: Record<string, unknown> = bodyFromFields(specs, form, "update");
  if (values.status !== undefined) body.status = values.status;
  if (values.priority !== undefined) body.priority = values.priority;
  if (values.type !== undefined) body.type = values.type || null;
  if (values.assigneeId !== undefined) body.assigneeId = values.assigneeId || null;
  if (values.teamId !== undefined) body.teamId = values.teamId || null;
  // Only a link the agent changed: a soft-deleted company or deal (shown as none) stays linked.
  if (values.companyId !== undefined && values.companyId !== values.shownCompanyId) {
    body.companyId = values.companyId || null;
  }
  if (values.dealId !== undefined && values.dealId !== values.shownDealId) {
    body.dealId = values.dealId || null;
  }
  if (values.tags !== undefined) {
    body.tags = values.tags
      .split(",")
      .map((tag) => tag.trim())
      .filter(Boolean);
  }
  if (values.version) body.version = Number(values.version);
  return parseForm(updateTicketBodySchema, body);
}

/** `1002`, `#1002` or a ticket's id: the ticket to merge into. */
async function mergeTarget(scope: TenantScope, into: string): Promise<string> {
  const text = into.trim();
  const byNumber = NUMBER.exec(text);
  if (byNumber) {
    try {
      return (await getTicketByNumber(scope, Number(byNumber[1]))).id;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        throw ApiError.validation({ into: [`There is no ticket #${byNumber[1]}.`] });
      }
      throw error;
    }
  }
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)) return text;
  throw ApiError.validation({ into: ["Enter the other ticket's number, like 1002."] });
}

export type TicketActionSuccess =
  | { ok: true; intent: "reply" | "note"; comment: TicketCommentView }
  | { ok: true; intent: "update"; ticket: TicketView };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const session = await requireUser(request, context);
  const id = recordIdParam(params);
  const form = await readPostedForm(request);
  const run = <T>(work: (scope: TenantScope) => Promise<T>) => runAsUser(context, session, work);
  const answer = (result: TicketActionSuccess) => json(result, { headers: session.headers });
  const { values } = form;
  try {
    switch (form.intent) {
      case "reply":
      case "note": {
        const body = parseForm(addCommentBodySchema, {
          body: values.body ?? "",
          public: form.intent === "reply",
          ...(values.status ? { status: values.status } : {}),
        });
        const comment = await run((scope) => addComment(scope, id, body, context.config));
        return answer({ ok: true, intent: form.intent, comment });
      }
      case "update": {
        const ticket = await run(async (scope) =>
          updateTicket(scope, id, await updateBody(scope, form), context.config),
        );
        return answer({ ok: true, intent: "update", ticket });
      }
      case "merge": {
        const target = await run(async (scope) =>
          mergeTicket(scope, id, await mergeTarget(scope, values.into ?? "")),
        );
        return redirect(`/app/tickets/${target.id}`, { headers: session.headers });
      }
      default:
        throw ApiError.badRequest("That action is not available on this page.");
    }
  } catch (error) {
    const versionConflict =
      error instanceof ApiError && error.status === 409 && Boolean(error.fieldErrors?.version);
    if (versionConflict) {
      // Someone changed it meanwhile: the page already shows their change (the socket).
      return formFailure(
        new ApiError(
          409,
          "conflict",
          "Someone changed this ticket while you were editing it. The form now shows their change: make yours again if it still applies.",
        ),
        form,
        session.headers,
      );
    }
    return formFailure(error, form, session.headers);
  }
}
