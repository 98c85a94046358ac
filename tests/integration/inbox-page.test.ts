import { describe, expect, it } from "vitest";
import { addMember, call, signUp } from "./helpers";
import {
  type ConversationView,
  createWhatsAppChannel,
  deliverMessages,
  eventually,
  listConversations,
} from "./inbox-helpers";
import { APP, page } from "./page-helpers";

/*
 * The inbox page (/app/inbox) as the server renders it: the list, the open conversation's
 * thread and its contact panel in the page's one transaction; a link to a conversation that
 * was merged leads to the one it went into; a missing one is said so on the page; the page's
 * actions (note, update with its version, read) answer with what changed.
 */

function post(accessToken: string, fields: Record<string, string>) {
  return page("/app/inbox?_data=routes%2Fapp.inbox", accessToken, {
    method: "POST",
    headers: { origin: APP, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}

async function conversationOf(owner: Awaited<ReturnType<typeof signUp>>, text: string) {
  return eventually(async () => {
    const found = (await listConversations(owner, "?status=open,resolved")).find(
      (conversation) => conversation.lastMessagePreview === text,
    );
    expect(found).toBeDefined();
    return found as ConversationView;
  });
}

describe("the inbox page", () => {
  it("renders the list, the open thread and the contact panel in one transaction", async () => {
    const owner = await signUp("inbox-page");
    const channel = await createWhatsAppChannel(owner);
    await deliverMessages(channel, [
      { from: "+447700900555", name: "Pia Page", type: "text", text: { body: "Is it in stock?" } },
    ]);
    const conversation = await conversationOf(owner, "Is it in stock?");

    const response = await page(`/app/inbox?c=${conversation.id}`, owner.accessToken);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Pia Page");
    expect(html).toContain("Is it in stock?");
    expect(html).toContain(`/app/contacts/${conversation.contact?.id}`);
    expect(response.headers.get("server-timing")).toMatch(/db;[^,]*desc="1 transaction"/);

    const missing = await page(`/app/inbox?c=${crypto.randomUUID()}`, owner.accessToken);
    expect(missing.status).toBe(200);
    expect(await missing.text()).toContain("This conversation is not here");
  });

  it("answers its actions with what changed, refuses a stale version, and leads merged links on", async () => {
    const owner = await signUp("inbox-actions");
    const viewer = await addMember(owner, "viewer", "inbox-viewer");
    const channel = await createWhatsAppChannel(owner);
    await deliverMessages(channel, [
      { from: "+447700900556", name: "Max Merge", type: "text", text: { body: "First question" } },
    ]);
    const first = await conversationOf(owner, "First question");

    const note = await post(owner.accessToken, {
      intent: "note",
      conversationId: first.id,
      body: "Checked the stock: two left.",
    });
    expect(note.status).toBe(200);
    expect(await note.json()).toMatchObject({
      ok: true,
      intent: "note",
      message: { private: true, body: "Checked the stock: two left." },
    });

    const read = await post(owner.accessToken, { intent: "read", conversationId: first.id });
    const readAnswer = (await read.json()) as { conversation: ConversationView };
    expect(readAnswer.conversation.unreadCount).toBe(0);

    const resolved = await post(owner.accessToken, {
      intent: "update",
      conversationId: first.id,
      status: "resolved",
      version: String(readAnswer.conversation.version),
    });
    expect(resolved.status).toBe(200);
    expect(await resolved.json()).toMatchObject({ conversation: { status: "resolved" } });

    // The same version again is stale: the inbox's own words, not a crash.
    const stale = await post(owner.accessToken, {
      intent: "update",
      conversationId: first.id,
      priority: "high",
      version: String(readAnswer.conversation.version),
    });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({
      ok: false,
      message: expect.stringContaining("Someone changed this conversation"),
    });

    // Labels travel as a list.
    const labelled = await post(owner.accessToken, {
      intent: "update",
      conversationId: first.id,
      labels: "",
    });
    expect(labelled.status).toBe(200);

    // A viewer reads but cannot write.
    const refused = await post(viewer.accessToken, {
      intent: "note",
      conversationId: first.id,
      body: "Not mine to write",
    });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ ok: false, intent: "note" });

    // The customer writes again: a new conversation; merged into the first, links lead there.
    await deliverMessages(channel, [
      { from: "+447700900556", type: "text", text: { body: "Second question" } },
    ]);
    const second = await conversationOf(owner, "Second question");
    expect(second.id).not.toBe(first.id);
    const merged = await post(owner.accessToken, {
      intent: "merge",
      conversationId: second.id,
      intoId: first.id,
    });
    expect(merged.status).toBe(200);
    const link = await page(`/app/inbox?c=${second.id}`, owner.accessToken, {
      redirect: "manual",
    });
    expect(link.status).toBe(302);
    expect(link.headers.get("location")).toBe(`/app/inbox?c=${first.id}`);
    const messages = await call<{ body: string | null }[]>(`/conversations/${first.id}/messages`, {
      token: owner.accessToken,
    });
    // (Meta's times are whole seconds: the note and the second question may trade places.)
    expect(messages.body.data.map((message) => message.body).sort()).toEqual([
      "Checked the stock: two left.",
      "First question",
      "Second question",
    ]);
  });

  it("opens a ticket from the conversation and goes to it", async () => {
    const owner = await signUp("inbox-ticket");
    const channel = await createWhatsAppChannel(owner);
    await deliverMessages(channel, [
      { from: "+447700900777", name: "Tia Ticket", type: "text", text: { body: "Refund please" } },
    ]);
    const conversation = await conversationOf(owner, "Refund please");
    const opened = await post(owner.accessToken, {
      intent: "ticket",
      conversationId: conversation.id,
    });
    // Remix answers a redirect to a data request with 204 and the location in a header.
    expect([204, 302]).toContain(opened.status);
    const location = opened.headers.get("x-remix-redirect") ?? opened.headers.get("location");
    expect(location).toMatch(/^\/app\/tickets\/[0-9a-f-]{36}$/);
    const ticket = await call<{ subject: string; conversationId: string }>(
      `/tickets/${location?.split("/").at(-1)}`,
      { token: owner.accessToken },
    );
    expect(ticket.body.data).toMatchObject({
      subject: "Refund please",
      conversationId: conversation.id,
    });
  });
});
