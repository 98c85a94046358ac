import { and, eq, gte, isNull, lt, sql } from "drizzle-orm";
import { csvLine } from "../crm/csv";
import { contacts } from "../db/crm-schema";
import { channels, conversations, messages } from "../db/inbox-schema";
import { users } from "../db/schema";
import { requirePermission, type TenantScope } from "../lib/scope";

/*
 * The per-conversation report: for each conversation started in a date range, how long the
 * team took to answer first and to resolve it, and how many messages went each way (private
 * notes not counted). JSON for the API, CSV to download.
 */

export const REPORT_ROW_LIMIT = 10_000;

export interface ConversationReportRow {
  id: string;
  contact: string | null;
  channel: string;
  status: string;
  assignee: string | null;
  startedAt: string;
  firstResponseAt: string | null;
  /** Seconds from the start to the team's first answer. */
  firstResponseSeconds: number | null;
  resolvedAt: string | null;
  /** Seconds from the start to the resolution (for resolved conversations). */
  resolutionSeconds: number | null;
  messagesIn: number;
  messagesOut: number;
}

const secondsBetween = (from: Date, to: Date | null) =>
  to ? Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000)) : null;

export async function conversationReport(
  scope: TenantScope,
  range: { from: string; to: string },
): Promise<ConversationReportRow[]> {
  requirePermission(scope.actor, "inbox:read");
  const counts = scope.tx
    .select({
      conversationId: messages.conversationId,
      incoming: sql<number>`count(*) filter (where ${messages.direction} = 'incoming')::int`.as(
        "incoming",
      ),
      outgoing: sql<number>`count(*) filter (where ${messages.direction} = 'outgoing')::int`.as(
        "outgoing",
      ),
    })
    .from(messages)
    .where(eq(messages.private, false))
    .groupBy(messages.conversationId)
    .as("counts");
  const rows = await scope.tx
    .select({
      conversation: conversations,
      channelName: channels.name,
      contactName: sql<
        string | null
      >`nullif(trim(${contacts.firstName} || ' ' || ${contacts.lastName}), '')`,
      assigneeName: users.name,
      incoming: counts.incoming,
      outgoing: counts.outgoing,
    })
    .from(conversations)
    .innerJoin(channels, eq(channels.id, conversations.channelId))
    .leftJoin(contacts, eq(contacts.id, conversations.contactId))
    .leftJoin(users, eq(users.id, conversations.assigneeId))
    .leftJoin(counts, eq(counts.conversationId, conversations.id))
    .where(
      and(
        isNull(conversations.mergedIntoId),
        gte(conversations.createdAt, new Date(range.from)),
        lt(conversations.createdAt, new Date(range.to)),
      ),
    )
    .orderBy(conversations.createdAt, conversations.id)
    .limit(REPORT_ROW_LIMIT);
  return rows.map(({ conversation: c, ...row }) => ({
    id: c.id,
    contact: row.contactName,
    channel: row.channelName,
    status: c.status,
    assignee: row.assigneeName,
    startedAt: c.createdAt.toISOString(),
    firstResponseAt: c.firstResponseAt?.toISOString() ?? null,
    firstResponseSeconds: secondsBetween(c.createdAt, c.firstResponseAt),
    resolvedAt: c.resolvedAt?.toISOString() ?? null,
    resolutionSeconds: c.status === "resolved" ? secondsBetween(c.createdAt, c.resolvedAt) : null,
    messagesIn: row.incoming ?? 0,
    messagesOut: row.outgoing ?? 0,
  }));
}

const CSV_COLUMNS: [keyof ConversationReportRow, string][] = [
  ["id", "Conversation"],
  ["contact", "Contact"],
  ["channel", "Channel"],
  ["status", "Status"],
  ["assignee", "Assignee"],
  ["startedAt", "Started"],
  ["firstResponseAt", "First response"],
  ["firstResponseSeconds", "First response (s)"],
  ["resolvedAt", "Resolved"],
  ["resolutionSeconds", "Resolution (s)"],
  ["messagesIn", "Messages in"],
  ["messagesOut", "Messages out"],
];

export function conversationReportCsv(rows: ConversationReportRow[]): string {
  return [
    csvLine(CSV_COLUMNS.map(([, title]) => title)),
    ...rows.map((row) => csvLine(CSV_COLUMNS.map(([key]) => String(row[key] ?? "")))),
  ].join("");
}
