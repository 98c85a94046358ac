import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  redirect,
} from "@remix-run/cloudflare";
import { z } from "zod";
import { can } from "../../../worker/auth/permissions";
import { listCallsQuerySchema } from "../../../worker/calls/schemas";
import { listCalls } from "../../../worker/calls/service";
import { listChannelChoices } from "../../../worker/channels/service";
import { getContact } from "../../../worker/contacts/service";
import {
  readPostedAttachment,
  sendWithAttachment,
} from "../../../worker/conversations/attachments";
import type {
  ConversationView,
  MessageView,
} from "../../../worker/conversations/conversation-view";
import {
  listConversationsQuerySchema,
  mergeConversationBodySchema,
  sendMessageBodySchema,
  updateConversationBodySchema,
} from "../../../worker/conversations/schemas";
import {
  getConversation,
  listConversations,
  listMessages,
  markConversationRead,
  mergeConversation,
  sendMessage,
  updateConversation,
} from "../../../worker/conversations/service";
import { listQuerySchema } from "../../../worker/crm/list-query";
import { listDeals } from "../../../worker/deals/list";
import { ApiError } from "../../../worker/lib/errors";
import type { TenantScope } from "../../../worker/lib/scope";
import { ticketFromConversation } from "../../../worker/tickets/from-conversation";
import { formFailure, parseForm } from "../../lib/actions.server";
import { memberSummaries } from "../../lib/members.server";
import { readPostedForm } from "../../lib/record-forms.server";
import { requireUser, runAsUser } from "../../lib/session.server";
import { type InboxFilters, readInboxFilters, type TemplateChoice } from "./inbox-params";
import { loadChannelTemplates } from "./templates.server";

/*
 * The shared inbox (app/routes/app.inbox/route.tsx): the loader reads the conversation list
 * for the filters in the URL and, with `?c=<id>`, that conversation's thread and its contact's
 * panel, all in the page's one transaction, through the conversations service; the action
 * replies (a file too), writes notes, sends templates, changes a conversation's state (with its version),
 * marks it read and merges it. Live changes reach the page through the socket afterwards.
 */

const PAGE_SIZE = 50;
/** A thread opens on its newest 100 messages; "Show earlier messages" reads 100 more a time. */
const MESSAGE_PAGE = 100;
const RELATED_LIMIT = 5;

function serviceQuery(filters: InboxFilters, cursor: string | null) {
  return listConversationsQuerySchema.safeParse({
    limit: PAGE_SIZE,
    cursor: cursor || undefined,
    status: filters.status,
    assignee: filters.view === "mine" ? "me" : filters.view === "unassigned" ? "none" : undefined,
    channelId: filters.channelId || undefined,
    q: filters.q || undefined,
  });
}

/** The conversation's newest page of messages (oldest first), and the cursor before it. */
async function threadMessages(scope: TenantScope, id: string) {
  const result = await listMessages(scope, id, { limit: MESSAGE_PAGE, from: "latest" });
  return { messages: result.messages, earlier: result.previousCursor };
}

/** What the contact panel shows: the contact, its other conversations, deals and calls. */
async function contactPanel(scope: TenantScope, conversation: ConversationView) {
  if (!conversation.contact) return null;
  const contactId = conversation.contact.id;
  const contact = await getContact(scope, contactId).catch((error: unknown) => {
    // Deleted since: the panel says so instead of failing the page.
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  });
  const others = await listConversations(
    scope,
    listConversationsQuerySchema.parse({ limit: 20, contactId }),
  );
  const deals = contact
    ? await listDeals(
        scope,
        listQuerySchema.parse({ limit: RELATED_LIMIT, "filter.contactId": contactId }),
      )
    : { rows: [] };
  const calls = can(scope.actor.role, "calls:read")
    ? await listCalls(scope, listCallsQuerySchema.parse({ limit: RELATED_LIMIT, contactId }))
    : { calls: [] };
  return {
    contact: contact
      ? {
          id: contact.id,
          name: `${contact.firstName} ${contact.lastName}`.trim() || conversation.contact.name,
          title: contact.title,
          company: contact.company ? { id: contact.company.id, name: contact.company.name } : null,
          emails: contact.emails.map((entry) => entry.email),
          phones: contact.phoneNumbers,
        }
      : null,
    conversations: others.conversations.filter((other) => other.id !== conversation.id),
    deals: deals.rows.map((deal) => ({
      id: deal.id,
      title: deal.title,
      amount: deal.amount,
      currency: deal.currency,
      closedAt: deal.closedAt,
    })),
    calls: calls.calls.map((call) => ({
      id: call.id,
      direction: call.direction,
      status: call.status,
      startedAt: call.startedAt,
      durationSeconds: call.durationSeconds,
      agent: call.agent?.name ?? null,
    })),
  };
}

export type ContactPanelData = NonNullable<Awaited<ReturnType<typeof contactPanel>>>;

