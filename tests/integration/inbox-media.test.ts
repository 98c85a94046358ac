import { env, SELF } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import type { VisitorMessage, VisitorSession } from "../../shared/webchat";
import { BASE, call, type Envelope, signUp, uniqueIp } from "./helpers";
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
import { APP, page, textOf } from "./page-helpers";

/*
 * Files the team sends from the inbox (decision 040): the upload's types and sizes, nothing
 * stored when it is refused, the file kept under the organization and fetched by its team
 * only, and the WhatsApp send job uploading it to Meta (the Graph fake) before sending it by
 * media id, retried when Meta throttles, refused outside the 24-hour window; the website
 * visitor fetching only their own conversation's files; the inbox page's Attach.
 */

const ORIGIN = "https://shop.example";

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

async function visitor(
  chatId: string,
  path: string,
  init: { token?: string; body?: unknown } = {},
) {
  const headers = new Headers({ origin: ORIGIN, "cf-connecting-ip": uniqueIp() });
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  if (init.body !== undefined) headers.set("content-type", "application/json");
  const response = await SELF.fetch(`http://switchboard.test/webchat/${chatId}${path}`, {
    method: init.body === undefined ? "GET" : "POST",
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return (await response.json()) as Envelope<unknown>;
}

async function visitorStarts(chatId: string, text: string) {
  const session = (await visitor(chatId, "/session", { body: { name: text } }))
    .data as VisitorSession;
  const sent = (await visitor(chatId, "/messages", {
    token: session.visitorToken,
    body: { body: text },
  })) as Envelope<{ conversation: { id: string } }>;
  return { token: session.visitorToken, conversationId: sent.data.conversation.id };
}

async function visitorMessages(chatId: string, token: string) {
  const read = (await visitor(chatId, "/messages", { token })) as Envelope<{
    messages: VisitorMessage[];
  }>;
  return read.data.messages;
}

describe("website chat: the team's files", () => {
  it("reach the visitor through a URL signed for their conversation, which no other visitor can use or make", async () => {
    const owner = await signUp("media-webchat");
    const created = await call<{ id: string }>("/channels", {
      method: "POST",
      token: owner.accessToken,
      body: { type: "webchat", name: "Website", allowedOrigins: [ORIGIN] },
    });
    expect(created.status).toBe(201);
    const chatId = created.body.data.id;
    const ann = await visitorStarts(chatId, "Ann here");
    const bob = await visitorStarts(chatId, "Bob here");

    const photo = await upload(
      owner,
      ann.conversationId,
      { bytes: PNG, type: "image/png", name: "map.png" },
      "Our shop",
    );
    expect(photo.status).toBe(201);
    expect(photo.body.data.status).toBe("sent");
    const pdf = await upload(owner, ann.conversationId, {
      bytes: "%PDF-1.4 fake",
      type: "application/pdf",
      name: "terms.pdf",
    });
    expect(pdf.status).toBe(201);

    const annSees = await visitorMessages(chatId, ann.token);
    const image = annSees.find((m) => m.id === photo.body.data.id);
    expect(image).toMatchObject({
      body: "Our shop",
      media: { kind: "image", mimeType: "image/png", filename: "map.png", size: PNG.length },
    });
    const document = annSees.find((m) => m.id === pdf.body.data.id);
    expect(document?.media).toMatchObject({ kind: "document", filename: "terms.pdf" });
    const url = image?.media?.url ?? "";
    expect(url).toMatch(
      new RegExp(`^/webchat/${chatId}/media/${photo.body.data.id}\\?exp=\\d+&sig=[0-9a-f]{64}$`),
    );

    // An <img> sends no Origin and no token: the signed URL is enough.
    const fetched = await SELF.fetch(`http://switchboard.test${url}`);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await fetched.arrayBuffer())).toEqual(PNG);
    const documentUrl = document?.media?.url ?? "";
    const download = await SELF.fetch(`http://switchboard.test${documentUrl}`);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toMatch(
      /attachment; filename\*=UTF-8''terms\.pdf/,
    );

    // Bob sees none of Ann's files, and cannot bend her URLs to them.
    const bobSees = await visitorMessages(chatId, bob.token);
    expect(bobSees.map((m) => m.id)).not.toContain(photo.body.data.id);
    expect(bobSees.every((m) => !m.media)).toBe(true);
    const signature = new URL(url, APP).searchParams;
    const elsewhere = `/webchat/${chatId}/media/${pdf.body.data.id}?exp=${signature.get("exp")}&sig=${signature.get("sig")}`;
    expect((await SELF.fetch(`http://switchboard.test${elsewhere}`)).status).toBe(404);
    const forged = url.replace(/sig=[0-9a-f]{64}/, `sig=${"0".repeat(64)}`);
    expect((await SELF.fetch(`http://switchboard.test${forged}`)).status).toBe(404);
    const longer = url.replace(/exp=\d+/, `exp=${Number(signature.get("exp")) + 3600}`);
    expect((await SELF.fetch(`http://switchboard.test${longer}`)).status).toBe(404);
    const expired = url.replace(/exp=\d+/, `exp=${Math.floor(Date.now() / 1000) - 60}`);
    expect((await SELF.fetch(`http://switchboard.test${expired}`)).status).toBe(404);
    // Nor can another organization's team reach it through the API.
    const stranger = await signUp("media-webchat-other");
    const theirs = await SELF.fetch(`${BASE}/messages/${photo.body.data.id}/media`, {
      headers: { authorization: `Bearer ${stranger.accessToken}` },
    });
    expect(theirs.status).toBe(404);
  });
});

describe("inbox page: Attach", () => {
  it("sends a file with its caption from the composer, states the limits, and says what is wrong with a bad file", async () => {
    const owner = await signUp("media-page");
    const channel = await createWhatsAppChannel(owner);
    const conversation = await conversationWith(owner, channel, `36${uniqueNumber("2")}`);

    const html = await textOf(await page(`/app/inbox?c=${conversation.id}`, owner.accessToken));
    expect(html).toContain("Attach");
    expect(html).toContain("photos (JPEG, PNG) up to 5 MB");

    const post = (file: File, caption: string) => {
      const form = new FormData();
      form.set("intent", "attach");
      form.set("conversationId", conversation.id);
      form.set("body", caption);
      form.set("file", file);
      return page("/app/inbox?_data=routes%2Fapp.inbox", owner.accessToken, {
        method: "POST",
        headers: { host: new URL(APP).host, origin: APP },
        body: form,
      });
    };
    const sent = await post(new File([PNG], "label.png", { type: "image/png" }), "Return label");
    expect(sent.status).toBe(200);
    const answer = (await sent.json()) as { ok: boolean; message: MessageView };
    expect(answer.ok).toBe(true);
    expect(answer.message).toMatchObject({
      kind: "image",
      body: "Return label",
      content: { stored: true, filename: "label.png" },
    });
    const thread = await textOf(await page(`/app/inbox?c=${conversation.id}`, owner.accessToken));
    expect(thread).toContain(`/api/v1/messages/${answer.message.id}/media`);
    expect(thread).toContain("Return label");

    const bad = await post(new File(["x"], "virus.exe", { type: "application/x-msdownload" }), "");
    const failure = (await bad.json()) as { ok: boolean; fieldErrors: Record<string, string[]> };
    expect(failure.ok).toBe(false);
    expect(failure.fieldErrors.file?.[0]).toMatch(/cannot be sent/);
    expect(await storedKeys(owner.orgId)).toEqual([`${owner.orgId}/media/${answer.message.id}`]);
  });
});
