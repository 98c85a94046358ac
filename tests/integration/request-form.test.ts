import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { RATE_LIMITS } from "../../worker/rate-limit/limits";
import { deliverEmail, rawEmail } from "./desk-helpers";
import { call, connectSocket, type Session, signUp, uniqueEmail, uniqueIp } from "./helpers";
import { mailbox, sentEmail } from "./mailbox-helpers";

/*
 * The public request form, `/help/<slug>/request`: a customer's request opens a ticket
 * (`via: web_form`) for the contact with their address (or a new one), live in the desk, and
 * the acknowledgement's Reply-To threads their answer back into it. Robots filling the hidden
 * field open nothing; too many requests from one address or for one email get 429; an unknown
 * slug is a 404 page; bad input is a 422 with the fields named.
 */

const APP = "http://switchboard.test";

interface Ticket {
  id: string;
  number: number;
  subject: string;
  status: string;
  via: string;
  requester: { id: string; name: string; email: string | null } | null;
}

const text = (html: string) => html.replaceAll("<!-- -->", "").replaceAll("&#x27;", "'");

async function slugOf(session: Session): Promise<string> {
  const me = await call<{ organization: { slug: string } }>("/auth/me", {
    token: session.accessToken,
  });
  return me.body.data.organization.slug;
}

function send(slug: string, fields: Record<string, string>, ip = uniqueIp()) {
  return SELF.fetch(`${APP}/help/${slug}/request`, {
    method: "POST",
    headers: {
      host: "switchboard.test",
      origin: APP,
      "content-type": "application/x-www-form-urlencoded",
      "cf-connecting-ip": ip,
    },
    body: new URLSearchParams(fields).toString(),
  });
}

function request(email: string, subject: string, extra: Record<string, string> = {}) {
  return {
    name: "Pat Public",
    email,
    subject,
    description: "The app logs me out every minute.",
    ...extra,
  };
}

async function ticketsAbout(session: Session, subject: string) {
  const response = await call<Ticket[]>(`/tickets?q=${encodeURIComponent(subject)}`, {
    token: session.accessToken,
  });
  expect(response.status).toBe(200);
  return response.body.data;
}

