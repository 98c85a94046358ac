import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type {
  TicketAttachment,
  TicketPriority,
  TicketStatus,
  TicketType,
  TicketVia,
} from "../../shared/desk";
import {
  contacts,
  customFieldDefinitions,
  deals,
  teamMembers,
  teams,
} from "../../worker/db/crm-schema";
import { csatSurveys, slaPolicies, ticketComments, tickets } from "../../worker/db/desk-schema";
import { emailMessages } from "../../worker/db/email-schema";
import { DEFAULT_WEEK } from "../../worker/sla/business-hours";
import { policyMap, type SlaContext, type SlaPolicy, slaDeadlines } from "../../worker/sla/clocks";

type Tx = Parameters<Parameters<NodePgDatabase["transaction"]>[0]>[0];

/** A demo contact who asks for help: the CRM's people (scripts/lib/demo-crm.ts). */
export interface DemoRequester {
  id: string;
  name: string;
  email: string;
}

/** Who writes a demo comment: the requester, or a member (by index into `agentIds`). */
type Author = { requester: true } | { agent: number };

interface DemoComment {
  /** Hours after the ticket opened. */
  at: number;
  by: Author;
  /** false: an internal note. */
  public: boolean;
  body: string;
  via?: TicketVia;
  /** A public reply's email: how it went. */
  email?: "sent" | "failed";
  attachments?: TicketAttachment[];
}

interface DemoTicket {
  subject: string;
  requester: number;
  status: TicketStatus;
  priority: TicketPriority;
  type: TicketType | null;
  /** Index into `agentIds`, or null: unassigned. */
  assignee: number | null;
  /** Routed to the demo's Billing team (which has a faster SLA for high tickets). */
  billing?: true;
  tags: string[];
  via: TicketVia;
  /** Hours ago it opened. */
  openedHoursAgo: number;
  comments: DemoComment[];
  /** Linked to an open deal of the requester's company (when it has one). */
  aboutDeal?: true;
  /** A solved ticket's satisfaction survey, answered this way (hours after the solve). */
  csat?: { rating: number; comment: string | null; afterHours: number };
}

const REQUESTER: Author = { requester: true };

/*
 * The desk's demo tickets, in every status, so that a newcomer's ticket list and a ticket's
 * thread have something in them: requests by email (one with attachments), public replies
 * that went out (and one whose email bounced), internal notes, a solved and a closed ticket.
 * `agentIds`: [the agent, the manager, the owner].
 */
