import { describe, expect, it } from "vitest";
import { addMember, call, expectErrorEnvelope, type Session, signUp } from "./helpers";
import { page, post, textOf } from "./page-helpers";

/*
 * Custom fields on tickets (Settings → Fields → Tickets): defined by admins, filled on the
 * ticket by API and on the ticket page, checked like the CRM's, and a required one is required
 * to solve (tickets from email and the request form arrive without it), for single edits,
 * replies submitted as solved, and bulk solves alike.
 */

interface Ticket {
  id: string;
  number: number;
  status: string;
  custom: Record<string, unknown>;
  version: number;
}

interface Field {
  id: string;
  entity: string;
  key: string;
  required: boolean;
}

async function defineField(owner: Session, body: Record<string, unknown>) {
  const response = await call<Field>("/custom-fields", {
    method: "POST",
    token: owner.accessToken,
    body: { entity: "ticket", ...body },
  });
  expect(response.status).toBe(201);
  return response.body.data;
}

/** An org with "Product area" (select, required) and "Order number" (text) on tickets. */
async function deskWithFields() {
  const owner = await signUp("fields-owner");
  const area = await defineField(owner, {
    key: "product_area",
    label: "Product area",
    type: "select",
    options: ["Billing", "Phones", "Other"],
    required: true,
  });
  const order = await defineField(owner, {
    key: "order_number",
    label: "Order number",
    type: "text",
  });
  return { owner, area, order };
}

async function openTicket(session: Session, body: Record<string, unknown> = {}) {
  const response = await call<Ticket>("/tickets", {
    method: "POST",
    token: session.accessToken,
    body: {
      subject: "Invoice export fails",
      description: "The CSV is empty.",
      requester: { email: `requester-${crypto.randomUUID()}@example.com`, name: "Ana" },
      ...body,
    },
  });
  return response;
}

async function getTicket(session: Session, id: string) {
  const response = await call<Ticket>(`/tickets/${id}`, { token: session.accessToken });
  expect(response.status).toBe(200);
  return response.body.data;
}

async function patch(session: Session, id: string, body: Record<string, unknown>) {
  return call<Ticket>(`/tickets/${id}`, { method: "PATCH", token: session.accessToken, body });
}

