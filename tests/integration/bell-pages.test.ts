import { describe, expect, it } from "vitest";
import { addMember, call, type Session, signUp } from "./helpers";
import { page, post } from "./page-helpers";

/*
 * The bell and the pages around it as the server renders them: the shell shows the unread
 * count; Settings -> Notifications saves each kind's channel for the person themselves (any
 * role); Tasks groups my open tasks by due date and completes one with its version.
 */

const TASKS_DATA = "routes%2Fapp.tasks";

interface TaskRow {
  id: string;
  subject: string;
  version: number;
  dueText: string | null;
  record: { entity: string; id: string; name: string } | null;
}

interface TasksData {
  view: "mine" | "others";
  total: number;
  groups: Record<"overdue" | "today" | "upcoming" | "none", TaskRow[]>;
}

async function tasksData(session: Session, query = "") {
  const separator = query ? "&" : "?";
  const response = await page(
    `/app/tasks${query}${separator}_data=${TASKS_DATA}`,
    session.accessToken,
  );
  expect(response.status).toBe(200);
  return (await response.json()) as TasksData;
}

async function createTask(owner: Session, body: Record<string, unknown>) {
  const response = await call<{ id: string; version: number }>("/activities", {
    method: "POST",
    token: owner.accessToken,
    body: { type: "task", ...body },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.data;
}

describe("the bell in the shell", () => {
  it("shows the unread count and the newest notifications with the page", async () => {
    const owner = await signUp("bell-shell");
    const before = await (await page("/app", owner.accessToken)).text();
    expect(before).toContain('aria-label="Notifications"');
    expect(before).not.toContain('data-testid="bell-count"');

    await addMember(owner, "agent", "Bea");
    const html = await (await page("/app", owner.accessToken)).text();
    expect(html).toContain('aria-label="Notifications, 1 unread"');
    expect(html).toMatch(/data-testid="bell-count"[^>]*>1</);
    // The shell's data carries the notification for the panel.
    expect(html).toContain("Bea person joined as agent");

    // Read through the API: the next page shows none unread.
    const read = await call<{ read: number; unreadCount: number }>("/notifications/read", {
      method: "POST",
      token: owner.accessToken,
      body: { all: true },
    });
    expect(read.body.data).toEqual({ read: 1, unreadCount: 0 });
    const after = await (await page("/app/contacts", owner.accessToken)).text();
    expect(after).toContain('aria-label="Notifications"');
    expect(after).not.toContain("1 unread");
  });
});

describe("Settings -> Notifications", () => {
  it("every member saves their own channel per kind", async () => {
    const owner = await signUp("prefs-page");
    const viewer = await addMember(owner, "viewer", "Vic");

    const form = await page("/app/settings/notifications", viewer.accessToken);
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain("Task reminders");
    expect(html).toContain("Email digest");
    // The settings nav names the page.
    expect(html).toContain('href="/app/settings/notifications"');

    const saved = await post("/app/settings/notifications", viewer.accessToken, {
      intent: "save",
      task_due: "in_app",
      mention: "off",
      sla_breach: "email",
    });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("Notification settings saved.");

    const mine = await call<{ kind: string; channel: string }[]>("/notifications/preferences", {
      token: viewer.accessToken,
    });
    const channels = Object.fromEntries(mine.body.data.map((p) => [p.kind, p.channel]));
    expect(channels).toMatchObject({
      task_due: "in_app",
      mention: "off",
      sla_breach: "email",
      missed_call: "both",
    });
    // The owner's own settings are untouched.
    const theirs = await call<{ kind: string; channel: string }[]>("/notifications/preferences", {
      token: owner.accessToken,
    });
    expect(theirs.body.data.every((p) => p.channel === "both")).toBe(true);

    // The page shows what was saved; a channel that does not exist is refused.
    const reloaded = await (await page("/app/settings/notifications", viewer.accessToken)).text();
    expect(reloaded).toMatch(/aria-label="Mentions: Off"[^>]*checked=""/);
    const bad = await post("/app/settings/notifications", viewer.accessToken, {
      intent: "save",
      mention: "pigeon",
    });
    expect(bad.status).toBe(422);
  });
});

describe("Tasks", () => {
  it("groups my open tasks by due date, links their records and completes one", async () => {
    const owner = await signUp("tasks-page");
    const agent = await addMember(owner, "agent", "Ada");
    const contact = await call<{ id: string }>("/contacts", {
      method: "POST",
      token: owner.accessToken,
      body: { firstName: "Rita", lastName: "Record" },
    });
    const contactId = contact.body.data.id;
    const hour = 3_600_000;
    const overdue = await createTask(owner, {
      subject: "Send the quote",
      dueAt: new Date(Date.now() - hour).toISOString(),
      assigneeId: owner.userId,
      contactId,
    });
    await createTask(owner, {
      subject: "Plan the renewal",
      dueAt: new Date(Date.now() + 3 * 24 * hour).toISOString(),
      assigneeId: owner.userId,
      contactId,
    });
    await createTask(owner, { subject: "Someday", assigneeId: owner.userId, contactId });
    await createTask(owner, {
      subject: "Call them back",
      dueAt: new Date(Date.now() + 2 * hour).toISOString(),
      assigneeId: agent.userId,
      contactId,
    });

    const data = await tasksData(owner);
    const subjects = (key: keyof TasksData["groups"]) => data.groups[key].map((t) => t.subject);
    expect(data.total).toBe(3);
    expect(subjects("overdue")).toEqual(["Send the quote"]);
    expect(subjects("upcoming")).toEqual(["Plan the renewal"]);
    expect(subjects("none")).toEqual(["Someday"]);
    expect(data.groups.overdue[0]?.record).toEqual({
      entity: "contact",
      id: contactId,
      name: "Rita Record",
    });

    const html = await (await page("/app/tasks", owner.accessToken)).text();
    expect(html).toContain('data-testid="tasks-overdue"');
    expect(html).toContain(`href="/app/contacts/${contactId}"`);
    expect(html).toContain("Complete “Send the quote”");
    expect(html.indexOf("Send the quote")).toBeLessThan(html.indexOf("Plan the renewal"));

    // The ones I created for others; the assignee sees it as theirs.
    const every = (tasks: TasksData) =>
      Object.values(tasks.groups)
        .flat()
        .map((t) => t.subject);
    expect(every(await tasksData(owner, "?view=others"))).toEqual(["Call them back"]);
    expect(every(await tasksData(agent))).toEqual(["Call them back"]);

    // Completing with a stale version is refused; with the current one it leaves the list.
    const stale = await post("/app/tasks", owner.accessToken, {
      intent: "complete-task",
      activityId: overdue.id,
      version: String(overdue.version + 5),
    });
    expect(stale.status).toBe(409);
    const done = await post("/app/tasks", owner.accessToken, {
      intent: "complete-task",
      activityId: overdue.id,
      version: String(overdue.version),
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("“Send the quote” is done.");
    const activity = await call<{ doneAt: string | null }>(`/activities/${overdue.id}`, {
      token: owner.accessToken,
    });
    expect(activity.body.data.doneAt).not.toBeNull();
    const after = await tasksData(owner);
    expect(after.total).toBe(2);
    expect(after.groups.overdue).toEqual([]);
  });
});