const TICKETS: DemoTicket[] = [
  {
    subject: "Cannot export invoices to CSV",
    requester: 0,
    status: "open",
    priority: "high",
    type: "incident",
    assignee: 0,
    tags: ["billing", "export"],
    via: "email",
    openedHoursAgo: 26,
    comments: [
      {
        at: 0,
        by: REQUESTER,
        public: true,
        via: "email",
        body: 'Hi,\n\nSince yesterday the "Export to CSV" button on the invoices page does nothing. We need the March invoices for our accountant by Friday.\n\nThanks,\nJohn',
      },
      {
        at: 1.5,
        by: { agent: 0 },
        public: true,
        email: "sent",
        body: "Hi John,\n\nSorry about that! Could you tell me which browser you use, and send a screenshot of the page after you click the button?\n\nArjun",
      },
      {
        at: 3,
        by: REQUESTER,
        public: true,
        via: "email",
        body: "Chrome on Windows. Screenshot and the file we got last month attached.",
        attachments: [
          {
            key: "demo/attachments/export-error.png",
            filename: "export-error.png",
            contentType: "image/png",
            size: 48_213,
          },
          {
            key: "demo/attachments/invoices-february.csv",
            filename: "invoices-february.csv",
            contentType: "text/csv",
            size: 6_120,
          },
        ],
      },
      {
        at: 4,
        by: { agent: 0 },
        public: false,
        body: "Reproduced with more than 500 invoices in the range: the export times out. Asked engineering in #billing.",
      },
    ],
  },
  {
    subject: "Which plan includes single sign-on?",
    requester: 1,
    aboutDeal: true,
    status: "new",
    priority: "normal",
    type: "question",
    assignee: null,
    tags: ["sales"],
    via: "email",
    openedHoursAgo: 2,
    comments: [
      {
        at: 0,
        by: REQUESTER,
        public: true,
        via: "email",
        body: "Bonjour, we are evaluating Switchboard for 40 agents. Which plan includes SSO with Okta?",
      },
    ],
  },
  {
    subject: "Agents can't hear callers on the support queue",
    requester: 2,
    aboutDeal: true,
    status: "open",
    priority: "urgent",
    type: "incident",
    assignee: 1,
    tags: ["phones"],
    via: "agent",
    // Its 6-hour resolution target is due in half an hour: "Breaching soon" has it.
    openedHoursAgo: 5.5,
    comments: [
      {
        at: 0,
        by: { agent: 1 },
        public: true,
        body: "Kenji called: since 9:00 JST agents on the support queue hear silence when they answer. Outbound calls are fine.",
      },
      {
        at: 0.5,
        by: { agent: 1 },
        public: false,
        body: "Looks like one-way audio: RTP from the carrier never reaches the PBX. Checking the firewall change from last night.",
      },
      {
        at: 1,
        by: { agent: 1 },
        public: true,
        email: "sent",
        body: "Hi Kenji, we found the cause (a firewall change on our side) and are rolling it back now. I'll confirm within the hour.",
      },
    ],
  },
  {
    subject: "Update the billing address on our account",
    requester: 3,
    status: "pending",
    priority: "low",
    type: "task",
    assignee: 0,
    tags: ["billing"],
    via: "email",
    openedHoursAgo: 50,
    comments: [
      {
        at: 0,
        by: REQUESTER,
        public: true,
        via: "email",
        body: "Please change our billing address to 12 MG Road, Bengaluru 560001.",
      },
      {
        at: 2,
        by: { agent: 0 },
        public: true,
        email: "sent",
        body: "Happy to! For an address in India we also need your GSTIN for the invoices. Could you send it?",
      },
    ],
  },
  {
    subject: "WhatsApp messages arrive minutes late",
    requester: 4,
    status: "on_hold",
    priority: "high",
    type: "problem",
    assignee: 2,
    tags: ["whatsapp"],
    via: "email",
    openedHoursAgo: 75,
    comments: [
      {
        at: 0,
        by: REQUESTER,
        public: true,
        via: "email",
        body: "Customers' WhatsApp messages show up in the inbox 3 to 5 minutes after they were sent.",
      },
      {
        at: 3,
        by: { agent: 2 },
        public: true,
        email: "failed",
        body: "Hi Lukas, thanks for the report. We have opened a case with Meta and will update you as soon as we hear back.",
      },
      {
        at: 3.2,
        by: { agent: 2 },
        public: false,
        body: "The reply bounced (mailbox full?). Meta case 7781-2201 is open; on hold until they answer. Will call Lukas instead.",
      },
    ],
  },
  {
    subject: "Password reset email never arrived",
    requester: 5,
    status: "solved",
    priority: "normal",
    type: "question",
    assignee: 0,
    tags: ["login"],
    via: "email",
    openedHoursAgo: 30,
    csat: { rating: 5, comment: "Sorted out in an hour. Thank you!", afterHours: 1 },
    comments: [
      {
        at: 0,
        by: REQUESTER,
        public: true,
        via: "email",
        body: "I asked for a password reset twice and got nothing.",
      },
      {
        at: 1,
        by: { agent: 0 },
        public: true,
        email: "sent",
        body: "Hi Sofia, your company's mail filter held our emails. I've asked your IT team to allow them; please try again now.",
      },
      {
        at: 2,
        by: REQUESTER,
        public: true,
        via: "email",
        body: "It worked, thank you!",
      },
    ],
  },
  {
    subject: "Refund for a duplicate charge",
    billing: true,
    requester: 6,
    status: "new",
    priority: "high",
    type: null,
    assignee: null,
    tags: ["billing", "refund"],
    via: "email",
    openedHoursAgo: 0.5,
    comments: [
      {
        at: 0,
        by: REQUESTER,
        public: true,
        via: "email",
        body: "We were charged twice for April (invoice attached). Please refund one of the charges.",
        attachments: [
          {
            key: "demo/attachments/invoice-2024-04.pdf",
            filename: "invoice-2024-04.pdf",
            contentType: "application/pdf",
            size: 182_554,
          },
        ],
      },
    ],
  },
  {
    subject: "Feature request: dark mode",
    requester: 7,
    status: "closed",
    priority: "low",
    type: "question",
    assignee: 1,
    tags: ["feedback"],
    via: "email",
    openedHoursAgo: 24 * 12,
    csat: { rating: 3, comment: "Fine, but I still want dark mode.", afterHours: 20 },
    comments: [
      {
        at: 0,
        by: REQUESTER,
        public: true,
        via: "email",
        body: "Our night shift would love a dark mode.",
      },
      {
        at: 20,
        by: { agent: 1 },
        public: true,
        email: "sent",
        body: "Thanks Grace! I've passed it on to the product team; it's on the roadmap for later this year.",
      },
    ],
  },
];

