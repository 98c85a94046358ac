import { createHash, createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeMeta, type FakeNumber, startFakeMeta } from "../../scripts/lib/fake-meta";
import {
  startWhatsAppSimulator,
  WHATSAPP_DEMO_CUSTOMERS,
} from "../../scripts/lib/whatsapp-simulator";

/*
 * The local fake of Meta's WhatsApp Cloud API (scripts/lib/fake-meta.ts) as an app using it
 * sees it: a send answers a wamid and its statuses arrive signed, in order, in Meta's shape;
 * bad tokens and bodies get Meta's errors; injected failures answer Meta's error once; the
 * templates list, media URLs and downloads, and customers' messages delivered to the webhook,
 * by hand or by the simulator's cast.
 */

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  body: Webhook;
}

interface WebhookStatus {
  id: string;
  status: string;
  timestamp: string;
  recipient_id: string;
  conversation?: { id: string; expiration_timestamp?: string; origin: { type: string } };
  pricing?: { billable: boolean; pricing_model: string; type: string; category: string };
  errors?: { code: number; title: string; message: string; error_data: { details: string } }[];
}

interface WebhookMessage {
  from: string;
  id: string;
  timestamp: string;
  type: string;
  context?: { from: string; id: string };
  [content: string]: unknown;
}

interface Webhook {
  object: string;
  entry: {
    id: string;
    changes: {
      field: string;
      value: {
        messaging_product: string;
        metadata: { display_phone_number: string; phone_number_id: string };
        contacts?: { profile: { name: string }; wa_id: string }[];
        messages?: WebhookMessage[];
        statuses?: WebhookStatus[];
      };
    }[];
  }[];
}

interface GraphError {
  error: {
    message: string;
    type: string;
    code: number;
    error_data?: { messaging_product: string; details: string };
    fbtrace_id: string;
  };
}

const APP_SECRET = "a4c1e5f0b7d24c9e8f3a6b1d0c2e7f95";
let fake: FakeMeta;
let receiver: Server;
let number: FakeNumber;
const received: Received[] = [];

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      received.push({ headers: request.headers, raw, body: JSON.parse(raw) as Webhook });
      response.writeHead(200).end("EVENT_RECEIVED");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const { port } = receiver.address() as AddressInfo;
  fake = await startFakeMeta({ statusDelaysMs: { sent: 30, delivered: 80, read: 130 } });
  number = {
    phoneNumberId: "106540352242922",
    wabaId: "102290129340398",
    displayPhoneNumber: "15550783881",
    accessToken: "EAAGtestTokenForTheFake",
    appSecret: APP_SECRET,
    webhookUrl: `http://127.0.0.1:${port}/webhooks/whatsapp/channel-1`,
  };
  fake.registerNumber(number);
});

