import { describe, expect, it } from "vitest";
import { addMember, call, expectErrorEnvelope, type Session, signUp } from "./helpers";

interface Lead {
  id: string;
  title: string;
  source: string | null;
  status: string;
  score: number | null;
  ownerId: string | null;
  contactId: string | null;
  companyId: string | null;
  convertedAt: string | null;
  convertedDealId: string | null;
  tags: string[];
  version: number;
  deletedAt: string | null;
}

interface Deal {
  id: string;
  title: string;
  amount: number;
  currency: string;
  pipelineId: string;
  stageId: string;
  ownerId: string | null;
  contactId: string | null;
  companyId: string | null;
}

interface Conversion {
  lead: Lead;
  deal: Deal;
  contactId: string | null;
  companyId: string | null;
}

interface Pipeline {
  id: string;
  isDefault: boolean;
  stages: { id: string; name: string }[];
}

async function createLead(session: Session, body: Record<string, unknown>) {
  const response = await call<Lead>("/leads", { method: "POST", token: session.accessToken, body });
  expect(response.status).toBe(201);
  return response.body.data;
}

function convert(session: Session, leadId: string, body: Record<string, unknown>) {
  return call<Conversion>(`/leads/${leadId}/convert`, {
    method: "POST",
    token: session.accessToken,
    body,
  });
}

async function defaultPipeline(session: Session) {
  const response = await call<Pipeline[]>("/pipelines", { token: session.accessToken });
  const pipeline = response.body.data.find((candidate) => candidate.isDefault);
  if (!pipeline) throw new Error("no default pipeline");
  return pipeline;
}

