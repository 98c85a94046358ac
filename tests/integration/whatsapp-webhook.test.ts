import { describe, expect, it } from "vitest";
import { incomingMessagePayload, signWebhookBody } from "../../scripts/lib/whatsapp-payloads";
import { call, signUp } from "./helpers";
import {
  createWhatsAppChannel,
  deliverMessages,
  eventually,
  listConversations,
  listMessages,
  postWebhook,
  uniqueNumber,
} from "./inbox-helpers";

/*
 * Meta's deliveries to `POST /webhooks/whatsapp/:channelId`: the signature is checked before
 * anything is read, the body goes through the inbound queue, and the consumer stores each
 * message once, in the customer's conversation, with the contact found or created.
 */

describe("WhatsApp webhook deliveries", () => {
  it("stores a customer's message in a new conversation with a new contact, live in the inbox", async () => {
    const owner = await signUp("wa-first");
    const channel = await createWhatsAppChannel(owner);
    const customer = `44${uniqueNumber("7700")}`;
    await deliverMessages(channel, [
      { from: customer, name: "Maya Patel", type: "text", text: { body: "Where is my order?" } },
    ]);
    const [conversation] = await eventually(async () => {
      const list = await listConversations(owner);
      expect(list).toHaveLength(1);
      return list;
    });
    expect(conversation).toMatchObject({
      channel: { id: channel.id, type: "whatsapp" },
      contact: { name: "Maya Patel", phone: `+${customer}` },
      externalId: customer,
      status: "open",
      unreadCount: 1,
      messageCount: 1,
      lastMessagePreview: "Where is my order?",
    });
    expect(conversation?.replyWindowEndsAt).not.toBeNull();
    const messages = await listMessages(owner, conversation?.id ?? "");
    expect(messages).toMatchObject([
      { direction: "incoming", kind: "text", body: "Where is my order?", status: "received" },
    ]);
    // The contact exists in the CRM with the number, and the conversation is on its timeline.
    const contact = await call<{ phones: { e164: string }[] }>(
      `/contacts/${conversation?.contact?.id}`,
      { token: owner.accessToken },
    );
    expect(contact.body.data.phones[0]?.e164).toBe(`+${customer}`);
    const timeline = await call<{ activity?: { type: string; subject: string } }[]>(
      `/contacts/${conversation?.contact?.id}/timeline`,
      { token: owner.accessToken },
    );
    expect(timeline.body.data.map((item) => item.activity?.subject)).toContain(
      "WhatsApp conversation",
    );
  });

  it("joins the contact who already has the number, and adds later messages to the open conversation", async () => {
    const owner = await signUp("wa-match");
    const channel = await createWhatsAppChannel(owner);
    const customer = `1415555${String(Date.now()).slice(-4)}`;
    const existing = await call<{ id: string }>("/contacts", {
      method: "POST",
      token: owner.accessToken,
      body: { firstName: "Ada", lastName: "Known", phones: [{ raw: `+${customer}` }] },
    });
    expect(existing.status).toBe(201);
    await deliverMessages(channel, [
      { from: customer, name: "ada", type: "text", text: { body: "Hi" }, timestamp: 1_790_000_000 },
    ]);
    await deliverMessages(channel, [
      { from: customer, name: "ada", type: "text", text: { body: "Are you there?" } },
    ]);
    const conversation = await eventually(async () => {
      const [only, ...others] = await listConversations(owner);
      expect(others).toHaveLength(0);
      expect(only?.messageCount).toBe(2);
      return only;
    });
    expect(conversation?.contact).toMatchObject({ id: existing.body.data.id, name: "Ada Known" });
    expect(conversation?.unreadCount).toBe(2);
    const bodies = (await listMessages(owner, conversation?.id ?? "")).map((m) => m.body);
    expect(bodies).toEqual(["Hi", "Are you there?"]);
  });

  it("reads every message type of a batched delivery (several entries, changes and messages)", async () => {
    const owner = await signUp("wa-types");
    const channel = await createWhatsAppChannel(owner);
    const a = `49${uniqueNumber("151")}`;
    const b = `33${uniqueNumber("61")}`;
    const first = incomingMessagePayload({
      ...channel,
      messages: [
        { from: a, name: "Jonas", type: "text", text: { body: "Hallo" }, timestamp: 1_790_000_001 },
        {
          from: a,
          type: "image",
          image: { id: "media-1", mime_type: "image/jpeg", sha256: "abc", caption: "The box" },
          timestamp: 1_790_000_002,
        },
        {
          from: a,
          type: "location",
          location: { latitude: 52.52, longitude: 13.405, name: "Office", address: "Berlin" },
          timestamp: 1_790_000_003,
        },
        {
          from: a,
          type: "interactive",
          interactive: { type: "button_reply", button_reply: { id: "yes", title: "Yes please" } },
          timestamp: 1_790_000_004,
        },
        { from: a, type: "unsupported", timestamp: 1_790_000_005 },
      ],
    });
    const second = incomingMessagePayload({
      ...channel,
      messages: [
        {
          from: b,
          name: "Chloé",
          type: "audio",
          audio: { id: "media-2", mime_type: "audio/ogg", sha256: "s2" },
          timestamp: 1_790_000_006,
        },
        {
          from: b,
          type: "document",
          document: {
            id: "media-3",
            mime_type: "application/pdf",
            sha256: "s3",
            filename: "invoice.pdf",
          },
          timestamp: 1_790_000_007,
        },
        {
          from: b,
          type: "sticker",
          sticker: { id: "media-4", mime_type: "image/webp", sha256: "s4" },
        },
        {
          from: b,
          type: "contacts",
          contacts: [{ name: { formatted_name: "Sam Lee", first_name: "Sam" } }],
        },
        { from: b, type: "button", button: { text: "Confirm", payload: "confirm-1" } },
        { from: b, type: "video", video: { id: "media-5", mime_type: "video/mp4", sha256: "s5" } },
      ],
    });
    // Meta batches: two entries, the second with two changes.
    const [firstEntry] = first.entry;
    const [secondEntry] = second.entry;
    const payload = {
      object: "whatsapp_business_account",
      entry: [
        firstEntry,
        {
          ...secondEntry,
          changes: [...(secondEntry?.changes ?? []), ...(secondEntry?.changes ?? [])],
        },
      ],
    };
    const body = JSON.stringify(payload);
    const answer = await postWebhook(channel.id, body, signWebhookBody(body, channel.appSecret));
    expect(answer).toEqual({ status: 200, text: "EVENT_RECEIVED" });

    const conversations = await eventually(async () => {
      const list = await listConversations(owner);
      expect(list.map((c) => c.messageCount).sort()).toEqual([5, 6]);
      return list;
    });
    const byCustomer = new Map(conversations.map((c) => [c.externalId, c]));
    const fromA = await listMessages(owner, byCustomer.get(a)?.id ?? "");
    expect(fromA.map((m) => [m.kind, m.body])).toEqual([
      ["text", "Hallo"],
      ["image", "The box"],
      ["location", "Office, Berlin"],
      ["interactive", "Yes please"],
      ["unsupported", null],
    ]);
    expect(fromA[1]?.content).toMatchObject({ mediaId: "media-1", mimeType: "image/jpeg" });
    expect(fromA[2]?.content).toMatchObject({ latitude: 52.52, longitude: 13.405 });
    const fromB = await listMessages(owner, byCustomer.get(b)?.id ?? "");
    expect(fromB.map((m) => m.kind).sort()).toEqual(
      ["audio", "button", "contacts", "document", "sticker", "video"].sort(),
    );
    expect(fromB.find((m) => m.kind === "contacts")?.body).toBe("Shared Sam Lee");
    expect(fromB.find((m) => m.kind === "document")?.content).toMatchObject({
      filename: "invoice.pdf",
    });
    expect(byCustomer.get(b)?.contact?.name).toBe("Chloé");
  });

  it("stores a message Meta delivers twice only once, also within one batch", async () => {
    const owner = await signUp("wa-dupes");
    const channel = await createWhatsAppChannel(owner);
    const customer = `34${uniqueNumber("6")}`;
    const payload = incomingMessagePayload({
      ...channel,
      messages: [
        { from: customer, id: "wamid.dupe-1", type: "text", text: { body: "once" } },
        { from: customer, id: "wamid.dupe-1", type: "text", text: { body: "once" } },
        { from: customer, id: "wamid.dupe-2", type: "text", text: { body: "twice" } },
      ],
    });
    const body = JSON.stringify(payload);
    const signature = signWebhookBody(body, channel.appSecret);
    const answers = await Promise.all(
      [1, 2, 3].map(() => postWebhook(channel.id, body, signature)),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const [conversation] = await eventually(async () => {
      const list = await listConversations(owner);
      expect(list[0]?.messageCount).toBe(2);
      return list;
    });
    // Later deliveries of the same messages change nothing.
    await postWebhook(channel.id, body, signature);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const messages = await listMessages(owner, conversation?.id ?? "");
    expect(messages.map((m) => m.body)).toEqual(["once", "twice"]);
    const [after] = await listConversations(owner);
    expect(after).toMatchObject({ messageCount: 2, unreadCount: 2 });
  });

  it("refuses deliveries whose signature is missing, malformed, wrong or of an altered body, storing nothing", async () => {
    const owner = await signUp("wa-sig");
    const channel = await createWhatsAppChannel(owner);
    const other = await createWhatsAppChannel(owner);
    const customer = `61${uniqueNumber("4")}`;
    const body = JSON.stringify(
      incomingMessagePayload({
        ...channel,
        messages: [{ from: customer, type: "text", text: { body: "forged" } }],
      }),
    );
    const good = signWebhookBody(body, channel.appSecret);
    const cases: [string | null, string][] = [
      [null, "missing"],
      ["sha1=abcdef", "malformed"],
      [signWebhookBody(body, "not-the-secret"), "wrong secret"],
      [signWebhookBody(body, other.appSecret), "another channel's secret"],
      [good.replace(/.$/, (c) => (c === "0" ? "1" : "0")), "one hex digit off"],
    ];
    for (const [signature] of cases) {
      const answer = await postWebhook(channel.id, body, signature);
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.text)).toMatchObject({
        success: false,
        meta: { code: "invalid_signature" },
      });
    }
    const altered = body.replace("forged", "altered");
    expect((await postWebhook(channel.id, altered, good)).status).toBe(401);
    // Signed for this channel, posted to another channel's URL.
    expect((await postWebhook(other.id, body, good)).status).toBe(401);
    // Unknown channel.
    expect((await postWebhook(crypto.randomUUID(), body, good)).status).toBe(404);

    // The rejections are in the audit log (written after the answer; one entry per minute per
    // channel, with a count).
    await eventually(async () => {
      const audit = await call<{ action: string; targetId: string }[]>(
        "/audit-logs?action=channel.webhook_rejected",
        { token: owner.accessToken },
      );
      expect(audit.body.data.map((entry) => entry.targetId)).toContain(channel.id);
    });

    // A good signature still works, and only it was stored.
    expect((await postWebhook(channel.id, body, good)).status).toBe(200);
    const [conversation] = await eventually(async () => {
      const list = await listConversations(owner);
      expect(list).toHaveLength(1);
      return list;
    });
    const messages = await listMessages(owner, conversation?.id ?? "");
    expect(messages.map((m) => m.body)).toEqual(["forged"]);
  });

  it("never stores into another channel or organization: the payload's number must be the URL's channel's", async () => {
    const owner = await signUp("wa-iso");
    const stranger = await signUp("wa-iso-other");
    const mine = await createWhatsAppChannel(owner);
    const theirs = await createWhatsAppChannel(stranger);
    const customer = `81${uniqueNumber("90")}`;
    // Signed with my secret, sent to my URL, but naming their number.
    const body = JSON.stringify(
      incomingMessagePayload({
        ...theirs,
        messages: [{ from: customer, type: "text", text: { body: "misrouted" } }],
      }),
    );
    expect((await postWebhook(mine.id, body, signWebhookBody(body, mine.appSecret))).status).toBe(
      200,
    );
    await deliverMessages(mine, [{ from: customer, type: "text", text: { body: "mine" } }]);
    const [conversation] = await eventually(async () => {
      const list = await listConversations(owner);
      expect(list).toHaveLength(1);
      return list;
    });
    expect((await listMessages(owner, conversation?.id ?? "")).map((m) => m.body)).toEqual([
      "mine",
    ]);
    expect(await listConversations(stranger)).toEqual([]);
    // Another organization sees none of it by id either.
    const byId = await call(`/conversations/${conversation?.id}`, { token: stranger.accessToken });
    expect(byId.status).toBe(404);
    const messagesById = await call(`/conversations/${conversation?.id}/messages`, {
      token: stranger.accessToken,
    });
    expect(messagesById.status).toBe(404);
  });

  it("stops storing for a removed channel, and a replaced app secret takes over at once", async () => {
    const owner = await signUp("wa-rotate");
    const channel = await createWhatsAppChannel(owner);
    const customer = `65${uniqueNumber("8")}`;
    const body = JSON.stringify(
      incomingMessagePayload({
        ...channel,
        messages: [{ from: customer, type: "text", text: { body: "hello" } }],
      }),
    );
    expect(
      (await postWebhook(channel.id, body, signWebhookBody(body, channel.appSecret))).status,
    ).toBe(200);
    const replaced = await call(`/channels/${channel.id}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: { appSecret: "the-new-app-secret" },
    });
    expect(replaced.status).toBe(200);
    expect(
      (await postWebhook(channel.id, body, signWebhookBody(body, channel.appSecret))).status,
    ).toBe(401);
    expect(
      (await postWebhook(channel.id, body, signWebhookBody(body, "the-new-app-secret"))).status,
    ).toBe(200);
    const removed = await call(`/channels/${channel.id}`, {
      method: "DELETE",
      token: owner.accessToken,
    });
    expect(removed.status).toBe(200);
    expect(
      (await postWebhook(channel.id, body, signWebhookBody(body, "the-new-app-secret"))).status,
    ).toBe(404);
  });

  it("answers a clear 4xx to bodies that are not Meta's, and a 413 to oversized ones", async () => {
    const owner = await signUp("wa-bad");
    const channel = await createWhatsAppChannel(owner);
    const junk = "not json at all";
    // Signed junk is accepted (Meta signed it) and stored as nothing.
    expect(
      (await postWebhook(channel.id, junk, signWebhookBody(junk, channel.appSecret))).status,
    ).toBe(200);
    const huge = JSON.stringify({ object: "whatsapp_business_account", pad: "x".repeat(200_000) });
    expect(
      (await postWebhook(channel.id, huge, signWebhookBody(huge, channel.appSecret))).status,
    ).toBe(413);
    expect((await postWebhook("not-a-uuid", junk, "sha256=00")).status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await listConversations(owner)).toEqual([]);
  });
});