afterAll(async () => {
  await fake?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

beforeEach(() => {
  received.length = 0;
});

async function graph<T>(
  path: string,
  init: { method?: string; token?: string | null; body?: unknown; raw?: string } = {},
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  const token = init.token === undefined ? number.accessToken : init.token;
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${fake.graphUrl}${path}`, {
    method: init.method ?? (init.body !== undefined || init.raw !== undefined ? "POST" : "GET"),
    headers,
    ...(init.raw !== undefined || init.body !== undefined
      ? { body: init.raw ?? JSON.stringify(init.body) }
      : {}),
  });
  return { status: response.status, body: (await response.json()) as T };
}

const sendText = (body: string, token?: string | null) =>
  graph<{ messages: { id: string }[] } & GraphError>(`/${number.phoneNumberId}/messages`, {
    token,
    body: { messaging_product: "whatsapp", to: "+447700900123", type: "text", text: { body } },
  });

async function waitFor<T>(find: () => T | undefined, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

const statusesOf = (wamid: string) =>
  received.flatMap((webhook) =>
    (webhook.body.entry[0]?.changes[0]?.value.statuses ?? [])
      .filter((status) => status.id === wamid)
      .map((status) => ({ status, webhook })),
  );

const messagesIn = () =>
  received.flatMap((webhook) =>
    (webhook.body.entry[0]?.changes[0]?.value.messages ?? []).map((message) => ({
      message,
      webhook,
    })),
  );

function expectSignedByMeta(webhook: Received) {
  const expected = `sha256=${createHmac("sha256", APP_SECRET).update(webhook.raw).digest("hex")}`;
  expect(webhook.headers["x-hub-signature-256"]).toBe(expected);
  expect(webhook.headers["content-type"]).toBe("application/json");
  expect(webhook.body).toMatchObject({
    object: "whatsapp_business_account",
    entry: [
      {
        id: number.wabaId,
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: {
                display_phone_number: number.displayPhoneNumber,
                phone_number_id: number.phoneNumberId,
              },
            },
          },
        ],
      },
    ],
  });
}

describe("sending a message", () => {
  it("answers a wamid, then posts signed sent, delivered and read statuses in order", async () => {
    const { status, body } = await sendText("Your order #48213 has shipped.");
    expect(status).toBe(200);
    expect(body).toEqual({
      messaging_product: "whatsapp",
      contacts: [{ input: "+447700900123", wa_id: "447700900123" }],
      messages: [{ id: expect.stringMatching(/^wamid\.[A-Za-z0-9+/=]+$/) }],
    });
    const wamid = body.messages[0]?.id ?? "";
    const statuses = await waitFor(() => {
      const seen = statusesOf(wamid);
      return seen.length >= 3 ? seen : undefined;
    }, "three statuses");
    expect(statuses.map(({ status }) => status.status)).toEqual(["sent", "delivered", "read"]);
    for (const { webhook, status } of statuses) {
      expectSignedByMeta(webhook);
      expect(status.recipient_id).toBe("447700900123");
      expect(status.timestamp).toMatch(/^\d{10}$/);
    }
    const [sent, delivered, read] = statuses.map(({ status }) => status);
    expect(sent?.conversation).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      expiration_timestamp: expect.stringMatching(/^\d{10}$/),
      origin: { type: "service" },
    });
    expect(sent?.pricing).toEqual({
      billable: false,
      pricing_model: "PMP",
      type: "free_customer_service",
      category: "service",
    });
    expect(delivered?.conversation?.id).toBe(sent?.conversation?.id);
    expect(read?.pricing).toBeUndefined();
    expect(fake.sent(number.phoneNumberId).at(-1)).toMatchObject({
      phoneNumberId: number.phoneNumberId,
      wamid,
      to: "+447700900123",
      body: { text: { body: "Your order #48213 has shipped." } },
    });
  });

  it("refuses a wrong or missing token with Meta's OAuth error 190", async () => {
    const before = fake.sent().length;
    for (const token of ["EAAGsomeoneElsesToken", null]) {
      const { status, body } = await sendText("Hello", token);
      expect(status).toBe(401);
      expect(body.error).toMatchObject({ type: "OAuthException", code: 190 });
      expect(body.error.fbtrace_id).toEqual(expect.any(String));
    }
    expect(fake.sent().length).toBe(before);
  });

  it("refuses bad bodies with Meta's invalid-parameter error 100", async () => {
    const bad: unknown[] = [
      { to: "447700900123", type: "text", text: { body: "no product" } },
      { messaging_product: "whatsapp", type: "text", text: { body: "no recipient" } },
      { messaging_product: "whatsapp", to: "447700900123", type: "text", text: { body: "" } },
      {
        messaging_product: "whatsapp",
        to: "447700900123",
        type: "text",
        text: { body: "x".repeat(4097) },
      },
      { messaging_product: "whatsapp", to: "447700900123", type: "carrier_pigeon" },
      { messaging_product: "whatsapp", to: "447700900123", type: "image", image: {} },
    ];
    for (const body of bad) {
      const response = await graph<GraphError>(`/${number.phoneNumberId}/messages`, { body });
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(response.body.error).toMatchObject({
        message: "(#100) Invalid parameter",
        type: "OAuthException",
        code: 100,
        error_data: { messaging_product: "whatsapp", details: expect.any(String) },
      });
    }
    const malformed = await graph<GraphError>(`/${number.phoneNumberId}/messages`, {
      raw: '{"messaging_product": "whatsapp",',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe(100);
    const unknown = await graph<GraphError>("/999999999999999/messages", {
      body: { messaging_product: "whatsapp", to: "447700900123", text: { body: "hi" } },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe(100);
    expect(unknown.body.error.message).toContain("Object with ID '999999999999999' does not exist");
  });

  it("answers an injected throttling error once, then accepts the retry", async () => {
    fake.failNext(number.phoneNumberId, 130429);
    const throttled = await sendText("First try");
    expect(throttled.status).toBe(400);
    expect(throttled.body.error).toEqual({
      message: "(#130429) Rate limit hit",
      type: "OAuthException",
      code: 130429,
      error_data: { messaging_product: "whatsapp", details: expect.any(String) },
      fbtrace_id: expect.any(String),
    });
    const retry = await sendText("Second try");
    expect(retry.status).toBe(200);
    expect(retry.body.messages[0]?.id).toMatch(/^wamid\./);
  });

  it("injects failures over HTTP: server errors, and failed statuses after accepting", async () => {
    const inject = await fetch(`${fake.url}/_fake/failures`, {
      method: "POST",
      body: JSON.stringify({ phoneNumberId: number.phoneNumberId, code: 503, count: 2 }),
    });
    expect(inject.status).toBe(200);
    expect((await sendText("a")).status).toBe(503);
    expect((await sendText("b")).status).toBe(503);
    expect((await sendText("c")).status).toBe(200);

    fake.failNext(number.phoneNumberId, 131047, 1, "webhook");
    const accepted = await sendText("Are you still there?");
    expect(accepted.status).toBe(200);
    const wamid = accepted.body.messages[0]?.id ?? "";
    const [failed] = await waitFor(() => {
      const seen = statusesOf(wamid);
      return seen.length > 0 ? seen : undefined;
    }, "a failed status");
    expectSignedByMeta(failed?.webhook as Received);
    expect(failed?.status).toMatchObject({
      status: "failed",
      recipient_id: "447700900123",
      errors: [
        {
          code: 131047,
          title: "Re-engagement message",
          message: "Re-engagement message",
          error_data: { details: expect.any(String) },
        },
      ],
    });
  });

  it("registers numbers over HTTP, each sending only with its own token", async () => {
    const second = {
      ...number,
      phoneNumberId: "113244889900112",
      displayPhoneNumber: "15550199002",
      accessToken: "EAAGsecondNumberToken",
    };
    const registered = await fetch(`${fake.url}/_fake/numbers`, {
      method: "POST",
      body: JSON.stringify(second),
    });
    expect(registered.status).toBe(201);
    const path = `/${second.phoneNumberId}/messages`;
    const body = { messaging_product: "whatsapp", to: "33612345678", text: { body: "Bonjour" } };
    const ok = await graph<{ messages: { id: string }[] }>(path, {
      token: second.accessToken,
      body,
    });
    expect(ok.status).toBe(200);
    expect(fake.sent(second.phoneNumberId).map((record) => record.wamid)).toEqual([
      ok.body.messages[0]?.id,
    ]);
    const otherToken = await graph<GraphError>(path, { body });
    expect(otherToken.status).toBe(400);
    expect(otherToken.body.error).toMatchObject({ code: 100, type: "GraphMethodException" });
  });

  it("lists what was sent on /_fake/sent", async () => {
    await sendText("Listed");
    const response = await fetch(`${fake.url}/_fake/sent?phoneNumberId=${number.phoneNumberId}`);
    const records = (await response.json()) as { wamid: string; to: string; body: unknown }[];
    expect(records.at(-1)).toMatchObject({
      wamid: expect.stringMatching(/^wamid\./),
      to: "+447700900123",
      body: { text: { body: "Listed" } },
    });
  });
});

describe("templates", () => {
  it("lists the business account's templates in Meta's format", async () => {
    const { status, body } = await graph<{
      data: {
        name: string;
        language: string;
        status: string;
        category: string;
        id: string;
        components: { type: string; text?: string }[];
      }[];
      paging: { cursors: { before: string; after: string } };
    }>(`/${number.wabaId}/message_templates`);
    expect(status).toBe(200);
    const names = body.data.map((template) => `${template.name}:${template.language}`);
    expect(names).toEqual(
      expect.arrayContaining([
        "hello_world:en_US",
        "order_update:en",
        "appointment_reminder:en",
        "appointment_reminder:es",
      ]),
    );
    expect(body.data.filter((template) => template.status === "APPROVED").length).toBeGreaterThan(
      3,
    );
    expect(body.data.some((template) => template.status !== "APPROVED")).toBe(true);
    const orderUpdate = body.data.find((template) => template.name === "order_update");
    expect(orderUpdate).toMatchObject({ status: "APPROVED", category: "UTILITY", id: /^\d+$/ });
    expect(orderUpdate?.components.find((component) => component.type === "BODY")?.text).toContain(
      "{{1}}",
    );
    expect(body.paging.cursors).toEqual({ before: expect.any(String), after: expect.any(String) });
    const stranger = await graph<GraphError>(`/${number.wabaId}/message_templates`, {
      token: "EAAGnotOurs",
    });
    expect(stranger.status).toBe(401);
  });

  it("sends an approved template with its parameters, and refuses unknown ones", async () => {
    const template = (name: string, code: string, parameters: string[]) => ({
      messaging_product: "whatsapp",
      to: "14155550142",
      type: "template",
      template: {
        name,
        language: { code },
        components: [
          { type: "body", parameters: parameters.map((text) => ({ type: "text", text })) },
        ],
      },
    });
    const path = `/${number.phoneNumberId}/messages`;
    const ok = await graph<{ messages: { id: string; message_status: string }[] }>(path, {
      body: template("appointment_reminder", "en", ["Priya", "Thursday at 15:00"]),
    });
    expect(ok.status).toBe(200);
    expect(ok.body.messages[0]).toEqual({
      id: expect.stringMatching(/^wamid\./),
      message_status: "accepted",
    });
    const [sent] = await waitFor(() => {
      const seen = statusesOf(ok.body.messages[0]?.id ?? "");
      return seen.length > 0 ? seen : undefined;
    }, "the template's sent status");
    expect(sent?.status.pricing).toMatchObject({ billable: true, category: "utility" });

    const missing = await graph<GraphError>(path, { body: template("no_such_template", "en", []) });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe(132001);
    const rejected = await graph<GraphError>(path, {
      body: template("spring_sale", "en", ["Sam"]),
    });
    expect(rejected.body.error.code).toBe(132001);
    const wrongCount = await graph<GraphError>(path, {
      body: template("order_update", "en", []),
    });
    expect(wrongCount.status).toBe(400);
    expect(wrongCount.body.error.code).toBe(132000);
  });
});

describe("customers' messages", () => {
  it("posts a signed text message in Meta's messages webhook shape", async () => {
    const { wamid, status } = await fake.deliverIncoming({
      phoneNumberId: number.phoneNumberId,
      from: "+5215512345678",
      name: "Carlos Mendoza",
      message: { type: "text", text: { body: "Hola, ¿cuánto cuesta el plan Pro?" } },
    });
    expect(status).toBe(200);
    expect(wamid).toMatch(/^wamid\./);
    const [{ message, webhook }] = await waitFor(() => {
      const seen = messagesIn();
      return seen.length > 0 ? (seen as [(typeof seen)[number]]) : undefined;
    }, "the text message");
    expectSignedByMeta(webhook);
    expect(webhook.body.entry[0]?.changes[0]?.value.contacts).toEqual([
      { profile: { name: "Carlos Mendoza" }, wa_id: "5215512345678" },
    ]);
    expect(message).toEqual({
      from: "5215512345678",
      id: wamid,
      timestamp: expect.stringMatching(/^\d{10}$/),
      type: "text",
      text: { body: "Hola, ¿cuánto cuesta el plan Pro?" },
    });
  });

  it("posts an image whose media URL and bytes the number's token can fetch", async () => {
    const { status } = await fake.deliverIncoming({
      phoneNumberId: number.phoneNumberId,
      from: "4915112345678",
      name: "Lukas Schneider",
      message: { type: "image", image: { caption: "The box arrived like this" } },
    });
    expect(status).toBe(200);
    const [{ message, webhook }] = await waitFor(() => {
      const seen = messagesIn();
      return seen.length > 0 ? (seen as [(typeof seen)[number]]) : undefined;
    }, "the image message");
    expectSignedByMeta(webhook);
    expect(message.type).toBe("image");
    const image = message.image as {
      id: string;
      mime_type: string;
      sha256: string;
      caption: string;
    };
    expect(image).toEqual({
      id: expect.stringMatching(/^\d+$/),
      mime_type: "image/png",
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      caption: "The box arrived like this",
    });

    const info = await graph<{
      messaging_product: string;
      url: string;
      mime_type: string;
      sha256: string;
      file_size: number;
      id: string;
    }>(`/${image.id}`);
    expect(info.status).toBe(200);
    expect(info.body).toEqual({
      messaging_product: "whatsapp",
      url: `${fake.url}/_fake/media/${image.id}`,
      mime_type: "image/png",
      sha256: image.sha256,
      file_size: expect.any(Number),
      id: image.id,
    });
    const download = await fetch(info.body.url, {
      headers: { authorization: `Bearer ${number.accessToken}` },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("image/png");
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(bytes.length).toBe(info.body.file_size);
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]));
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(image.sha256);

    expect((await fetch(info.body.url)).status).toBe(401);
    const wrongToken = await fetch(info.body.url, {
      headers: { authorization: "Bearer EAAGnotOurs" },
    });
    expect(wrongToken.status).toBe(401);
    expect((await graph(`/${image.id}`, { token: null })).status).toBe(401);
  });

  it("delivers over HTTP a button reply in the context of the business's message", async () => {
    const response = await fetch(`${fake.url}/_fake/incoming`, {
      method: "POST",
      body: JSON.stringify({
        phoneNumberId: number.phoneNumberId,
        from: "2348031234567",
        name: "Aisha Bello",
        message: {
          type: "interactive",
          interactive: { type: "button_reply", button_reply: { id: "confirm", title: "Confirm" } },
          context: { id: "wamid.HBgNMjM0ODAzMTIzNDU2NxUCABEYEkI5Njc0NzQ0MUNFQjc1MDRDRQA=" },
        },
      }),
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as { wamid: string; status: number };
    expect(result).toEqual({ wamid: expect.stringMatching(/^wamid\./), status: 200 });
    const [{ message }] = await waitFor(() => {
      const seen = messagesIn();
      return seen.length > 0 ? (seen as [(typeof seen)[number]]) : undefined;
    }, "the button reply");
    expect(message).toMatchObject({
      context: {
        from: number.displayPhoneNumber,
        id: "wamid.HBgNMjM0ODAzMTIzNDU2NxUCABEYEkI5Njc0NzQ0MUNFQjc1MDRDRQA=",
      },
      from: "2348031234567",
      id: result.wamid,
      type: "interactive",
      interactive: { type: "button_reply", button_reply: { id: "confirm", title: "Confirm" } },
    });

    const unknownType = await fetch(`${fake.url}/_fake/incoming`, {
      method: "POST",
      body: JSON.stringify({
        phoneNumberId: number.phoneNumberId,
        from: "2348031234567",
        message: { type: "hologram" },
      }),
    });
    expect(unknownType.status).toBe(400);
    expect(((await unknownType.json()) as GraphError).error.code).toBe(100);
  });
});

describe("the WhatsApp simulator", () => {
  it("has its cast write in, replying and reacting to what the business sent them", async () => {
    const toCustomer = new Map<string, string>();
    for (const customer of WHATSAPP_DEMO_CUSTOMERS) {
      const { body } = await graph<{ messages: { id: string }[] }>(
        `/${number.phoneNumberId}/messages`,
        {
          body: {
            messaging_product: "whatsapp",
            to: customer.phone,
            type: "interactive",
            interactive: {
              type: "button",
              body: { text: `Hi ${customer.name.split(" ")[0]}, how can we help?` },
              action: {
                buttons: [
                  { type: "reply", reply: { id: "order", title: "An order" } },
                  { type: "reply", reply: { id: "other", title: "Something else" } },
                ],
              },
            },
          },
        },
      );
      toCustomer.set(customer.phone.replace(/\D/g, ""), body.messages[0]?.id ?? "");
    }
    let seed = 20260517;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const simulator = startWhatsAppSimulator({
      fakeMeta: fake,
      phoneNumberId: number.phoneNumberId,
      intervalMs: 5,
      random,
    });
    const messages = await waitFor(() => {
      const seen = messagesIn();
      return seen.length >= 24 ? seen : undefined;
    }, "24 customer messages");
    simulator.stop();

    const cast = new Map(WHATSAPP_DEMO_CUSTOMERS.map((c) => [c.phone.replace(/\D/g, ""), c.name]));
    const pointed: string[] = [];
    for (const { message, webhook } of messages) {
      expectSignedByMeta(webhook);
      const contact = webhook.body.entry[0]?.changes[0]?.value.contacts?.[0];
      expect(cast.get(contact?.wa_id ?? "")).toBe(contact?.profile.name);
      expect(message.from).toBe(contact?.wa_id);
      const businessMessage = toCustomer.get(message.from);
      if (message.type === "reaction") {
        expect((message.reaction as { message_id: string }).message_id).toBe(businessMessage);
        pointed.push(message.type);
      }
      if (message.type === "interactive") {
        expect(message.context?.id).toBe(businessMessage);
        pointed.push(message.type);
      }
      // No template was sent: a template's quick reply is typed out instead.
      expect(message.type).not.toBe("button");
    }
    const types = new Set(messages.map(({ message }) => message.type));
    expect(types.has("text")).toBe(true);
    expect(types.size).toBeGreaterThan(2);
    expect(pointed).toContain("interactive");
    expect(pointed).toContain("reaction");
  });
});
