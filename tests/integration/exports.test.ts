import { SELF } from "cloudflare:test";
import Papa from "papaparse";
import { describe, expect, it, vi } from "vitest";
import type { Tx } from "../../worker/db/client";
import {
  companies,
  contacts,
  customFieldDefinitions,
  exportJobs,
  leads,
} from "../../worker/db/crm-schema";
import {
  addMember,
  BASE,
  call,
  expectErrorEnvelope,
  type Session,
  signUp,
  workerDatabase,
} from "./helpers";

interface ExportJob {
  id: string;
  status: string;
  rowCount: number | null;
  downloadUrl: string | null;
}

async function asOrg<T>(orgId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  const db = workerDatabase();
  try {
    return await db.transaction({ orgId, userId: null }, work);
  } finally {
    await db.close();
  }
}

function requestExport(session: Session, entity: string, query: Record<string, string> = {}) {
  return call<ExportJob>("/exports", {
    method: "POST",
    token: session.accessToken,
    body: { entity, query },
  });
}

async function waitUntilReady(session: Session, jobId: string) {
  return vi.waitFor(
    async () => {
      const response = await call<ExportJob>(`/exports/${jobId}`, { token: session.accessToken });
      expect(response.body.data.status).toBe("completed");
      return response.body.data;
    },
    { timeout: 20_000, interval: 200 },
  );
}

function download(session: Session, jobId: string) {
  return SELF.fetch(`${BASE}/exports/${jobId}/download`, {
    headers: { authorization: `Bearer ${session.accessToken}` },
  });
}

/** Exports, waits, downloads: the CSV parsed by an independent parser, header row first. */
async function exportRows(session: Session, entity: string, query: Record<string, string> = {}) {
  const queued = await requestExport(session, entity, query);
  expect(queued.status).toBe(202);
  const job = await waitUntilReady(session, queued.body.data.id);
  const response = await download(session, job.id);
  expect(response.status).toBe(200);
  const text = await response.text();
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), {
    header: false,
    skipEmptyLines: true,
  });
  expect(parsed.errors).toEqual([]);
  return { job, response, text, rows: parsed.data };
}

function lead(orgId: string, title: string, extra: Partial<typeof leads.$inferInsert> = {}) {
  return { id: crypto.randomUUID(), orgId, title, ...extra };
}

