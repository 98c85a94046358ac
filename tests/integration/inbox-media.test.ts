import { env, SELF } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import { BASE, type Envelope, signUp, uniqueIp } from "./helpers";
import {
  type ConversationView,
  createWhatsAppChannel,
  deliverMessages,
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
 * Files the team sends from the inbox (decision 040): the upload's types and sizes, nothing
 * stored when it is refused, the file kept under the organization and fetched by its team
 * only, and the WhatsApp send job uploading it to Meta (the Graph fake) before sending it by
 * media id, retried when Meta throttles, refused outside the 24-hour window.
 */

type Session = Awaited<ReturnType<typeof signUp>>;

/** A tiny real PNG (1x1). */
const PNG = Uint8Array.from(
  atob(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==",
  ),
  (char) => char.charCodeAt(0),
);

function upload(
  session: Session,
  conversationId: string,
  file: { bytes: Uint8Array<ArrayBuffer> | string; type: string; name: string } | null,
  caption?: string,
) {
  const form = new FormData();
  if (file) form.set("file", new File([file.bytes], file.name, { type: file.type }));
  if (caption !== undefined) form.set("body", caption);
  return SELF.fetch(`${BASE}/conversations/${conversationId}/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${session.accessToken}`, "cf-connecting-ip": uniqueIp() },
    body: form,
  }).then(async (response) => ({
    status: response.status,
    body: (await response.json()) as Envelope<MessageView>,
  }));
}

async function conversationWith(
  owner: Session,
  channel: WhatsAppChannel,
  customer: string,
  timestamp?: number,
): Promise<ConversationView> {
  await deliverMessages(channel, [
    { from: customer, name: "Ada Lovelace", type: "text", text: { body: "Hi" }, timestamp },
  ]);
  return eventually(async () => {
    const found = (await listConversations(owner)).find((c) => c.externalId === customer);
    expect(found).toBeDefined();
    return found as ConversationView;
  });
}

async function storedKeys(orgId: string) {
  const listed = await env.MEDIA.list({ prefix: `${orgId}/media/` });
  return listed.objects.map((object) => object.key);
}

interface FakeUpload {
  id: string;
  type: string;
  mime_type: string;
  filename: string;
  size: number;
}

async function uploadsToMeta(phoneNumberId: string): Promise<FakeUpload[]> {
  const response = await fetch(
    `${inject("fakeMetaUrl")}/_fake/uploads?phoneNumberId=${encodeURIComponent(phoneNumberId)}`,
  );
  return (await response.json()) as FakeUpload[];
}

