import { describe, expect, it } from "vitest";
import { addMember, call, type Session, signUp, uniqueEmail } from "./helpers";
import { sentEmail } from "./mailbox-helpers";
import { page, post } from "./page-helpers";

/*
 * The support desk's pages as the server renders them: the ticket list (the views with their
 * counts, the tickets, filters) and "New ticket"; a ticket with its comments, the composer
 * (a public reply emailed to the requester, an internal note, each with the status to submit
 * the ticket as), its fields changed with their version (a stale one said in the desk's
 * words) and merge by number; a viewer reads everything and gets no composer.
 */

const LIST_DATA = "routes%2Fapp.tickets";
const TICKET_DATA = "routes%2Fapp.tickets_.%24id";

interface Ticket {
  id: string;
  number: number;
  subject: string;
  status: string;
  priority: string;
  assigneeId: string | null;
  requester: { id: string; name: string; email: string | null } | null;
  mergedIntoId: string | null;
  version: number;
}

interface Comment {
  id: string;
  authorKind: string;
  public: boolean;
  body: string;
  emailStatus: string | null;
}

function transactionsOf(response: Response): number {
  const timing = response.headers.get("server-timing") ?? "";
  const match = /(?:^|,)\s*db;[^,]*desc="(\d+) transactions?"/.exec(timing);
  if (!match) throw new Error(`no db entry in Server-Timing: ${JSON.stringify(timing)}`);
  return Number(match[1]);
}

/** The number a view shows beside its name in the rendered list. */
function countIn(html: string, view: string): number {
  const match = new RegExp(`data-testid="count-${view}"[^>]*>(\\d+)<`).exec(html);
  if (!match) throw new Error(`no count for ${view}`);
  return Number(match[1]);
}

async function openTicket(session: Session, body: Record<string, unknown>) {
  const response = await call<Ticket>("/tickets", {
    method: "POST",
    token: session.accessToken,
    body,
  });
  expect(response.status).toBe(201);
  return response.body.data;
}

async function ticketOf(session: Session, id: string) {
  const response = await call<Ticket>(`/tickets/${id}`, { token: session.accessToken });
  expect(response.status).toBe(200);
  return response.body.data;
}

async function commentsOf(session: Session, id: string) {
  const response = await call<Comment[]>(`/tickets/${id}/comments`, {
    token: session.accessToken,
  });
  expect(response.status).toBe(200);
  return response.body.data;
}

