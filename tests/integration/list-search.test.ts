import { beforeAll, describe, expect, it } from "vitest";
import { type SeededRecord, seedCompany, seedContact, seedDeal, seedLead } from "./crm-seed";
import { call, type Session, signUp } from "./helpers";

/*
 * `q` on the contact, company, lead and deal lists (which the app's list pages also use): the
 * placeholder promises names, e-mail addresses and phone numbers, typed as people type them.
 */

async function listIds(session: Session, entity: string, q: string, extra = "") {
  const response = await call<{ id: string }[]>(`/${entity}?q=${encodeURIComponent(q)}${extra}`, {
    token: session.accessToken,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.data.map((row) => row.id);
}

describe("list search", () => {
  let owner: Session;
  let rival: Session;
  let jane: SeededRecord;
  let importer: SeededRecord;
  let other: SeededRecord;
  let rivalJane: SeededRecord;
  let lead: SeededRecord;

  beforeAll(async () => {
    owner = await signUp("list-search");
    rival = await signUp("list-search-rival");
    const gb = await call("/organization", {
      method: "PATCH",
      token: owner.accessToken,
      body: { defaultCountry: "GB" },
    });
    expect(gb.status, JSON.stringify(gb.body)).toBe(200);
    jane = await seedContact(owner, {
      firstName: "Jane",
      lastName: "Doe",
      email: "jane.doe@x.example",
      phone: "+44 20 7946 0000",
    });
    importer = await seedContact(owner, {
      firstName: "Ivo",
      lastName: "Porter",
      email: "x@import-test.example",
    });
    other = await seedContact(owner, {
      firstName: "Otto",
      lastName: "Other",
      email: "otto@elsewhere.example",
      phone: "+1 415 555 0132",
    });
    rivalJane = await seedContact(rival, {
      firstName: "Jane",
      lastName: "Doe",
      email: "jane.doe@x.example",
      phone: "+44 20 7946 0000",
    });
    lead = await seedLead(owner, "Inbound from the fair", {
      firstName: "Lena",
      lastName: "Lead",
      email: "lena@import-test.example",
      phone: "020 7946 0111",
      companyName: "Fairground Ltd",
    });
    await seedCompany(owner, { name: "Acme Corporation", domain: "acme.example" });
    await seedDeal(owner, { title: "Acme renewal 2027" });
  });

  it("finds a contact by a phone number typed in any format", async () => {
    for (const q of [
      "+44 20 7946 0000",
      "020 7946 0000",
      "(020) 7946-0000",
      "7946 0000",
      "2079460000",
      "442079460000",
      "+442079460000",
    ]) {
      const ids = await listIds(owner, "contacts", q);
      expect(ids, q).toContain(jane.id);
      expect(ids, q).not.toContain(other.id);
      expect(ids, q).not.toContain(rivalJane.id);
    }
    expect(await listIds(owner, "contacts", "415 555 0132")).toEqual([other.id]);
  });

  it("finds contacts by the start of an e-mail address or its domain", async () => {
    expect(await listIds(owner, "contacts", "import-test")).toEqual([importer.id]);
    expect(await listIds(owner, "contacts", "import-test.example")).toEqual([importer.id]);
    expect(await listIds(owner, "contacts", "jane")).toEqual([jane.id]);
    expect(await listIds(owner, "contacts", "jane.doe")).toEqual([jane.id]);
    expect(await listIds(owner, "contacts", "elsewhere")).toEqual([other.id]);
  });

  it("still finds names with typos, and companies and deals by their words", async () => {
    expect(await listIds(owner, "contacts", "Jnae Doe")).toContain(jane.id);
    expect(await listIds(owner, "companies", "acme corp")).toHaveLength(1);
    expect(await listIds(owner, "deals", "renewal")).toHaveLength(1);
    expect(await listIds(owner, "contacts", "nothing like this")).toEqual([]);
  });

  it("finds leads by their person, company, e-mail and phone", async () => {
    for (const q of ["Lena", "Fairground", "import-test", "7946 0111", "020 7946 0111", "fair"]) {
      expect(await listIds(owner, "leads", q), q).toEqual([lead.id]);
    }
  });

  it("searches the deleted records too when asked, and never another organization's", async () => {
    const gone = await seedContact(owner, { firstName: "Gone", phone: "+44 20 7946 0999" });
    const deleted = await call(`/contacts/${gone.id}`, {
      method: "DELETE",
      token: owner.accessToken,
    });
    expect(deleted.status).toBe(200);
    expect(await listIds(owner, "contacts", "7946 0999")).toEqual([]);
    expect(await listIds(owner, "contacts", "7946 0999", "&deleted=true")).toEqual([gone.id]);
    expect(await listIds(rival, "contacts", "jane")).toEqual([rivalJane.id]);
    expect(await listIds(rival, "contacts", "import-test")).toEqual([]);
    expect(await listIds(rival, "leads", "Lena")).toEqual([]);
  });
});
