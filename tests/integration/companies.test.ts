import { beforeAll, describe, expect, it } from "vitest";
import { customFieldDefinitions } from "../../worker/db/crm-schema";
import {
  addMember,
  call,
  expectErrorEnvelope,
  type Session,
  signUp,
  workerDatabase,
} from "./helpers";

interface Company {
  id: string;
  name: string;
  domain: string | null;
  industry: string | null;
  size: string | null;
  address: Record<string, string>;
  ownerId: string | null;
  tags: string[];
  custom: Record<string, unknown>;
  version: number;
  deletedAt: string | null;
  contactCount?: number;
  openDealCount?: number;
}

let owner: Session;
let agent: Session;
let viewer: Session;

beforeAll(async () => {
  owner = await signUp("companies");
  agent = await addMember(owner, "agent");
  viewer = await addMember(owner, "viewer");
});

async function createCompany(session: Session, body: Record<string, unknown>) {
  const response = await call<Company>("/companies", {
    method: "POST",
    token: session.accessToken,
    body,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.data;
}

async function listCompanies(session: Session, query: string) {
  const response = await call<Company[]>(`/companies?${query}`, { token: session.accessToken });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return { rows: response.body.data, nextCursor: response.body.meta?.pagination?.nextCursor };
}

function patchCompany(session: Session, id: string, body: Record<string, unknown>) {
  return call<Company>(`/companies/${id}`, { method: "PATCH", token: session.accessToken, body });
}

describe("creating companies", () => {
  it("needs only a name, normalises the domain and belongs to its creator", async () => {
    const minimal = await createCompany(owner, { name: "  Initech  " });
    expect(minimal).toMatchObject({
      name: "Initech",
      domain: null,
      ownerId: owner.userId,
      tags: [],
      custom: {},
      address: {},
      version: 1,
      contactCount: 0,
      openDealCount: 0,
    });

    const full = await createCompany(agent, {
      name: "Acme",
      domain: "https://www.Acme.COM/about?x=1",
      industry: "Manufacturing",
      size: "51-200",
      address: { street: "1 Road Runner Way", city: "Phoenix", country: "US" },
      tags: ["prospect", "prospect", "west"],
    });
    expect(full).toMatchObject({
      domain: "acme.com",
      size: "51-200",
      ownerId: agent.userId,
      tags: ["prospect", "west"],
      address: { street: "1 Road Runner Way", city: "Phoenix", country: "US" },
    });
  });

  it("rejects bad domains, sizes and unknown fields, and viewers", async () => {
    const bodies = [
      { name: "Bad", domain: "not a domain" },
      { name: "Bad", size: "huge" },
      { name: "" },
      { name: "Bad", address: { planet: "Mars" } },
      { name: "Bad", ownerId: "not-a-uuid" },
      { name: "Bad", color: "red" },
    ];
    for (const body of bodies) {
      const response = await call("/companies", { method: "POST", token: owner.accessToken, body });
      expectErrorEnvelope(response, 422, "validation_failed");
    }
    const byViewer = await call("/companies", {
      method: "POST",
      token: viewer.accessToken,
      body: { name: "Viewer Inc" },
    });
    expectErrorEnvelope(byViewer, 403, "forbidden");
  });

  it("counts the company's live contacts", async () => {
    const company = await createCompany(owner, { name: "Counted" });
    for (const firstName of ["One", "Two", "Three"]) {
      const contact = await call<{ id: string }>("/contacts", {
        method: "POST",
        token: owner.accessToken,
        body: { firstName, companyId: company.id },
      });
      expect(contact.status).toBe(201);
      if (firstName === "Three") {
        await call(`/contacts/${contact.body.data.id}`, {
          method: "DELETE",
          token: owner.accessToken,
        });
      }
    }
    const fetched = await call<Company>(`/companies/${company.id}`, { token: viewer.accessToken });
    expect(fetched.status).toBe(200);
    expect(fetched.body.data).toMatchObject({ contactCount: 2, openDealCount: 0 });
  });
});

describe("listing companies", () => {
  let lister: Session;

  beforeAll(async () => {
    lister = await signUp("companies-list");
    const rows = [
      { name: "Globex Corporation", industry: "Energy", size: "1000+", tags: ["enterprise"] },
      { name: "Umbrella", domain: "umbrella.example", industry: "Pharma", size: "201-1000" },
      { name: "Hooli", industry: "Software", size: "1000+", tags: ["enterprise", "tech"] },
      { name: "Pied Piper", industry: "Software", size: "1-10", tags: ["tech"] },
      { name: "Stark Industries", industry: "Energy", size: "1000+" },
    ];
    for (const row of rows) await createCompany(lister, row);
  });

  const names = async (query: string) =>
    (await listCompanies(lister, query)).rows.map((row) => row.name);

  it("sorts by name and pages with a cursor", async () => {
    const first = await listCompanies(lister, "sort=name&limit=3");
    expect(first.rows.map((row) => row.name)).toEqual([
      "Globex Corporation",
      "Hooli",
      "Pied Piper",
    ]);
    const second = await listCompanies(
      lister,
      `sort=name&limit=3&cursor=${encodeURIComponent(first.nextCursor ?? "")}`,
    );
    expect(second.rows.map((row) => row.name)).toEqual(["Stark Industries", "Umbrella"]);
    expect(second.nextCursor).toBeNull();
    expect((await names("sort=-createdAt&limit=2")).length).toBe(2);
    expect(await names("sort=-name&limit=1")).toEqual(["Umbrella"]);
  });

  it("filters on industry, size, domain, tags and owner", async () => {
    expect(await names("filter.industry=Energy&sort=name")).toEqual([
      "Globex Corporation",
      "Stark Industries",
    ]);
    expect(await names("filter.size=1000%2B&filter.industry=Software")).toEqual(["Hooli"]);
    expect(await names("filter.domain=umbrella.example")).toEqual(["Umbrella"]);
    expect(await names("filter.tags=tech&sort=name")).toEqual(["Hooli", "Pied Piper"]);
    expect(await names("filter.name.contains=corp")).toEqual(["Globex Corporation"]);
    expect(await names(`filter.ownerId=${lister.userId}`)).toHaveLength(5);
    expect(await names("filter.updatedAt.lt=2000-01-01")).toEqual([]);
    expectErrorEnvelope(
      await call("/companies?filter.ownerId=nope", { token: lister.accessToken }),
      422,
    );
  });

  it("searches by prefix, domain and with typos", async () => {
    expect(await names("q=glob")).toEqual(["Globex Corporation"]);
    expect(await names("q=umbrella.example")).toEqual(["Umbrella"]);
    expect(await names("q=Stark%20Industires")).toEqual(["Stark Industries"]);
    expect(await names("q=pharma")).toEqual(["Umbrella"]);
  });
});

describe("custom fields on companies", () => {
  it("validates values and filters by them", async () => {
    const org = await signUp("companies-custom");
    const db = workerDatabase();
    try {
      await db.transaction({ orgId: org.orgId, userId: org.userId }, (tx) =>
        tx.insert(customFieldDefinitions).values({
          id: crypto.randomUUID(),
          orgId: org.orgId,
          entity: "company",
          key: "employees",
          label: "Employees",
          type: "number",
        }),
      );
    } finally {
      await db.close();
    }
    const wrong = await call("/companies", {
      method: "POST",
      token: org.accessToken,
      body: { name: "Wrong", custom: { employees: "many" } },
    });
    expectErrorEnvelope(wrong, 422, "validation_failed");
    expect(wrong.body.errors?.["custom.employees"]).toBeDefined();

    await createCompany(org, { name: "Small", custom: { employees: 8 } });
    const big = await createCompany(org, { name: "Big", custom: { employees: "5000" } });
    expect(big.custom).toEqual({ employees: 5000 });
    const found = await listCompanies(org, "filter.cf.employees.gte=100");
    expect(found.rows.map((row) => row.name)).toEqual(["Big"]);
  });
});

describe("editing companies", () => {
  it("bumps the version and refuses a stale one with 409", async () => {
    const company = await createCompany(owner, { name: "Versioned Co" });
    const first = await patchCompany(owner, company.id, {
      version: 1,
      domain: "HTTP://Versioned.example",
      size: null,
    });
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ version: 2, domain: "versioned.example" });
    expectErrorEnvelope(await patchCompany(owner, company.id, { version: 1, name: "Lost" }), 409);
    const current = await call<Company>(`/companies/${company.id}`, { token: owner.accessToken });
    expect(current.body.data).toMatchObject({ name: "Versioned Co", version: 2 });
  });

  it("lets an agent edit their own companies and claim unowned ones, nothing else", async () => {
    const mine = await createCompany(agent, { name: "Agent Co" });
    expect((await patchCompany(agent, mine.id, { industry: "Retail" })).status).toBe(200);

    const theirs = await createCompany(owner, { name: "Owner Co" });
    expectErrorEnvelope(await patchCompany(agent, theirs.id, { industry: "Retail" }), 403);
    expectErrorEnvelope(
      await call(`/companies/${theirs.id}`, { method: "DELETE", token: agent.accessToken }),
      403,
    );
    expectErrorEnvelope(await patchCompany(agent, mine.id, { ownerId: owner.userId }), 403);

    const unowned = await createCompany(owner, { name: "Up for grabs", ownerId: null });
    const claimed = await patchCompany(agent, unowned.id, { ownerId: agent.userId });
    expect(claimed.status).toBe(200);
    expect(claimed.body.data.ownerId).toBe(agent.userId);

    const reassigned = await patchCompany(owner, mine.id, { ownerId: owner.userId });
    expect(reassigned.status).toBe(200);
    const audit = await call<{ targetId: string; metadata: Record<string, unknown> }[]>(
      "/audit-logs?action=record.owner_changed",
      { token: owner.accessToken },
    );
    expect(audit.body.data.find((row) => row.targetId === mine.id)?.metadata).toMatchObject({
      from: agent.userId,
      to: owner.userId,
    });
  });
});

