import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { notifications } from "../../worker/db/notification-schema";
import worker from "../../worker/index";
import {
  addMember,
  call,
  connectSocket,
  expectErrorEnvelope,
  type Session,
  signUp,
  workerDatabase,
} from "./helpers";
import { mailbox, sentEmail } from "./mailbox-helpers";

/*
 * Notifications: the bell of each person (live on their own sockets only), preferences per
 * kind, the hourly email digest, task reminders at their due time, and what tells people:
 * assignments, mentions, accepted invitations.
 */

interface Notification {
  id: string;
  userId: string;
  kind: string;
  title: string;
  link: string;
  readAt: string | null;
}

async function bell(session: Session, query = "") {
  const response = await call<Notification[]>(`/notifications${query}`, {
    token: session.accessToken,
  });
  expect(response.status).toBe(200);
  return {
    items: response.body.data,
    unreadCount: (response.body.meta as unknown as { unreadCount: number }).unreadCount,
  };
}

async function runJob(type: string) {
  const batch = createMessageBatch("switchboard-jobs", [
    {
      id: `${type}-${Date.now()}`,
      timestamp: new Date(),
      attempts: 1,
      body: { type, requestedAt: new Date().toISOString() },
    },
  ]);
  const ctx = createExecutionContext();
  await worker.queue?.(batch, env, ctx);
  expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(1);
}

async function openTicket(session: Session, body: Record<string, unknown>) {
  const response = await call<{ id: string; number: number }>("/tickets", {
    method: "POST",
    token: session.accessToken,
    body: { description: "Details.", ...body },
  });
  expect(response.status).toBe(201);
  return response.body.data;
}

