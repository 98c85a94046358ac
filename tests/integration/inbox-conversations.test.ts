import { createScheduledController, env, SELF } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import worker from "../../worker/index";
import { addMember, BASE, call, connectSocket, signUp } from "./helpers";
import {
  type ConversationView,
  createWhatsAppChannel,
  deliverMessages,
  deliverStatuses,
  eventually,
  fakeMeta,
  listConversations,
  listMessages,
  type MessageView,
  sentToMeta,
  uniqueNumber,
  type WhatsAppChannel,
} from "./inbox-helpers";

/*
 * The inbox as agents use it: replies go to Meta through the send job, delivery reports move
 * a message forward only, the 24-hour window, Meta's errors, notes, assignment, status,
 * merge, filters and who may do what.
 */

async function conversationWith(
  owner: Awaited<ReturnType<typeof signUp>>,
  channel: WhatsAppChannel,
  customer: string,
  text = "Hello there",
  timestamp?: number,
): Promise<ConversationView> {
  await deliverMessages(channel, [
    { from: customer, name: "Rosa Diaz", type: "text", text: { body: text }, timestamp },
  ]);
  return eventually(async () => {
    const found = (await listConversations(owner)).find((c) => c.externalId === customer);
    expect(found?.lastMessagePreview).toBe(text);
    return found as ConversationView;
  });
}

function send(token: string, conversationId: string, body: unknown) {
  return call<MessageView>(`/conversations/${conversationId}/messages`, {
    method: "POST",
    token,
    body,
  });
}

function messageNamed(owner: { accessToken: string }, conversationId: string, id: string) {
  return eventually(async () => {
    const all = await listMessages(owner as never, conversationId);
    const found = all.find((m) => m.id === id);
    expect(found).toBeDefined();
    return found as MessageView;
  });
}

