import { beforeAll, describe, expect, it } from "vitest";
import { type SeededRecord, seedCompany, seedContact, seedDeal, seedLead } from "./crm-seed";
import { addMember, call, expectErrorEnvelope, type Session, signUp } from "./helpers";

interface SearchResult {
  entity: "contact" | "company" | "lead" | "deal";
  id: string;
  title: string;
  subtitle: string | null;
  score: number;
}

async function search(session: Session, q: string, limit?: number) {
  const query = `q=${encodeURIComponent(q)}${limit ? `&limit=${limit}` : ""}`;
  const response = await call<SearchResult[]>(`/search?${query}`, { token: session.accessToken });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.data;
}

describe("global search", () => {
  let owner: Session;
  let rival: Session;
  let john: SeededRecord;
  let joan: SeededRecord;
  let acme: SeededRecord;
  let rivalJohn: SeededRecord;

  beforeAll(async () => {
    owner = await signUp("search");
    rival = await signUp("search-rival");
    acme = await seedCompany(owner, { name: "Acme Corporation", domain: "acme.example" });
    john = await seedContact(owner, {
      firstName: "John",
      lastName: "Smith",
      email: "john.smith@acme.example",
      phone: "+1 (415) 555-0132",
      companyId: acme.id,
    });
    joan = await seedContact(owner, { firstName: "Joan", lastName: "Smythe" });
    await seedContact(owner, {
      firstName: "Zed",
      lastName: "Unrelated",
      phone: "+44 20 7946 0958",
    });
    await seedDeal(owner, { title: "Acme renewal 2027" });
    await seedLead(owner, "Globex inbound enquiry");
    rivalJohn = await seedContact(rival, {
      firstName: "John",
      lastName: "Smith",
      phone: "+1 415 555 0132",
    });
    await seedCompany(rival, { name: "Acme Corporation" });
  });

  it("finds a misspelled name among many look-alikes", async () => {
    const office = await signUp("search-lookalikes");
    const lookalikes = (
      "Marmarbri Marmarcor Marmardan Marmardor Marmarfel Marmargro Marmarhal Marmarka " +
      "Marmarlen Marmarlo Marmarmar Marmarmi Marmarno Marmarpel Marmarqui Marmarren Marmarri " +
      "Marmarsa Marmarste Marmartor Marmarvan Marmarvel Marmarwick Marmarze Marmibri"
    ).split(" ");
    for (const lastName of lookalikes) await seedContact(office, { firstName: "Ella", lastName });
    const ella = await seedContact(office, { firstName: "Ella", lastName: "Marmicor" });
    // Two letters swapped: every look-alike shares as many trigrams with it as the real name.
    const results = await search(office, "Ella Marimcor");
    expect(results.map((result) => result.id)).toContain(ella.id);
  });

  it("tolerates typos in names, best match first", async () => {
    const results = await search(owner, "Jon Smiht");
    expect(results[0]).toMatchObject({ entity: "contact", id: john.id, title: "John Smith" });
    expect(results[0]?.subtitle).toContain("Acme Corporation");

    const exact = await search(owner, "john smith");
    expect(exact[0]?.id).toBe(john.id);
    const ids = exact.map((result) => result.id);
    if (ids.includes(joan.id)) expect(ids.indexOf(joan.id)).toBeGreaterThan(ids.indexOf(john.id));
  });

  it("finds a company by an abbreviated name and a deal or lead by title words", async () => {
    const companies = await search(owner, "Acme Corp");
    expect(companies[0]).toMatchObject({
      entity: "company",
      id: acme.id,
      title: "Acme Corporation",
    });
    const scores = companies.map((result) => result.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);

    const deals = await search(owner, "renewal");
    expect(deals[0]).toMatchObject({ entity: "deal", title: "Acme renewal 2027" });
    const leads = await search(owner, "globex enquiry");
    expect(leads[0]).toMatchObject({ entity: "lead", title: "Globex inbound enquiry" });
  });

  it("finds contacts by e-mail address", async () => {
    const results = await search(owner, "john.smith@acme.example");
    expect(results[0]?.id).toBe(john.id);
  });

  it("finds contacts by a phone number typed in another format", async () => {
    for (const q of ["(415) 555-0132", "415.555.0132", "+14155550132", "555 0132"]) {
      const results = await search(owner, q);
      expect(results[0], q).toMatchObject({ entity: "contact", id: john.id });
      expect(results.map((result) => result.id)).not.toContain(rivalJohn.id);
    }
    const london = await search(owner, "020 7946 0958");
    expect(london[0]?.title).toBe("Zed Unrelated");
  });

  it("never returns another organization's records", async () => {
    for (const q of ["John Smith", "Acme Corporation", "415 555 0132"]) {
      const mine = await search(owner, q);
      const theirs = await search(rival, q);
      expect(mine.map((result) => result.id)).not.toContain(rivalJohn.id);
      expect(theirs.map((result) => result.id)).not.toContain(john.id);
      expect(theirs.map((result) => result.id)).not.toContain(acme.id);
    }
    expect((await search(rival, "John Smith"))[0]?.id).toBe(rivalJohn.id);
  });

  it("leaves out deleted records", async () => {
    const ghost = await seedContact(owner, { firstName: "Casper", lastName: "Ghostly" });
    expect((await search(owner, "Casper Ghostly"))[0]?.id).toBe(ghost.id);
    const deleted = await call(`/contacts/${ghost.id}`, {
      method: "DELETE",
      token: owner.accessToken,
    });
    expect(deleted.status).toBe(200);
    expect((await search(owner, "Casper Ghostly")).map((result) => result.id)).not.toContain(
      ghost.id,
    );
  });

  it("limits the results and is open to viewers", async () => {
    const viewer = await addMember(owner, "viewer");
    expect(await search(viewer, "acme", 1)).toHaveLength(1);
    expect(await search(viewer, "nothing like this anywhere")).toEqual([]);
  });

  it("validates the query", async () => {
    for (const query of ["", "?q=", "?q=x&limit=0", "?q=x&limit=51", `?q=${"x".repeat(201)}`]) {
      expectErrorEnvelope(
        await call(`/search${query}`, { token: owner.accessToken }),
        422,
        "validation_failed",
      );
    }
    expectErrorEnvelope(await call("/search?q=acme"), 401);
  });
});