describe("notifications", () => {
  it("an assignment reaches the assignee's bell live, only theirs; reading it syncs their tabs", async () => {
    const owner = await signUp("bell");
    const agent = await addMember(owner, "agent");
    // The owner hears that the invitation was accepted.
    const ownerBell = await bell(owner);
    expect(ownerBell.items.map((n) => n.kind)).toEqual(["invitation_accepted"]);
    expect(ownerBell.items[0]?.title).toBe("agent person joined as agent");

    const agentTab = await connectSocket({ authorization: `Bearer ${agent.accessToken}` });
    const ownerTab = await connectSocket({ authorization: `Bearer ${owner.accessToken}` });
    const ticket = await openTicket(owner, { subject: "VIP account", assigneeId: agent.userId });
    const event = await agentTab.waitFor((e) => e.type === "notification.created");
    expect(event).toMatchObject({
      userId: agent.userId,
      notification: {
        kind: "assignment",
        title: `Ticket #${ticket.number} was assigned to you`,
        link: `/app/tickets/${ticket.id}`,
      },
    });
    const agentBell = await bell(agent);
    expect(agentBell.unreadCount).toBe(1);
    expect(agentBell.items).toHaveLength(1);
    // The owner assigned it: not told of their own act, and their sockets never saw the agent's.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ownerTab.events.filter((e) => e.type === "notification.created")).toEqual([]);
    expect((await bell(owner)).items).toHaveLength(1);

    // Someone else's notification cannot be read by id.
    const foreign = await call<{ read: number }>("/notifications/read", {
      method: "POST",
      token: owner.accessToken,
      body: { ids: [agentBell.items[0]?.id] },
    });
    expect(foreign.body.data.read).toBe(0);
    const read = await call<{ read: number; unreadCount: number }>("/notifications/read", {
      method: "POST",
      token: agent.accessToken,
      body: { all: true },
    });
    expect(read.body.data).toEqual({ read: 1, unreadCount: 0 });
    await agentTab.waitFor((e) => e.type === "notification.read");
    expect((await bell(agent, "?unread=true")).items).toEqual([]);
    expectErrorEnvelope(
      await call("/notifications/read", { method: "POST", token: agent.accessToken, body: {} }),
      422,
    );
    agentTab.socket.close();
    ownerTab.socket.close();
  });

  it("leads, deals, contacts and tasks given to someone tell them, by one edit or in bulk", async () => {
    const owner = await signUp("crm-assign");
    const agent = await addMember(owner, "agent", "crm-assignee");
    const post = async <T>(path: string, body: unknown, method = "POST") => {
      const response = await call<T>(path, { method, token: owner.accessToken, body });
      expect(response.status, path).toBeLessThan(300);
      return response.body.data;
    };
    const assignments = async () =>
      (await bell(agent)).items
        .filter((n) => n.kind === "assignment")
        .map((n) => [n.title, n.link])
        .sort();

    // Created for someone else, and reassigned.
    const lead = await post<{ id: string }>("/leads", {
      title: "Harbor Labs inquiry",
      ownerId: agent.userId,
    });
    const deal = await post<{ id: string; version: number }>("/deals", {
      title: "Harbor renewal",
      amount: 1200,
    });
    await post(`/deals/${deal.id}`, { ownerId: agent.userId, version: deal.version }, "PATCH");
    const contact = await post<{ id: string }>("/contacts", { firstName: "Nia", lastName: "Park" });
    await post("/activities", {
      type: "task",
      subject: "Send the proposal",
      dealId: deal.id,
      assigneeId: agent.userId,
    });
    // The owner's own task tells nobody.
    await post("/activities", {
      type: "task",
      subject: "Mine",
      contactId: contact.id,
      assigneeId: owner.userId,
    });
    const others = await Promise.all(
      ["Ola", "Per"].map((firstName) => post<{ id: string }>("/contacts", { firstName })),
    );
    await post("/bulk", {
      entity: "contact",
      action: "assign",
      ownerId: agent.userId,
      ids: others.map((c) => c.id),
    });

    expect(await assignments()).toEqual(
      [
        ["2 contacts were assigned to you", "/app/contacts"],
        ["Deal \u201cHarbor renewal\u201d was assigned to you", `/app/deals/${deal.id}`],
        ["Lead \u201cHarbor Labs inquiry\u201d was assigned to you", `/app/leads/${lead.id}`],
        ["Task assigned to you: Send the proposal", `/app/deals/${deal.id}`],
      ].sort(),
    );
    expect((await bell(owner)).items.filter((n) => n.kind === "assignment")).toEqual([]);

    // Saving the deal again without a new owner tells no one twice.
    const current = await call<{ version: number }>(`/deals/${deal.id}`, {
      token: owner.accessToken,
    });
    await post(
      `/deals/${deal.id}`,
      { title: "Harbor renewal 2027", version: current.body.data.version },
      "PATCH",
    );
    expect(await assignments()).toHaveLength(4);
  });

  it("a mention in an internal note tells the member named", async () => {
    const owner = await signUp("mention");
    const agent = await addMember(owner, "agent", "maya");
    const ticket = await openTicket(owner, { subject: "Refund" });
    await call(`/tickets/${ticket.id}/comments`, {
      method: "POST",
      token: owner.accessToken,
      body: { body: "@maya can you check the refund?", public: false },
    });
    const { items } = await bell(agent);
    expect(items.map((n) => [n.kind, n.title])).toEqual([
      ["mention", `mention person mentioned you on ticket #${ticket.number}`],
    ]);
  });

  it("preferences decide: off tells nothing, email-only skips the bell and goes in the hourly digest once", async () => {
    const owner = await signUp("prefs");
    const agent = await addMember(owner, "agent");
    const defaults = await call<{ kind: string; channel: string }[]>("/notifications/preferences", {
      token: agent.accessToken,
    });
    expect(defaults.body.data.find((p) => p.kind === "assignment")?.channel).toBe("both");
    const saved = await call<{ kind: string; channel: string }[]>("/notifications/preferences", {
      method: "PUT",
      token: agent.accessToken,
      body: {
        preferences: [
          { kind: "assignment", channel: "email" },
          { kind: "mention", channel: "off" },
        ],
      },
    });
    expect(saved.status).toBe(200);
    expectErrorEnvelope(
      await call("/notifications/preferences", {
        method: "PUT",
        token: agent.accessToken,
        body: { preferences: [{ kind: "assignment", channel: "pigeon" }] },
      }),
      422,
    );
    const ticket = await openTicket(owner, { subject: "Digest me", assigneeId: agent.userId });
    await call(`/tickets/${ticket.id}/comments`, {
      method: "POST",
      token: owner.accessToken,
      body: { body: "@agent look", public: false },
    });
    expect((await bell(agent)).items).toEqual([]);

    // An hour later, unread: one digest email.
    const db = workerDatabase();
    try {
      await db.transaction({ orgId: owner.orgId, userId: null }, (tx) =>
        tx
          .update(notifications)
          .set({ createdAt: sql`now() - interval '2 hours'` })
          .where(eq(notifications.userId, agent.userId)),
      );
    } finally {
      await db.close();
    }
    await runJob("maintenance.notification_digest");
    const digest = await sentEmail(agent.email, "notification_digest");
    expect(digest.subject).toBe("1 unread notification in prefs org");
    expect(digest.text).toContain(`Ticket #${ticket.number} was assigned to you`);
    expect(digest.text).toContain(`/app/tickets/${ticket.id}`);
    await runJob("maintenance.notification_digest");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(
      (await mailbox()).filter((e) => e.to === agent.email && e.template === "notification_digest"),
    ).toHaveLength(1);
  });

  it("a task reminds its assignee at its due time, once, live", async () => {
    const owner = await signUp("tasks");
    const agent = await addMember(owner, "agent");
    const contact = await call<{ id: string }>("/contacts", {
      method: "POST",
      token: owner.accessToken,
      body: { firstName: "Remy" },
    });
    const task = await call<{ id: string }>("/activities", {
      method: "POST",
      token: owner.accessToken,
      body: {
        type: "task",
        subject: "Call Remy back",
        contactId: contact.body.data.id,
        assigneeId: agent.userId,
        dueAt: new Date(Date.now() + 1_000).toISOString(),
      },
    });
    expect(task.status).toBe(201);
    const tab = await connectSocket({ authorization: `Bearer ${agent.accessToken}` });
    const reminders = async () => (await bell(agent)).items.filter((n) => n.kind === "task_due");
    // Being given the task told them already; the reminder waits for the due time.
    expect((await bell(agent)).items.map((n) => n.kind)).toEqual(["assignment"]);
    await runJob("maintenance.task_reminders");
    expect(await reminders()).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await runJob("maintenance.task_reminders");
    const event = await tab.waitFor((e) => e.type === "notification.created");
    expect(event).toMatchObject({
      notification: {
        kind: "task_due",
        title: "Task due: Call Remy back",
        link: `/app/contacts/${contact.body.data.id}`,
      },
    });
    await runJob("maintenance.task_reminders");
    expect(await reminders()).toHaveLength(1);
    tab.socket.close();
  });
});