describe("inbox: replies, delivery and the conversation's state", () => {
  it("sends a reply through Meta and shows delivery moving forward only, whatever the order of reports", async () => {
    const owner = await signUp("inbox-reply");
    const channel = await createWhatsAppChannel(owner);
    const customer = `52${uniqueNumber("55")}`;
    const conversation = await conversationWith(owner, channel, customer);

    const reply = await send(owner.accessToken, conversation.id, {
      body: "Your order ships today",
    });
    expect(reply.status).toBe(201);
    expect(reply.body.data).toMatchObject({ direction: "outgoing", status: "pending" });

    const accepted = await eventually(async () => {
      const message = await messageNamed(owner, conversation.id, reply.body.data.id);
      expect(message.status).toBe("accepted");
      return message;
    });
    const [sent] = await sentToMeta(channel.phoneNumberId);
    expect(sent).toMatchObject({
      to: customer,
      wamid: accepted.externalId,
      body: {
        messaging_product: "whatsapp",
        type: "text",
        text: { body: "Your order ships today" },
      },
    });

    // Meta reports read before delivered; delivered never takes read back.
    const wamid = accepted.externalId ?? "";
    await deliverStatuses(channel, [{ id: wamid, status: "read", recipientId: customer }]);
    await eventually(async () =>
      expect((await messageNamed(owner, conversation.id, reply.body.data.id)).status).toBe("read"),
    );
    await deliverStatuses(channel, [
      { id: wamid, status: "delivered", recipientId: customer },
      { id: wamid, status: "sent", recipientId: customer },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await messageNamed(owner, conversation.id, reply.body.data.id)).status).toBe("read");

    const [after] = await listConversations(owner);
    expect(after).toMatchObject({ unreadCount: 0, messageCount: 2 });
    expect(after?.firstResponseAt).not.toBeNull();
  });

  it("keeps a report that arrives before its message is stored, and applies it once it is", async () => {
    const owner = await signUp("inbox-early");
    const channel = await createWhatsAppChannel(owner);
    const customer = `57${uniqueNumber("3")}`;
    const conversation = await conversationWith(owner, channel, customer);
    const wamid = `wamid.early-${Date.now()}`;
    await fakeMeta("wamids", { phoneNumberId: channel.phoneNumberId, wamids: [wamid] });
    await deliverStatuses(channel, [{ id: wamid, status: "delivered", recipientId: customer }]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    const reply = await send(owner.accessToken, conversation.id, { body: "Early bird" });
    await eventually(async () => {
      const message = await messageNamed(owner, conversation.id, reply.body.data.id);
      expect(message).toMatchObject({ externalId: wamid, status: "delivered" });
    });
  });

  it("shows Meta's reason on a message Meta refuses, and retries when Meta throttles", async () => {
    const owner = await signUp("inbox-errors");
    const channel = await createWhatsAppChannel(owner);
    const customer = `90${uniqueNumber("5")}`;
    const conversation = await conversationWith(owner, channel, customer);

    await fakeMeta("failures", { phoneNumberId: channel.phoneNumberId, code: 131026, count: 1 });
    const refused = await send(owner.accessToken, conversation.id, { body: "Will not arrive" });
    const failed = await eventually(async () => {
      const message = await messageNamed(owner, conversation.id, refused.body.data.id);
      expect(message.status).toBe("failed");
      return message;
    });
    expect(failed.error?.code).toBe(131026);
    expect(failed.error?.title).toMatch(/undeliverable/i);

    await fakeMeta("failures", { phoneNumberId: channel.phoneNumberId, code: 130429, count: 1 });
    const throttled = await send(owner.accessToken, conversation.id, { body: "Try again" });
    const delivered = await eventually(async () => {
      const message = await messageNamed(owner, conversation.id, throttled.body.data.id);
      expect(message.status).toBe("accepted");
      return message;
    }, 25_000);
    expect(delivered.error).toBeNull();
    const bodies = (await sentToMeta(channel.phoneNumberId)).map(
      (s) => (s.body.text as { body: string }).body,
    );
    expect(bodies).toEqual(["Try again"]);
  });

  it("allows only templates outside WhatsApp's 24-hour window", async () => {
    const owner = await signUp("inbox-window");
    const channel = await createWhatsAppChannel(owner);
    const customer = `27${uniqueNumber("8")}`;
    const twoDaysAgo = Math.floor(Date.now() / 1000) - 2 * 24 * 3600;
    const conversation = await conversationWith(
      owner,
      channel,
      customer,
      "Old message",
      twoDaysAgo,
    );
    expect(conversation.replyWindowEndsAt).toBeNull();

    const text = await send(owner.accessToken, conversation.id, { body: "Too late" });
    expect(text.status).toBe(422);
    expect(text.body.errors?.body?.[0]).toMatch(/24-hour window/);

    // What may be sent: the number's approved templates, as Meta lists them.
    const templates = await call<{ name: string; parameterCount: number; body: string }[]>(
      `/channels/${channel.id}/templates`,
      { token: owner.accessToken },
    );
    expect(templates.status).toBe(200);
    const names = templates.body.data.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(["hello_world", "order_update"]));
    expect(names).not.toContain("spring_sale");
    expect(templates.body.data.find((t) => t.name === "order_update")?.parameterCount).toBe(1);

    const template = await send(owner.accessToken, conversation.id, {
      template: { name: "order_update", language: "en", parameters: ["#1042"] },
    });
    expect(template.status).toBe(201);
    // The thread shows the template's text as the customer reads it.
    expect(template.body.data.body).toBe(
      "Good news! Your order #1042 is on its way and should arrive within 2-3 working days. Reply here if you have any questions.",
    );
    await eventually(async () =>
      expect((await messageNamed(owner, conversation.id, template.body.data.id)).status).toBe(
        "accepted",
      ),
    );
    const [sent] = await sentToMeta(channel.phoneNumberId);
    expect(sent?.body).toMatchObject({
      type: "template",
      template: {
        name: "order_update",
        language: { code: "en" },
        components: [{ type: "body", parameters: [{ type: "text", text: "#1042" }] }],
      },
    });
  });

  it("keeps private notes inside, with the members they mention", async () => {
    const owner = await signUp("inbox-notes");
    const agent = await addMember(owner, "agent", "maya");
    const channel = await createWhatsAppChannel(owner);
    const customer = `31${uniqueNumber("6")}`;
    const conversation = await conversationWith(owner, channel, customer);
    const me = await call<{ user: { name: string } }>("/auth/me", { token: agent.accessToken });
    const firstName = me.body.data.user.name.split(" ")[0];
    const note = await send(owner.accessToken, conversation.id, {
      note: true,
      body: `@${firstName} can you take this one?`,
    });
    expect(note.status).toBe(201);
    expect(note.body.data).toMatchObject({ private: true, mentions: [agent.userId] });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await sentToMeta(channel.phoneNumberId)).toEqual([]);
    const [after] = await listConversations(owner);
    expect(after?.messageCount).toBe(1);
  });

  it("assigns, labels, snoozes and resolves; the customer writing again opens a new conversation", async () => {
    const owner = await signUp("inbox-state");
    const agent = await addMember(owner, "agent");
    const channel = await createWhatsAppChannel(owner);
    const customer = `39${uniqueNumber("3")}`;
    const conversation = await conversationWith(owner, channel, customer);

    const patch = (body: unknown, token = owner.accessToken) =>
      call<ConversationView>(`/conversations/${conversation.id}`, { method: "PATCH", token, body });
    const assigned = await patch({
      assigneeId: agent.userId,
      labels: ["vip", "billing", "vip"],
      priority: "high",
      version: conversation.version,
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body.data).toMatchObject({
      assigneeId: agent.userId,
      labels: ["vip", "billing"],
      priority: "high",
    });
    expect((await patch({ priority: "low", version: conversation.version })).status).toBe(409);

    expect((await listConversations(agent, "?assignee=me")).map((c) => c.id)).toEqual([
      conversation.id,
    ]);
    expect(await listConversations(owner, "?assignee=none")).toEqual([]);
    expect((await listConversations(owner, "?label=vip")).length).toBe(1);

    expect((await patch({ status: "snoozed" })).status).toBe(422);
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const snoozed = await patch({ status: "snoozed", snoozedUntil: until });
    expect(snoozed.body.data).toMatchObject({ status: "snoozed", snoozedUntil: until });
    // The customer writing wakes it.
    await deliverMessages(channel, [{ from: customer, type: "text", text: { body: "Hello?" } }]);
    await eventually(async () => {
      const [woken] = await listConversations(owner);
      expect(woken).toMatchObject({ status: "open", snoozedUntil: null, messageCount: 2 });
    });

    const resolved = await patch({ status: "resolved" });
    expect(resolved.body.data.resolvedAt).not.toBeNull();
    expect(await listConversations(owner, "?status=open")).toEqual([]);
    await deliverMessages(channel, [{ from: customer, type: "text", text: { body: "One more" } }]);
    const fresh = await eventually(async () => {
      const open = await listConversations(owner, "?status=open");
      expect(open).toHaveLength(1);
      return open[0] as ConversationView;
    });
    expect(fresh.id).not.toBe(conversation.id);
    expect(fresh.contact?.id).toBe(conversation.contact?.id);
    // Reopening the old one while the new one is open would make two: merge instead.
    expect((await patch({ status: "open" })).status).toBe(409);

    const merged = await call<ConversationView>(`/conversations/${conversation.id}/merge`, {
      method: "POST",
      token: owner.accessToken,
      body: { intoId: fresh.id },
    });
    expect(merged.status).toBe(200);
    expect(merged.body.data).toMatchObject({
      id: fresh.id,
      messageCount: 3,
      labels: ["vip", "billing"],
    });
    const texts = (await listMessages(owner, fresh.id)).map((m) => m.body);
    expect(texts).toEqual(["Hello there", "Hello?", "One more"]);
    const old = await call<ConversationView>(`/conversations/${conversation.id}`, {
      token: owner.accessToken,
    });
    expect(old.body.data.mergedIntoId).toBe(fresh.id);
    expect((await listConversations(owner)).map((c) => c.id)).toEqual([fresh.id]);
  });

  it("finds conversations by words in their messages and by unread; viewers read but never write", async () => {
    const owner = await signUp("inbox-filters");
    const viewer = await addMember(owner, "viewer");
    const channel = await createWhatsAppChannel(owner);
    const first = await conversationWith(owner, channel, `33${uniqueNumber("7")}`, "refund please");
    const second = await conversationWith(owner, channel, `34${uniqueNumber("7")}`, "new order");
    expect((await listConversations(owner, "?q=refund")).map((c) => c.id)).toEqual([first.id]);
    const read = await call(`/conversations/${second.id}/read`, {
      method: "POST",
      token: owner.accessToken,
    });
    expect(read.status).toBe(200);
    expect((await listConversations(owner, "?unread=true")).map((c) => c.id)).toEqual([first.id]);
    expect((await listConversations(viewer)).length).toBe(2);
    // A viewer opening it leaves it unread for the people who answer.
    const watched = await call<ConversationView>(`/conversations/${first.id}/read`, {
      method: "POST",
      token: viewer.accessToken,
    });
    expect(watched.status).toBe(200);
    expect(watched.body.data.unreadCount).toBe(1);
    expect((await send(viewer.accessToken, first.id, { body: "hi" })).status).toBe(403);
    const bad = await call("/conversations?status=closed", { token: owner.accessToken });
    expect(bad.status).toBe(422);
    const empty = await send(owner.accessToken, first.id, { body: "" });
    expect([400, 422]).toContain(empty.status);
    const both = await send(owner.accessToken, first.id, { body: "x", template: { name: "a" } });
    expect([400, 422]).toContain(both.status);
  });

  it("reports each conversation's first response, resolution and messages each way, as JSON and CSV", async () => {
    const owner = await signUp("inbox-report");
    const stranger = await signUp("inbox-report-other");
    const channel = await createWhatsAppChannel(owner);
    const customer = `46${uniqueNumber("70")}`;
    const conversation = await conversationWith(owner, channel, customer, "Can I change my order?");
    await send(owner.accessToken, conversation.id, { body: "Of course, which item?" });
    await send(owner.accessToken, conversation.id, { note: true, body: "VIP customer" });
    const resolved = await call<ConversationView>(`/conversations/${conversation.id}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: { status: "resolved" },
    });
    expect(resolved.status).toBe(200);
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const range = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const report = await call<Record<string, unknown>[]>(`/reports/conversations?${range}`, {
      token: owner.accessToken,
    });
    expect(report.status).toBe(200);
    expect(report.body.data).toHaveLength(1);
    const [row] = report.body.data;
    expect(row).toMatchObject({
      id: conversation.id,
      contact: "Rosa Diaz",
      channel: "WhatsApp support",
      status: "resolved",
      messagesIn: 1,
      messagesOut: 1,
    });
    expect(row?.firstResponseSeconds).toEqual(expect.any(Number));
    expect(row?.resolutionSeconds).toEqual(expect.any(Number));

    const csv = await SELF.fetch(`${BASE}/reports/conversations?${range}&format=csv`, {
      headers: { authorization: `Bearer ${owner.accessToken}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    const lines = (await csv.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe(
      "Conversation,Contact,Channel,Status,Assignee,Started,First response,First response (s),Resolved,Resolution (s),Messages in,Messages out",
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`${conversation.id},Rosa Diaz,WhatsApp support,resolved`);

    const theirs = await call<unknown[]>(`/reports/conversations?${range}`, {
      token: stranger.accessToken,
    });
    expect(theirs.body.data).toEqual([]);
    const backwards = await call(
      `/reports/conversations?from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`,
      { token: owner.accessToken },
    );
    expect(backwards.status).toBe(422);
  });

  it("keeps a customer's photo from Meta in the organization's storage, for its team only", async () => {
    const owner = await signUp("inbox-media");
    const stranger = await signUp("inbox-media-other");
    const channel = await createWhatsAppChannel(owner);
    const customer = `48${uniqueNumber("50")}`;
    const media = await fetch(`${inject("fakeMetaUrl")}/_fake/media`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ phoneNumberId: channel.phoneNumberId, message: { type: "image" } }),
    });
    const image = (await media.json()) as { id: string; mime_type: string; sha256: string };
    await deliverMessages(channel, [
      { from: customer, type: "image", image: { ...image, caption: "Broken lid" } },
    ]);
    const conversation = await eventually(async () => {
      const [found] = await listConversations(owner);
      expect(found?.lastMessagePreview).toBe("Photo: Broken lid");
      return found as ConversationView;
    });
    const stored = await eventually(async () => {
      const [message] = await listMessages(owner, conversation.id);
      expect(message?.content).toMatchObject({ mediaId: image.id, stored: true });
      return message as MessageView;
    });
    const file = await SELF.fetch(`${BASE}/messages/${stored.id}/media`, {
      headers: { authorization: `Bearer ${owner.accessToken}` },
    });
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe(image.mime_type);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    const hex = [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
    expect(hex).toBe(image.sha256);
    const theirs = await SELF.fetch(`${BASE}/messages/${stored.id}/media`, {
      headers: { authorization: `Bearer ${stranger.accessToken}` },
    });
    expect(theirs.status).toBe(404);
  });

  it("wakes a snoozed conversation when its time comes (the per-minute cron), live in the inbox", async () => {
    const owner = await signUp("inbox-wake");
    const channel = await createWhatsAppChannel(owner);
    const conversation = await conversationWith(owner, channel, `47${uniqueNumber("9")}`);
    const until = new Date(Date.now() + 1_500).toISOString();
    const snoozed = await call<ConversationView>(`/conversations/${conversation.id}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: { status: "snoozed", snoozedUntil: until },
    });
    expect(snoozed.body.data.status).toBe("snoozed");
    const socket = await connectSocket({ authorization: `Bearer ${owner.accessToken}` });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await worker.scheduled(createScheduledController({ cron: "* * * * *" }), env);
    const event = await socket.waitFor(
      (e) => e.type === "conversation.updated" && e.conversation.status === "open",
      15_000,
    );
    expect(event.type === "conversation.updated" && event.conversation).toMatchObject({
      id: conversation.id,
      status: "open",
      snoozedUntil: null,
    });
    socket.socket.close();
  });
});