describe("the public request form", () => {
  it("shows the form and opens a ticket for a new contact, acknowledged, live; replies thread back", async () => {
    const owner = await signUp("helpdesk");
    const slug = await slugOf(owner);
    const page = await SELF.fetch(`${APP}/help/${slug}/request`);
    expect(page.status).toBe(200);
    const html = text(await page.text());
    expect(html).toContain("Submit a request");
    expect(html).toContain("helpdesk org");
    expect(html).toContain('name="website"');

    const socket = await connectSocket({ authorization: `Bearer ${owner.accessToken}` });
    const customer = uniqueEmail("public");
    const subject = `Logged out ${Date.now()}`;
    const sent = await send(slug, request(customer.toUpperCase(), subject));
    expect(sent.status).toBe(200);
    const thanks = text(await sent.text());
    expect(thanks).toContain("we have your request");
    const [ticket] = await ticketsAbout(owner, subject);
    expect(ticket).toMatchObject({
      subject,
      status: "new",
      via: "web_form",
      requester: { name: "Pat Public", email: customer },
    });
    expect(thanks).toContain(`Your request is #${ticket?.number}`);
    await socket.waitFor(
      (event) => event.type === "ticket.updated" && event.ticket.id === ticket?.id,
    );
    socket.socket.close();
    const comments = await call<{ authorKind: string; public: boolean; body: string }[]>(
      `/tickets/${ticket?.id}/comments`,
      { token: owner.accessToken },
    );
    expect(comments.body.data).toEqual([
      expect.objectContaining({
        authorKind: "requester",
        public: true,
        body: "The app logs me out every minute.",
      }),
    ]);

    const ack = await sentEmail(customer, "ticket_received");
    expect(ack.subject).toBe(`[#${ticket?.number}] ${subject}`);
    expect(ack.replyTo).toContain(`${slug}+t`);
    await deliverEmail(
      rawEmail({
        from: customer,
        to: ack.replyTo as string,
        subject: `Re: ${ack.subject}`,
        text: "It happens on my phone too.\n\nOn Mon, Support wrote:\n> We received it.",
        inReplyTo: ack.messageId ? `<${ack.messageId}>` : undefined,
      }),
      { from: customer, to: ack.replyTo as string },
    );
    const thread = await call<{ body: string; authorKind: string }[]>(
      `/tickets/${ticket?.id}/comments`,
      { token: owner.accessToken },
    );
    expect(thread.body.data.at(-1)).toMatchObject({
      authorKind: "requester",
      body: "It happens on my phone too.",
    });
    expect(await ticketsAbout(owner, subject)).toHaveLength(1);
  });

  it("leads back to the help page from the form and from its thank-you page", async () => {
    const owner = await signUp("helpback");
    const slug = await slugOf(owner);
    const form = text(await (await SELF.fetch(`${APP}/help/${slug}/request`)).text());
    expect(form).toContain(`href="/help/${slug}"`);
    const sent = await send(slug, request(uniqueEmail("back").toLowerCase(), `Back ${Date.now()}`));
    expect(sent.status).toBe(200);
    const thanks = text(await sent.text());
    expect(thanks).toContain("we have your request");
    expect(thanks).toContain(`href="/help/${slug}"`);
  });

  it("matches an existing contact by email", async () => {
    const owner = await signUp("helpdesk-match");
    const slug = await slugOf(owner);
    const customer = uniqueEmail("known");
    const contact = await call<{ id: string }>("/contacts", {
      method: "POST",
      token: owner.accessToken,
      body: { firstName: "Kim", lastName: "Known", emails: [{ email: customer }] },
    });
    expect(contact.status).toBe(201);
    const subject = `Known person ${Date.now()}`;
    expect((await send(slug, request(customer, subject, { name: "K. Known" }))).status).toBe(200);
    const [ticket] = await ticketsAbout(owner, subject);
    expect(ticket?.requester?.id).toBe(contact.body.data.id);
    expect(ticket?.requester?.name).toBe("Kim Known");
  });

  it("refuses bad input with the fields named; robots' honeypot opens nothing; unknown slug 404", async () => {
    const owner = await signUp("helpdesk-guard");
    const slug = await slugOf(owner);

    const bad = await send(slug, {
      name: "",
      email: "not-an-address",
      subject: "x".repeat(251),
      description: "",
    });
    expect(bad.status).toBe(422);
    const badHtml = text(await bad.text());
    expect(badHtml).toContain("Enter your name.");
    expect(badHtml).toContain("Tell us what you need.");
    expect(badHtml).toContain("Keep the subject under 250 characters.");

    const robot = uniqueEmail("robot");
    const subject = `Cheap pills ${Date.now()}`;
    const trapped = await send(slug, request(robot, subject, { website: "http://spam.example" }));
    expect(trapped.status).toBe(200);
    expect(text(await trapped.text())).toContain("we have your request");
    expect(await ticketsAbout(owner, subject)).toEqual([]);
    expect((await mailbox()).some((email) => email.to === robot)).toBe(false);

    const missing = await SELF.fetch(`${APP}/help/no-such-org-${Date.now()}/request`);
    expect(missing.status).toBe(404);
    expect(text(await missing.text())).toContain("There is no support page at this address");
    const missingPost = await send(`no-such-org-${Date.now()}`, request(robot, subject));
    expect(missingPost.status).toBe(404);
    const badSlug = await SELF.fetch(`${APP}/help/Not_A_Slug!/request`);
    expect(badSlug.status).toBe(404);
  });

  it("limits requests per email address and per sending address (429)", async () => {
    const owner = await signUp("helpdesk-limits");
    const slug = await slugOf(owner);
    const customer = uniqueEmail("eager");
    const perEmail = RATE_LIMITS.requestFormsByEmail.capacity;
    for (let i = 0; i < perEmail; i++) {
      expect((await send(slug, request(customer, `Eager ${i}`))).status).toBe(200);
    }
    const tooMany = await send(slug, request(customer, "Eager again"));
    expect(tooMany.status).toBe(429);
    expect(tooMany.headers.get("retry-after")).toBeTruthy();
    expect(text(await tooMany.text())).toContain("Too many requests");

    const ip = uniqueIp();
    const perAddress = RATE_LIMITS.requestFormsByAddress.capacity;
    for (let i = 0; i < perAddress; i++) {
      expect((await send(slug, request(uniqueEmail("crowd"), `Crowd ${i}`), ip)).status).toBe(200);
    }
    expect((await send(slug, request(uniqueEmail("crowd"), "Crowd more"), ip)).status).toBe(429);
  });
});