describe("ticket custom fields", () => {
  it("are defined by admins on tickets, listed for the desk, and kept apart from the CRM's", async () => {
    const { owner } = await deskWithFields();
    const agent = await addMember(owner, "agent");
    const listed = await call<Field[]>("/custom-fields?entity=ticket", {
      token: agent.accessToken,
    });
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((field) => field.key)).toEqual(["product_area", "order_number"]);
    const contactFields = await call<Field[]>("/custom-fields?entity=contact", {
      token: agent.accessToken,
    });
    expect(contactFields.body.data).toEqual([]);
    // The same key may exist on contacts: each entity has its own keys.
    await defineField(owner, {
      entity: "contact",
      key: "order_number",
      label: "Order",
      type: "text",
    });
    const byAgent = await call("/custom-fields", {
      method: "POST",
      token: agent.accessToken,
      body: { entity: "ticket", key: "severity", label: "Severity", type: "text" },
    });
    expectErrorEnvelope(byAgent, 403);
    const duplicate = await call("/custom-fields", {
      method: "POST",
      token: owner.accessToken,
      body: { entity: "ticket", key: "product_area", label: "Again", type: "text" },
    });
    expectErrorEnvelope(duplicate, 409);
  });

  it("are stored on create and update, checked against their definitions", async () => {
    const { owner } = await deskWithFields();
    const created = await openTicket(owner, {
      custom: { product_area: "Billing", order_number: "SO-1042" },
    });
    expect(created.status).toBe(201);
    expect(created.body.data.custom).toEqual({ product_area: "Billing", order_number: "SO-1042" });

    const unknown = await openTicket(owner, { custom: { shoe_size: "44" } });
    expectErrorEnvelope(unknown, 422);
    expect(unknown.body.errors?.["custom.shoe_size"]).toEqual(["Unknown custom field."]);
    const wrongChoice = await patch(owner, created.body.data.id, {
      custom: { product_area: "Hardware" },
    });
    expectErrorEnvelope(wrongChoice, 422);
    expect(wrongChoice.body.errors?.["custom.product_area"]?.[0]).toContain(
      "Billing, Phones, Other",
    );

    // An update merges: the order number stays when only the area changes; null clears one.
    const changed = await patch(owner, created.body.data.id, {
      custom: { product_area: "Phones" },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.data.custom).toEqual({ product_area: "Phones", order_number: "SO-1042" });
    const cleared = await patch(owner, created.body.data.id, { custom: { order_number: null } });
    expect(cleared.body.data.custom).toEqual({ product_area: "Phones" });
  });

  it("a required field is optional to open and edit a ticket but required to solve it", async () => {
    const { owner } = await deskWithFields();
    // Opened without it (as email and the request form do), and edited without it.
    const opened = await openTicket(owner, { custom: { order_number: "SO-7" } });
    expect(opened.status).toBe(201);
    const ticket = opened.body.data;
    const edited = await patch(owner, ticket.id, { priority: "high" });
    expect(edited.status).toBe(200);

    const solve = await patch(owner, ticket.id, { status: "solved" });
    expectErrorEnvelope(solve, 422);
    expect(solve.body.errors?.["custom.product_area"]).toEqual([
      "Product area is required to solve the ticket.",
    ]);
    expect((await getTicket(owner, ticket.id)).status).toBe("new");

    // A reply submitted as solved is refused too, and leaves no comment behind.
    const before = await call<unknown[]>(`/tickets/${ticket.id}/comments`, {
      token: owner.accessToken,
    });
    const reply = await call(`/tickets/${ticket.id}/comments`, {
      method: "POST",
      token: owner.accessToken,
      body: { body: "Fixed on our side.", public: true, status: "solved" },
    });
    expectErrorEnvelope(reply, 422);
    expect(reply.body.errors?.["custom.product_area"]).toBeDefined();
    const after = await call<unknown[]>(`/tickets/${ticket.id}/comments`, {
      token: owner.accessToken,
    });
    expect(after.body.data.length).toBe(before.body.data.length);

    // Filled in the same change, it solves.
    const solved = await patch(owner, ticket.id, {
      status: "solved",
      custom: { product_area: "Billing" },
    });
    expect(solved.status).toBe(200);
    expect(solved.body.data.status).toBe("solved");
    // A solved ticket cannot lose it.
    const emptied = await patch(owner, ticket.id, { custom: { product_area: null } });
    expectErrorEnvelope(emptied, 422);
    expect((await getTicket(owner, ticket.id)).custom.product_area).toBe("Billing");
  });

  it("a bulk solve solves the tickets that have their required fields and names the others", async () => {
    const { owner } = await deskWithFields();
    const ready = (await openTicket(owner, { custom: { product_area: "Other" } })).body.data;
    const lacking = (await openTicket(owner)).body.data;
    const response = await call<{
      updated: number;
      skipped: number;
      results: { id: string; outcome: string; message: string | null }[];
    }>("/tickets/bulk", {
      method: "POST",
      token: owner.accessToken,
      body: { action: "update", ids: [ready.id, lacking.id], changes: { status: "solved" } },
    });
    expect(response.status).toBe(200);
    expect(response.body.data.updated).toBe(1);
    const outcomes = Object.fromEntries(
      response.body.data.results.map((result) => [result.id, result]),
    );
    expect(outcomes[ready.id]?.outcome).toBe("updated");
    expect(outcomes[lacking.id]?.outcome).toBe("invalid");
    expect(outcomes[lacking.id]?.message).toBe("Fill in Product area to solve the ticket.");
    expect((await getTicket(owner, ready.id)).status).toBe("solved");
    expect((await getTicket(owner, lacking.id)).status).toBe("new");
  });

  it("deleting a field clears its values from tickets", async () => {
    const { owner, order } = await deskWithFields();
    const ticket = (
      await openTicket(owner, { custom: { product_area: "Phones", order_number: "SO-9" } })
    ).body.data;
    const removed = await call(`/custom-fields/${order.id}`, {
      method: "DELETE",
      token: owner.accessToken,
    });
    expect(removed.status).toBe(200);
    expect((await getTicket(owner, ticket.id)).custom).toEqual({ product_area: "Phones" });
  });

  it("another organization's ticket fields are neither listed nor usable", async () => {
    await deskWithFields();
    const other = await signUp("fields-other");
    const listed = await call<Field[]>("/custom-fields?entity=ticket", {
      token: other.accessToken,
    });
    expect(listed.body.data).toEqual([]);
    const used = await openTicket(other, { custom: { product_area: "Billing" } });
    expectErrorEnvelope(used, 422);
    expect(used.body.errors?.["custom.product_area"]).toEqual(["Unknown custom field."]);
  });
});

