import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { deliverEmail, newMessageId, rawEmail, supportAddressOf } from "./desk-helpers";
import {
  addMember,
  BASE,
  call,
  connectSocket,
  expectErrorEnvelope,
  type Session,
  signUp,
  uniqueEmail,
} from "./helpers";
import {
  createWhatsAppChannel,
  deliverMessages,
  eventually,
  listConversations,
  listMessages,
  uniqueNumber,
} from "./inbox-helpers";
import { mailbox, sentEmail } from "./mailbox-helpers";

/*
 * The support desk: tickets by API (views, counts, replies by email, notes, merge), and email
 * in through the Worker's `email` handler (new tickets, replies threading back, automatic mail
 * ignored, limits), isolated per organization.
 */

interface Ticket {
  id: string;
  number: number;
  subject: string;
  status: string;
  priority: string;
  requester: { id: string; name: string; email: string | null } | null;
  assigneeId: string | null;
  via: string;
  tags: string[];
  firstResponseAt: string | null;
  mergedIntoId: string | null;
  version: number;
}

interface Comment {
  id: string;
  authorKind: string;
  public: boolean;
  body: string;
  via: string;
  attachments: { key: string; filename: string; contentType: string; size: number }[];
  emailStatus: string | null;
}

async function slugOf(session: Session): Promise<string> {
  const me = await call<{ organization: { slug: string } }>("/auth/me", {
    token: session.accessToken,
  });
  return me.body.data.organization.slug;
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

async function ticketsOf(session: Session, query = "") {
  const response = await call<Ticket[]>(`/tickets${query}`, { token: session.accessToken });
  expect(response.status).toBe(200);
  return {
    tickets: response.body.data,
    counts: (response.body.meta as unknown as { counts: Record<string, number> }).counts,
  };
}

async function commentsOf(session: Session, id: string) {
  const response = await call<Comment[]>(`/tickets/${id}/comments`, {
    token: session.accessToken,
  });
  expect(response.status).toBe(200);
  return response.body.data;
}

/** The organization's ticket opened by the email with this subject. */
async function ticketBySubject(session: Session, subject: string) {
  const { tickets } = await ticketsOf(session, `?q=${encodeURIComponent(subject)}`);
  return tickets.filter((ticket) => ticket.subject === subject);
}

describe("tickets by API", () => {
  it("opens numbered tickets for a requester by email, lists them by view with counts, live", async () => {
    const owner = await signUp("desk");
    const agent = await addMember(owner, "agent");
    const socket = await connectSocket({ authorization: `Bearer ${owner.accessToken}` });
    const requester = uniqueEmail("customer");
    const first = await openTicket(owner, {
      subject: "Cannot export invoices",
      description: "The export button does nothing.",
      requester: { email: requester, name: "Casey Customer" },
      priority: "high",
      tags: ["Billing", "billing", "export"],
    });
    expect(first).toMatchObject({
      number: 1001,
      status: "new",
      priority: "high",
      via: "agent",
      tags: ["billing", "export"],
      requester: { name: "Casey Customer", email: requester },
    });
    await socket.waitFor(
      (event) => event.type === "ticket.updated" && event.ticket.id === first.id,
    );
    const second = await openTicket(owner, {
      subject: "Question about plans",
      description: "Which plan has SSO?",
      requester: { contactId: first.requester?.id },
      assigneeId: agent.userId,
    });
    expect(second).toMatchObject({ number: 1002, status: "open", assigneeId: agent.userId });
    expect(second.requester?.id).toBe(first.requester?.id);

    const all = await ticketsOf(owner);
    expect(all.tickets.map((ticket) => ticket.number)).toEqual([1002, 1001]);
    expect(all.counts).toEqual({
      myOpen: 0,
      unassigned: 1,
      unsolved: 2,
      breachingSoon: 0,
      overdue: 0,
    });
    const mine = await ticketsOf(agent, "?view=my_open");
    expect(mine.tickets.map((ticket) => ticket.id)).toEqual([second.id]);
    expect(mine.counts.myOpen).toBe(1);
    const unassigned = await ticketsOf(owner, "?view=unassigned");
    expect(unassigned.tickets.map((ticket) => ticket.id)).toEqual([first.id]);
    const found = await ticketsOf(owner, "?q=export%20button");
    expect(found.tickets.map((ticket) => ticket.id)).toEqual([first.id]);
    socket.socket.close();
  });

  it("a public reply goes to the requester by email with the ticket's reply address; a note does not", async () => {
    const owner = await signUp("desk-reply");
    const requester = uniqueEmail("asker");
    const ticket = await openTicket(owner, {
      subject: "Where is my order?",
      description: "Order 1234 has not arrived.",
      requester: { email: requester },
    });
    const note = await call<Comment>(`/tickets/${ticket.id}/comments`, {
      method: "POST",
      token: owner.accessToken,
      body: { body: "Checking with the warehouse.", public: false },
    });
    expect(note.status).toBe(201);
    expect(note.body.data).toMatchObject({ public: false, emailStatus: null });

    const reply = await call<Comment>(`/tickets/${ticket.id}/comments`, {
      method: "POST",
      token: owner.accessToken,
      body: { body: "It ships tomorrow.\n\nSorry for the wait.", status: "pending" },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.data.emailStatus).toBe("pending");
    const email = await sentEmail(requester, "ticket_reply");
    expect(email.subject).toBe("Re: [#1001] Where is my order?");
    expect(email.text).toContain("It ships tomorrow.");
    expect(email.text).not.toContain("warehouse");
    const slug = await slugOf(owner);
    expect(email.replyTo).toMatch(
      new RegExp(`^${slug}\\+t[a-z0-9]+@support\\.switchboard\\.localhost$`),
    );
    const sent = (await mailbox()).filter((e) => e.to === requester);
    expect(sent).toHaveLength(1);

    const after = await call<Ticket>(`/tickets/${ticket.id}`, { token: owner.accessToken });
    expect(after.body.data.status).toBe("pending");
    expect(after.body.data.firstResponseAt).not.toBeNull();
    const comments = await commentsOf(owner, ticket.id);
    expect(comments.map((c) => [c.public, c.body.split("\n")[0]])).toEqual([
      [true, "Order 1234 has not arrived."],
      [false, "Checking with the warehouse."],
      [true, "It ships tomorrow."],
    ]);
    expect(comments[2]?.emailStatus).toBe("sent");
  });

  it("refuses bad input, stale versions, viewers' writes and other organizations' tickets", async () => {
    const owner = await signUp("desk-rules");
    const viewer = await addMember(owner, "viewer");
    const stranger = await signUp("desk-stranger");
    const ticket = await openTicket(owner, { subject: "A", description: "B" });
    expectErrorEnvelope(
      await call("/tickets", { method: "POST", token: owner.accessToken, body: { subject: "" } }),
      422,
      "validation_failed",
    );
    expectErrorEnvelope(
      await call("/tickets", {
        method: "POST",
        token: owner.accessToken,
        body: { subject: "x", description: "y", requester: { name: "No address" } },
      }),
      422,
    );
    expectErrorEnvelope(
      await call(`/tickets/${ticket.id}`, {
        method: "PATCH",
        token: owner.accessToken,
        body: { status: "someday" },
      }),
      422,
    );
    const changed = await call<Ticket>(`/tickets/${ticket.id}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: { priority: "urgent", version: 1 },
    });
    expect(changed.body.data).toMatchObject({ priority: "urgent", version: 2 });
    expectErrorEnvelope(
      await call(`/tickets/${ticket.id}`, {
        method: "PATCH",
        token: owner.accessToken,
        body: { priority: "low", version: 1 },
      }),
      409,
    );
    expectErrorEnvelope(
      await call("/tickets", {
        method: "POST",
        token: viewer.accessToken,
        body: { subject: "x", description: "y" },
      }),
      403,
    );
    expect((await call(`/tickets/${ticket.id}`, { token: viewer.accessToken })).status).toBe(200);
    expectErrorEnvelope(await call(`/tickets/${ticket.id}`, { token: stranger.accessToken }), 404);
    expectErrorEnvelope(
      await call(`/tickets/${ticket.id}/comments`, {
        method: "POST",
        token: stranger.accessToken,
        body: { body: "hi" },
      }),
      404,
    );
    expect((await ticketsOf(stranger)).tickets).toEqual([]);
    expectErrorEnvelope(
      await call(`/tickets/${ticket.id}/merge`, {
        method: "POST",
        token: owner.accessToken,
        body: { intoId: ticket.id },
      }),
      422,
    );
  });

  it("merging moves the comments and closes the merged ticket", async () => {
    const owner = await signUp("desk-merge");
    const a = await openTicket(owner, { subject: "Login broken", description: "Cannot log in." });
    const b = await openTicket(owner, { subject: "Login again", description: "Still broken." });
    const merged = await call<Ticket>(`/tickets/${b.id}/merge`, {
      method: "POST",
      token: owner.accessToken,
      body: { intoId: a.id },
    });
    expect(merged.status).toBe(200);
    expect(merged.body.data.id).toBe(a.id);
    const bodies = (await commentsOf(owner, a.id)).map((c) => c.body);
    expect(bodies).toContain("Still broken.");
    expect(bodies).toContain("Ticket #1002 (Login again) was merged into this ticket.");
    const closed = await call<Ticket>(`/tickets/${b.id}`, { token: owner.accessToken });
    expect(closed.body.data).toMatchObject({ status: "closed", mergedIntoId: a.id });
  });
});

describe("tickets from the inbox", () => {
  it("a public reply on a ticket from a WhatsApp conversation goes out on WhatsApp, not by email", async () => {
    const owner = await signUp("desk-inbox-reply");
    const channel = await createWhatsAppChannel(owner);
    const customer = uniqueNumber("4478");
    await deliverMessages(channel, [
      { from: customer, name: "Tom Reply", type: "text", text: { body: "Where is my refund?" } },
    ]);
    const conversation = await eventually(async () => {
      const found = (await listConversations(owner)).find((c) => c.externalId === customer);
      expect(found).toBeDefined();
      return found as { id: string };
    });
    const opened = await call<Ticket>(`/conversations/${conversation.id}/ticket`, {
      method: "POST",
      token: owner.accessToken,
    });
    expect(opened.status).toBe(201);
    const reply = await call(`/tickets/${opened.body.data.id}/comments`, {
      method: "POST",
      token: owner.accessToken,
      body: { body: "Your refund left today.", public: true },
    });
    expect(reply.status).toBe(201);
    const sent = (await listMessages(owner, conversation.id)).filter(
      (message) => message.direction === "outgoing",
    );
    expect(sent.map((message) => message.body)).toEqual(["Your refund left today."]);
  });

  it("a conversation becomes a ticket in one click, with its contact, assignee and transcript; once", async () => {
    const owner = await signUp("desk-inbox");
    const agent = await addMember(owner, "agent");
    const viewer = await addMember(owner, "viewer");
    const stranger = await signUp("desk-inbox-stranger");
    const channel = await createWhatsAppChannel(owner);
    const customer = uniqueNumber("4477");
    await deliverMessages(channel, [
      {
        from: customer,
        name: "Rosa Diaz",
        type: "text",
        text: { body: "My card was charged twice" },
      },
    ]);
    const conversation = await eventually(async () => {
      const found = (await listConversations(owner)).find((c) => c.externalId === customer);
      expect(found).toBeDefined();
      return found as { id: string; contact: { id: string } | null };
    });
    await call(`/conversations/${conversation.id}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: { assigneeId: agent.userId },
    });
    await call(`/conversations/${conversation.id}/messages`, {
      method: "POST",
      token: owner.accessToken,
      body: { note: true, body: "Private: check Stripe" },
    });

    const opened = await call<Ticket & { conversationId: string }>(
      `/conversations/${conversation.id}/ticket`,
      { method: "POST", token: agent.accessToken },
    );
    expect(opened.status).toBe(201);
    expect(opened.body.data).toMatchObject({
      subject: "My card was charged twice",
      via: "conversation",
      status: "open",
      assigneeId: agent.userId,
      conversationId: conversation.id,
      requester: { id: conversation.contact?.id, name: "Rosa Diaz" },
    });
    const [first] = await commentsOf(owner, opened.body.data.id);
    expect(first?.public).toBe(false);
    expect(first?.body).toContain("Rosa Diaz");
    expect(first?.body).toContain("My card was charged twice");
    expect(first?.body).not.toContain("Private: check Stripe");

    const again = await call<Ticket>(`/conversations/${conversation.id}/ticket`, {
      method: "POST",
      token: owner.accessToken,
    });
    expect(again.status).toBe(200);
    expect(again.body.data.id).toBe(opened.body.data.id);
    expectErrorEnvelope(
      await call(`/conversations/${conversation.id}/ticket`, {
        method: "POST",
        token: viewer.accessToken,
      }),
      403,
    );
    expectErrorEnvelope(
      await call(`/conversations/${conversation.id}/ticket`, {
        method: "POST",
        token: stranger.accessToken,
      }),
      404,
    );
  });
});

describe("email in", () => {
  it("a new email opens a ticket for its sender, answered once; replies thread back by token and by In-Reply-To", async () => {
    const owner = await signUp("inbound");
    const slug = await slugOf(owner);
    const customer = uniqueEmail("writer");
    const subject = `Broken widget ${Date.now()}`;
    const messageId = newMessageId();
    const delivered = await deliverEmail(
      rawEmail({
        from: customer,
        fromName: "Wanda Writer",
        to: supportAddressOf(slug),
        subject,
        text: "My widget broke.\nPlease help.",
        messageId,
      }),
      { from: customer, to: supportAddressOf(slug) },
    );
    expect(delivered.rejected).toBeNull();
    const [ticket] = await ticketBySubject(owner, subject);
    expect(ticket).toMatchObject({
      status: "new",
      via: "email",
      requester: { name: "Wanda Writer", email: customer },
    });
    const ack = await sentEmail(customer, "ticket_received");
    expect(ack.subject).toBe(`[#${ticket?.number}] ${subject}`);
    expect(ack.headers["Auto-Submitted"]).toBe("auto-replied");
    expect(ack.headers["In-Reply-To"]).toBe(messageId);
    expect(ack.replyTo).toContain(`${slug}+t`);

    // The customer answers the acknowledgement: its Reply-To carries the ticket's token.
    await deliverEmail(
      rawEmail({
        from: customer,
        to: ack.replyTo as string,
        subject: `Re: ${ack.subject}`,
        text: "Also the lid is loose.\n\nOn Mon, Support wrote:\n> Someone will answer you.",
        inReplyTo: messageId,
      }),
      { from: customer, to: ack.replyTo as string },
    );
    // An agent answers; the customer replies to the plain support address, threading by
    // In-Reply-To (our email's Message-ID) alone.
    await call(`/tickets/${ticket?.id}/comments`, {
      method: "POST",
      token: owner.accessToken,
      body: { body: "Send us a photo, please.", status: "pending" },
    });
    const reply = await sentEmail(customer, "ticket_reply");
    expect(reply.messageId).toBeTruthy();
    await deliverEmail(
      rawEmail({
        from: customer,
        to: supportAddressOf(slug),
        subject: `Re: ${reply.subject}`,
        text: "Here it is.",
        inReplyTo: `<${reply.messageId}>`,
        attachment: { filename: "widget.txt", contentType: "text/plain", content: "a photo" },
      }),
      { from: customer, to: supportAddressOf(slug) },
    );

    expect(await ticketBySubject(owner, subject)).toHaveLength(1);
    const comments = await commentsOf(owner, ticket?.id as string);
    expect(comments.map((c) => [c.authorKind, c.body])).toEqual([
      ["requester", "My widget broke.\nPlease help."],
      ["requester", "Also the lid is loose."],
      ["agent", "Send us a photo, please."],
      ["requester", "Here it is."],
    ]);
    const attachment = comments[3]?.attachments[0];
    expect(attachment).toMatchObject({
      filename: "widget.txt",
      contentType: "text/plain",
      size: 7,
    });
    const object = await env.MEDIA.get(attachment?.key as string);
    expect(await object?.text()).toBe("a photo");
    const commentId = comments[3]?.id;
    const download = await SELF.fetch(
      `${BASE}/tickets/${ticket?.id}/comments/${commentId}/attachments/1`,
      { headers: { authorization: `Bearer ${owner.accessToken}` } },
    );
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("text/plain");
    expect(download.headers.get("content-disposition")).toBe(
      "attachment; filename*=UTF-8''widget.txt",
    );
    expect(await download.text()).toBe("a photo");
    const stranger = await signUp("inbound-stranger");
    expectErrorEnvelope(
      await call(`/tickets/${ticket?.id}/comments/${commentId}/attachments/1`, {
        token: stranger.accessToken,
      }),
      404,
    );
    expectErrorEnvelope(
      await call(`/tickets/${ticket?.id}/comments/${commentId}/attachments/2`, {
        token: owner.accessToken,
      }),
      404,
    );
    // The customer's answer reopened the pending ticket.
    const after = await call<Ticket>(`/tickets/${ticket?.id}`, { token: owner.accessToken });
    expect(after.body.data.status).toBe("open");
  });

  it("the same message delivered twice stores once; HTML-only mail is read as text", async () => {
    const owner = await signUp("inbound-dup");
    const slug = await slugOf(owner);
    const customer = uniqueEmail("twice");
    const subject = `Duplicate ${Date.now()}`;
    const raw = rawEmail({
      from: customer,
      to: supportAddressOf(slug),
      subject,
      html: "<html><body><p>Hello <b>team</b>,</p><p>It&#39;s broken &amp; slow.</p><script>x()</script></body></html>",
    });
    await deliverEmail(raw, { from: customer, to: supportAddressOf(slug) });
    await deliverEmail(raw, { from: customer, to: supportAddressOf(slug) });
    const tickets = await ticketBySubject(owner, subject);
    expect(tickets).toHaveLength(1);
    const comments = await commentsOf(owner, tickets[0]?.id as string);
    expect(comments.map((c) => c.body)).toEqual(["Hello team,\nIt's broken & slow."]);
  });

  it("a redelivered message with an attachment leaves no second copy in R2", async () => {
    const owner = await signUp("inbound-dup-file");
    const slug = await slugOf(owner);
    const customer = uniqueEmail("twice-file");
    const subject = `Duplicate with file ${Date.now()}`;
    const raw = rawEmail({
      from: customer,
      to: supportAddressOf(slug),
      subject,
      text: "Logs attached.",
      attachment: { filename: "logs.txt", contentType: "text/plain", content: "boom" },
    });
    await deliverEmail(raw, { from: customer, to: supportAddressOf(slug) });
    await deliverEmail(raw, { from: customer, to: supportAddressOf(slug) });
    const [ticket] = await ticketBySubject(owner, subject);
    const comments = await commentsOf(owner, ticket?.id as string);
    expect(comments).toHaveLength(1);
    const kept = comments[0]?.attachments.map((attachment) => attachment.key);
    const stored = await env.MEDIA.list({ prefix: `${owner.orgId}/tickets/` });
    expect(stored.objects.map((object) => object.key)).toEqual(kept);
  });

  it("automatic mail (auto-replies, bounces, bulk, lists) never opens a ticket or gets an answer", async () => {
    const owner = await signUp("inbound-robots");
    const slug = await slugOf(owner);
    const to = supportAddressOf(slug);
    const robot = uniqueEmail("robot");
    const cases: [string, Record<string, string>, string][] = [
      ["Out of office", { "Auto-Submitted": "auto-replied" }, robot],
      ["Newsletter", { Precedence: "bulk" }, robot],
      ["List post", { "List-Id": "<news.example.com>" }, robot],
      ["Delivery failure", {}, "MAILER-DAEMON@example.com"],
    ];
    for (const [subject, headers, from] of cases) {
      const result = await deliverEmail(rawEmail({ from, to, subject, text: "auto", headers }), {
        from,
        to,
      });
      expect(result.rejected).toBeNull();
    }
    expect((await ticketsOf(owner)).tickets).toEqual([]);
    expect((await mailbox()).filter((email) => email.to === robot)).toEqual([]);
  });

  it("refuses unknown mailboxes, oversized messages and a sender past its hourly budget", async () => {
    const owner = await signUp("inbound-limits");
    const slug = await slugOf(owner);
    const to = supportAddressOf(slug);
    const sender = uniqueEmail("sender");
    const raw = rawEmail({ from: sender, to, subject: "Big", text: "x" });
    const unknown = await deliverEmail(raw, {
      from: sender,
      to: "nobody-here@support.switchboard.localhost",
    });
    expect(unknown.rejected).toBe("No such mailbox here.");
    const otherDomain = await deliverEmail(raw, { from: sender, to: `${slug}@elsewhere.example` });
    expect(otherDomain.rejected).toBe("No such mailbox here.");
    const big = await deliverEmail(raw, { from: sender, to }, 11 * 1024 * 1024);
    expect(big.rejected).toBe("Message too large: the limit is 10 MB.");
    expect((await ticketsOf(owner)).tickets).toEqual([]);

    const flood = uniqueEmail("flood");
    let refused: string | null = null;
    for (let i = 0; i < 31 && !refused; i++) {
      const result = await deliverEmail(
        rawEmail({ from: flood, to, subject: `Flood ${i}`, text: "again" }),
        { from: flood, to },
      );
      refused = result.rejected;
      if (i < 30) expect(refused).toBeNull();
    }
    expect(refused).toBe("Too many messages from this address; try again in an hour.");
  });

  it("a reply token of another organization never reaches its ticket", async () => {
    const a = await signUp("inbound-a");
    const b = await signUp("inbound-b");
    const customer = uniqueEmail("shared");
    const ticket = await openTicket(a, {
      subject: "Private matter",
      description: "Only A sees this.",
      requester: { email: customer },
    });
    await call(`/tickets/${ticket.id}/comments`, {
      method: "POST",
      token: a.accessToken,
      body: { body: "Answer from A." },
    });
    const reply = await sentEmail(customer, "ticket_reply");
    const token = /\+t([a-z0-9]+)@/.exec(reply.replyTo ?? "")?.[1];
    expect(token).toBeTruthy();
    const forged = `${await slugOf(b)}+t${token}@support.switchboard.localhost`;
    await deliverEmail(
      rawEmail({ from: customer, to: forged, subject: "Re: Private matter", text: "Hi B" }),
      { from: customer, to: forged },
    );
    expect((await commentsOf(a, ticket.id)).map((c) => c.body)).not.toContain("Hi B");
    const inB = await ticketsOf(b);
    expect(inB.tickets.map((t) => t.subject)).toEqual(["Re: Private matter"]);
    expect((await commentsOf(b, inB.tickets[0]?.id as string)).map((c) => c.body)).toEqual([
      "Hi B",
    ]);
  });

  it("outside production a test email can be written into the inbound handler (the mailbox page's form)", async () => {
    const owner = await signUp("inbound-dev");
    const slug = await slugOf(owner);
    const subject = `Written in ${Date.now()}`;
    const delivered = await call<{ rejected: string | null }>("/dev/inbound-email", {
      method: "POST",
      body: {
        from: "dana@example.com",
        fromName: "Dana Customer",
        to: supportAddressOf(slug),
        subject,
        text: "Hello from the form.",
      },
    });
    expect(delivered.status).toBe(202);
    expect(delivered.body.data.rejected).toBeNull();
    const [ticket] = await ticketBySubject(owner, subject);
    expect(ticket?.requester).toMatchObject({ name: "Dana Customer", email: "dana@example.com" });
    const refused = await call<{ rejected: string | null }>("/dev/inbound-email", {
      method: "POST",
      body: { from: "dana@example.com", to: "nobody@example.com", subject: "x", text: "y" },
    });
    expect(refused.body.data.rejected).toBe("No such mailbox here.");
    expectErrorEnvelope(
      await call("/dev/inbound-email", { method: "POST", body: { from: "not an address" } }),
      422,
    );
  });

  it("a reply to a closed ticket opens a follow-up", async () => {
    const owner = await signUp("inbound-closed");
    const customer = uniqueEmail("returning");
    const ticket = await openTicket(owner, {
      subject: "Old issue",
      description: "Done long ago.",
      requester: { email: customer },
    });
    await call(`/tickets/${ticket.id}/comments`, {
      method: "POST",
      token: owner.accessToken,
      body: { body: "Fixed.", status: "closed" },
    });
    const reply = await sentEmail(customer, "ticket_reply");
    await deliverEmail(
      rawEmail({
        from: customer,
        to: reply.replyTo as string,
        subject: "Re: Old issue",
        text: "It is back.",
      }),
      { from: customer, to: reply.replyTo as string },
    );
    const followUps = await ticketBySubject(owner, "Follow-up: Old issue");
    expect(followUps).toHaveLength(1);
    expect((await commentsOf(owner, ticket.id)).map((c) => c.body)).not.toContain("It is back.");
  });
});