describe("the ticket list page", () => {
  it("renders the view's tickets and every view's count in one transaction, and filters", async () => {
    const owner = await signUp("tickets-list");
    const requester = uniqueEmail("lister");
    const mine = await openTicket(owner, {
      subject: "Invoice totals are off by a cent",
      description: "Rounding on the March invoice.",
      requester: { email: requester, name: "Lena Lister" },
      assigneeId: owner.userId,
      priority: "urgent",
    });
    await openTicket(owner, {
      subject: "How do I add a second pipeline?",
      description: "Looking for the setting.",
      requester: { email: requester },
    });
    const solved = await openTicket(owner, {
      subject: "Thanks for the quick fix",
      description: "All good now.",
      status: "solved",
    });

    const response = await page("/app/tickets", owner.accessToken);
    expect(response.status).toBe(200);
    expect(transactionsOf(response)).toBe(1);
    const html = await response.text();
    expect(html).toContain("Invoice totals are off by a cent");
    expect(html).toContain("How do I add a second pipeline?");
    expect(html).toContain(`#${mine.number}`);
    expect(html).toContain("Lena Lister");
    // "All unsolved" (the default view) leaves the solved ticket out.
    expect(html).not.toContain(solved.subject);
    expect(countIn(html, "my_open")).toBe(1);
    expect(countIn(html, "unassigned")).toBe(1);
    expect(countIn(html, "unsolved")).toBe(2);
    // The sidebar's Tickets item carries the unsolved count.
    expect(html).toMatch(/data-testid="unsolved-tickets-badge"[^>]*>.*?2<\/span>/);

    const all = await (await page("/app/tickets?view=all", owner.accessToken)).text();
    expect(all).toContain(solved.subject);

    const mineOnly = await page(`/app/tickets?view=my_open&_data=${LIST_DATA}`, owner.accessToken);
    const data = (await mineOnly.json()) as { tickets: Ticket[]; counts: Record<string, number> };
    expect(data.tickets.map((ticket) => ticket.id)).toEqual([mine.id]);
    expect(data.counts).toEqual({
      myOpen: 1,
      unassigned: 1,
      unsolved: 2,
      breachingSoon: 0,
      overdue: 0,
    });

    const urgent = await page(
      `/app/tickets?view=all&priority=urgent&_data=${LIST_DATA}`,
      owner.accessToken,
    );
    expect(((await urgent.json()) as { tickets: Ticket[] }).tickets).toHaveLength(1);
    const searched = await page(
      `/app/tickets?view=all&q=pipeline&_data=${LIST_DATA}`,
      owner.accessToken,
    );
    expect(
      ((await searched.json()) as { tickets: Ticket[] }).tickets.map((ticket) => ticket.subject),
    ).toEqual(["How do I add a second pipeline?"]);

    // A stale cursor starts over from the first page.
    const stale = await page("/app/tickets?cursor=nonsense", owner.accessToken, {
      redirect: "manual",
    });
    expect(stale.status).toBe(302);
    expect(stale.headers.get("location")).toBe("/app/tickets");
  });

  it("opens a ticket from the New ticket form and leads to it", async () => {
    const owner = await signUp("tickets-new");
    const requester = uniqueEmail("caller");
    const created = await post("/app/tickets?new=1", owner.accessToken, {
      intent: "create",
      subject: "Phone line crackles",
      description: "Caller says every call crackles since Monday.",
      requesterEmail: requester,
      requesterName: "Carla Caller",
      priority: "high",
      type: "incident",
      assigneeId: owner.userId,
    });
    expect(created.status).toBe(302);
    const location = created.headers.get("location") ?? "";
    const id = /^\/app\/tickets\/([0-9a-f-]{36})$/.exec(location)?.[1];
    expect(id, location).toBeDefined();
    const ticket = await ticketOf(owner, id as string);
    expect(ticket).toMatchObject({
      number: 1001,
      subject: "Phone line crackles",
      status: "open",
      priority: "high",
      assigneeId: owner.userId,
      requester: { name: "Carla Caller", email: requester },
    });
    const [description] = await commentsOf(owner, ticket.id);
    expect(description).toMatchObject({
      public: true,
      body: "Caller says every call crackles since Monday.",
    });

    // Missing fields come back as the form's errors, with what was typed.
    const invalid = await post(`/app/tickets?_data=${LIST_DATA}`, owner.accessToken, {
      intent: "create",
      subject: "",
      description: "Something",
      requesterEmail: "not an address",
    });
    expect(invalid.status).toBe(422);
    const failure = (await invalid.json()) as {
      ok: false;
      intent: string;
      fieldErrors: Record<string, string[]>;
      values: Record<string, string>;
    };
    expect(failure).toMatchObject({
      ok: false,
      intent: "create",
      values: { description: "Something" },
    });
    expect(Object.keys(failure.fieldErrors)).toEqual(
      expect.arrayContaining(["subject", "requester.email"]),
    );

    // A viewer cannot open tickets.
    const viewer = await addMember(owner, "viewer", "tickets-new-viewer");
    const refused = await post(`/app/tickets?_data=${LIST_DATA}`, viewer.accessToken, {
      intent: "create",
      subject: "Not mine to open",
      description: "Nope",
    });
    expect(refused.status).toBe(403);
  });
});

