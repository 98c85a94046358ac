import { describe, expect, it, vi } from "vitest";
import { addMember, call, expectErrorEnvelope, type Session, signUp } from "./helpers";

interface Organization {
  id: string;
  name: string;
  slug: string;
  defaultCountry: string;
  timeZone: string;
  currency: string;
}

interface Contact {
  id: string;
  phoneNumbers: string[];
  phones: { raw: string; e164: string | null }[];
}

function patchOrganization(session: Session, body: unknown) {
  return call<Organization>("/organization", {
    method: "PATCH",
    token: session.accessToken,
    body,
  });
}

async function me(session: Session) {
  const response = await call<{ organization: Organization }>("/auth/me", {
    token: session.accessToken,
  });
  expect(response.status).toBe(200);
  return response.body.data.organization;
}

async function createContact(session: Session, body: Record<string, unknown>) {
  const response = await call<Contact>("/contacts", {
    method: "POST",
    token: session.accessToken,
    body,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.data;
}

describe("organization settings", () => {
  it("start as US, UTC and USD; admins change them and everyone reads them", async () => {
    const owner = await signUp("org-settings");
    const initial = await call<Organization>("/organization", { token: owner.accessToken });
    expect(initial.status).toBe(200);
    expect(initial.body.data).toMatchObject({
      id: owner.orgId,
      defaultCountry: "US",
      timeZone: "UTC",
      currency: "USD",
    });
    expect(await me(owner)).toMatchObject({
      defaultCountry: "US",
      timeZone: "UTC",
      currency: "USD",
    });

    const admin = await addMember(owner, "admin");
    const saved = await patchOrganization(admin, {
      name: "  Fog & Co  ",
      defaultCountry: "gb",
      timeZone: "europe/london",
      currency: "gbp",
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.data).toMatchObject({
      name: "Fog & Co",
      defaultCountry: "GB",
      timeZone: "Europe/London",
      currency: "GBP",
    });
    expect(await me(owner)).toMatchObject({
      name: "Fog & Co",
      defaultCountry: "GB",
      timeZone: "Europe/London",
      currency: "GBP",
    });

    const agent = await addMember(owner, "agent");
    const read = await call<Organization>("/organization", { token: agent.accessToken });
    expect(read.body.data.currency).toBe("GBP");
    expectErrorEnvelope(await patchOrganization(agent, { currency: "EUR" }), 403, "forbidden");
    const manager = await addMember(owner, "manager");
    expectErrorEnvelope(await patchOrganization(manager, { name: "Mine" }), 403, "forbidden");

    const audit = await call<{ action: string }[]>("/audit-logs", { token: owner.accessToken });
    expect(audit.body.data.map((entry) => entry.action)).toContain("organization.updated");
  });

  it("refuse unknown countries, time zones and currencies with 422", async () => {
    const owner = await signUp("org-settings-invalid");
    for (const body of [
      { defaultCountry: "XX" },
      { defaultCountry: "GBR" },
      { timeZone: "Mars/Olympus_Mons" },
      { timeZone: "+01:00" },
      { currency: "XYZ" },
      { currency: "US" },
      { name: "" },
      {},
      { slug: "mine" },
    ]) {
      expectErrorEnvelope(await patchOrganization(owner, body), 422, "validation_failed");
    }
    expect((await me(owner)).defaultCountry).toBe("US");
    expectErrorEnvelope(await call("/organization"), 401);
  });

  it("read national phone numbers in the default country wherever phones enter", async () => {
    const owner = await signUp("org-phones");
    const before = await createContact(owner, { firstName: "Kept", phone: "(415) 555-0132" });
    expect(before.phoneNumbers).toEqual(["+14155550132"]);
    expect((await patchOrganization(owner, { defaultCountry: "GB" })).status).toBe(200);

    const london = await createContact(owner, { firstName: "Lon", phone: "020 7946 0000" });
    expect(london.phoneNumbers).toEqual(["+442079460000"]);
    const edited = await call<Contact>(`/contacts/${london.id}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: { version: 1, phones: [{ raw: "07700 900123" }] },
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body.data.phoneNumbers).toEqual(["+447700900123"]);

    const kept = await call<Contact>(`/contacts/${before.id}`, { token: owner.accessToken });
    expect(kept.body.data.phoneNumbers).toEqual(["+14155550132"]);

    const lookup = await call<Contact[]>(
      `/contacts/lookup?phone=${encodeURIComponent("07700 900123")}`,
      { token: owner.accessToken },
    );
    expect(lookup.body.data.map((contact) => contact.id)).toEqual([london.id]);

    const lead = await call<{ phone: string | null }>("/leads", {
      method: "POST",
      token: owner.accessToken,
      body: { title: "Walk-in", phone: "020 7946 0001" },
    });
    expect(lead.status, JSON.stringify(lead.body)).toBe(201);
    expect(lead.body.data.phone).toBe("+442079460001");

    const search = await call<{ id: string }[]>(`/search?q=${encodeURIComponent("07700 900123")}`, {
      token: owner.accessToken,
    });
    expect(search.body.data[0]?.id).toBe(london.id);

    const uploaded = await call<{ job: { id: string }; validRows: number }>("/imports", {
      method: "POST",
      token: owner.accessToken,
      body: {
        entity: "contact",
        csv: "First Name,Phone\nImported,020 7946 0002\n",
        mapping: { "First Name": "firstName", Phone: "phone" },
        duplicates: "skip",
      },
    });
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    expect(uploaded.body.data.validRows).toBe(1);
    const started = await call(`/imports/${uploaded.body.data.job.id}/start`, {
      method: "POST",
      token: owner.accessToken,
    });
    expect(started.status).toBe(202);
    await vi.waitFor(
      async () => {
        const found = await call<Contact[]>(
          `/contacts/lookup?phone=${encodeURIComponent("+44 20 7946 0002")}`,
          { token: owner.accessToken },
        );
        expect(found.body.data).toHaveLength(1);
      },
      { timeout: 20_000, interval: 200 },
    );
  });

  it("give deals without a currency the organization's", async () => {
    const owner = await signUp("org-currency");
    expect((await patchOrganization(owner, { currency: "EUR" })).status).toBe(200);
    const deal = await call<{ currency: string }>("/deals", {
      method: "POST",
      token: owner.accessToken,
      body: { title: "Euro deal", amount: 1000 },
    });
    expect(deal.status, JSON.stringify(deal.body)).toBe(201);
    expect(deal.body.data.currency).toBe("EUR");
    const named = await call<{ currency: string }>("/deals", {
      method: "POST",
      token: owner.accessToken,
      body: { title: "Dollar deal", amount: 1000, currency: "USD" },
    });
    expect(named.body.data.currency).toBe("USD");

    const lead = await call<{ id: string }>("/leads", {
      method: "POST",
      token: owner.accessToken,
      body: { title: "Euro lead" },
    });
    const converted = await call<{ deal: { currency: string } }>(
      `/leads/${lead.body.data.id}/convert`,
      { method: "POST", token: owner.accessToken, body: {} },
    );
    expect(converted.status, JSON.stringify(converted.body)).toBe(201);
    expect(converted.body.data.deal.currency).toBe("EUR");
  });
});
