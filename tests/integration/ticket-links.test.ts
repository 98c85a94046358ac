import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { seedCompany, seedContact, seedDeal } from "./crm-seed";
import { deliverEmail, newMessageId, rawEmail, supportAddressOf } from "./desk-helpers";
import {
  addMember,
  call,
  type Envelope,
  expectErrorEnvelope,
  type Session,
  signUp,
} from "./helpers";
import { APP, page } from "./page-helpers";

/*
 * Tickets linked to companies and deals: a new ticket takes its requester's company, links are
 * changed with the ticket's version and only to the organization's live records, the list
 * filters by them, and the tickets show on the contact's, company's and deal's timelines (and
 * pages), each once however the timeline is paged.
 */

const TICKET_DATA = "routes%2Fapp.tickets_.%24id";

interface Ticket {
  id: string;
  number: number;
  subject: string;
  status: string;
  company: { id: string; name: string } | null;
  deal: { id: string; title: string } | null;
  requester: { id: string } | null;
  version: number;
}

interface TimelineItem {
  kind: string;
  id: string;
  at: string;
  ticket?: { id: string; number: number; subject: string; status: string; priority: string };
}

async function openTicket(session: Session, body: Record<string, unknown>) {
  const response = await call<Ticket>("/tickets", {
    method: "POST",
    token: session.accessToken,
    body: { description: "Please help.", ...body },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.data;
}

function patchTicket(session: Session, id: string, body: Record<string, unknown>) {
  return call<Ticket>(`/tickets/${id}`, { method: "PATCH", token: session.accessToken, body });
}

async function ticketIds(session: Session, query: string) {
  const response = await call<Ticket[]>(`/tickets?${query}`, { token: session.accessToken });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.data.map((ticket) => ticket.id).sort();
}

/** Every item of a record's timeline, following the cursor `limit` at a time. */
async function wholeTimeline(session: Session, path: string, limit = 2) {
  const items: TimelineItem[] = [];
  let cursor: string | null | undefined = null;
  do {
    const query: string = `?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`;
    const response: { status: number; body: Envelope<TimelineItem[]> } = await call<TimelineItem[]>(
      `${path}/timeline${query}`,
      { token: session.accessToken },
    );
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    items.push(...response.body.data);
    cursor = response.body.meta?.pagination?.nextCursor;
  } while (cursor);
  return items;
}

function ticketItems(items: TimelineItem[]) {
  return items.filter((item) => item.kind === "ticket");
}

async function pageText(path: string, accessToken: string) {
  const response = await page(path, accessToken);
  expect(response.status).toBe(200);
  return (await response.text()).replaceAll("<!-- -->", "");
}

describe("ticket links", () => {
  it("takes the requester's company, links a deal, and changes both with the version", async () => {
    const owner = await signUp("links-default");
    const acme = await seedCompany(owner, { name: "Acme" });
    const globex = await seedCompany(owner, { name: "Globex" });
    const ada = await seedContact(owner, { firstName: "Ada", companyId: acme.id });
    const loner = await seedContact(owner, { firstName: "Lone" });
    const deal = await seedDeal(owner, { title: "Acme renewal", companyId: acme.id });

    const ticket = await openTicket(owner, {
      subject: "Login fails",
      requester: { contactId: ada.id },
    });
    expect(ticket.company).toEqual({ id: acme.id, name: "Acme" });
    expect(ticket.deal).toBeNull();

    const withoutCompany = await openTicket(owner, {
      subject: "No company",
      requester: { contactId: loner.id },
    });
    expect(withoutCompany.company).toBeNull();

    const explicit = await openTicket(owner, {
      subject: "For Globex",
      requester: { contactId: ada.id },
      companyId: globex.id,
      dealId: deal.id,
    });
    expect(explicit.company).toEqual({ id: globex.id, name: "Globex" });
    expect(explicit.deal).toEqual({ id: deal.id, title: "Acme renewal" });

    const cleared = await openTicket(owner, {
      subject: "Deliberately none",
      requester: { contactId: ada.id },
      companyId: null,
    });
    expect(cleared.company).toBeNull();

    const linked = await patchTicket(owner, ticket.id, {
      dealId: deal.id,
      companyId: globex.id,
      version: ticket.version,
    });
    expect(linked.status, JSON.stringify(linked.body)).toBe(200);
    expect(linked.body.data.deal).toEqual({ id: deal.id, title: "Acme renewal" });
    expect(linked.body.data.company).toEqual({ id: globex.id, name: "Globex" });

    const stale = await patchTicket(owner, ticket.id, { dealId: null, version: ticket.version });
    expectErrorEnvelope(stale, 409);

    const unlinked = await patchTicket(owner, ticket.id, {
      dealId: null,
      version: linked.body.data.version,
    });
    expect(unlinked.status).toBe(200);
    expect(unlinked.body.data.deal).toBeNull();
    expect(unlinked.body.data.company?.id).toBe(globex.id);

    const read = await call<Ticket>(`/tickets/${ticket.id}`, { token: owner.accessToken });
    expect(read.body.data.company?.id).toBe(globex.id);
  });

  it("a ticket opened by email takes its sender's company too", async () => {
    const owner = await signUp("links-email");
    const acme = await seedCompany(owner, { name: "Acme Mail" });
    const address = `writer-${crypto.randomUUID().slice(0, 8)}@example.com`;
    await seedContact(owner, { firstName: "Wanda", email: address, companyId: acme.id });
    const me = await call<{ organization: { slug: string } }>("/auth/me", {
      token: owner.accessToken,
    });
    const slug = me.body.data.organization.slug;
    const subject = `Broken widget ${crypto.randomUUID().slice(0, 6)}`;
    const delivered = await deliverEmail(
      rawEmail({
        from: address,
        to: supportAddressOf(slug),
        subject,
        text: "It broke.",
        messageId: newMessageId(),
      }),
      { from: address, to: supportAddressOf(slug) },
    );
    expect(delivered.rejected).toBeNull();
    const list = await call<Ticket[]>(`/tickets?companyId=${acme.id}`, {
      token: owner.accessToken,
    });
    expect(list.body.data.map((ticket) => ticket.subject)).toEqual([subject]);
    expect(list.body.data[0]?.company).toEqual({ id: acme.id, name: "Acme Mail" });
  });

  it("refuses another organization's company or deal, and bad ids", async () => {
    const owner = await signUp("links-mine");
    const other = await signUp("links-theirs");
    const theirCompany = await seedCompany(other, { name: "Theirs Inc" });
    const theirDeal = await seedDeal(other, { title: "Their deal" });
    const contact = await seedContact(owner, { firstName: "Me" });

    const created = await call("/tickets", {
      method: "POST",
      token: owner.accessToken,
      body: {
        subject: "Sneaky",
        description: "x",
        requester: { contactId: contact.id },
        companyId: theirCompany.id,
        dealId: theirDeal.id,
      },
    });
    expectErrorEnvelope(created, 422, "validation_failed");
    expect(Object.keys(created.body.errors ?? {}).sort()).toEqual(["companyId", "dealId"]);

    const ticket = await openTicket(owner, {
      subject: "Mine",
      requester: { contactId: contact.id },
    });
    expectErrorEnvelope(
      await patchTicket(owner, ticket.id, { companyId: theirCompany.id }),
      422,
      "validation_failed",
    );
    expectErrorEnvelope(
      await patchTicket(owner, ticket.id, { dealId: theirDeal.id }),
      422,
      "validation_failed",
    );
    expectErrorEnvelope(
      await patchTicket(owner, ticket.id, { dealId: "not-a-uuid" }),
      422,
      "validation_failed",
    );
    const read = await call<Ticket>(`/tickets/${ticket.id}`, { token: owner.accessToken });
    expect(read.body.data.company).toBeNull();
    expect(read.body.data.deal).toBeNull();

    // Their ticket list filtered by their company never shows mine, nor theirs to me.
    expect(await ticketIds(owner, `companyId=${theirCompany.id}`)).toEqual([]);
  });

  it("filters the list by company, deal and requester", async () => {
    const owner = await signUp("links-filter");
    const acme = await seedCompany(owner, { name: "Acme" });
    const ada = await seedContact(owner, { firstName: "Ada", companyId: acme.id });
    const bob = await seedContact(owner, { firstName: "Bob" });
    const deal = await seedDeal(owner, { title: "Expansion" });
    const a = await openTicket(owner, { subject: "A", requester: { contactId: ada.id } });
    const b = await openTicket(owner, {
      subject: "B",
      requester: { contactId: bob.id },
      dealId: deal.id,
    });
    const c = await openTicket(owner, {
      subject: "C",
      requester: { contactId: bob.id },
      companyId: acme.id,
    });
    expect(await ticketIds(owner, `companyId=${acme.id}`)).toEqual([a.id, c.id].sort());
    expect(await ticketIds(owner, `dealId=${deal.id}`)).toEqual([b.id]);
    expect(await ticketIds(owner, `requesterId=${bob.id}`)).toEqual([b.id, c.id].sort());
    expect(await ticketIds(owner, `requesterId=${bob.id}&companyId=${acme.id}`)).toEqual([c.id]);
    expectErrorEnvelope(
      await call("/tickets?companyId=nope", { token: owner.accessToken }),
      422,
      "validation_failed",
    );
  });

  it("puts tickets on the contact's, company's and deal's timelines, each once when paged", async () => {
    const owner = await signUp("links-timeline");
    const acme = await seedCompany(owner, { name: "Acme" });
    const ada = await seedContact(owner, { firstName: "Ada", companyId: acme.id });
    const bob = await seedContact(owner, { firstName: "Bob" });
    const deal = await seedDeal(owner, { title: "Acme renewal", companyId: acme.id });
    await call("/activities", {
      method: "POST",
      token: owner.accessToken,
      body: { type: "note", subject: "Called Ada", contactId: ada.id },
    });
    const fromAda = await openTicket(owner, {
      subject: "Invoice wrong",
      requester: { contactId: ada.id },
      priority: "high",
    });
    const fromAda2 = await openTicket(owner, {
      subject: "Second",
      requester: { contactId: ada.id },
    });
    // Bob is not Acme's, but this ticket is linked to Acme and the deal.
    const linked = await openTicket(owner, {
      subject: "About the renewal",
      requester: { contactId: bob.id },
      companyId: acme.id,
      dealId: deal.id,
    });
    const elsewhere = await openTicket(owner, {
      subject: "Unrelated",
      requester: { contactId: bob.id },
      companyId: null,
    });

    const contactItems = await wholeTimeline(owner, `/contacts/${ada.id}`);
    expect(new Set(contactItems.map((item) => item.id)).size).toBe(contactItems.length);
    expect(
      ticketItems(contactItems)
        .map((item) => item.id)
        .sort(),
    ).toEqual([fromAda.id, fromAda2.id].sort());
    const first = ticketItems(contactItems).find((item) => item.id === fromAda.id);
    expect(first?.ticket).toEqual({
      id: fromAda.id,
      number: fromAda.number,
      subject: "Invoice wrong",
      status: "new",
      priority: "high",
    });
    expect(contactItems.map((item) => item.kind)).toEqual(
      expect.arrayContaining(["ticket", "activity", "created"]),
    );

    const companyItems = await wholeTimeline(owner, `/companies/${acme.id}`);
    expect(new Set(companyItems.map((item) => item.id)).size).toBe(companyItems.length);
    expect(
      ticketItems(companyItems)
        .map((item) => item.id)
        .sort(),
    ).toEqual([fromAda.id, fromAda2.id, linked.id].sort());

    const dealItems = await wholeTimeline(owner, `/deals/${deal.id}`, 1);
    expect(ticketItems(dealItems).map((item) => item.id)).toEqual([linked.id]);
    expect(new Set(dealItems.map((item) => item.id)).size).toBe(dealItems.length);

    const bobItems = await wholeTimeline(owner, `/contacts/${bob.id}`);
    expect(
      ticketItems(bobItems)
        .map((item) => item.id)
        .sort(),
    ).toEqual([linked.id, elsewhere.id].sort());

    // Newest first: the later tickets come before the earlier on the contact's timeline.
    const order = ticketItems(contactItems).map((item) => item.id);
    expect(order).toEqual([fromAda2.id, fromAda.id]);

    // A filtered timeline (only notes) leaves tickets out; a deleted ticket leaves the timeline.
    const notes = await wholeTimeline(owner, `/contacts/${ada.id}`);
    expect(notes.length).toBeGreaterThan(0);
    const filtered = await call<TimelineItem[]>(`/contacts/${ada.id}/timeline?type=note`, {
      token: owner.accessToken,
    });
    expect(filtered.body.data.every((item) => item.kind === "activity")).toBe(true);
    const deleted = await call(`/tickets/${fromAda2.id}`, {
      method: "DELETE",
      token: owner.accessToken,
    });
    expect(deleted.status).toBeLessThan(300);
    const after = await wholeTimeline(owner, `/contacts/${ada.id}`);
    expect(ticketItems(after).map((item) => item.id)).toEqual([fromAda.id]);

    // A viewer reads the timeline with tickets too; another organization cannot read it at all.
    const viewer = await addMember(owner, "viewer");
    expect(ticketItems(await wholeTimeline(viewer, `/deals/${deal.id}`)).length).toBe(1);
    const stranger = await signUp("links-stranger");
    expectErrorEnvelope(
      await call(`/deals/${deal.id}/timeline`, { token: stranger.accessToken }),
      404,
    );
  });

  it("shows the ticket on the contact page and the links on the ticket page", async () => {
    const owner = await signUp("links-pages");
    const acme = await seedCompany(owner, { name: "Acme Pages" });
    const ada = await seedContact(owner, { firstName: "Ada", companyId: acme.id });
    const deal = await seedDeal(owner, { title: "Pages renewal", companyId: acme.id });
    const ticket = await openTicket(owner, {
      subject: "Printer on fire",
      requester: { contactId: ada.id },
      dealId: deal.id,
    });

    const contactHtml = await pageText(`/app/contacts/${ada.id}`, owner.accessToken);
    expect(contactHtml).toContain(`Ticket #${ticket.number}`);
    expect(contactHtml).toContain("Printer on fire");
    expect(contactHtml).toContain(`href="/app/tickets/${ticket.id}"`);

    const companyHtml = await pageText(`/app/companies/${acme.id}`, owner.accessToken);
    expect(companyHtml).toContain(`Ticket #${ticket.number}`);
    const dealHtml = await pageText(`/app/deals/${deal.id}`, owner.accessToken);
    expect(dealHtml).toContain(`Ticket #${ticket.number}`);

    const ticketHtml = await pageText(`/app/tickets/${ticket.id}`, owner.accessToken);
    expect(ticketHtml).toContain(`href="/app/companies/${acme.id}"`);
    expect(ticketHtml).toContain("Acme Pages");
    expect(ticketHtml).toContain(`href="/app/deals/${deal.id}"`);
    expect(ticketHtml).toContain("Pages renewal");

    // The properties form unlinks both (blank = none), with the ticket's version.
    const saved = await SELF.fetch(`${APP}/app/tickets/${ticket.id}?_data=${TICKET_DATA}`, {
      method: "POST",
      redirect: "manual",
      headers: {
        cookie: `sb_access=${owner.accessToken}`,
        host: "switchboard.test",
        origin: APP,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({
        intent: "update",
        version: String(ticket.version),
        shownCompanyId: acme.id,
        shownDealId: deal.id,
        companyId: "",
        dealId: "",
      }).toString(),
    });
    expect(saved.status).toBe(200);
    const result = (await saved.json()) as { ok: boolean; ticket: Ticket };
    expect(result.ok).toBe(true);
    expect(result.ticket.company).toBeNull();
    expect(result.ticket.deal).toBeNull();
    const after = await pageText(`/app/tickets/${ticket.id}`, owner.accessToken);
    expect(after).not.toContain(`href="/app/deals/${deal.id}"`);
  });
});