/** SLA targets for urgent and high tickets, around the clock (so the demo works any day). */
const DEMO_SLA = [
  { priority: "urgent", first: 60, next: 120, resolution: 6 * 60, billing: false },
  { priority: "high", first: 4 * 60, next: 8 * 60, resolution: 24 * 60, billing: false },
  // A scoped policy: the Billing team answers its high tickets within the hour.
  { priority: "high", first: 60, next: 2 * 60, resolution: 8 * 60, billing: true },
] as const;

/** The Billing team (the agent alone, so that it changes nobody's edit rights). */
async function seedDemoTeam(tx: Tx, orgId: string, agentId: string | undefined) {
  const teamId = crypto.randomUUID();
  await tx.insert(teams).values({ id: teamId, orgId, name: "Billing" });
  if (agentId) await tx.insert(teamMembers).values({ orgId, teamId, userId: agentId });
  return teamId;
}

async function seedDemoSla(tx: Tx, orgId: string, billingTeamId: string): Promise<SlaContext> {
  const rows: SlaPolicy[] = [];
  for (const policy of DEMO_SLA) {
    const [row] = await tx
      .insert(slaPolicies)
      .values({
        id: crypto.randomUUID(),
        orgId,
        priority: policy.priority,
        teamId: policy.billing ? billingTeamId : null,
        firstResponseMinutes: policy.first,
        nextResponseMinutes: policy.next,
        resolutionMinutes: policy.resolution,
        businessHours: false,
      })
      .returning();
    if (row) rows.push({ ...row, teamName: policy.billing ? "Billing" : null });
  }
  return {
    policies: policyMap(rows),
    calendar: { timeZone: "UTC", week: DEFAULT_WEEK, holidays: [] },
  };
}

/**
 * Demo tickets #1001... with their comments, linked to their requester's company (two of them
 * to one of its open deals), (plain rows: the seed runs as the owner role), the
 * SLA policies of urgent and high tickets, and each ticket's stored SLA deadlines (what the
 * "Breaching soon" and "Overdue" views count) from the start.
 */
/** The requester's company, and (for a ticket about a deal) one of its open deals. */
async function demoLinks(tx: Tx, contactId: string | undefined, aboutDeal: boolean) {
  if (!contactId) return { companyId: null, dealId: null };
  const [contact] = await tx
    .select({ companyId: contacts.companyId })
    .from(contacts)
    .where(eq(contacts.id, contactId));
  const companyId = contact?.companyId ?? null;
  if (!companyId || !aboutDeal) return { companyId, dealId: null };
  const [deal] = await tx
    .select({ id: deals.id })
    .from(deals)
    .where(and(eq(deals.companyId, companyId), isNull(deals.closedAt)))
    .orderBy(deals.title)
    .limit(1);
  return { companyId, dealId: deal?.id ?? null };
}

/** The product area a demo ticket is about (its "Product area" field), by its first tag. */
const PRODUCT_AREAS: Record<string, string> = {
  billing: "Billing",
  export: "Billing",
  phones: "Phones",
  whatsapp: "Inbox",
  login: "Account",
};

/** Two ticket fields: "Product area" (required to solve) and "Order number". */
async function seedDemoTicketFields(tx: Tx, orgId: string) {
  const now = new Date();
  await tx.insert(customFieldDefinitions).values([
    {
      id: crypto.randomUUID(),
      orgId,
      entity: "ticket",
      key: "product_area",
      label: "Product area",
      type: "select",
      options: ["Billing", "Phones", "Inbox", "Account", "Other"],
      required: true,
      position: 0,
      createdAt: now,
      updatedAt: now,
    },
    {
      id: crypto.randomUUID(),
      orgId,
      entity: "ticket",
      key: "order_number",
      label: "Order number",
      type: "text",
      options: [],
      required: false,
      position: 1,
      createdAt: now,
      updatedAt: now,
    },
  ]);
}

function demoCustomValues(spec: { tags: string[]; status: string }): Record<string, unknown> {
  const area = spec.tags.map((tag) => PRODUCT_AREAS[tag]).find(Boolean);
  // A solved ticket has every required field; an open one may still lack it.
  const solved = spec.status === "solved" || spec.status === "closed";
  return area ? { product_area: area } : solved ? { product_area: "Other" } : {};
}