describe("inbox: files the team sends", () => {
  it("refuses wrong types, empty and oversized files with a field error and stores nothing", async () => {
    const owner = await signUp("media-limits");
    const channel = await createWhatsAppChannel(owner);
    const conversation = await conversationWith(owner, channel, `44${uniqueNumber("7")}`);

    const exe = await upload(owner, conversation.id, {
      bytes: "MZ...",
      type: "application/x-msdownload",
      name: "setup.exe",
    });
    expect(exe.status).toBe(422);
    expect(exe.body.errors?.file?.[0]).toMatch(/cannot be sent/);

    const bigPhoto = await upload(owner, conversation.id, {
      bytes: new Uint8Array(5 * 1024 * 1024 + 1),
      type: "image/png",
      name: "huge.png",
    });
    expect(bigPhoto.status).toBe(422);
    expect(bigPhoto.body.errors?.file?.[0]).toMatch(/photos may be up to 5 MB/);

    const tooBig = await upload(owner, conversation.id, {
      bytes: new Uint8Array(16 * 1024 * 1024 + 1),
      type: "application/pdf",
      name: "manual.pdf",
    });
    expect(tooBig.status).toBe(422);
    expect(tooBig.body.errors?.file?.[0]).toMatch(/up to 16 MB/);

    const empty = await upload(owner, conversation.id, {
      bytes: new Uint8Array(0),
      type: "application/pdf",
      name: "empty.pdf",
    });
    expect(empty.status).toBe(422);

    const none = await upload(owner, conversation.id, null, "Just a caption");
    expect(none.status).toBe(422);
    expect(none.body.errors?.file?.[0]).toBe("Attach a file.");

    const voiceWithCaption = await upload(
      owner,
      conversation.id,
      { bytes: "OggS-fake", type: "audio/ogg", name: "note.ogg" },
      "Listen",
    );
    expect(voiceWithCaption.status).toBe(422);
    expect(voiceWithCaption.body.errors?.body?.[0]).toMatch(/no caption/);

    const beyond = await SELF.fetch(`${BASE}/conversations/${conversation.id}/messages`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${owner.accessToken}`,
        "content-type": "multipart/form-data; boundary=x",
        "content-length": String(40 * 1024 * 1024),
      },
      body: "--x--",
    });
    expect(beyond.status).toBe(413);

    expect(await storedKeys(owner.orgId)).toEqual([]);
    expect(await listMessages(owner, conversation.id)).toHaveLength(1);
  });

  it("keeps the file under the organization, for its team only, and sends it to WhatsApp: upload, then the message by media id; retried when Meta throttles", async () => {
    const owner = await signUp("media-send");
    const stranger = await signUp("media-send-other");
    const channel = await createWhatsAppChannel(owner);
    const customer = `33${uniqueNumber("6")}`;
    const conversation = await conversationWith(owner, channel, customer);

    await fakeMeta("failures", { phoneNumberId: channel.phoneNumberId, code: 130429, count: 1 });
    const photo = await upload(
      owner,
      conversation.id,
      { bytes: PNG, type: "image/png", name: "receipt.png" },
      "Your receipt",
    );
    expect(photo.status).toBe(201);
    const message = photo.body.data;
    expect(message).toMatchObject({
      kind: "image",
      direction: "outgoing",
      body: "Your receipt",
      status: "pending",
      content: { stored: true, mimeType: "image/png", size: PNG.length, filename: "receipt.png" },
    });
    expect(await storedKeys(owner.orgId)).toEqual([`${owner.orgId}/media/${message.id}`]);

    const file = await SELF.fetch(`${BASE}/messages/${message.id}/media`, {
      headers: { authorization: `Bearer ${owner.accessToken}` },
    });
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(PNG);
    const theirs = await SELF.fetch(`${BASE}/messages/${message.id}/media`, {
      headers: { authorization: `Bearer ${stranger.accessToken}` },
    });
    expect(theirs.status).toBe(404);

    const accepted = await eventually(async () => {
      const found = (await listMessages(owner, conversation.id)).find((m) => m.id === message.id);
      expect(found?.status).toMatch(/accepted|sent|delivered|read/);
      return found as MessageView;
    }, 25_000);
    expect(accepted.error).toBeNull();

    const uploads = await uploadsToMeta(channel.phoneNumberId);
    // Throttled once: uploaded again on the retry, sent once.
    expect(uploads).toHaveLength(2);
    for (const sentFile of uploads) {
      expect(sentFile).toMatchObject({
        type: "image/png",
        mime_type: "image/png",
        filename: "receipt.png",
        size: PNG.length,
      });
    }
    const sent = await sentToMeta(channel.phoneNumberId);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: customer,
      type: "image",
      image: { id: uploads[1]?.id, caption: "Your receipt" },
    });
    expect(sent[0]?.wamid).toBe(accepted.externalId);

    const pdf = await upload(owner, conversation.id, {
      bytes: "%PDF-1.4 fake",
      type: "application/pdf",
      name: "invoice 42.pdf",
    });
    expect(pdf.status).toBe(201);
    await eventually(async () => {
      const all = await sentToMeta(channel.phoneNumberId);
      expect(all).toHaveLength(2);
      expect(all[1]?.body).toMatchObject({
        type: "document",
        document: { filename: "invoice 42.pdf" },
      });
    }, 25_000);
    const [view] = (await listConversations(owner)).filter((c) => c.id === conversation.id);
    expect(view?.lastMessagePreview).toBe("Document");
  });

  it("shows Meta's reason when it refuses the file, and refuses files outside the 24-hour window", async () => {
    const owner = await signUp("media-window");
    const channel = await createWhatsAppChannel(owner);
    const fresh = await conversationWith(owner, channel, `49${uniqueNumber("3")}`);
    await fakeMeta("failures", { phoneNumberId: channel.phoneNumberId, code: 131026, count: 1 });
    const refused = await upload(owner, fresh.id, {
      bytes: PNG,
      type: "image/png",
      name: "a.png",
    });
    expect(refused.status).toBe(201);
    const failed = await eventually(async () => {
      const found = (await listMessages(owner, fresh.id)).find(
        (m) => m.id === refused.body.data.id,
      );
      expect(found?.status).toBe("failed");
      return found as MessageView;
    }, 25_000);
    expect(failed.error?.code).toBe(131026);

    const twoDaysAgo = Math.floor(Date.now() / 1000) - 2 * 24 * 3600;
    const old = await conversationWith(owner, channel, `49${uniqueNumber("4")}`, twoDaysAgo);
    const before = await storedKeys(owner.orgId);
    const late = await upload(owner, old.id, { bytes: PNG, type: "image/png", name: "late.png" });
    expect(late.status).toBe(422);
    expect(late.body.errors?.file?.[0]).toMatch(/24-hour window/);
    expect(await storedKeys(owner.orgId)).toEqual(before);
  });
});