describe("the ticket page", () => {
  it("shows the thread, posts a public reply (emailed) and an internal note with a status", async () => {
    const owner = await signUp("ticket-page");
    const requester = uniqueEmail("asker");
    const ticket = await openTicket(owner, {
      subject: "Where is my refund?",
      description: "Ordered twice by mistake, refund please.",
      requester: { email: requester, name: "Rita Refund" },
    });

    const response = await page(`/app/tickets/${ticket.id}`, owner.accessToken);
    expect(response.status).toBe(200);
    expect(transactionsOf(response)).toBe(1);
    const html = await response.text();
    expect(html).toContain("Where is my refund?");
    expect(html).toContain("Ordered twice by mistake, refund please.");
    expect(html).toContain(`/app/contacts/${ticket.requester?.id}`);
    expect(html).toContain('data-testid="ticket-composer"');
    expect(html).toContain("Submit as");

    const path = `/app/tickets/${ticket.id}?_data=${TICKET_DATA}`;
    const reply = await post(path, owner.accessToken, {
      intent: "reply",
      body: "Your refund went out today.",
      status: "pending",
    });
    expect(reply.status).toBe(200);
    expect(await reply.json()).toMatchObject({
      ok: true,
      intent: "reply",
      comment: { public: true, authorKind: "agent", body: "Your refund went out today." },
    });
    expect(await ticketOf(owner, ticket.id)).toMatchObject({ status: "pending" });
    const email = await sentEmail(requester, "ticket_reply");
    expect(email.text).toContain("Your refund went out today.");

    const note = await post(path, owner.accessToken, {
      intent: "note",
      body: "Refund id R-2291 in the payment console.",
      status: "solved",
    });
    expect(note.status).toBe(200);
    expect(await note.json()).toMatchObject({
      ok: true,
      intent: "note",
      comment: { public: false, body: "Refund id R-2291 in the payment console." },
    });
    expect(await ticketOf(owner, ticket.id)).toMatchObject({ status: "solved" });

    // The page shows both, the reply with how its email went, the note as a note.
    const after = await (await page(`/app/tickets/${ticket.id}`, owner.accessToken)).text();
    expect(after).toContain("Your refund went out today.");
    expect(after).toContain("Refund id R-2291 in the payment console.");
    expect(after).toContain('data-kind="note"');
    expect(after).toMatch(/data-testid="email-status" data-status="(pending|sent)"/);

    // A link in a comment (an inserted help article) is a link; anything else stays text.
    await post(path, owner.accessToken, {
      intent: "reply",
      body: "Password reset: https://help.example.com/help/demo/password-reset. <b>not bold</b> javascript:alert(1)",
    });
    const linked = await (await page(`/app/tickets/${ticket.id}`, owner.accessToken)).text();
    expect(linked).toMatch(
      /<a href="https:\/\/help\.example\.com\/help\/demo\/password-reset" target="_blank" rel="noopener noreferrer nofollow"[^>]*>https:\/\/help\.example\.com\/help\/demo\/password-reset<\/a>\./,
    );
    expect(linked).toContain("&lt;b&gt;not bold&lt;/b&gt;");
    expect(linked).not.toMatch(/href="javascript:/);

    // An empty reply is refused with the form's words.
    const empty = await post(path, owner.accessToken, { intent: "reply", body: "   " });
    expect(empty.status).toBe(422);
    expect(await empty.json()).toMatchObject({ ok: false, intent: "reply" });
  });

  it("changes fields with the version, says a stale one clearly, and merges by number", async () => {
    const owner = await signUp("ticket-fields");
    const first = await openTicket(owner, {
      subject: "Cannot log in",
      description: "Password rejected.",
    });
    const second = await openTicket(owner, {
      subject: "Still cannot log in",
      description: "Tried again.",
    });
    const path = `/app/tickets/${second.id}?_data=${TICKET_DATA}`;
    const updated = await post(path, owner.accessToken, {
      intent: "update",
      version: String(second.version),
      status: "open",
      priority: "high",
      type: "incident",
      assigneeId: owner.userId,
      tags: "Login, sso , ",
    });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({
      ok: true,
      intent: "update",
      ticket: {
        priority: "high",
        type: "incident",
        assigneeId: owner.userId,
        tags: ["login", "sso"],
      },
    });

    const stale = await post(path, owner.accessToken, {
      intent: "update",
      version: String(second.version),
      priority: "low",
    });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({
      ok: false,
      intent: "update",
      message: expect.stringContaining("Someone changed this ticket"),
    });

    // `/app/tickets/<number>` leads to the ticket.
    const byNumber = await page(`/app/tickets/${first.number}`, owner.accessToken, {
      redirect: "manual",
    });
    expect(byNumber.status).toBe(302);
    expect(byNumber.headers.get("location")).toBe(`/app/tickets/${first.id}`);
    const missing = await page("/app/tickets/9999", owner.accessToken);
    expect(missing.status).toBe(404);

    const unknown = await post(path, owner.accessToken, { intent: "merge", into: "9999" });
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toMatchObject({ fieldErrors: { into: [expect.any(String)] } });

    const merged = await post(`/app/tickets/${second.id}`, owner.accessToken, {
      intent: "merge",
      into: `#${first.number}`,
    });
    expect(merged.status).toBe(302);
    expect(merged.headers.get("location")).toBe(`/app/tickets/${first.id}`);
    expect(await ticketOf(owner, second.id)).toMatchObject({
      status: "closed",
      mergedIntoId: first.id,
    });
    const source = await (await page(`/app/tickets/${second.id}`, owner.accessToken)).text();
    expect(source).toContain("This ticket was merged into");
    expect(source).not.toContain('data-testid="ticket-composer"');
  });

  it("shows a viewer everything read-only: no composer, no fields to change, no merge", async () => {
    const owner = await signUp("ticket-viewer");
    const viewer = await addMember(owner, "viewer", "ticket-viewer-member");
    const ticket = await openTicket(owner, {
      subject: "Printer on fire",
      description: "Not literally.",
      requester: { email: uniqueEmail("printer"), name: "Pat Printer" },
    });
    await call(`/tickets/${ticket.id}/comments`, {
      method: "POST",
      token: owner.accessToken,
      body: { body: "Checked the toner.", public: false },
    });

    const response = await page(`/app/tickets/${ticket.id}`, viewer.accessToken);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Printer on fire");
    expect(html).toContain("Checked the toner.");
    expect(html).toContain('data-testid="read-only-note"');
    expect(html).toContain('data-testid="ticket-properties-readonly"');
    expect(html).not.toContain('data-testid="ticket-composer"');
    expect(html).not.toContain('data-testid="ticket-properties"');
    expect(html).not.toContain("Merge into another ticket");

    const list = await (await page("/app/tickets", viewer.accessToken)).text();
    expect(list).toContain("Printer on fire");
    expect(list).not.toContain("New ticket");

    const refused = await post(
      `/app/tickets/${ticket.id}?_data=${TICKET_DATA}`,
      viewer.accessToken,
      { intent: "reply", body: "Viewers cannot reply" },
    );
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ ok: false, intent: "reply" });
    expect((await commentsOf(owner, ticket.id)).map((comment) => comment.body)).not.toContain(
      "Viewers cannot reply",
    );
  });

  it("shows the ticket's SLA targets: due in, met, or paused", async () => {
    const owner = await signUp("tickets-sla-page");
    const policies = await call("/sla/policies", {
      method: "PUT",
      token: owner.accessToken,
      body: {
        policies: [
          {
            priority: "urgent",
            firstResponseMinutes: 30,
            nextResponseMinutes: null,
            resolutionMinutes: 600,
            businessHours: false,
          },
        ],
      },
    });
    expect(policies.status).toBe(200);
    const created = await call<{ id: string }>("/tickets", {
      method: "POST",
      token: owner.accessToken,
      body: { subject: "Outage", description: "All down.", priority: "urgent" },
    });
    // React separates text parts with empty comments in server HTML.
    const html = async () =>
      (
        await (await page(`/app/tickets/${created.body.data.id}`, owner.accessToken)).text()
      ).replace(/<!-- -->/g, "");
    const before = await html();
    expect(before).toContain("First response");
    expect(before).toMatch(/Due in (30|29) min/);
    expect(before).toContain("Due in 10 h");
    expect(before).toContain("Counted around the clock.");

    await call(`/tickets/${created.body.data.id}/comments`, {
      method: "POST",
      token: owner.accessToken,
      body: { body: "On it.", status: "pending" },
    });
    const after = await html();
    expect(after).toContain("Met");
    expect(after).toContain("Paused while pending");
  });
});
