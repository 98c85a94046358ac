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

interface Contact {
  id: string;
  firstName: string;
  lastName: string;
  emails: { email: string; primary: boolean; label?: string }[];
  phones: { raw: string; e164: string | null; primary: boolean; label?: string }[];
  companyId: string | null;
  company: { id: string; name: string; domain: string | null } | null;
  ownerId: string | null;
  lifecycleStage: string;
  tags: string[];
  custom: Record<string, unknown>;
  version: number;
  deletedAt: string | null;
}

let owner: Session;
let manager: Session;
let agent: Session;
let viewer: Session;

beforeAll(async () => {
  owner = await signUp("contacts");
  manager = await addMember(owner, "manager");
  agent = await addMember(owner, "agent");
  viewer = await addMember(owner, "viewer");
});

async function createContact(session: Session, body: Record<string, unknown>) {
  const response = await call<Contact>("/contacts", {
    method: "POST",
    token: session.accessToken,
    body,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.data;
}

async function listContacts(session: Session, query: string) {
  const response = await call<Contact[]>(`/contacts?${query}`, { token: session.accessToken });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return { rows: response.body.data, nextCursor: response.body.meta?.pagination?.nextCursor };
}

async function lookup(session: Session, query: string) {
  const response = await call<Contact[]>(`/contacts/lookup?${query}`, {
    token: session.accessToken,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.data.map((contact) => contact.id);
}

function patchContact(session: Session, id: string, body: Record<string, unknown>) {
  return call<Contact>(`/contacts/${id}`, { method: "PATCH", token: session.accessToken, body });
}

describe("creating contacts", () => {
  it("accepts the email/phone shorthand and stores one primary entry of each", async () => {
    const contact = await createContact(owner, {
      firstName: "Ada",
      lastName: "Lovelace",
      email: "Ada@Example.COM",
      phone: "(415) 555-0132",
    });
    expect(contact.emails).toEqual([{ email: "ada@example.com", primary: true }]);
    expect(contact.phones).toEqual([
      { raw: "(415) 555-0132", e164: "+14155550132", primary: true },
    ]);
    expect(contact.ownerId).toBe(owner.userId);
    expect(contact.lifecycleStage).toBe("lead");
    expect(contact.version).toBe(1);

    const fetched = await call<Contact>(`/contacts/${contact.id}`, { token: viewer.accessToken });
    expect(fetched.status).toBe(200);
    expect(fetched.body.data).toEqual(contact);
  });

  it("accepts full lists, reads numbers in the given default country, keeps the raw text", async () => {
    const contact = await createContact(owner, {
      firstName: "Grace",
      lastName: "Hopper",
      defaultCountry: "DE",
      emails: [
        { email: "grace@navy.example", label: "work" },
        { email: "GRACE@home.example", primary: true },
      ],
      phones: [{ raw: "+1 415 555 0133", label: "mobile" }, { raw: "004930 1234567" }],
    });
    expect(contact.emails).toEqual([
      { email: "grace@navy.example", primary: false, label: "work" },
      { email: "grace@home.example", primary: true },
    ]);
    expect(contact.phones).toEqual([
      { raw: "+1 415 555 0133", e164: "+14155550133", primary: true, label: "mobile" },
      { raw: "004930 1234567", e164: "+49301234567", primary: false },
    ]);
  });

  it("reports unreadable numbers, bad addresses and double primaries per field", async () => {
    const unreadable = await call("/contacts", {
      method: "POST",
      token: owner.accessToken,
      body: { firstName: "Bad", phones: [{ raw: "+1 415 555 0134" }, { raw: "call me" }] },
    });
    expectErrorEnvelope(unreadable, 422, "validation_failed");
    expect(Object.keys(unreadable.body.errors ?? {})).toEqual(["phones.1"]);

    const shorthand = await call("/contacts", {
      method: "POST",
      token: owner.accessToken,
      body: { firstName: "Bad", phone: "12" },
    });
    expectErrorEnvelope(shorthand, 422, "validation_failed");
    expect(shorthand.body.errors?.phone).toBeDefined();

    const twoPrimaries = await call("/contacts", {
      method: "POST",
      token: owner.accessToken,
      body: {
        firstName: "Bad",
        emails: [
          { email: "a@example.com", primary: true },
          { email: "b@example.com", primary: true },
        ],
      },
    });
    expectErrorEnvelope(twoPrimaries, 422, "validation_failed");
    expect(twoPrimaries.body.errors?.emails).toBeDefined();

    const badRequests = [
      { firstName: "Bad", email: "not-an-address" },
      { firstName: "Bad", email: "a@example.com", emails: [{ email: "b@example.com" }] },
      { firstName: "Bad", phones: [{ raw: "4155550135" }, { raw: "(415) 555-0135" }] },
      { firstName: "Bad", phone: "4155550135", defaultCountry: "XX" },
      { firstName: "", lastName: "Nameless" },
      { firstName: "Bad", lifecycleStage: "champion" },
      { firstName: "Bad", unknownField: true },
    ];
    for (const body of badRequests) {
      const response = await call("/contacts", { method: "POST", token: owner.accessToken, body });
      expectErrorEnvelope(response, 422, "validation_failed");
    }
  });

  it("is refused to viewers", async () => {
    const response = await call("/contacts", {
      method: "POST",
      token: viewer.accessToken,
      body: { firstName: "Nope" },
    });
    expectErrorEnvelope(response, 403, "forbidden");
  });

  it("links a company of the organization and shows its summary; another org's is a 422", async () => {
    const company = await call<{ id: string }>("/companies", {
      method: "POST",
      token: owner.accessToken,
      body: { name: "Analytical Engines", domain: "engines.example" },
    });
    expect(company.status).toBe(201);
    const contact = await createContact(owner, {
      firstName: "Charles",
      lastName: "Babbage",
      companyId: company.body.data.id,
    });
    expect(contact.company).toEqual({
      id: company.body.data.id,
      name: "Analytical Engines",
      domain: "engines.example",
    });

    const stranger = await signUp("contacts-stranger");
    const foreignCompany = await call<{ id: string }>("/companies", {
      method: "POST",
      token: stranger.accessToken,
      body: { name: "Elsewhere Ltd" },
    });
    const response = await call("/contacts", {
      method: "POST",
      token: owner.accessToken,
      body: { firstName: "Mallory", companyId: foreignCompany.body.data.id },
    });
    expectErrorEnvelope(response, 422, "validation_failed");
    expect(response.body.errors?.companyId).toBeDefined();
    const patch = await patchContact(owner, contact.id, { companyId: foreignCompany.body.data.id });
    expectErrorEnvelope(patch, 422, "validation_failed");
  });
});

describe("looking contacts up for incoming calls and e-mails", () => {
  it("finds a number typed differently, newest first, and ignores deleted contacts", async () => {
    const older = await createContact(owner, { firstName: "Older", phone: "+1 (212) 555-0188" });
    const newer = await createContact(owner, { firstName: "Newer", phone: "212.555.0188" });
    const berlin = await createContact(owner, {
      firstName: "Berlin",
      phone: "030 9876543",
      defaultCountry: "DE",
    });

    expect(await lookup(owner, `phone=${encodeURIComponent("(212) 555-0188")}`)).toEqual([
      newer.id,
      older.id,
    ]);
    expect(await lookup(owner, `phone=${encodeURIComponent("+12125550188")}`)).toEqual([
      newer.id,
      older.id,
    ]);
    expect(
      await lookup(agent, `phone=${encodeURIComponent("0049 30 9876543")}&defaultCountry=DE`),
    ).toEqual([berlin.id]);
    expect(await lookup(owner, `phone=${encodeURIComponent("+1 646 555 0100")}`)).toEqual([]);

    await call(`/contacts/${newer.id}`, { method: "DELETE", token: owner.accessToken });
    expect(await lookup(owner, "phone=2125550188")).toEqual([older.id]);
  });

  it("finds an address whatever its case", async () => {
    const contact = await createContact(owner, {
      firstName: "Mail",
      email: "lookup.me@example.com",
    });
    expect(await lookup(viewer, "email=LOOKUP.ME%40Example.com")).toEqual([contact.id]);
  });

  it("needs exactly one readable phone or email", async () => {
    for (const query of ["", "phone=abc", "phone=123&email=a%40example.com", "email=nope"]) {
      const response = await call(`/contacts/lookup?${query}`, { token: owner.accessToken });
      expectErrorEnvelope(response, 422, "validation_failed");
    }
  });
});

describe("listing contacts", () => {
  let lister: Session;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    lister = await signUp("contacts-list");
    const people = [
      { firstName: "John", lastName: "Smith", tags: ["vip"], lifecycleStage: "customer" },
      { firstName: "Marie", lastName: "Curie", email: "marie@radium.example" },
      { firstName: "Alan", lastName: "Turing", phone: "+44 20 7946 0958", tags: ["vip"] },
      { firstName: "Emmy", lastName: "Noether", doNotContact: true },
      { firstName: "Niels", lastName: "Bohr", title: "Physicist" },
    ];
    for (const person of people) ids[person.lastName] = (await createContact(lister, person)).id;
  });

  it("sorts and pages with a cursor", async () => {
    const first = await listContacts(lister, "sort=lastName&limit=3");
    expect(first.rows.map((row) => row.lastName)).toEqual(["Bohr", "Curie", "Noether"]);
    expect(first.nextCursor).toBeTruthy();
    const second = await listContacts(
      lister,
      `sort=lastName&limit=3&cursor=${encodeURIComponent(first.nextCursor ?? "")}`,
    );
    expect(second.rows.map((row) => row.lastName)).toEqual(["Smith", "Turing"]);
    expect(second.nextCursor).toBeNull();

    const newestFirst = await listContacts(lister, "limit=4");
    expect(newestFirst.rows[0]?.lastName).toBe("Bohr");
    const rest = await listContacts(
      lister,
      `limit=4&cursor=${encodeURIComponent(newestFirst.nextCursor ?? "")}`,
    );
    expect(rest.rows.map((row) => row.lastName)).toEqual(["Smith"]);

    const descending = await listContacts(lister, "sort=-firstName&limit=2");
    expect(descending.rows.map((row) => row.firstName)).toEqual(["Niels", "Marie"]);
  });

  it("filters on fields, tags, e-mail and phone in any format", async () => {
    const names = async (query: string) =>
      (await listContacts(lister, query)).rows.map((row) => row.lastName).sort();
    expect(await names("filter.tags=vip")).toEqual(["Smith", "Turing"]);
    expect(await names("filter.lifecycleStage=customer")).toEqual(["Smith"]);
    expect(await names("filter.doNotContact=true")).toEqual(["Noether"]);
    expect(await names("filter.lastName=Curie,Bohr")).toEqual(["Bohr", "Curie"]);
    expect(await names("filter.title.contains=physic")).toEqual(["Bohr"]);
    expect(await names(`filter.ownerId=${lister.userId}&filter.tags=vip`)).toEqual([
      "Smith",
      "Turing",
    ]);
    expect(await names("filter.email=MARIE%40radium.example")).toEqual(["Curie"]);
    expect(
      await names(`filter.phone=${encodeURIComponent("020 7946 0958")}&defaultCountry=GB`),
    ).toEqual(["Turing"]);
    expect(await names(`filter.phone=${encodeURIComponent("+442079460958")}`)).toEqual(["Turing"]);
    expect(await names("filter.createdAt.gte=2000-01-01")).toHaveLength(5);
  });

  it("searches names by prefix, typos and e-mail addresses", async () => {
    const names = async (q: string) =>
      (await listContacts(lister, `q=${encodeURIComponent(q)}`)).rows.map((row) => row.lastName);
    expect(await names("Noeth")).toEqual(["Noether"]);
    expect(await names("Jon Smiht")).toEqual(["Smith"]);
    expect(await names("marie@radium.example")).toEqual(["Curie"]);
    expect(await names("physicist")).toEqual(["Bohr"]);
  });

  it("rejects unknown filters, sorts and bad values", async () => {
    expectErrorEnvelope(
      await call("/contacts?filter.password=x", { token: lister.accessToken }),
      400,
    );
    expectErrorEnvelope(await call("/contacts?sort=email", { token: lister.accessToken }), 422);
    expectErrorEnvelope(
      await call("/contacts?filter.phone=not-a-number", { token: lister.accessToken }),
      422,
    );
    expectErrorEnvelope(await call("/contacts?cursor=garbage", { token: lister.accessToken }), 400);
  });
});

describe("custom fields on contacts", () => {
  it("validates values against the definitions and filters by them", async () => {
    const org = await signUp("contacts-custom");
    const db = workerDatabase();
    try {
      await db.transaction({ orgId: org.orgId, userId: org.userId }, (tx) =>
        tx.insert(customFieldDefinitions).values({
          id: crypto.randomUUID(),
          orgId: org.orgId,
          entity: "contact",
          key: "tier",
          label: "Tier",
          type: "select",
          options: ["gold", "silver"],
        }),
      );
    } finally {
      await db.close();
    }

    const wrongValue = await call("/contacts", {
      method: "POST",
      token: org.accessToken,
      body: { firstName: "Wrong", custom: { tier: "platinum" } },
    });
    expectErrorEnvelope(wrongValue, 422, "validation_failed");
    expect(wrongValue.body.errors?.["custom.tier"]).toBeDefined();
    const unknownKey = await call("/contacts", {
      method: "POST",
      token: org.accessToken,
      body: { firstName: "Wrong", custom: { shoeSize: 42 } },
    });
    expect(unknownKey.body.errors?.["custom.shoeSize"]).toBeDefined();

    const gold = await createContact(org, { firstName: "Goldie", custom: { tier: "gold" } });
    const silver = await createContact(org, { firstName: "Silvia", custom: { tier: "silver" } });
    expect(gold.custom).toEqual({ tier: "gold" });
    expect((await listContacts(org, "filter.cf.tier=gold")).rows.map((row) => row.id)).toEqual([
      gold.id,
    ]);

    const cleared = await patchContact(org, silver.id, { custom: { tier: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.body.data.custom).toEqual({});
    const badPatch = await patchContact(org, silver.id, { custom: { tier: "bronze" } });
    expectErrorEnvelope(badPatch, 422, "validation_failed");
  });
});

describe("editing contacts", () => {
  it("bumps the version and refuses a stale one with 409", async () => {
    const contact = await createContact(owner, { firstName: "Versioned" });
    const first = await patchContact(owner, contact.id, {
      version: 1,
      title: "CTO",
      phones: [{ raw: "+1 415 555 0140", e164: null, primary: true }],
    });
    expect(first.status).toBe(200);
    expect(first.body.data.version).toBe(2);
    expect(first.body.data.phones[0]?.e164).toBe("+14155550140");

    const stale = await patchContact(owner, contact.id, { version: 1, title: "CEO" });
    expectErrorEnvelope(stale, 409, "conflict");
    const current = await call<Contact>(`/contacts/${contact.id}`, { token: owner.accessToken });
    expect(current.body.data).toMatchObject({ title: "CTO", version: 2 });
  });

  it("lets an agent edit their own contacts but not someone else's", async () => {
    const mine = await createContact(agent, { firstName: "Agent's" });
    expect(mine.ownerId).toBe(agent.userId);
    const edited = await patchContact(agent, mine.id, { lastName: "Own" });
    expect(edited.status).toBe(200);

    const theirs = await createContact(owner, { firstName: "Owner's" });
    expectErrorEnvelope(await patchContact(agent, theirs.id, { lastName: "Mine" }), 403);
    expectErrorEnvelope(
      await call(`/contacts/${theirs.id}`, { method: "DELETE", token: agent.accessToken }),
      403,
    );
    expectErrorEnvelope(await patchContact(viewer, mine.id, { lastName: "Viewer" }), 403);
  });

  it("reassigns only with manager rights, except claiming an unowned contact", async () => {
    const mine = await createContact(agent, { firstName: "Handover" });
    expectErrorEnvelope(await patchContact(agent, mine.id, { ownerId: owner.userId }), 403);
    expectErrorEnvelope(
      await call("/contacts", {
        method: "POST",
        token: agent.accessToken,
        body: { firstName: "For the boss", ownerId: owner.userId },
      }),
      403,
    );

    const unowned = await createContact(owner, { firstName: "Nobody's", ownerId: null });
    expect(unowned.ownerId).toBeNull();
    const claimed = await patchContact(agent, unowned.id, { ownerId: agent.userId });
    expect(claimed.status).toBe(200);
    expect(claimed.body.data.ownerId).toBe(agent.userId);

    // Managers reassign what they may edit (here: an unowned contact); admins anything.
    const unownedAgain = await createContact(owner, { firstName: "Pool", ownerId: null });
    const assigned = await patchContact(manager, unownedAgain.id, { ownerId: agent.userId });
    expect(assigned.status).toBe(200);
    expect(assigned.body.data.ownerId).toBe(agent.userId);
    const reassigned = await patchContact(owner, mine.id, { ownerId: owner.userId });
    expect(reassigned.status).toBe(200);
    expect(reassigned.body.data.ownerId).toBe(owner.userId);
    const audit = await call<{ targetId: string; metadata: Record<string, unknown> }[]>(
      "/audit-logs?action=record.owner_changed",
      { token: owner.accessToken },
    );
    const entry = audit.body.data.find((row) => row.targetId === mine.id);
    expect(entry?.metadata).toMatchObject({ from: agent.userId, to: owner.userId });

    const outsider = await signUp("contacts-outsider");
    const notMember = await patchContact(owner, mine.id, { ownerId: outsider.userId });
    expectErrorEnvelope(notMember, 422, "validation_failed");
    expect(notMember.body.errors?.ownerId).toBeDefined();
  });
});

describe("deleting and restoring contacts", () => {
  it("hides a deleted contact until it is restored, and audits the deletion", async () => {
    const contact = await createContact(owner, { firstName: "Ephemeral", lastName: "Zyx" });
    const deleted = await call(`/contacts/${contact.id}`, {
      method: "DELETE",
      token: owner.accessToken,
    });
    expect(deleted.status).toBe(200);

    expectErrorEnvelope(
      await call(`/contacts/${contact.id}`, { token: owner.accessToken }),
      404,
      "not_found",
    );
    const live = await listContacts(owner, "filter.lastName=Zyx");
    expect(live.rows).toEqual([]);
    const trash = await listContacts(owner, "deleted=true&filter.lastName=Zyx");
    expect(trash.rows.map((row) => row.id)).toEqual([contact.id]);
    expect(trash.rows[0]?.deletedAt).toBeTruthy();

    const audit = await call<{ targetId: string }[]>("/audit-logs?action=record.deleted", {
      token: owner.accessToken,
    });
    expect(audit.body.data.map((row) => row.targetId)).toContain(contact.id);

    const restored = await call<Contact>(`/contacts/${contact.id}/restore`, {
      method: "POST",
      token: owner.accessToken,
    });
    expect(restored.status).toBe(200);
    expect(restored.body.data.deletedAt).toBeNull();
    expect((await listContacts(owner, "filter.lastName=Zyx")).rows.map((row) => row.id)).toEqual([
      contact.id,
    ]);
    expectErrorEnvelope(
      await call(`/contacts/${contact.id}/restore`, { method: "POST", token: owner.accessToken }),
      409,
      "conflict",
    );
  });
});

describe("contacts of another organization", () => {
  it("are a 404 on get, patch, delete and restore, and never listed", async () => {
    const contact = await createContact(owner, { firstName: "Private", lastName: "Qwv" });
    const other = await signUp("contacts-other");
    const requests = [
      call(`/contacts/${contact.id}`, { token: other.accessToken }),
      patchContact(other, contact.id, { firstName: "Hijacked" }),
      call(`/contacts/${contact.id}`, { method: "DELETE", token: other.accessToken }),
      call(`/contacts/${contact.id}/restore`, { method: "POST", token: other.accessToken }),
    ];
    for (const response of await Promise.all(requests)) {
      expectErrorEnvelope(response, 404, "not_found");
    }
    expect((await listContacts(other, "q=Private")).rows).toEqual([]);
    expect(await lookup(other, "email=ada%40example.com")).toEqual([]);
    const unchanged = await call<Contact>(`/contacts/${contact.id}`, { token: owner.accessToken });
    expect(unchanged.body.data).toMatchObject({ firstName: "Private", version: 1 });
  });
});