describe("CSV exports", () => {
  it("exports only the records matching the list query, as a quoted CSV download", async () => {
    const owner = await signUp("export");
    const companyId = crypto.randomUUID();
    await asOrg(owner.orgId, async (tx) => {
      await tx.insert(customFieldDefinitions).values({
        id: crypto.randomUUID(),
        orgId: owner.orgId,
        entity: "lead",
        key: "tier",
        label: "Tier",
        type: "text",
      });
      await tx.insert(companies).values({ id: companyId, orgId: owner.orgId, name: "Acme Inc" });
      await tx.insert(leads).values([
        lead(owner.orgId, 'Acme "big", renewal', {
          status: "new",
          tags: ["vip", "q3"],
          custom: { tier: "=gold" },
          ownerId: owner.userId,
          companyId,
        }),
        lead(owner.orgId, "Acme expansion", { status: "contacted" }),
        lead(owner.orgId, "Globex pilot", { status: "new" }),
        lead(owner.orgId, "Acme archived", { status: "new", deletedAt: new Date() }),
      ]);
    });

    const { job, response, text, rows } = await exportRows(owner, "lead", {
      "filter.status": "new",
      q: "acme",
      sort: "-createdAt",
    });
    expect(job).toMatchObject({ rowCount: 1, downloadUrl: `/api/v1/exports/${job.id}/download` });
    // The bell tells whoever asked, with the download.
    const bell = await call<{ kind: string; title: string; link: string }[]>("/notifications", {
      token: owner.accessToken,
    });
    expect(bell.body.data.find((n) => n.kind === "export_finished")).toMatchObject({
      title: "Your lead export is ready (1 row)",
      link: `/api/v1/exports/${job.id}/download`,
    });
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="leads-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(text).toContain('"Acme ""big"", renewal"');
    const [header, only, ...rest] = rows;
    expect(rest).toEqual([]);
    expect(header).toEqual([
      "id",
      "title",
      "source",
      "status",
      "score",
      "company",
      "contact",
      "convertedAt",
      "tags",
      "owner",
      "createdAt",
      "updatedAt",
      "cf.tier",
    ]);
    const record = Object.fromEntries((header ?? []).map((name, index) => [name, only?.[index]]));
    expect(record).toMatchObject({
      title: 'Acme "big", renewal',
      status: "new",
      company: "Acme Inc",
      tags: "vip; q3",
      owner: owner.email,
      // A value a spreadsheet would run as a formula is defused.
      "cf.tier": "'=gold",
    });

    const audit = await call<{ targetId: string; metadata: object }[]>(
      "/audit-logs?action=records.exported",
      { token: owner.accessToken },
    );
    expect(audit.body.data[0]).toMatchObject({
      targetId: job.id,
      metadata: { entity: "lead", rowCount: 1 },
    });
  });

  it("pages through every matching record in the list's sort order", async () => {
    const owner = await signUp("export-pages");
    const titles = Array.from(
      { length: 1205 },
      (_, index) => `Lead ${String(index).padStart(4, "0")}`,
    );
    await asOrg(owner.orgId, (tx) =>
      tx.insert(leads).values([...titles].reverse().map((title) => lead(owner.orgId, title))),
    );
    const { job, rows } = await exportRows(owner, "lead", { sort: "title" });
    expect(job.rowCount).toBe(1205);
    expect(rows.slice(1).map((row) => row[1])).toEqual(titles);
  });

  it("exports contacts in a shape the import reads back", async () => {
    const owner = await signUp("round-trip");
    await asOrg(owner.orgId, (tx) =>
      tx.insert(contacts).values({
        id: crypto.randomUUID(),
        orgId: owner.orgId,
        firstName: "Ada",
        lastName: "Lovelace",
        emails: [
          { email: "ada@example.com", primary: true },
          { email: "countess@example.com", primary: false },
        ],
        emailAddresses: ["ada@example.com", "countess@example.com"],
        phones: [{ raw: "020 7946 0958", e164: "+442079460958", primary: true }],
        phoneNumbers: ["+442079460958"],
        tags: ["vip"],
      }),
    );
    const { text } = await exportRows(owner, "contact");

    const other = await signUp("round-trip-2");
    const preview = await call<{ suggestedMapping: Record<string, string> }>("/imports/preview", {
      method: "POST",
      token: other.accessToken,
      body: { entity: "contact", csv: text },
    });
    expect(preview.body.data.suggestedMapping).toMatchObject({
      firstName: "firstName",
      lastName: "lastName",
      email: "email",
      phone: "phone",
      tags: "tags",
    });
    const uploaded = await call<{ validRows: number; totalRows: number }>("/imports", {
      method: "POST",
      token: other.accessToken,
      body: { entity: "contact", csv: text, mapping: preview.body.data.suggestedMapping },
    });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.data).toMatchObject({ totalRows: 1, validRows: 1 });
  });

  it("downloads are 404 until ready, and another organization's export is a 404", async () => {
    const owner = await signUp("export-404");
    const pendingId = crypto.randomUUID();
    await asOrg(owner.orgId, (tx) =>
      tx.insert(exportJobs).values({
        id: pendingId,
        orgId: owner.orgId,
        entity: "contact",
        query: {},
        createdBy: owner.userId,
      }),
    );
    const pending = await call<ExportJob>(`/exports/${pendingId}`, { token: owner.accessToken });
    expect(pending.body.data).toMatchObject({ status: "pending", downloadUrl: null });
    const early = await download(owner, pendingId);
    expect(early.status).toBe(404);
    expect(((await early.json()) as { meta: { code: string } }).meta.code).toBe("not_found");

    const { job } = await exportRows(owner, "contact");
    const stranger = await signUp("export-stranger");
    expectErrorEnvelope(await call(`/exports/${job.id}`, { token: stranger.accessToken }), 404);
    expect((await download(stranger, job.id)).status).toBe(404);
  });

  it("refuses at once, like the list endpoint, every filter the list refuses", async () => {
    const owner = await signUp("export-filters");
    const cases: [entity: string, list: string, query: Record<string, string>][] = [
      ["lead", "/leads", { "filter.score.gt": "99999999999" }],
      ["lead", "/leads", { "filter.score": "0.5" }],
      ["deal", "/deals", { "filter.amount.gte": "1e30" }],
      ["contact", "/contacts", { "filter.createdAt.gte": "-100000-01-01T00:00:00Z" }],
      ["contact", "/contacts", { "filter.updatedAt": "0000-01-01" }],
      ["company", "/companies", { "filter.ownerId": "-".repeat(36) }],
      ["company", "/companies", { "filter.constructor": "x" }],
      ["contact", "/contacts", { "filter.cf.size.gt": "abc" }],
      ["contact", "/contacts", { q: "a\u0000b" }],
    ];
    for (const [entity, list, query] of cases) {
      const listed = await call(`${list}?${new URLSearchParams(query)}`, {
        token: owner.accessToken,
      });
      expect(listed.status, JSON.stringify(query)).toBeGreaterThanOrEqual(400);
      expect(listed.status).toBeLessThan(500);
      const exported = await requestExport(owner, entity, query);
      expectErrorEnvelope(exported, listed.status, listed.body.meta?.code);
    }
    const jobs = await asOrg(owner.orgId, (tx) => tx.select().from(exportJobs));
    expect(jobs).toEqual([]);
  });

  it("checks the query up front and is for managers and above", async () => {
    const owner = await signUp("export-rules");
    expectErrorEnvelope(
      await requestExport(owner, "lead", { "filter.shoeSize": "42" }),
      400,
      "bad_request",
    );
    expectErrorEnvelope(
      await requestExport(owner, "lead", { sort: "source" }),
      422,
      "validation_failed",
    );
    expectErrorEnvelope(
      await call("/exports", {
        method: "POST",
        token: owner.accessToken,
        body: { entity: "invoice", query: {} },
      }),
      422,
      "validation_failed",
    );

    const manager = await addMember(owner, "manager");
    const queued = await requestExport(manager, "deal");
    expect(queued.status).toBe(202);
    for (const role of ["viewer", "agent"]) {
      const member = await addMember(owner, role);
      expectErrorEnvelope(await requestExport(member, "contact"), 403, "forbidden");
      expectErrorEnvelope(
        await call(`/exports/${queued.body.data.id}`, { token: member.accessToken }),
        403,
        "forbidden",
      );
      expect((await download(member, queued.body.data.id)).status).toBe(403);
    }
    await waitUntilReady(manager, queued.body.data.id);
  });
});