describe("ticket custom fields on the pages", () => {
  it("the ticket page shows and saves them, and says what solving needs", async () => {
    const { owner } = await deskWithFields();
    const ticket = (await openTicket(owner, { custom: { order_number: "SO-55" } })).body.data;
    const html = await textOf(await page(`/app/tickets/${ticket.id}`, owner.accessToken));
    expect(html).toContain('data-testid="ticket-custom-fields"');
    expect(html).toContain("Product area");
    expect(html).toContain("Required to solve.");
    expect(html).toMatch(/name="custom\.order_number"[^>]*value="SO-55"/);

    const saved = await post(`/app/tickets/${ticket.id}`, owner.accessToken, {
      intent: "update",
      version: String(ticket.version),
      status: "open",
      customFields: "product_area,order_number",
      "custom.product_area": "Phones",
      "custom.order_number": "",
    });
    expect(saved.status).toBe(200);
    const afterSave = await getTicket(owner, ticket.id);
    expect(afterSave.custom).toEqual({ product_area: "Phones" });

    // Solving with the area cleared is refused, with the field's own message on the page.
    const refused = await post(`/app/tickets/${ticket.id}`, owner.accessToken, {
      intent: "update",
      version: String(afterSave.version),
      status: "solved",
      customFields: "product_area,order_number",
      "custom.product_area": "",
      "custom.order_number": "",
    });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("Product area is required to solve the ticket.");
    expect((await getTicket(owner, ticket.id)).status).toBe("open");
  });

  it("a viewer sees the values read-only; New ticket offers the fields; Settings has a Tickets tab", async () => {
    const { owner } = await deskWithFields();
    const ticket = (
      await openTicket(owner, { custom: { product_area: "Billing", order_number: "SO-3" } })
    ).body.data;
    const viewer = await addMember(owner, "viewer");
    const readOnly = await textOf(await page(`/app/tickets/${ticket.id}`, viewer.accessToken));
    expect(readOnly).toContain('data-testid="ticket-properties-readonly"');
    expect(readOnly).toMatch(/Order number<\/dt><dd[^>]*>SO-3</);

    const created = await post("/app/tickets", owner.accessToken, {
      intent: "create",
      subject: "Phone line crackles",
      description: "Since Monday.",
      requesterEmail: "caller@example.com",
      "custom.product_area": "Phones",
      "custom.order_number": "SO-77",
    });
    expect(created.status).toBe(302);
    const id = created.headers.get("location")?.split("/").pop() ?? "";
    expect((await getTicket(owner, id)).custom).toEqual({
      product_area: "Phones",
      order_number: "SO-77",
    });
    const dialog = await textOf(await page("/app/tickets?new=1", owner.accessToken));
    expect(dialog).toContain('name="custom.order_number"');

    const settings = await textOf(
      await page("/app/settings/fields?entity=ticket", owner.accessToken),
    );
    expect(settings).toContain("Ticket fields");
    expect(settings).toContain("product_area");
    expect(settings).toContain("Tickets cannot be solved without it");
  });
});
