import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  addMember,
  call,
  type Envelope,
  expectErrorEnvelope,
  type Session,
  signUp,
} from "./helpers";

interface Channel {
  id: string;
  type: "whatsapp" | "webchat";
  name: string;
  webhookUrl: string | null;
  phoneNumberId: string | null;
  wabaId: string | null;
  allowedOrigins: string[] | null;
  greeting: string | null;
  preChatForm: boolean | null;
  embedSnippet: string | null;
  secrets: Record<"accessToken" | "appSecret" | "verifyToken" | "identitySecret", boolean>;
}

let numbers = 0;
/** A phone number id of its own for each channel (they are unique across organizations). */
function phoneNumberId(): string {
  numbers += 1;
  return `10${Date.now()}${numbers}`.slice(0, 20);
}

const SECRETS = {
  accessToken: "EAAG-access-token-value-1234",
  appSecret: "app-secret-value-5678",
  verifyToken: "verify-token-value-9012",
};

function createWhatsApp(owner: Session, overrides: Record<string, unknown> = {}) {
  return call<Channel>("/channels", {
    method: "POST",
    token: owner.accessToken,
    body: {
      type: "whatsapp",
      name: "Support line",
      phoneNumberId: phoneNumberId(),
      wabaId: "102290129340398",
      ...SECRETS,
      ...overrides,
    },
  });
}

/** Meta's verification request, as its dashboard sends it. */
async function verify(url: string, params: Record<string, string>) {
  const response = await SELF.fetch(`${url}?${new URLSearchParams(params)}`);
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    text: await response.text(),
  };
}

function webhookPath(channel: Channel) {
  return `http://switchboard.test/webhooks/whatsapp/${channel.id}`;
}

