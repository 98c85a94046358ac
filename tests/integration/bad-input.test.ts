import { beforeAll, describe, expect, it } from "vitest";
import { seedContact, seedDeal, seedLead } from "./crm-seed";
import { call, expectErrorEnvelope, type Session, signUp } from "./helpers";

/*
 * The causes of the 500s a fuzzer found (issue 7): each is a 4xx in the envelope, answered by
 * the shared code where the cause lived, so every route that uses that code is covered.
 */

function cursor(value: unknown): string {
  return btoa(JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

let owner: Session;

beforeAll(async () => {
  owner = await signUp("bad-input");
  await seedContact(owner);
  await seedLead(owner, "Bad input lead", { score: 10 });
  await seedDeal(owner);
});

const get = (path: string) => call(path, { token: owner.accessToken });
const post = (path: string, rawBody: string) =>
  call(path, {
    method: "POST",
    token: owner.accessToken,
    rawBody,
    headers: { "content-type": "application/json" },
  });

describe("prototype keys in a JSON body", () => {
  it("are unknown fields, reported by name", async () => {
    const proto = await post("/contacts", '{"firstName":"A","__proto__":{"isAdmin":true}}');
    expectErrorEnvelope(proto, 422, "validation_failed");
    expect(Object.entries(proto.body.errors ?? {})).toEqual([["__proto__", ["Unknown field."]]]);

    const ctor = await post("/teams", '{"name":"A","constructor":{"prototype":{}}}');
    expectErrorEnvelope(ctor, 422, "validation_failed");
    expect(Object.entries(ctor.body.errors ?? {})).toEqual([["constructor", ["Unknown field."]]]);

    const nested = await post(
      "/contacts",
      '{"firstName":"A","emails":[{"email":"a@example.com","toString":1}]}',
    );
    expectErrorEnvelope(nested, 422, "validation_failed");
    expect(Object.keys(nested.body.errors ?? {})).toEqual(["emails.0.toString"]);
  });

  it("in custom values are not custom fields", async () => {
    const response = await post(
      "/contacts",
      '{"firstName":"A","custom":{"constructor":1,"__proto__":{"x":1}}}',
    );
    expectErrorEnvelope(response, 422, "validation_failed");
  });
});

describe("NUL characters", () => {
  it("in body strings are refused with the field named", async () => {
    const response = await call("/contacts", {
      method: "POST",
      token: owner.accessToken,
      body: { firstName: "Nul\u0000l", tags: ["ok", "b\u0000d"] },
    });
    expectErrorEnvelope(response, 422, "validation_failed");
    expect(Object.keys(response.body.errors ?? {}).sort()).toEqual(["firstName", "tags.1"]);
  });

  it("in q and in filters are refused", async () => {
    expectErrorEnvelope(await get("/companies?q=%00"), 422, "validation_failed");
    expectErrorEnvelope(await get("/search?q=a%00b"), 422, "validation_failed");
    const filter = await get("/contacts?filter.firstName.contains=%00");
    expectErrorEnvelope(filter, 422, "validation_failed");
    expect(filter.body.errors?.["filter.firstName.contains"]).toBeDefined();
  });
});

describe("pagination cursors", () => {
  it("forged list cursors are a 400", async () => {
    for (const forged of [
      cursor({ v: "not a date", id: crypto.randomUUID() }),
      cursor({ v: 12, id: crypto.randomUUID() }),
      cursor({ v: "2026-01-01T00:00:00.000Z", id: "not-an-id" }),
      cursor({ v: "+275760-09-13T00:00:00.000Z", id: crypto.randomUUID() }),
    ]) {
      expectErrorEnvelope(await get(`/contacts?cursor=${forged}`), 400, "bad_request");
    }
    const textForNumber = cursor({ v: "lots", id: crypto.randomUUID() });
    expectErrorEnvelope(await get(`/deals?sort=amount&cursor=${textForNumber}`), 400);
    const hugeForInteger = cursor({ v: 1e20, id: crypto.randomUUID() });
    expectErrorEnvelope(await get(`/leads?sort=score&cursor=${hugeForInteger}`), 400);
  });

  it("a forged keyset cursor is a 400", async () => {
    const forged = cursor({ at: "0000-01-01T00:00:00Z", id: crypto.randomUUID() });
    expectErrorEnvelope(await get(`/audit-logs?cursor=${forged}`), 400, "bad_request");
  });
});

describe("dates in filters", () => {
  it("outside what the database stores, or not ISO dates, are a 422", async () => {
    for (const query of [
      "filter.createdAt.gte=-100000-01-01T00:00:00Z",
      "filter.createdAt.lt=%2B200000-01-01T00:00:00Z",
      "filter.updatedAt=0",
      "filter.createdAt=Tuesday",
    ]) {
      const response = await get(`/contacts?${query}`);
      expectErrorEnvelope(response, 422, "validation_failed");
    }
    const ok = await get(
      "/contacts?filter.createdAt.gte=2020-01-01&filter.createdAt.lt=2100-01-01T00:00:00Z",
    );
    expect(ok.status).toBe(200);
    expect((ok.body.data as unknown[]).length).toBe(1);
  });
});

describe("ids in filters", () => {
  it("made of dashes are a 422", async () => {
    const response = await get(`/contacts?filter.ownerId=${"-".repeat(36)}`);
    expectErrorEnvelope(response, 422, "validation_failed");
  });
});

describe("filter names", () => {
  it("that are JavaScript built-ins are unknown filters", async () => {
    for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      expectErrorEnvelope(await get(`/companies?filter.${name}=x`), 400, "bad_request");
      expectErrorEnvelope(await get(`/contacts?filter.${name}=x`), 400, "bad_request");
    }
    expectErrorEnvelope(await get("/contacts?sort=constructor"), 422, "validation_failed");
  });
});

describe("integer filters", () => {
  it("beyond the column's range or with fractions are a 422", async () => {
    for (const query of [
      "/leads?filter.score.gt=99999999999",
      "/leads?filter.score=0.5",
      "/deals?filter.amount.gte=1e30",
      "/deals?filter.amount=1.5",
    ]) {
      expectErrorEnvelope(await get(query), 422, "validation_failed");
    }
    const ok = await get("/leads?filter.score.gte=5");
    expect(ok.status).toBe(200);
    expect((ok.body.data as unknown[]).length).toBe(1);
  });

  it("on custom fields compare numbers only, whatever is stored", async () => {
    await call("/custom-fields", {
      method: "POST",
      token: owner.accessToken,
      body: { entity: "contact", key: "nickname", label: "Nickname", type: "text" },
    });
    await seedContact(owner, { custom: { nickname: "Bob" } });
    const response = await get("/contacts?filter.cf.nickname.gt=5");
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual([]);
    expectErrorEnvelope(await get("/contacts?filter.cf.nickname.gt=abc"), 422);
  });
});

describe("lone UTF-16 surrogates", () => {
  it("in names and other stored strings are refused", async () => {
    const response = await call("/contacts", {
      method: "POST",
      token: owner.accessToken,
      rawBody: '{"firstName":"a\\ud800b","custom":{"note":"\\udc00"}}',
      headers: { "content-type": "application/json" },
    });
    expectErrorEnvelope(response, 422, "validation_failed");
    expect(Object.keys(response.body.errors ?? {}).sort()).toEqual(["custom.note", "firstName"]);
  });

  it("paired surrogates (emoji) are fine", async () => {
    const response = await call("/contacts", {
      method: "POST",
      token: owner.accessToken,
      body: { firstName: "Smile 😀" },
    });
    expect(response.status).toBe(201);
  });
});

describe("the ninth: a run of dashes in the search box", () => {
  it("is a search that finds nothing, not a failed query", async () => {
    const dashes = await get(`/search?q=${"-".repeat(36)}`);
    expect(dashes.status).toBe(200);
    expect(dashes.body.data).toEqual([]);
    for (const q of [`Person ${"-".repeat(41)}Test`, `Person ${"-".repeat(40)} Test`]) {
      expect((await get(`/search?q=${encodeURIComponent(q)}`)).status).toBe(200);
    }
  });
});

describe("already refused, kept so they stay refused", () => {
  it("deeply nested JSON", async () => {
    const deep = `${"[".repeat(5000)}1${"]".repeat(5000)}`;
    const response = await post("/contacts", `{"firstName":"A","custom":{"x":${deep}}}`);
    expectErrorEnvelope(response, 422, "validation_failed");
  });

  it("1e999 (Infinity) in a number field", async () => {
    const response = await post("/deals", '{"title":"Big","amount":1e999,"currency":"USD"}');
    expectErrorEnvelope(response, 422, "validation_failed");
  });
});
