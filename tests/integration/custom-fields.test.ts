import { describe, expect, it } from "vitest";
import { seedContact } from "./crm-seed";
import { addMember, call, expectErrorEnvelope, type Session, signUp } from "./helpers";

interface CustomField {
  id: string;
  entity: string;
  key: string;
  label: string;
  type: string;
  options: string[];
  required: boolean;
  position: number;
}

function postField(session: Session, body: Record<string, unknown>) {
  return call<CustomField>("/custom-fields", { method: "POST", token: session.accessToken, body });
}

async function createField(session: Session, body: Record<string, unknown>) {
  const response = await postField(session, body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.data;
}

async function auditActions(session: Session, targetId: string) {
  const response = await call<{ action: string; targetId: string }[]>("/audit-logs", {
    token: session.accessToken,
  });
  return response.body.data.filter((entry) => entry.targetId === targetId).map((e) => e.action);
}

describe("custom field definitions", () => {
  it("creates, lists by entity in position order, updates and deletes, with audit", async () => {
    const owner = await signUp("cf-crud");
    const tier = await createField(owner, {
      entity: "contact",
      key: "tier",
      label: "Tier",
      type: "select",
      options: ["gold", "silver"],
    });
    expect(tier).toMatchObject({ key: "tier", required: false, position: 0 });
    const birthday = await createField(owner, {
      entity: "contact",
      key: "birthday",
      label: "Birthday",
      type: "date",
    });
    expect(birthday.position).toBe(1);
    await createField(owner, { entity: "deal", key: "region", label: "Region", type: "text" });

    const contactFields = await call<CustomField[]>("/custom-fields?entity=contact", {
      token: owner.accessToken,
    });
    expect(contactFields.body.data.map((field) => field.key)).toEqual(["tier", "birthday"]);
    const all = await call<CustomField[]>("/custom-fields", { token: owner.accessToken });
    expect(all.body.data).toHaveLength(3);

    const updated = await call<CustomField>(`/custom-fields/${tier.id}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: { label: "Customer tier", options: ["gold", "silver", "bronze"], position: 5 },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.data).toMatchObject({
      label: "Customer tier",
      options: ["gold", "silver", "bronze"],
      position: 5,
    });

    const removed = await call(`/custom-fields/${birthday.id}`, {
      method: "DELETE",
      token: owner.accessToken,
    });
    expect(removed.status).toBe(200);
    const after = await call<CustomField[]>("/custom-fields?entity=contact", {
      token: owner.accessToken,
    });
    expect(after.body.data.map((field) => field.key)).toEqual(["tier"]);

    expect(await auditActions(owner, tier.id)).toEqual(
      expect.arrayContaining(["custom_field.created", "custom_field.updated"]),
    );
    expect(await auditActions(owner, birthday.id)).toEqual(
      expect.arrayContaining(["custom_field.created", "custom_field.deleted"]),
    );
  });

  it("is enforced on records, and a deleted field's values go with it", async () => {
    const owner = await signUp("cf-enforced");
    const field = await createField(owner, {
      entity: "contact",
      key: "score",
      label: "Score",
      type: "number",
    });
    const contact = await seedContact(owner, { custom: { score: 7 } });
    const invalid = await call("/contacts", {
      method: "POST",
      token: owner.accessToken,
      body: { firstName: "Bad", custom: { score: "lots" } },
    });
    expectErrorEnvelope(invalid, 422, "validation_failed");
    expect(invalid.body.errors?.["custom.score"]).toBeDefined();

    await call(`/custom-fields/${field.id}`, { method: "DELETE", token: owner.accessToken });
    const fetched = await call<{ custom: Record<string, unknown> }>(`/contacts/${contact.id}`, {
      token: owner.accessToken,
    });
    expect(fetched.body.data.custom).toEqual({});
  });

  it("refuses a duplicate key per entity with 409, but allows it on another entity", async () => {
    const owner = await signUp("cf-duplicate");
    const body = { entity: "company", key: "segment", label: "Segment", type: "text" };
    await createField(owner, body);
    expectErrorEnvelope(await postField(owner, body), 409, "conflict");
    await createField(owner, { ...body, entity: "lead" });
    // Another organization has its own namespace.
    await createField(await signUp("cf-duplicate-other"), body);
  });

  it("validates keys, types and options", async () => {
    const owner = await signUp("cf-validation");
    const base = { entity: "contact", label: "Field", type: "text" };
    for (const body of [
      { ...base, key: "Has Spaces" },
      { ...base, key: "CamelCase" },
      { ...base, key: "1starts_with_digit" },
      { ...base, key: "a".repeat(41) },
      { ...base, key: "ok", entity: "invoice" },
      { ...base, key: "ok", type: "color" },
      { ...base, key: "ok", label: "" },
      { ...base, key: "ok", type: "select" },
      { ...base, key: "ok", type: "select", options: [] },
      { ...base, key: "ok", type: "multi_select", options: ["a", "a"] },
      { ...base, key: "ok", options: ["a"] },
      { ...base, key: "ok", extra: true },
    ]) {
      expectErrorEnvelope(await postField(owner, body), 422, "validation_failed");
    }
    const text = await createField(owner, { ...base, key: "a".repeat(40) });
    const optionsOnText = await call(`/custom-fields/${text.id}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: { options: ["x"] },
    });
    expectErrorEnvelope(optionsOnText, 422, "validation_failed");
    const empty = await call(`/custom-fields/${text.id}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: {},
    });
    expectErrorEnvelope(empty, 422, "validation_failed");
  });

  it("is configured by admins only; everyone may read the definitions", async () => {
    const owner = await signUp("cf-rights");
    const admin = await addMember(owner, "admin");
    const manager = await addMember(owner, "manager");
    const viewer = await addMember(owner, "viewer");
    const field = await createField(admin, {
      entity: "deal",
      key: "source",
      label: "Source",
      type: "text",
    });
    const body = { entity: "deal", key: "other", label: "Other", type: "text" };
    expectErrorEnvelope(await postField(manager, body), 403, "forbidden");
    expectErrorEnvelope(
      await call(`/custom-fields/${field.id}`, {
        method: "PATCH",
        token: manager.accessToken,
        body: { label: "Mine" },
      }),
      403,
      "forbidden",
    );
    expectErrorEnvelope(
      await call(`/custom-fields/${field.id}`, { method: "DELETE", token: manager.accessToken }),
      403,
      "forbidden",
    );
    const listed = await call<CustomField[]>("/custom-fields", { token: viewer.accessToken });
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((definition) => definition.id)).toEqual([field.id]);
  });

  it("answers 404 for another organization's definitions and never lists them", async () => {
    const owner = await signUp("cf-tenant");
    const intruder = await signUp("cf-intruder");
    const field = await createField(owner, {
      entity: "contact",
      key: "secret",
      label: "Secret",
      type: "checkbox",
    });
    const token = intruder.accessToken;
    expectErrorEnvelope(
      await call(`/custom-fields/${field.id}`, { method: "PATCH", token, body: { label: "x" } }),
      404,
      "not_found",
    );
    expectErrorEnvelope(
      await call(`/custom-fields/${field.id}`, { method: "DELETE", token }),
      404,
      "not_found",
    );
    const listed = await call<CustomField[]>("/custom-fields", { token });
    expect(listed.body.data).toEqual([]);
  });
});