describe("channels", () => {
  it("connects a WhatsApp number: the webhook URL for Meta, secrets written but never shown", async () => {
    const owner = await signUp("channels-wa");
    const created = await createWhatsApp(owner);
    expect(created.status).toBe(201);
    const channel = created.body.data;
    expect(channel.type).toBe("whatsapp");
    expect(channel.webhookUrl).toMatch(new RegExp(`/webhooks/whatsapp/${channel.id}$`));
    expect(channel.secrets).toEqual({
      accessToken: true,
      appSecret: true,
      verifyToken: true,
      identitySecret: false,
    });

    const listed = await call<Channel[]>("/channels", { token: owner.accessToken });
    const fetched = await call<Channel>(`/channels/${channel.id}`, { token: owner.accessToken });
    expect(listed.body.data.map((entry) => entry.id)).toEqual([channel.id]);
    expect(fetched.body.data.phoneNumberId).toBe(channel.phoneNumberId);
    const audit = await call<{ action: string }[]>("/audit-logs?action=channel.created", {
      token: owner.accessToken,
    });
    expect(audit.body.data).toHaveLength(1);
    for (const text of [created, listed, fetched, audit].map((answer) =>
      JSON.stringify(answer.body),
    )) {
      for (const value of Object.values(SECRETS)) expect(text).not.toContain(value);
    }

    // Replacing a secret says which changed, never the value.
    const rotated = await call<Channel>(`/channels/${channel.id}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: { appSecret: "a-new-app-secret-000" },
    });
    expect(rotated.status).toBe(200);
    const updates = await call<{ metadata: unknown }[]>("/audit-logs?action=channel.updated", {
      token: owner.accessToken,
    });
    expect(JSON.stringify(updates.body.data)).toContain("appSecret");
    expect(JSON.stringify(updates.body.data)).not.toContain("a-new-app-secret-000");
  });

  it("answers Meta's verification with the challenge, and only for the channel's own token", async () => {
    const owner = await signUp("channels-verify");
    const channel = (await createWhatsApp(owner)).body.data;
    const url = webhookPath(channel);
    const good = {
      "hub.mode": "subscribe",
      "hub.verify_token": SECRETS.verifyToken,
      "hub.challenge": "1158201444",
    };

    const answered = await verify(url, good);
    expect(answered).toMatchObject({ status: 200, text: "1158201444" });
    expect(answered.type).toContain("text/plain");

    expect((await verify(url, { ...good, "hub.verify_token": "someone-elses-token" })).status).toBe(
      403,
    );
    expect((await verify(url, { ...good, "hub.mode": "unsubscribe" })).status).toBe(400);
    expect(
      (await verify(url, { "hub.mode": "subscribe", "hub.verify_token": SECRETS.verifyToken }))
        .status,
    ).toBe(400);
    expect((await verify(url.replace(channel.id, crypto.randomUUID()), good)).status).toBe(404);
    expect((await verify(url.replace(channel.id, "not-a-channel"), good)).status).toBe(404);
    const refused = await verify(url, { ...good, "hub.verify_token": "wrong" });
    expect((JSON.parse(refused.text) as Envelope).success).toBe(false);

    // A removed channel answers nothing any more.
    expect(
      (await call(`/channels/${channel.id}`, { method: "DELETE", token: owner.accessToken }))
        .status,
    ).toBe(200);
    expect((await verify(url, good)).status).toBe(404);
    expectErrorEnvelope(await call(`/channels/${channel.id}`, { token: owner.accessToken }), 404);
  });

  it("creates a website chat with its embed snippet; origins must be http(s) origins", async () => {
    const owner = await signUp("channels-chat");
    const created = await call<Channel>("/channels", {
      method: "POST",
      token: owner.accessToken,
      body: {
        type: "webchat",
        name: "Website",
        allowedOrigins: ["https://www.example.com", "https://www.example.com/"],
        greeting: "Hi! How can we help?",
        preChatForm: true,
      },
    });
    expect(created.status).toBe(201);
    const chat = created.body.data;
    expect(chat.allowedOrigins).toEqual(["https://www.example.com"]);
    expect(chat.embedSnippet).toContain(`data-channel="${chat.id}"`);
    expect(chat.embedSnippet).toContain("/widget.js");
    expect(chat.webhookUrl).toBeNull();
    expect(chat.secrets.identitySecret).toBe(false);

    for (const origin of [
      "javascript:alert(1)",
      "https://www.example.com/shop",
      "www.example.com",
    ]) {
      const refused = await call("/channels", {
        method: "POST",
        token: owner.accessToken,
        body: { type: "webchat", name: "Bad", allowedOrigins: [origin] },
      });
      expectErrorEnvelope(refused, 422);
    }

    const withIdentity = await call<Channel>(`/channels/${chat.id}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: { identitySecret: "site-identity-secret", greeting: null },
    });
    expect(withIdentity.body.data.secrets.identitySecret).toBe(true);
    expect(withIdentity.body.data.greeting).toBeNull();
    const without = await call<Channel>(`/channels/${chat.id}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: { identitySecret: null },
    });
    expect(without.body.data.secrets.identitySecret).toBe(false);
    // A website chat has no WhatsApp fields.
    expectErrorEnvelope(
      await call(`/channels/${chat.id}`, {
        method: "PATCH",
        token: owner.accessToken,
        body: { phoneNumberId: "1234567890" },
      }),
      422,
    );
  });

  it("are for admins of their own organization; a number connects once", async () => {
    const owner = await signUp("channels-roles");
    const agent = await addMember(owner, "agent", "channels-agent");
    const outsider = await signUp("channels-outsider");
    const channel = (await createWhatsApp(owner)).body.data;

    expectErrorEnvelope(await call("/channels", { token: agent.accessToken }), 403);
    expectErrorEnvelope(
      await call("/channels", {
        method: "POST",
        token: agent.accessToken,
        body: { type: "webchat", name: "Mine", allowedOrigins: ["https://a.example"] },
      }),
      403,
    );
    expect((await call<Channel[]>("/channels", { token: outsider.accessToken })).body.data).toEqual(
      [],
    );
    for (const method of ["GET", "PATCH", "DELETE"]) {
      expectErrorEnvelope(
        await call(`/channels/${channel.id}`, {
          method,
          token: outsider.accessToken,
          ...(method === "PATCH" && { body: { name: "Taken over" } }),
        }),
        404,
      );
    }

    // The same WhatsApp number cannot be connected twice, here or in another organization.
    expectErrorEnvelope(
      await createWhatsApp(outsider, { phoneNumberId: channel.phoneNumberId }),
      409,
      "conflict",
    );
    expectErrorEnvelope(await createWhatsApp(owner, { phoneNumberId: "12ab" }), 422);
    expectErrorEnvelope(await createWhatsApp(owner, { accessToken: undefined }), 422);
    expectErrorEnvelope(
      await call("/channels", {
        method: "POST",
        token: owner.accessToken,
        body: { type: "fax", name: "Old" },
      }),
      422,
    );
  });
});