describe("leads", () => {
  it("are created with defaults, edited with versions and listed with filters", async () => {
    const owner = await signUp("leads-crud");
    const lead = await createLead(owner, { title: "Inbound: Initech", source: "website" });
    expect(lead).toMatchObject({
      title: "Inbound: Initech",
      source: "website",
      status: "new",
      score: null,
      ownerId: owner.userId,
      convertedAt: null,
      version: 1,
    });
    await createLead(owner, { title: "Trade show: Umbrella", source: "event", score: 80 });
    await createLead(owner, { title: "Referral: Hooli", score: 35, tags: ["vip"] });

    const edited = await call<Lead>(`/leads/${lead.id}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: { status: "contacted", score: 55, version: 1 },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.data).toMatchObject({ status: "contacted", score: 55, version: 2 });
    expectErrorEnvelope(
      await call(`/leads/${lead.id}`, {
        method: "PATCH",
        token: owner.accessToken,
        body: { title: "Stale", version: 1 },
      }),
      409,
      "conflict",
    );

    const titles = async (query: string) => {
      const response = await call<Lead[]>(`/leads?${query}`, { token: owner.accessToken });
      expect(response.status).toBe(200);
      return response.body.data.map((row) => row.title);
    };
    expect(await titles("filter.status=contacted")).toEqual(["Inbound: Initech"]);
    expect(await titles("filter.source=event")).toEqual(["Trade show: Umbrella"]);
    expect(await titles("filter.score.gte=50&sort=-score")).toEqual([
      "Trade show: Umbrella",
      "Inbound: Initech",
    ]);
    expect(await titles("filter.tags=vip")).toEqual(["Referral: Hooli"]);
    expect(await titles(`filter.ownerId=${owner.userId}&sort=title`)).toEqual([
      "Inbound: Initech",
      "Referral: Hooli",
      "Trade show: Umbrella",
    ]);
    expect(await titles("q=umbrel")).toEqual(["Trade show: Umbrella"]);
    expectErrorEnvelope(
      await call("/leads?filter.status=won", { token: owner.accessToken }),
      422,
      "validation_failed",
    );
  });

  it("reject invalid input with 422", async () => {
    const owner = await signUp("leads-invalid");
    const invalid = [
      { title: "" },
      { title: "Score too high", score: 101 },
      { title: "Bad status", status: "hot" },
      { title: "Missing contact", contactId: crypto.randomUUID() },
      { title: "Extra", stage: "x" },
    ];
    for (const body of invalid) {
      expectErrorEnvelope(
        await call("/leads", { method: "POST", token: owner.accessToken, body }),
        422,
        "validation_failed",
      );
    }
  });

  it("are soft-deleted and restored", async () => {
    const owner = await signUp("leads-restore");
    const lead = await createLead(owner, { title: "Come back" });
    const deleted = await call<Lead>(`/leads/${lead.id}`, {
      method: "DELETE",
      token: owner.accessToken,
    });
    expect(deleted.body.data.deletedAt).not.toBeNull();
    expectErrorEnvelope(await call(`/leads/${lead.id}`, { token: owner.accessToken }), 404);
    const bin = await call<Lead[]>("/leads?deleted=true", { token: owner.accessToken });
    expect(bin.body.data.map((row) => row.id)).toEqual([lead.id]);

    const restored = await call<Lead>(`/leads/${lead.id}/restore`, {
      method: "POST",
      token: owner.accessToken,
    });
    expect(restored.status).toBe(200);
    expect(restored.body.data).toMatchObject({ deletedAt: null, version: 3 });
  });

  it("enforce permissions and tenancy", async () => {
    const owner = await signUp("leads-perm");
    const viewer = await addMember(owner, "viewer");
    const agent = await addMember(owner, "agent");
    const outsider = await signUp("leads-outsider");
    const lead = await createLead(owner, { title: "Owner's lead" });

    expectErrorEnvelope(
      await call("/leads", { method: "POST", token: viewer.accessToken, body: { title: "No" } }),
      403,
      "forbidden",
    );
    expectErrorEnvelope(
      await call(`/leads/${lead.id}`, {
        method: "PATCH",
        token: agent.accessToken,
        body: { status: "contacted" },
      }),
      403,
      "forbidden",
    );
    expectErrorEnvelope(await convert(agent, lead.id, {}), 403, "forbidden");
    expectErrorEnvelope(await call(`/leads/${lead.id}`, { token: outsider.accessToken }), 404);
    expectErrorEnvelope(await convert(outsider, lead.id, {}), 404);
    expect((await call(`/leads/${lead.id}`, { token: viewer.accessToken })).status).toBe(200);
  });
});

describe("converting a lead", () => {
  it("creates the contact, company and deal in one go and marks the lead converted", async () => {
    const owner = await signUp("leads-convert");
    const pipeline = await defaultPipeline(owner);
    const lead = await createLead(owner, { title: "Wayne Enterprises", source: "website" });

    const converted = await convert(owner, lead.id, {
      contact: {
        firstName: "Bruce",
        lastName: "Wayne",
        email: "Bruce@Wayne.example",
        phone: "+1 212 555 0100",
      },
      company: { name: "Wayne Enterprises", domain: "https://www.Wayne.example/about" },
      deal: { amount: 250000, currency: "EUR" },
    });
    expect(converted.status).toBe(201);
    const { deal, contactId, companyId } = converted.body.data;
    expect(contactId).toBeTruthy();
    expect(companyId).toBeTruthy();
    expect(converted.body.data.lead).toMatchObject({
      status: "qualified",
      convertedDealId: deal.id,
      contactId,
      companyId,
      version: 2,
    });
    expect(converted.body.data.lead.convertedAt).not.toBeNull();
    expect(deal).toMatchObject({
      title: "Wayne Enterprises",
      amount: 250000,
      currency: "EUR",
      pipelineId: pipeline.id,
      stageId: pipeline.stages[0]?.id,
      ownerId: owner.userId,
      contactId,
      companyId,
    });

    const contact = await call<{
      firstName: string;
      emailAddresses: string[];
      phoneNumbers: string[];
      companyId: string | null;
    }>(`/contacts/${contactId}`, { token: owner.accessToken });
    expect(contact.status).toBe(200);
    expect(contact.body.data).toMatchObject({
      firstName: "Bruce",
      emailAddresses: ["bruce@wayne.example"],
      phoneNumbers: ["+12125550100"],
      companyId,
    });
    const company = await call<{ name: string; domain: string }>(`/companies/${companyId}`, {
      token: owner.accessToken,
    });
    expect(company.body.data).toMatchObject({ name: "Wayne Enterprises", domain: "wayne.example" });
    const dealDetail = await call<Deal>(`/deals/${deal.id}`, { token: owner.accessToken });
    expect(dealDetail.status).toBe(200);

    const again = await convert(owner, lead.id, {});
    expectErrorEnvelope(again, 409, "conflict");
    const deals = await call<Deal[]>("/deals", { token: owner.accessToken });
    expect(deals.body.data.map((row) => row.id)).toEqual([deal.id]);
  });

  it("links existing records and a named stage, and defaults the deal from the lead", async () => {
    const owner = await signUp("leads-convert-link");
    const pipeline = await defaultPipeline(owner);
    const company = await call<{ id: string }>("/companies", {
      method: "POST",
      token: owner.accessToken,
      body: { name: "Stark Industries" },
    });
    expect(company.status).toBe(201);
    const contact = await call<{ id: string }>("/contacts", {
      method: "POST",
      token: owner.accessToken,
      body: { firstName: "Pepper", lastName: "Potts" },
    });
    expect(contact.status).toBe(201);
    const lead = await createLead(owner, {
      title: "Stark expansion",
      contactId: contact.body.data.id,
    });
    const proposal = pipeline.stages.find((stage) => stage.name === "Proposal")?.id;

    const converted = await convert(owner, lead.id, {
      companyId: company.body.data.id,
      deal: { stageId: proposal },
    });
    expect(converted.status).toBe(201);
    expect(converted.body.data).toMatchObject({
      contactId: contact.body.data.id,
      companyId: company.body.data.id,
    });
    expect(converted.body.data.deal).toMatchObject({
      title: "Stark expansion",
      amount: 0,
      currency: "USD",
      stageId: proposal,
      contactId: contact.body.data.id,
      companyId: company.body.data.id,
    });
  });

  it("converts once when two people convert the same lead at the same moment", async () => {
    const owner = await signUp("leads-convert-race");
    const admin = await addMember(owner, "admin");
    const lead = await createLead(owner, { title: "Contested" });

    const responses = await Promise.all([
      convert(owner, lead.id, { company: { name: "First Co" } }),
      convert(admin, lead.id, { company: { name: "Second Co" } }),
    ]);
    expect(responses.map((response) => response.status).sort()).toEqual([201, 409]);
    const deals = await call<Deal[]>("/deals", { token: owner.accessToken });
    expect(deals.body.data).toHaveLength(1);
    const companies = await call<{ name: string }[]>("/companies", { token: owner.accessToken });
    expect(companies.body.data).toHaveLength(1);
  });

  it("rolls everything back when part of it is invalid", async () => {
    const owner = await signUp("leads-convert-invalid");
    const other = await signUp("leads-convert-other");
    const otherPipeline = await defaultPipeline(other);
    const lead = await createLead(owner, { title: "Half converted?" });

    const cases: [Record<string, unknown>, number][] = [
      [{ contact: { firstName: "A" }, contactId: crypto.randomUUID() }, 422],
      [{ contact: { firstName: "A", email: "not-an-address" } }, 422],
      [{ company: { name: "Bad domain", domain: "nope" } }, 422],
      [{ deal: { currency: "usd" } }, 422],
      [{ deal: { amount: -5 } }, 422],
      [{ company: { name: "Orphan Inc" }, deal: { stageId: otherPipeline.stages[0]?.id } }, 422],
      [{ companyId: crypto.randomUUID() }, 422],
    ];
    for (const [body, status] of cases) {
      expectErrorEnvelope(await convert(owner, lead.id, body), status, "validation_failed");
    }
    const companies = await call<unknown[]>("/companies", { token: owner.accessToken });
    expect(companies.body.data).toEqual([]);
    const unchanged = await call<Lead>(`/leads/${lead.id}`, { token: owner.accessToken });
    expect(unchanged.body.data).toMatchObject({ convertedAt: null, status: "new", version: 1 });
  });
});

describe("leads about a person", () => {
  it("carry the person's name, e-mail, phone, company and an amount, also in the list", async () => {
    const owner = await signUp("leads-person");
    const created = await call<Record<string, unknown> & { id: string }>("/leads", {
      method: "POST",
      token: owner.accessToken,
      body: {
        title: "Fair visitor",
        firstName: "Ada",
        lastName: "Lovelace",
        email: "Ada@Engines.example",
        phone: "(415) 555-0199",
        companyName: "Analytical Engines",
        amount: 120000,
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.data).toMatchObject({
      firstName: "Ada",
      lastName: "Lovelace",
      email: "ada@engines.example",
      phone: "+14155550199",
      companyName: "Analytical Engines",
      amount: 120000,
      currency: null,
    });

    const list = await call<Record<string, unknown>[]>("/leads", { token: owner.accessToken });
    expect(list.body.data[0]).toMatchObject({
      firstName: "Ada",
      companyName: "Analytical Engines",
    });

    const edited = await call<Record<string, unknown>>(`/leads/${created.body.data.id}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: { version: 1, email: null, phone: "+44 20 7946 0000", lastName: "King" },
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body.data).toMatchObject({
      lastName: "King",
      email: null,
      phone: "+442079460000",
    });

    for (const body of [
      { title: "x", email: "not-an-address" },
      { title: "x", phone: "call me maybe" },
      { title: "x", amount: -1 },
      { title: "x", currency: "usd" },
    ]) {
      expectErrorEnvelope(
        await call("/leads", { method: "POST", token: owner.accessToken, body }),
        422,
        "validation_failed",
      );
    }
  });

  it("converts into a contact and company made from the lead, and a deal of its amount", async () => {
    const owner = await signUp("leads-person-convert");
    const lead = await createLead(owner, {
      title: "Engines for the fair",
      firstName: "Ada",
      lastName: "Lovelace",
      email: "ada@engines.example",
      phone: "+1 415 555 0199",
      companyName: "Analytical Engines",
      amount: 120000,
      currency: "GBP",
    });

    const converted = await convert(owner, lead.id, { version: lead.version });
    expect(converted.status, JSON.stringify(converted.body)).toBe(201);
    const { deal, contactId, companyId } = converted.body.data;
    expect(deal).toMatchObject({ amount: 120000, currency: "GBP", contactId, companyId });

    const contact = await call<Record<string, unknown>>(`/contacts/${contactId}`, {
      token: owner.accessToken,
    });
    expect(contact.body.data).toMatchObject({
      firstName: "Ada",
      lastName: "Lovelace",
      emailAddresses: ["ada@engines.example"],
      phoneNumbers: ["+14155550199"],
      companyId,
    });
    const company = await call<{ name: string }>(`/companies/${companyId}`, {
      token: owner.accessToken,
    });
    expect(company.body.data.name).toBe("Analytical Engines");

    // What the form sends wins over the lead's own values.
    const other = await createLead(owner, {
      title: "Second",
      firstName: "Charles",
      companyName: "Difference Ltd",
      amount: 500,
    });
    const chosen = await convert(owner, other.id, {
      contact: { firstName: "Charlie", lastName: "Babbage" },
      companyId,
      deal: { amount: 900 },
    });
    expect(chosen.status, JSON.stringify(chosen.body)).toBe(201);
    expect(chosen.body.data.companyId).toBe(companyId);
    expect(chosen.body.data.deal.amount).toBe(900);
    const charlie = await call<{ firstName: string }>(`/contacts/${chosen.body.data.contactId}`, {
      token: owner.accessToken,
    });
    expect(charlie.body.data.firstName).toBe("Charlie");
  });
});