describe("deleting and restoring companies", () => {
  it("hides a deleted company until it is restored", async () => {
    const company = await createCompany(owner, { name: "Phoenix Holdings" });
    const deleted = await call(`/companies/${company.id}`, {
      method: "DELETE",
      token: owner.accessToken,
    });
    expect(deleted.status).toBe(200);
    expectErrorEnvelope(await call(`/companies/${company.id}`, { token: owner.accessToken }), 404);
    expect((await listCompanies(owner, "q=Phoenix")).rows).toEqual([]);
    const trash = await listCompanies(owner, "deleted=true&q=Phoenix");
    expect(trash.rows.map((row) => row.id)).toEqual([company.id]);
    expectErrorEnvelope(
      await call(`/companies/${company.id}`, { method: "DELETE", token: owner.accessToken }),
      404,
    );

    const audit = await call<{ targetId: string }[]>("/audit-logs?action=record.deleted", {
      token: owner.accessToken,
    });
    expect(audit.body.data.map((row) => row.targetId)).toContain(company.id);

    const restored = await call<Company>(`/companies/${company.id}/restore`, {
      method: "POST",
      token: owner.accessToken,
    });
    expect(restored.status).toBe(200);
    expect(restored.body.data).toMatchObject({ deletedAt: null, version: 3 });
    expect((await listCompanies(owner, "q=Phoenix")).rows.map((row) => row.id)).toEqual([
      company.id,
    ]);
  });
});

describe("companies of another organization", () => {
  it("are a 404 on get, patch, delete and restore", async () => {
    const company = await createCompany(owner, { name: "Secret Labs" });
    const other = await signUp("companies-other");
    const responses = await Promise.all([
      call(`/companies/${company.id}`, { token: other.accessToken }),
      patchCompany(other, company.id, { name: "Stolen" }),
      call(`/companies/${company.id}`, { method: "DELETE", token: other.accessToken }),
      call(`/companies/${company.id}/restore`, { method: "POST", token: other.accessToken }),
    ]);
    for (const response of responses) expectErrorEnvelope(response, 404, "not_found");
    expect((await listCompanies(other, "q=Secret")).rows).toEqual([]);
  });
});

describe("the API description", () => {
  it("documents the contact and company endpoints", async () => {
    const response = await call<never>("/openapi.json");
    expect(response.status).toBe(200);
    const paths = Object.keys((response.body as unknown as { paths: object }).paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        "/companies",
        "/companies/{id}",
        "/companies/{id}/restore",
        "/contacts",
        "/contacts/lookup",
        "/contacts/{id}",
        "/contacts/{id}/restore",
      ]),
    );
  });
});
