import { describe, expect, it } from "vitest";
import { seedCompany, seedContact, seedDeal, seedLead } from "./crm-seed";
import { addMember, call, expectErrorEnvelope, type Session, signUp } from "./helpers";

interface BulkResult {
  updated: number;
  skipped: { id: string; reason: "not_found" | "forbidden" | "unchanged" }[];
}

interface RecordView {
  id: string;
  ownerId: string | null;
  tags: string[];
  version: number;
}

function bulk(session: Session, body: Record<string, unknown>) {
  return call<BulkResult>("/bulk", { method: "POST", token: session.accessToken, body });
}

async function bulkOk(session: Session, body: Record<string, unknown>) {
  const response = await bulk(session, body);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.data;
}

async function fetchRecord(session: Session, path: string) {
  const response = await call<RecordView>(path, { token: session.accessToken });
  return { status: response.status, record: response.body.data };
}

describe("bulk actions", () => {
  it("assigns an owner to many contacts at once, audited with counts", async () => {
    const owner = await signUp("bulk-assign");
    const agent = await addMember(owner, "agent");
    const contacts = [await seedContact(owner), await seedContact(owner), await seedContact(owner)];
    const ids = contacts.map((contact) => contact.id);

    const result = await bulkOk(owner, {
      entity: "contact",
      ids,
      action: "assign",
      ownerId: agent.userId,
    });
    expect(result).toEqual({ updated: 3, skipped: [] });
    for (const id of ids) {
      const { record } = await fetchRecord(owner, `/contacts/${id}`);
      expect(record).toMatchObject({ ownerId: agent.userId, version: 2 });
    }
    // Assigning again changes nothing and bumps no version.
    const again = await bulkOk(owner, {
      entity: "contact",
      ids,
      action: "assign",
      ownerId: agent.userId,
    });
    expect(again.updated).toBe(0);
    expect(again.skipped.map((skip) => skip.reason)).toEqual([
      "unchanged",
      "unchanged",
      "unchanged",
    ]);

    const audit = await call<{ action: string; metadata: Record<string, unknown> }[]>(
      "/audit-logs?action=records.bulk_updated",
      { token: owner.accessToken },
    );
    expect(audit.body.data).toHaveLength(1);
    expect(audit.body.data[0]?.metadata).toMatchObject({
      entity: "contact",
      action: "assign",
      ownerId: agent.userId,
      requested: 3,
      updated: 3,
      skipped: 0,
    });
  });

  it("adds and removes tags, keeping their order and skipping records already right", async () => {
    const owner = await signUp("bulk-tags");
    const tagged = await seedDeal(owner, { tags: ["vip", "q3"] });
    const plain = await seedDeal(owner);
    const ids = [tagged.id, plain.id];

    const added = await bulkOk(owner, { entity: "deal", ids, action: "tag", tags: ["q3", "hot"] });
    expect(added).toEqual({ updated: 2, skipped: [] });
    expect((await fetchRecord(owner, `/deals/${tagged.id}`)).record.tags).toEqual([
      "vip",
      "q3",
      "hot",
    ]);
    expect((await fetchRecord(owner, `/deals/${plain.id}`)).record.tags).toEqual(["q3", "hot"]);

    const repeated = await bulkOk(owner, { entity: "deal", ids, action: "tag", tags: ["hot"] });
    expect(repeated.updated).toBe(0);

    const removed = await bulkOk(owner, { entity: "deal", ids, action: "untag", tags: ["vip"] });
    expect(removed).toEqual({ updated: 1, skipped: [{ id: plain.id, reason: "unchanged" }] });
    expect((await fetchRecord(owner, `/deals/${tagged.id}`)).record.tags).toEqual(["q3", "hot"]);

    const lead = await seedLead(owner, "Tag me");
    expect(
      await bulkOk(owner, { entity: "lead", ids: [lead.id], action: "tag", tags: ["inbound"] }),
    ).toEqual({ updated: 1, skipped: [] });
  });

  it("deletes records restorably and reports unknown or foreign ids", async () => {
    const owner = await signUp("bulk-delete");
    const other = await signUp("bulk-delete-other");
    const doomed = await seedCompany(owner, { name: "Doomed" });
    const kept = await seedCompany(owner, { name: "Kept" });
    const foreign = await seedCompany(other, { name: "Foreign" });
    const unknown = crypto.randomUUID();

    const result = await bulkOk(owner, {
      entity: "company",
      ids: [doomed.id, foreign.id, unknown, doomed.id],
      action: "delete",
    });
    expect(result).toEqual({
      updated: 1,
      skipped: [
        { id: foreign.id, reason: "not_found" },
        { id: unknown, reason: "not_found" },
      ],
    });
    expect((await fetchRecord(owner, `/companies/${doomed.id}`)).status).toBe(404);
    expect((await fetchRecord(owner, `/companies/${kept.id}`)).status).toBe(200);
    expect((await fetchRecord(other, `/companies/${foreign.id}`)).status).toBe(200);
    const restored = await call(`/companies/${doomed.id}/restore`, {
      method: "POST",
      token: owner.accessToken,
    });
    expect(restored.status).toBe(200);
  });

  it("restores bulk-deleted records at once (undo), skipping live and foreign ones", async () => {
    const owner = await signUp("bulk-restore");
    const other = await signUp("bulk-restore-other");
    const first = await seedContact(owner);
    const second = await seedContact(owner);
    const live = await seedContact(owner);
    const foreign = await seedContact(other);
    await bulkOk(owner, { entity: "contact", ids: [first.id, second.id], action: "delete" });
    await call(`/contacts/${foreign.id}`, { method: "DELETE", token: other.accessToken });

    const result = await bulkOk(owner, {
      entity: "contact",
      ids: [first.id, second.id, live.id, foreign.id],
      action: "restore",
    });
    expect(result).toEqual({
      updated: 2,
      skipped: [
        { id: live.id, reason: "unchanged" },
        { id: foreign.id, reason: "not_found" },
      ],
    });
    for (const contact of [first, second]) {
      const { status, record } = await fetchRecord(owner, `/contacts/${contact.id}`);
      expect(status).toBe(200);
      expect(record.version).toBe(3);
    }
    expect((await fetchRecord(other, `/contacts/${foreign.id}`)).status).toBe(404);
    const audit = await call<{ action: string; metadata: Record<string, unknown> }[]>(
      "/audit-logs?action=records.bulk_updated",
      { token: owner.accessToken },
    );
    expect(audit.body.data.map((entry) => entry.metadata.action)).toEqual(["restore", "delete"]);
  });

  it("lets managers act only on records the ownership rule allows", async () => {
    const owner = await signUp("bulk-manager");
    const manager = await addMember(owner, "manager");
    const admin = await addMember(owner, "admin");
    const managers = await seedContact(manager);
    const unowned = await seedContact(owner, { ownerId: null });
    const admins = await seedContact(owner, { ownerId: admin.userId });

    const result = await bulkOk(manager, {
      entity: "contact",
      ids: [managers.id, unowned.id, admins.id],
      action: "tag",
      tags: ["reviewed"],
    });
    expect(result).toEqual({ updated: 2, skipped: [{ id: admins.id, reason: "forbidden" }] });
    expect((await fetchRecord(owner, `/contacts/${admins.id}`)).record.tags).toEqual([]);
  });

  it("is for managers and up", async () => {
    const owner = await signUp("bulk-rights");
    const agent = await addMember(owner, "agent");
    const viewer = await addMember(owner, "viewer");
    const contact = await seedContact(agent);
    for (const session of [agent, viewer]) {
      expectErrorEnvelope(
        await bulk(session, { entity: "contact", ids: [contact.id], action: "delete" }),
        403,
        "forbidden",
      );
    }
    expect((await fetchRecord(owner, `/contacts/${contact.id}`)).status).toBe(200);
  });

  it("validates the request", async () => {
    const owner = await signUp("bulk-validation");
    const stranger = await signUp("bulk-validation-stranger");
    const contact = await seedContact(owner);
    const ids = [contact.id];
    const tooMany = Array.from({ length: 501 }, () => crypto.randomUUID());
    for (const body of [
      { entity: "contact", ids: [], action: "delete" },
      { entity: "contact", ids: tooMany, action: "delete" },
      { entity: "contact", ids: ["not-a-uuid"], action: "delete" },
      { entity: "ticket", ids, action: "delete" },
      { entity: "contact", ids, action: "explode" },
      { entity: "contact", ids, action: "assign" },
      { entity: "contact", ids, action: "tag", tags: [] },
      { entity: "contact", ids, action: "tag" },
      { entity: "contact", ids, action: "delete", tags: ["x"] },
      { entity: "contact", ids, action: "assign", ownerId: stranger.userId },
    ]) {
      expectErrorEnvelope(await bulk(owner, body), 422, "validation_failed");
    }
    const fiveHundred = Array.from({ length: 500 }, () => crypto.randomUUID());
    const result = await bulkOk(owner, { entity: "contact", ids: fiveHundred, action: "delete" });
    expect(result.updated).toBe(0);
    expect(result.skipped).toHaveLength(500);
  });
});