async function selectedConversation(scope: TenantScope, id: string) {
  let conversation: ConversationView;
  try {
    conversation = await getConversation(scope, id);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { missing: true as const };
    throw error;
  }
  if (conversation.mergedIntoId) return { mergedInto: conversation.mergedIntoId };
  const thread = await threadMessages(scope, id);
  return {
    conversation,
    messages: thread.messages,
    earlierCursor: thread.earlier,
    panel: await contactPanel(scope, conversation),
  };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  const url = new URL(request.url);
  const filters = readInboxFilters(url.searchParams);
  const cursor = url.searchParams.get("cursor");
  const query = serviceQuery(filters, cursor);
  const selectedId = cursor ? null : filters.c;
  try {
    const data = await runAsUser(context, session, async (scope) => {
      const list = query.success
        ? await listConversations(scope, query.data)
        : { conversations: [], nextCursor: null };
      // "Load more" reads the next page of the list only.
      if (cursor) return { ...list, more: true as const };
      return {
        ...list,
        more: false as const,
        channels: await listChannelChoices(scope),
        members: await memberSummaries(scope),
        selected: selectedId ? await selectedConversation(scope, selectedId) : null,
      };
    });
    const mergedInto = data.more === false ? data.selected?.mergedInto : undefined;
    if (mergedInto) {
      // Old links to a merged conversation lead to the one it went into.
      url.searchParams.set("c", mergedInto);
      throw redirect(`${url.pathname}?${url.searchParams}`, { headers: session.headers });
    }
    return json(
      {
        ...data,
        filters,
        invalidFilters: !query.success,
        me: session.me.user.id,
        canWrite: can(session.me.role, "inbox:write"),
      },
      { headers: session.headers },
    );
  } catch (error) {
    // A stale or hand-edited cursor: the first page again.
    if (error instanceof ApiError && error.status === 400 && cursor) {
      url.searchParams.delete("cursor");
      throw redirect(`${url.pathname}?${url.searchParams}`, { headers: session.headers });
    }
    throw error;
  }
}

const idForm = z.object({ conversationId: z.string().uuid("Unknown conversation.") });

/** The conversation fields an `update` form may carry; absent ones stay as they are. */
function updateBody(form: Awaited<ReturnType<typeof readPostedForm>>) {
  const { values } = form;
  const body: Record<string, unknown> = {};
  if (values.status !== undefined) body.status = values.status;
  if (values.assigneeId !== undefined) body.assigneeId = values.assigneeId || null;
  if (values.priority !== undefined) body.priority = values.priority;
  if (values.snoozedUntil !== undefined) body.snoozedUntil = values.snoozedUntil || null;
  if (values.labels !== undefined) body.labels = form.all("label");
  if (values.version) body.version = Number(values.version);
  return parseForm(updateConversationBodySchema, body);
}

export type InboxActionSuccess =
  | { ok: true; intent: "reply" | "note" | "template"; message: MessageView }
  | { ok: true; intent: "update" | "read" | "merge"; conversation: ConversationView }
  | { ok: true; intent: "templates"; channelId: string; templates: TemplateChoice[] };

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireUser(request, context);
  const form = await readPostedForm(request);
  const run = <T>(work: (scope: TenantScope) => Promise<T>) => runAsUser(context, session, work);
  const answer = (result: InboxActionSuccess) => json(result, { headers: session.headers });
  const { values } = form;
  try {
    if (form.intent === "templates") {
      const channelId = z.string().uuid().parse(values.channelId);
      const templates = await run((scope) =>
        loadChannelTemplates(scope, context.config, channelId),
      );
      return answer({ ok: true, intent: "templates", channelId, templates });
    }
    const { conversationId: id } = parseForm(idForm, values);
    switch (form.intent) {
      case "reply":
      case "note": {
        const body = parseForm(
          sendMessageBodySchema,
          form.intent === "note"
            ? { note: true, body: values.body ?? "" }
            : { body: values.body ?? "" },
        );
        const message = await run((scope) => sendMessage(scope, id, body));
        return answer({ ok: true, intent: form.intent, message });
      }
      case "attach": {
        // A file (and its caption) from the composer: answered as a reply.
        const posted = readPostedAttachment(form.file("file"), values.body);
        const message = await sendWithAttachment(context.env.MEDIA, posted, (reply) =>
          run((scope) => sendMessage(scope, id, reply)),
        );
        return answer({ ok: true, intent: "reply", message });
      }
      case "template": {
        const body = parseForm(sendMessageBodySchema, {
          template: {
            name: values.name ?? "",
            language: values.language ?? "",
            parameters: form.all("parameter"),
          },
        });
        const message = await run((scope) => sendMessage(scope, id, body));
        return answer({ ok: true, intent: "template", message });
      }
      case "update": {
        const body = updateBody(form);
        const conversation = await run((scope) => updateConversation(scope, id, body));
        return answer({ ok: true, intent: "update", conversation });
      }
      case "read": {
        const conversation = await run((scope) => markConversationRead(scope, id));
        return answer({ ok: true, intent: "read", conversation });
      }
      case "ticket": {
        // Opens (or finds) its ticket and goes there.
        const { ticket } = await run((scope) => ticketFromConversation(scope, id));
        throw redirect(`/app/tickets/${ticket.id}`, { headers: session.headers });
      }
      case "merge": {
        const { intoId } = parseForm(mergeConversationBodySchema, { intoId: values.intoId });
        const conversation = await run((scope) => mergeConversation(scope, id, intoId));
        return answer({ ok: true, intent: "merge", conversation });
      }
      default:
        throw ApiError.badRequest("That action is not available on this page.");
    }
  } catch (error) {
    if (error instanceof Response) throw error;
    const versionConflict =
      error instanceof ApiError && error.status === 409 && Boolean(error.fieldErrors?.version);
    if (versionConflict && form.intent === "update") {
      // Someone changed it meanwhile: say so in the inbox's words; the page already shows
      // their change (it came through the socket).
      return formFailure(
        new ApiError(
          409,
          "conflict",
          "Someone changed this conversation a moment ago; it now shows their change. Try again if you still want yours.",
        ),
        form,
        session.headers,
      );
    }
    if (error instanceof z.ZodError) {
      return formFailure(ApiError.validation({}, "Unknown channel."), form, session.headers);
    }
    return formFailure(error, form, session.headers);
  }
}