export async function seedDemoDesk(
  tx: Tx,
  orgId: string,
  agentIds: string[],
  requesters: DemoRequester[],
) {
  const now = Date.now();
  const hour = 3_600_000;
  const billingTeamId = await seedDemoTeam(tx, orgId, agentIds[0]);
  const sla = await seedDemoSla(tx, orgId, billingTeamId);
  await seedDemoTicketFields(tx, orgId);
  for (const [index, spec] of TICKETS.entries()) {
    const requester = requesters[spec.requester % requesters.length];
    const opened = now - spec.openedHoursAgo * hour;
    const times = spec.comments.map((comment) => new Date(opened + comment.at * hour));
    const lastAt = times.at(-1) ?? new Date(opened);
    const firstReply = spec.comments.findIndex(
      (comment) => "agent" in comment.by && comment.public,
    );
    const solved = spec.status === "solved" || spec.status === "closed";
    const ticketId = crypto.randomUUID();
    const [row] = await tx
      .insert(tickets)
      .values({
        id: ticketId,
        orgId,
        number: 1001 + index,
        subject: spec.subject,
        status: spec.status,
        priority: spec.priority,
        type: spec.type,
        requesterId: requester?.id ?? null,
        ...(await demoLinks(tx, requester?.id, spec.aboutDeal === true)),
        assigneeId: spec.assignee === null ? null : (agentIds[spec.assignee] ?? null),
        teamId: spec.billing ? billingTeamId : null,
        tags: spec.tags,
        custom: demoCustomValues(spec),
        via: spec.via,
        replyToken: crypto.randomUUID().replaceAll("-", "").slice(0, 16),
        firstResponseAt: firstReply >= 0 ? (times[firstReply] ?? null) : null,
        solvedAt: solved ? lastAt : null,
        version: spec.comments.length,
        createdAt: new Date(opened),
        updatedAt: lastAt,
      })
      .returning();
    if (row) await tx.update(tickets).set(slaDeadlines(row, sla)).where(eq(tickets.id, row.id));
    for (const [position, comment] of spec.comments.entries()) {
      const createdAt = times[position] ?? new Date(opened);
      const agentId = "agent" in comment.by ? (agentIds[comment.by.agent] ?? null) : null;
      let emailId: string | null = null;
      if (comment.email && requester) {
        emailId = crypto.randomUUID();
        await tx.insert(emailMessages).values({
          id: emailId,
          orgId,
          toAddress: requester.email,
          template: "ticket_reply",
          subject: `[#${1001 + index}] ${spec.subject}`,
          status: comment.email,
          providerMessageId: comment.email === "sent" ? `${emailId}@demo.switchboard` : null,
          error: comment.email === "failed" ? "550 5.2.2 The recipient's mailbox is full." : null,
          createdAt,
          sentAt: comment.email === "sent" ? new Date(createdAt.getTime() + 5_000) : null,
        });
      }
      await tx.insert(ticketComments).values({
        id: crypto.randomUUID(),
        orgId,
        ticketId,
        authorKind: "requester" in comment.by ? "requester" : "agent",
        authorId: agentId,
        authorContactId: "requester" in comment.by ? (requester?.id ?? null) : null,
        public: comment.public,
        body: comment.body,
        via: comment.via ?? (spec.via === "email" && "requester" in comment.by ? "email" : "agent"),
        emailId,
        attachments: comment.attachments ?? [],
        createdAt,
      });
    }
    if (spec.csat && solved) {
      await seedAnsweredSurvey(tx, orgId, ticketId, spec, {
        solvedAt: lastAt,
        assigneeId: spec.assignee === null ? null : (agentIds[spec.assignee] ?? null),
        requesterId: requester?.id ?? null,
      });
    }
  }
}

/** The survey a demo ticket's solve sent, answered, with its note in the thread. */
async function seedAnsweredSurvey(
  tx: Tx,
  orgId: string,
  ticketId: string,
  spec: DemoTicket,
  at: { solvedAt: Date; assigneeId: string | null; requesterId: string | null },
) {
  const csat = spec.csat;
  if (!csat) return;
  const answeredAt = new Date(at.solvedAt.getTime() + csat.afterHours * 3_600_000);
  await tx.insert(csatSurveys).values({
    id: crypto.randomUUID(),
    orgId,
    ticketId,
    solvedAt: at.solvedAt,
    // Nobody holds this link: the token is thrown away, only a hash of it is kept.
    tokenHash: createHash("sha256").update(randomBytes(32)).digest("hex"),
    assigneeId: at.assigneeId,
    priority: spec.priority,
    rating: csat.rating,
    comment: csat.comment,
    answeredAt,
    expiresAt: new Date(at.solvedAt.getTime() + 30 * 24 * 3_600_000),
    createdAt: at.solvedAt,
  });
  await tx.insert(ticketComments).values({
    id: crypto.randomUUID(),
    orgId,
    ticketId,
    authorKind: "system",
    authorContactId: at.requesterId,
    public: false,
    body: `Customer rated ${csat.rating}/5${csat.comment ? `: ${csat.comment}` : "."}`,
    via: "web_form",
    createdAt: answeredAt,
  });
}
