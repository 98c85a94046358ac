import { describe, expect, it } from "vitest";
import { defaultPipeline, seedCompany, seedContact, seedDeal, seedLead } from "./crm-seed";
import {
  addMember,
  call,
  type Envelope,
  expectErrorEnvelope,
  type Session,
  signUp,
} from "./helpers";

interface Activity {
  id: string;
  type: string;
  subject: string;
  body: string | null;
  occurredAt: string;
  dueAt: string | null;
  doneAt: string | null;
  assigneeId: string | null;
  createdBy: string | null;
  contactId: string | null;
  companyId: string | null;
  leadId: string | null;
  dealId: string | null;
  version: number;
  deletedAt: string | null;
}

interface TimelineItem {
  kind: "activity" | "stage_change" | "created";
  at: string;
  id: string;
  activity?: Activity;
  stageChange?: {
    fromStageId: string | null;
    toStageId: string;
    fromStageName: string | null;
    toStageName: string | null;
    changedBy: string | null;
  };
}

async function createActivity(session: Session, body: Record<string, unknown>) {
  const response = await call<Activity>("/activities", {
    method: "POST",
    token: session.accessToken,
    body,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.data;
}

function patchActivity(session: Session, id: string, body: Record<string, unknown>) {
  return call<Activity>(`/activities/${id}`, { method: "PATCH", token: session.accessToken, body });
}

async function listActivities(session: Session, query: string) {
  const response = await call<Activity[]>(`/activities?${query}`, { token: session.accessToken });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.data;
}

async function timelinePage(session: Session, path: string, query = "") {
  const response = await call<TimelineItem[]>(`${path}/timeline${query}`, {
    token: session.accessToken,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return { items: response.body.data, nextCursor: response.body.meta?.pagination?.nextCursor };
}

/** Follows the cursor through every page of a list; each page holds at most `limit` rows. */
async function allPages<T>(session: Session, path: string, limit: number): Promise<T[]> {
  const rows: T[] = [];
  let cursor: string | null | undefined = null;
  do {
    const query: string = `limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`;
    const separator = path.includes("?") ? "&" : "?";
    const response: { status: number; body: Envelope<T[]> } = await call<T[]>(
      `${path}${separator}${query}`,
      { token: session.accessToken },
    );
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.data.length).toBeLessThanOrEqual(limit);
    rows.push(...response.body.data);
    cursor = response.body.meta?.pagination?.nextCursor;
  } while (cursor);
  return rows;
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

describe("activities", () => {
  it("logs a note on a contact, reads it back and lists it by record", async () => {
    const owner = await signUp("act-note");
    const contact = await seedContact(owner, { firstName: "Nora" });
    const note = await createActivity(owner, {
      type: "note",
      subject: "Met at the fair",
      body: "Wants a demo.",
      contactId: contact.id,
    });
    expect(note).toMatchObject({
      type: "note",
      subject: "Met at the fair",
      body: "Wants a demo.",
      contactId: contact.id,
      createdBy: owner.userId,
      version: 1,
      doneAt: null,
      deletedAt: null,
    });

    const fetched = await call<Activity>(`/activities/${note.id}`, { token: owner.accessToken });
    expect(fetched.status).toBe(200);
    expect(fetched.body.data.id).toBe(note.id);

    const listed = await listActivities(owner, `filter.contactId=${contact.id}`);
    expect(listed.map((activity) => activity.id)).toEqual([note.id]);
    expect(await listActivities(owner, "q=fair")).toHaveLength(1);
  });

  it("accepts calls, messages and meetings attached to several records", async () => {
    const owner = await signUp("act-types");
    const company = await seedCompany(owner, { name: "Initech" });
    const contact = await seedContact(owner, { companyId: company.id });
    const deal = await seedDeal(owner, { companyId: company.id });
    const lead = await seedLead(owner, "Initech upgrade");
    const start = new Date(Date.now() + 86_400_000).toISOString();
    const meeting = await createActivity(owner, {
      type: "meeting",
      subject: "Kick-off",
      occurredAt: start,
      contactId: contact.id,
      companyId: company.id,
      dealId: deal.id,
      leadId: lead.id,
    });
    expect(meeting.occurredAt).toBe(start);
    expect(meeting).toMatchObject({ companyId: company.id, dealId: deal.id, leadId: lead.id });
    await createActivity(owner, { type: "call", subject: "Intro call", leadId: lead.id });
    await createActivity(owner, {
      type: "message",
      subject: "WhatsApp",
      contactId: contact.id,
      metadata: { channel: "whatsapp" },
    });
    const calls = await listActivities(owner, `filter.type=call,message`);
    expect(calls.map((activity) => activity.type).sort()).toEqual(["call", "message"]);
    for (const query of ["filter.type=fax", "sort=subject", "filter.doneAt.isEmpty=maybe"]) {
      expectErrorEnvelope(
        await call(`/activities?${query}`, { token: owner.accessToken }),
        422,
        "validation_failed",
      );
    }
  });

  it("rejects activities without a record, with unknown records, or with bad fields", async () => {
    const owner = await signUp("act-invalid");
    const other = await signUp("act-invalid-other");
    const contact = await seedContact(owner);
    const foreign = await seedContact(other);
    const post = (body: Record<string, unknown>) =>
      call("/activities", { method: "POST", token: owner.accessToken, body });

    const unattached = await post({ type: "note", subject: "Floating" });
    expectErrorEnvelope(unattached, 422, "validation_failed");
    expect(unattached.body.errors?.contactId).toBeDefined();

    const foreignLink = await post({ type: "note", subject: "x", contactId: foreign.id });
    expectErrorEnvelope(foreignLink, 422, "validation_failed");
    expect(foreignLink.body.errors?.contactId).toBeDefined();

    const missingDeal = await post({ type: "note", subject: "x", dealId: crypto.randomUUID() });
    expect(missingDeal.body.errors?.dealId).toBeDefined();

    const strangerAssignee = await post({
      type: "task",
      subject: "x",
      contactId: contact.id,
      assigneeId: other.userId,
    });
    expectErrorEnvelope(strangerAssignee, 422, "validation_failed");
    expect(strangerAssignee.body.errors?.assigneeId).toBeDefined();

    const noteWithDue = await post({
      type: "note",
      subject: "x",
      contactId: contact.id,
      dueAt: minutesAgo(-60),
    });
    expect(noteWithDue.body.errors?.dueAt).toBeDefined();

    for (const body of [
      { type: "fax", subject: "x", contactId: contact.id },
      { type: "note", subject: "", contactId: contact.id },
      { type: "note", subject: "x", contactId: "not-a-uuid" },
      { type: "note", subject: "x", contactId: contact.id, occurredAt: "yesterday" },
      { type: "note", subject: "x", contactId: contact.id, surprise: true },
    ]) {
      expectErrorEnvelope(await post(body), 422, "validation_failed");
    }
  });

  it("tracks tasks: open list, due range, completion and reopening", async () => {
    const owner = await signUp("act-tasks");
    const agent = await addMember(owner, "agent");
    const contact = await seedContact(owner);
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    const later = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const callBack = await createActivity(owner, {
      type: "task",
      subject: "Call back",
      contactId: contact.id,
      dueAt: soon,
      assigneeId: agent.userId,
    });
    const sendQuote = await createActivity(owner, {
      type: "task",
      subject: "Send quote",
      contactId: contact.id,
      dueAt: later,
    });
    const context = await createActivity(owner, {
      type: "note",
      subject: "Context",
      contactId: contact.id,
    });

    const open = await listActivities(owner, "filter.type=task&filter.doneAt.isEmpty=true");
    expect(open.map((task) => task.id).sort()).toEqual([callBack.id, sendQuote.id].sort());
    const mine = await listActivities(agent, `filter.assigneeId=${agent.userId}`);
    expect(mine.map((task) => task.id)).toEqual([callBack.id]);
    const dueSoon = await listActivities(
      owner,
      `filter.dueAt.lte=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}`,
    );
    expect(dueSoon.map((task) => task.id)).toEqual([callBack.id]);
    const byDue = await allPages<Activity>(owner, "/activities?sort=dueAt", 1);
    // Undated activities come last.
    expect(byDue.map((activity) => activity.id)).toEqual([callBack.id, sendQuote.id, context.id]);

    // The assignee completes it, even though someone else created it.
    const done = await call<Activity>(`/activities/${callBack.id}/complete`, {
      method: "POST",
      token: agent.accessToken,
    });
    expect(done.status).toBe(200);
    expect(done.body.data.doneAt).not.toBeNull();
    expect(done.body.data.version).toBe(2);
    const stillOpen = await listActivities(owner, "filter.type=task&filter.doneAt.isEmpty=true");
    expect(stillOpen.map((task) => task.id)).toEqual([sendQuote.id]);

    const reopened = await call<Activity>(`/activities/${callBack.id}/complete`, {
      method: "POST",
      token: owner.accessToken,
      body: { done: false, version: 2 },
    });
    expect(reopened.status).toBe(200);
    expect(reopened.body.data).toMatchObject({ doneAt: null, version: 3 });
  });

  it("completes only tasks", async () => {
    const owner = await signUp("act-complete-note");
    const contact = await seedContact(owner);
    const note = await createActivity(owner, { type: "note", subject: "x", contactId: contact.id });
    const response = await call(`/activities/${note.id}/complete`, {
      method: "POST",
      token: owner.accessToken,
    });
    expectErrorEnvelope(response, 422, "validation_failed");
  });

  it("edits with the version it was based on and refuses a stale one with 409", async () => {
    const owner = await signUp("act-version");
    const contact = await seedContact(owner);
    const company = await seedCompany(owner);
    const note = await createActivity(owner, {
      type: "note",
      subject: "v1",
      contactId: contact.id,
    });
    const edited = await patchActivity(owner, note.id, {
      subject: "v2",
      companyId: company.id,
      version: 1,
    });
    expect(edited.status).toBe(200);
    expect(edited.body.data).toMatchObject({ subject: "v2", companyId: company.id, version: 2 });

    expectErrorEnvelope(
      await patchActivity(owner, note.id, { subject: "v3", version: 1 }),
      409,
      "conflict",
    );
    const detached = await patchActivity(owner, note.id, { contactId: null, companyId: null });
    expectErrorEnvelope(detached, 422, "validation_failed");
    expectErrorEnvelope(
      await patchActivity(owner, note.id, { version: 2 }),
      422,
      "validation_failed",
    );
  });

  it("lets the creator, the assignee and admins edit, but not other agents or viewers", async () => {
    const owner = await signUp("act-rights");
    const author = await addMember(owner, "agent", "author");
    const assignee = await addMember(owner, "agent", "assignee");
    const bystander = await addMember(owner, "agent", "bystander");
    const viewer = await addMember(owner, "viewer");
    const contact = await seedContact(owner);
    const task = await createActivity(author, {
      type: "task",
      subject: "Follow up",
      contactId: contact.id,
      assigneeId: assignee.userId,
    });

    expect((await patchActivity(author, task.id, { subject: "by author" })).status).toBe(200);
    expect((await patchActivity(assignee, task.id, { subject: "by assignee" })).status).toBe(200);
    expect((await patchActivity(owner, task.id, { subject: "by owner" })).status).toBe(200);
    expectErrorEnvelope(
      await patchActivity(bystander, task.id, { subject: "nope" }),
      403,
      "forbidden",
    );
    expectErrorEnvelope(
      await call(`/activities/${task.id}`, { method: "DELETE", token: bystander.accessToken }),
      403,
      "forbidden",
    );
    expectErrorEnvelope(
      await call("/activities", {
        method: "POST",
        token: viewer.accessToken,
        body: { type: "note", subject: "x", contactId: contact.id },
      }),
      403,
      "forbidden",
    );
    // Everyone may read.
    expect((await call(`/activities/${task.id}`, { token: viewer.accessToken })).status).toBe(200);
  });

  it("hides a deleted activity until it is restored, and audits both", async () => {
    const owner = await signUp("act-delete");
    const contact = await seedContact(owner);
    const note = await createActivity(owner, {
      type: "note",
      subject: "Oops",
      contactId: contact.id,
    });
    const deleted = await call<Activity>(`/activities/${note.id}`, {
      method: "DELETE",
      token: owner.accessToken,
    });
    expect(deleted.status).toBe(200);
    expect(deleted.body.data.deletedAt).not.toBeNull();
    expectErrorEnvelope(
      await call(`/activities/${note.id}`, { token: owner.accessToken }),
      404,
      "not_found",
    );
    expect(await listActivities(owner, "")).toHaveLength(0);
    expect((await listActivities(owner, "deleted=true")).map((row) => row.id)).toEqual([note.id]);
    const timeline = await timelinePage(owner, `/contacts/${contact.id}`);
    expect(timeline.items.map((item) => item.kind)).toEqual(["created"]);

    const restored = await call<Activity>(`/activities/${note.id}/restore`, {
      method: "POST",
      token: owner.accessToken,
    });
    expect(restored.status).toBe(200);
    expect(restored.body.data.deletedAt).toBeNull();
    expectErrorEnvelope(
      await call(`/activities/${note.id}/restore`, { method: "POST", token: owner.accessToken }),
      409,
      "conflict",
    );

    const audit = await call<{ action: string; targetId: string }[]>("/audit-logs", {
      token: owner.accessToken,
    });
    const actions = audit.body.data
      .filter((entry) => entry.targetId === note.id)
      .map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(["record.deleted", "record.restored"]));
  });

  it("audits every edit of an activity, with its author, beside deletes", async () => {
    const owner = await signUp("act-edit-audit");
    const agent = await addMember(owner, "agent", "author");
    const contact = await seedContact(owner);
    const note = await createActivity(agent, {
      type: "note",
      subject: "Wants a demo",
      body: "Wants a demo",
      contactId: contact.id,
    });
    const byAuthor = await patchActivity(agent, note.id, {
      subject: "Wants a demo on Friday",
      body: "Wants a demo on Friday",
      version: 1,
    });
    expect(byAuthor.status, JSON.stringify(byAuthor.body)).toBe(200);
    // An owner (or admin) may correct anyone's note; that is audited too.
    const byOwner = await patchActivity(owner, note.id, { body: "Demo booked.", version: 2 });
    expect(byOwner.status, JSON.stringify(byOwner.body)).toBe(200);

    const audit = await call<
      {
        action: string;
        actorUserId: string | null;
        targetType: string | null;
        targetId: string | null;
        metadata: Record<string, unknown>;
      }[]
    >("/audit-logs?action=activity.updated", { token: owner.accessToken });
    expect(audit.status).toBe(200);
    const entries = audit.body.data.filter((entry) => entry.targetId === note.id);
    expect(entries.map((entry) => entry.actorUserId).sort()).toEqual(
      [agent.userId, owner.userId].sort(),
    );
    for (const entry of entries) {
      expect(entry.targetType).toBe("activity");
      expect(entry.metadata).toMatchObject({ type: "note", authorId: agent.userId });
    }
    const ownerEntry = entries.find((entry) => entry.actorUserId === owner.userId);
    expect(ownerEntry?.metadata.fields).toEqual(["body"]);
  });

  it("answers 404 for another organization's activities and records", async () => {
    const owner = await signUp("act-tenant");
    const intruder = await signUp("act-intruder");
    const contact = await seedContact(owner);
    const note = await createActivity(owner, { type: "note", subject: "x", contactId: contact.id });
    const token = intruder.accessToken;
    for (const response of [
      await call(`/activities/${note.id}`, { token }),
      await call(`/activities/${note.id}`, { method: "PATCH", token, body: { subject: "mine" } }),
      await call(`/activities/${note.id}`, { method: "DELETE", token }),
      await call(`/activities/${note.id}/restore`, { method: "POST", token }),
      await call(`/activities/${note.id}/complete`, { method: "POST", token }),
      await call(`/contacts/${contact.id}/timeline`, { token }),
    ]) {
      expectErrorEnvelope(response, 404, "not_found");
    }
    expect(await listActivities(intruder, "")).toHaveLength(0);
    const untouched = await call<Activity>(`/activities/${note.id}`, { token: owner.accessToken });
    expect(untouched.body.data).toMatchObject({ subject: "x", version: 1 });
  });
});

describe("timelines", () => {
  it("lists a contact's activities and its creation newest first, page by page", async () => {
    const owner = await signUp("timeline-contact");
    const contact = await seedContact(owner);
    const elsewhere = await seedContact(owner);
    const subjects = ["first", "second", "third", "fourth", "fifth"];
    const created: Activity[] = [];
    for (const [index, subject] of subjects.entries()) {
      created.push(
        await createActivity(owner, {
          type: "note",
          subject,
          contactId: contact.id,
          occurredAt: minutesAgo(60 - index * 10),
        }),
      );
    }
    await createActivity(owner, { type: "note", subject: "not theirs", contactId: elsewhere.id });
    const later = await createActivity(owner, {
      type: "meeting",
      subject: "upcoming",
      contactId: contact.id,
      occurredAt: new Date(Date.now() + 86_400_000).toISOString(),
    });

    const all = await allPages<TimelineItem>(owner, `/contacts/${contact.id}/timeline`, 2);
    expect(all.map((item) => item.activity?.subject ?? item.kind)).toEqual([
      "upcoming",
      "created",
      "fifth",
      "fourth",
      "third",
      "second",
      "first",
    ]);
    expect(all[0]?.id).toBe(later.id);
    expect(all[1]).toMatchObject({ kind: "created", id: contact.id, at: contact.createdAt });
    expect(new Set(all.map((item) => item.id)).size).toBe(all.length);
    const times = all.map((item) => Date.parse(item.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const firstPage = await timelinePage(owner, `/contacts/${contact.id}`, "?limit=3");
    expect(firstPage.items).toHaveLength(3);
    expect(firstPage.nextCursor).toBeTruthy();
    expectErrorEnvelope(
      await call(`/contacts/${contact.id}/timeline?cursor=garbage`, { token: owner.accessToken }),
      400,
      "bad_request",
    );
  });

  it("shows a deal's stage changes with stage names", async () => {
    const owner = await signUp("timeline-deal");
    const pipeline = await defaultPipeline(owner);
    const deal = await seedDeal(owner, { title: "Big one" });
    const moved = await call<{ version: number }>(`/deals/${deal.id}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: { stageId: pipeline.stage("Qualified").id },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const call1 = await createActivity(owner, {
      type: "call",
      subject: "Pricing",
      dealId: deal.id,
    });

    const { items } = await timelinePage(owner, `/deals/${deal.id}`);
    expect(items.map((item) => item.kind)).toEqual([
      "activity",
      "stage_change",
      "stage_change",
      "created",
    ]);
    expect(items[0]?.activity?.id).toBe(call1.id);
    expect(items[1]?.stageChange).toEqual({
      fromStageId: pipeline.stage("Lead in").id,
      toStageId: pipeline.stage("Qualified").id,
      fromStageName: "Lead in",
      toStageName: "Qualified",
      changedBy: owner.userId,
    });
    expect(items[2]?.stageChange).toMatchObject({ fromStageId: null, toStageName: "Lead in" });
  });

  it("includes the activities of a company's contacts, and serves leads", async () => {
    const owner = await signUp("timeline-company");
    const company = await seedCompany(owner, { name: "Umbrella" });
    const employee = await seedContact(owner, { companyId: company.id });
    const outsider = await seedContact(owner);
    const onCompany = await createActivity(owner, {
      type: "note",
      subject: "company note",
      companyId: company.id,
    });
    const onEmployee = await createActivity(owner, {
      type: "call",
      subject: "employee call",
      contactId: employee.id,
    });
    await createActivity(owner, { type: "call", subject: "outsider", contactId: outsider.id });

    const { items } = await timelinePage(owner, `/companies/${company.id}`);
    expect(items.filter((item) => item.kind === "activity").map((item) => item.id)).toEqual([
      onEmployee.id,
      onCompany.id,
    ]);

    const lead = await seedLead(owner, "Umbrella expansion");
    await createActivity(owner, { type: "note", subject: "lead note", leadId: lead.id });
    const leadTimeline = await timelinePage(owner, `/leads/${lead.id}`);
    expect(leadTimeline.items.map((item) => item.kind)).toEqual(["activity", "created"]);
  });

  it("filters a timeline by activity type", async () => {
    const owner = await signUp("timeline-types");
    const contact = await seedContact(owner);
    const byType: Record<string, string> = {};
    for (const [index, type] of ["note", "task", "call", "message", "meeting"].entries()) {
      const activity = await createActivity(owner, {
        type,
        subject: `A ${type}`,
        contactId: contact.id,
        occurredAt: minutesAgo(10 - index),
      });
      byType[type] = activity.id;
    }
    const notes = await timelinePage(owner, `/contacts/${contact.id}`, "?type=note");
    expect(notes.items.map((item) => item.id)).toEqual([byType.note]);
    const talk = await timelinePage(owner, `/contacts/${contact.id}`, "?type=message,meeting");
    expect(talk.items.map((item) => item.activity?.type)).toEqual(["meeting", "message"]);
    // Paging keeps the filter.
    const first = await timelinePage(
      owner,
      `/contacts/${contact.id}`,
      "?type=note,task,call&limit=2",
    );
    expect(first.items.map((item) => item.activity?.type)).toEqual(["call", "task"]);
    const second = await timelinePage(
      owner,
      `/contacts/${contact.id}`,
      `?type=note,task,call&limit=2&cursor=${first.nextCursor}`,
    );
    expect(second.items.map((item) => item.activity?.type)).toEqual(["note"]);
    expect(second.nextCursor).toBeFalsy();
    // Without a filter, everything (and the creation) is there.
    const all = await timelinePage(owner, `/contacts/${contact.id}`);
    expect(all.items).toHaveLength(6);
    expectErrorEnvelope(
      await call(`/contacts/${contact.id}/timeline?type=fax`, { token: owner.accessToken }),
      422,
      "validation_failed",
    );
  });

  it("is a 404 for unknown records", async () => {
    const owner = await signUp("timeline-404");
    for (const path of ["contacts", "companies", "leads", "deals"]) {
      expectErrorEnvelope(
        await call(`/${path}/${crypto.randomUUID()}/timeline`, { token: owner.accessToken }),
        404,
        "not_found",
      );
    }
  });
});

describe("the API description", () => {
  it("documents activities, timelines, custom fields, views, search, bulk and reports", async () => {
    const response = await call<never>("/openapi.json");
    expect(response.status).toBe(200);
    const paths = Object.keys((response.body as unknown as { paths: object }).paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        "/activities",
        "/activities/{id}",
        "/activities/{id}/restore",
        "/activities/{id}/complete",
        "/contacts/{id}/timeline",
        "/companies/{id}/timeline",
        "/leads/{id}/timeline",
        "/deals/{id}/timeline",
        "/custom-fields",
        "/custom-fields/{id}",
        "/views",
        "/views/{id}",
        "/search",
        "/bulk",
        "/reports/dashboard",
      ]),
    );
  });
});
