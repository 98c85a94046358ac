import {
  createExecutionContext,
  createMessageBatch,
  env,
  getQueueResult,
  SELF,
} from "cloudflare:test";
import { and, eq, isNull, sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import type { Tx } from "../../worker/db/client";
import {
  companies,
  contacts,
  customFieldDefinitions,
  deals,
  importJobs,
  pipelineStages,
} from "../../worker/db/crm-schema";
import worker from "../../worker/index";
import { parseServerEvent, type ServerEvent } from "../../worker/realtime/events";
import {
  addMember,
  BASE,
  call,
  expectErrorEnvelope,
  type Session,
  signUp,
  workerDatabase,
} from "./helpers";

interface ImportJob {
  id: string;
  status: string;
  totalRows: number;
  processedRows: number;
  createdRows: number;
  updatedRows: number;
  skippedRows: number;
  failedRows: number;
  errors: { row: number; column: string | null; message: string }[];
}

interface ImportReport {
  job: ImportJob;
  totalRows: number;
  validRows: number;
  errors: ImportJob["errors"];
}

async function asOrg<T>(orgId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  const db = workerDatabase();
  try {
    return await db.transaction({ orgId, userId: null }, work);
  } finally {
    await db.close();
  }
}

function upload(session: Session, body: Record<string, unknown>) {
  return call<ImportReport>("/imports", { method: "POST", token: session.accessToken, body });
}

async function waitUntilFinished(session: Session, jobId: string, timeout = 20_000) {
  return vi.waitFor(
    async () => {
      const response = await call<ImportJob>(`/imports/${jobId}`, { token: session.accessToken });
      expect(response.status).toBe(200);
      expect(response.body.data.status).toBe("completed");
      return response.body.data;
    },
    { timeout, interval: 200 },
  );
}

/** Uploads, starts and waits for an import; returns the finished job. */
async function importCsv(session: Session, body: Record<string, unknown>) {
  const uploaded = await upload(session, body);
  expect(uploaded.status).toBe(201);
  const started = await call<ImportJob>(`/imports/${uploaded.body.data.job.id}/start`, {
    method: "POST",
    token: session.accessToken,
  });
  expect(started.status).toBe(202);
  return waitUntilFinished(session, uploaded.body.data.job.id);
}

function contactsByEmail(orgId: string, email: string) {
  return asOrg(orgId, (tx) =>
    tx
      .select()
      .from(contacts)
      .where(
        and(isNull(contacts.deletedAt), sql`${contacts.emailAddresses} @> array[${email}]::text[]`),
      ),
  );
}

interface LiveSocket {
  events: ServerEvent[];
  close(): void;
  waitFor(match: (event: ServerEvent) => boolean, timeoutMs?: number): Promise<ServerEvent>;
}

/** A realtime socket of the session's organization, collecting every event it receives. */
async function openSocket(session: Session): Promise<LiveSocket> {
  const response = await SELF.fetch(`${BASE}/realtime`, {
    headers: { upgrade: "websocket", authorization: `Bearer ${session.accessToken}` },
  });
  const socket = response.webSocket;
  if (!socket) throw new Error("no socket");
  socket.accept();
  const events: ServerEvent[] = [];
  socket.addEventListener("message", (message) => {
    const event = parseServerEvent(String(message.data));
    if (event) events.push(event);
  });
  return {
    events,
    close: () => socket.close(),
    waitFor: (match, timeoutMs = 15_000) =>
      vi.waitFor(
        () => {
          const found = events.find(match);
          if (!found) throw new Error(`no matching event; got ${JSON.stringify(events)}`);
          return found;
        },
        { timeout: timeoutMs, interval: 50 },
      ),
  };
}

const contactMapping = {
  "First Name": "firstName",
  "Last Name": "lastName",
  Email: "email",
  Phone: "phone",
  Company: "company",
  Tags: "tags",
};

const mixedCsv = [
  "First Name,Last Name,Email,Phone,Company,Tags",
  "Ada,Lovelace,ADA@example.com,+44 20 7946 0958,Analytical Engines,vip;math",
  "Grace,Hopper,not-an-email,+1 415 555 0100,,",
  ",Nameless,nameless@example.com,,,",
  "Alan,Turing,alan@example.com,call me maybe,,",
  'Linus,Torvalds,linus@example.com,"+1 (415) 555-0199",Analytical Engines,',
].join("\r\n");

describe("CSV imports", () => {
  it("validates every row, then imports the good ones through the queue with progress for the org only", async () => {
    const owner = await signUp("import");
    const outsider = await signUp("import-outsider");

    const uploaded = await upload(owner, {
      entity: "contact",
      csv: mixedCsv,
      mapping: contactMapping,
      duplicates: "skip",
    });
    expect(uploaded.status).toBe(201);
    const report = uploaded.body.data;
    expect(report.totalRows).toBe(5);
    expect(report.validRows).toBe(2);
    expect(report.job.status).toBe("pending");
    expect(report.errors).toEqual([
      { row: 3, column: "Email", message: expect.stringContaining("not-an-email") },
      { row: 4, column: "First Name", message: "First name is required." },
      { row: 5, column: "Phone", message: expect.stringContaining("call me maybe") },
    ]);
    // Nothing is written before the import is started.
    expect(await contactsByEmail(owner.orgId, "ada@example.com")).toEqual([]);

    const ownerSocket = await openSocket(owner);
    const outsiderSocket = await openSocket(outsider);
    const started = await call<ImportJob>(`/imports/${report.job.id}/start`, {
      method: "POST",
      token: owner.accessToken,
    });
    expect(started.status).toBe(202);
    expect(started.body.data.status).toBe("running");

    const job = await waitUntilFinished(owner, report.job.id);
    expect(job).toMatchObject({
      totalRows: 5,
      processedRows: 5,
      createdRows: 2,
      updatedRows: 0,
      skippedRows: 0,
      failedRows: 3,
    });
    expect(job.errors.map((error) => [error.row, error.column])).toEqual([
      [3, "Email"],
      [4, "First Name"],
      [5, "Phone"],
    ]);

    const [ada] = await contactsByEmail(owner.orgId, "ada@example.com");
    expect(ada).toMatchObject({
      firstName: "Ada",
      lastName: "Lovelace",
      emailAddresses: ["ada@example.com"],
      phoneNumbers: ["+442079460958"],
      tags: ["vip", "math"],
      ownerId: owner.userId,
      version: 1,
    });
    const [linus] = await contactsByEmail(owner.orgId, "linus@example.com");
    expect(linus?.phoneNumbers).toEqual(["+14155550199"]);
    // Both rows name the same company: it was created once and linked to both.
    const engines = await asOrg(owner.orgId, (tx) =>
      tx.select().from(companies).where(eq(companies.name, "Analytical Engines")),
    );
    expect(engines).toHaveLength(1);
    expect([ada?.companyId, linus?.companyId]).toEqual([engines[0]?.id, engines[0]?.id]);

    const completed = await ownerSocket.waitFor(
      (event) => event.type === "import.progress" && event.status === "completed",
    );
    expect(completed).toEqual({
      type: "import.progress",
      jobId: report.job.id,
      status: "completed",
      total: 5,
      processed: 5,
      created: 2,
      updated: 0,
      skipped: 0,
      failed: 3,
    });
    expect(outsiderSocket.events.some((event) => event.type === "import.progress")).toBe(false);
    const notice = await ownerSocket.waitFor((event) => event.type === "notification.created");
    expect(notice).toMatchObject({
      notification: {
        kind: "import_finished",
        title: "Your contact import finished: 2 created, 0 updated, 3 failed",
        link: `/app/import/${report.job.id}`,
      },
    });
    ownerSocket.close();
    outsiderSocket.close();

    const audit = await call<{ action: string; targetId: string; metadata: object }[]>(
      "/audit-logs?action=records.imported",
      { token: owner.accessToken },
    );
    expect(audit.body.data[0]).toMatchObject({
      targetId: report.job.id,
      metadata: { entity: "contact", created: 2, failed: 3 },
    });

    const list = await call<{ id: string }[]>("/imports", { token: owner.accessToken });
    expect(list.body.data.map((item) => item.id)).toContain(report.job.id);
  });

  it("previews headers and rows and suggests a mapping from header names", async () => {
    const owner = await signUp("preview");
    await asOrg(owner.orgId, (tx) =>
      tx.insert(customFieldDefinitions).values({
        id: crypto.randomUUID(),
        orgId: owner.orgId,
        entity: "contact",
        key: "segment",
        label: "Segment",
        type: "select",
        options: ["smb", "enterprise"],
      }),
    );
    const response = await call<{
      headers: string[];
      rows: string[][];
      suggestedMapping: Record<string, string>;
      fields: { key: string; required: boolean }[];
    }>("/imports/preview", {
      method: "POST",
      token: owner.accessToken,
      body: {
        entity: "contact",
        csv: "\uFEFFFirst name;Surname;E-mail Address;Work Phone;Segment;Notes\nAda;Lovelace;ada@example.com;;smb;x\nB;C;;;;\n",
      },
    });
    expect(response.status).toBe(200);
    expect(response.body.data.headers).toEqual([
      "First name",
      "Surname",
      "E-mail Address",
      "Work Phone",
      "Segment",
      "Notes",
    ]);
    expect(response.body.data.rows).toEqual([
      ["Ada", "Lovelace", "ada@example.com", "", "smb", "x"],
      ["B", "C", "", "", "", ""],
    ]);
    expect(response.body.data.suggestedMapping).toEqual({
      "First name": "firstName",
      Surname: "lastName",
      "E-mail Address": "email",
      Segment: "cf.segment",
    });
    expect(response.body.data.fields).toContainEqual(
      expect.objectContaining({ key: "cf.segment", required: false }),
    );
  });

  it("refuses mappings and files it cannot import (422) before storing anything", async () => {
    const owner = await signUp("import-422");
    const csv = "Name,Email\nAda,ada@example.com\n";
    const unknownColumn = await upload(owner, {
      entity: "contact",
      csv,
      mapping: { Name: "name", Nope: "email" },
    });
    expectErrorEnvelope(unknownColumn, 422, "validation_failed");
    expect(unknownColumn.body.errors).toHaveProperty(["mapping.Nope"]);

    const unknownField = await upload(owner, {
      entity: "contact",
      csv,
      mapping: { Name: "name", Email: "shoeSize" },
    });
    expect(unknownField.body.errors?.["mapping.Email"]?.[0]).toContain("shoeSize");

    const missingRequired = await upload(owner, {
      entity: "contact",
      csv,
      mapping: { Email: "email" },
    });
    expect(missingRequired.body.errors?.mapping?.[0]).toContain("First name");

    const headerOnly = await upload(owner, {
      entity: "lead",
      csv: "Title\n",
      mapping: { Title: "title" },
    });
    expect(headerOnly.body.errors?.csv).toEqual(["The file has no data rows."]);

    const brokenQuote = await upload(owner, {
      entity: "lead",
      csv: 'Title\nFine\n"Never closed\n',
      mapping: { Title: "title" },
    });
    expect(brokenQuote.body.errors?.csv?.[0]).toMatch(/^Row 3: /);

    const badStrategy = await upload(owner, {
      entity: "lead",
      csv: "Title\nX\n",
      mapping: { Title: "title" },
      duplicates: "merge",
    });
    expectErrorEnvelope(badStrategy, 422, "validation_failed");

    const list = await call<unknown[]>("/imports", { token: owner.accessToken });
    expect(list.body.data).toEqual([]);
  });

  it("skips, updates or duplicates existing contacts as asked", async () => {
    const owner = await signUp("dupes");
    const seeded = await importCsv(owner, {
      entity: "contact",
      csv: "First Name,Last Name,Email,Phone\nAda,Lovelace,ada@example.com,\nAlan,Turing,,+44 20 7946 0000\n",
      mapping: {
        "First Name": "firstName",
        "Last Name": "lastName",
        Email: "email",
        Phone: "phone",
      },
    });
    expect(seeded.createdRows).toBe(2);

    const rows = [
      "First Name,Last Name,Email,Phone,Title,Company",
      "Ada,King,ada@example.com,,Countess,Ghost Co",
      "Alan,Mathison Turing,alan@example.com,+44 20 7946 0000,,",
      "New,Person,new@example.com,,,",
      "New,Again,NEW@example.com,,,",
    ].join("\n");
    const mapping = {
      "First Name": "firstName",
      "Last Name": "lastName",
      Email: "email",
      Phone: "phone",
      Title: "title",
      Company: "company",
    };
    const ghostCompanies = () =>
      asOrg(owner.orgId, (tx) => tx.select().from(companies).where(eq(companies.name, "Ghost Co")));

    const skipped = await importCsv(owner, { entity: "contact", csv: rows, mapping });
    // Ada by email, Alan by phone, and the file's own second "new@" row.
    expect(skipped).toMatchObject({ createdRows: 1, updatedRows: 0, skippedRows: 3 });
    expect((await contactsByEmail(owner.orgId, "ada@example.com"))[0]?.lastName).toBe("Lovelace");
    // A skipped row creates nothing, not even the company it names.
    expect(await ghostCompanies()).toEqual([]);

    const updated = await importCsv(owner, {
      entity: "contact",
      csv: rows,
      mapping,
      duplicates: "update",
    });
    expect(updated).toMatchObject({ createdRows: 0, updatedRows: 4, skippedRows: 0 });
    const [ada] = await contactsByEmail(owner.orgId, "ada@example.com");
    expect(ada).toMatchObject({
      firstName: "Ada",
      lastName: "King",
      title: "Countess",
      companyId: (await ghostCompanies())[0]?.id,
      version: 2,
    });
    // Alan was found by phone and gained the address from the file.
    const [alan] = await contactsByEmail(owner.orgId, "alan@example.com");
    expect(alan).toMatchObject({ lastName: "Mathison Turing", phoneNumbers: ["+442079460000"] });

    const created = await importCsv(owner, {
      entity: "contact",
      csv: rows,
      mapping,
      duplicates: "create",
    });
    expect(created).toMatchObject({ createdRows: 4, updatedRows: 0, skippedRows: 0 });
    expect(await contactsByEmail(owner.orgId, "ada@example.com")).toHaveLength(2);
    expect(await contactsByEmail(owner.orgId, "new@example.com")).toHaveLength(3);
  });

  it("imports companies by domain and deals into the default pipeline's first stage", async () => {
    const owner = await signUp("deals-import");
    const companiesJob = await importCsv(owner, {
      entity: "company",
      csv: "Company,Website,Size\nAcme,https://www.acme.com/about,11-50\nAcme Corp,acme.com,\nGlobex,not a domain,\n",
      mapping: { Company: "name", Website: "domain", Size: "size" },
      duplicates: "update",
    });
    expect(companiesJob).toMatchObject({ createdRows: 1, updatedRows: 1, failedRows: 1 });
    expect(companiesJob.errors).toEqual([
      { row: 4, column: "Website", message: "Expected a web domain, e.g. acme.com." },
    ]);
    const acme = await asOrg(owner.orgId, (tx) =>
      tx.select().from(companies).where(eq(companies.domain, "acme.com")),
    );
    expect(acme).toMatchObject([{ name: "Acme Corp", size: "11-50" }]);

    const dealsJob = await importCsv(owner, {
      entity: "deal",
      csv: 'Deal,Value,Currency,Stage\nBig one,"1,250.50",eur,\nSmall one,10,,No such stage\nFree one,0,,\n',
      mapping: { Deal: "title", Value: "amount", Currency: "currency", Stage: "stage" },
    });
    expect(dealsJob).toMatchObject({ createdRows: 2, failedRows: 1 });
    expect(dealsJob.errors[0]).toMatchObject({ row: 3, column: "Stage" });
    const rows = await asOrg(owner.orgId, (tx) =>
      tx
        .select({
          title: deals.title,
          amount: deals.amount,
          currency: deals.currency,
          position: deals.position,
          stagePosition: pipelineStages.position,
        })
        .from(deals)
        .innerJoin(pipelineStages, eq(pipelineStages.id, deals.stageId))
        .orderBy(deals.title),
    );
    expect(rows).toMatchObject([
      { title: "Big one", amount: 125050, currency: "EUR", stagePosition: 0 },
      { title: "Free one", amount: 0, currency: "USD", stagePosition: 0 },
    ]);
    expect(rows[0]?.position).not.toBe(rows[1]?.position);
  });

  it("imports 5,000 rows in chunks", async () => {
    const owner = await signUp("bulk-import");
    const lines = ["First Name,Last Name,Email"];
    for (let index = 0; index < 5000; index += 1) {
      lines.push(`Person${index},Bulk,person${index}@bulk.example.com`);
    }
    const job = await importCsv(owner, {
      entity: "contact",
      csv: lines.join("\n"),
      mapping: { "First Name": "firstName", "Last Name": "lastName", Email: "email" },
    });
    expect(job).toMatchObject({ totalRows: 5000, processedRows: 5000, createdRows: 5000 });
    const [count] = await asOrg(owner.orgId, (tx) =>
      tx.select({ value: sql<number>`count(*)::int` }).from(contacts),
    );
    expect(count?.value).toBe(5000);
  }, 60_000);

  it("is for managers and above, and another organization's import is a 404", async () => {
    const owner = await signUp("import-roles");
    const manager = await addMember(owner, "manager");
    const body = { entity: "lead", csv: "Title\nA lead\n", mapping: { Title: "title" } };
    for (const role of ["viewer", "agent"]) {
      const member = await addMember(owner, role);
      expectErrorEnvelope(await upload(member, body), 403, "forbidden");
      expectErrorEnvelope(
        await call("/imports/preview", {
          method: "POST",
          token: member.accessToken,
          body: { entity: "lead", csv: body.csv },
        }),
        403,
        "forbidden",
      );
      expectErrorEnvelope(await call("/imports", { token: member.accessToken }), 403, "forbidden");
    }

    const uploaded = await upload(manager, body);
    expect(uploaded.status).toBe(201);
    const jobId = uploaded.body.data.job.id;
    const agent = await addMember(owner, "agent", "agent-2");
    expectErrorEnvelope(
      await call(`/imports/${jobId}/start`, { method: "POST", token: agent.accessToken }),
      403,
      "forbidden",
    );

    const stranger = await signUp("import-stranger");
    expectErrorEnvelope(await call(`/imports/${jobId}`, { token: stranger.accessToken }), 404);
    expectErrorEnvelope(
      await call(`/imports/${jobId}/start`, { method: "POST", token: stranger.accessToken }),
      404,
    );

    expect(
      (await call(`/imports/${jobId}/start`, { method: "POST", token: manager.accessToken }))
        .status,
    ).toBe(202);
    expectErrorEnvelope(
      await call(`/imports/${jobId}/start`, { method: "POST", token: manager.accessToken }),
      409,
      "conflict",
    );
    await waitUntilFinished(manager, jobId);
  });
  it("fails an import whose chunk ran out of retries, and ignores stray dead chunks", async () => {
    const owner = await signUp("dead-chunk");
    const uploaded = await upload(owner, {
      entity: "lead",
      csv: "Title\nA\nB\n",
      mapping: { Title: "title" },
    });
    const jobId = uploaded.body.data.job.id;
    // As if started: running, with its first chunk (row 0) on the queue.
    await asOrg(owner.orgId, (tx) =>
      tx.update(importJobs).set({ status: "running" }).where(eq(importJobs.id, jobId)),
    );
    const deadChunk = async (row: number) => {
      const batch = createMessageBatch("switchboard-jobs-dlq", [
        {
          id: `dead-${row}`,
          timestamp: new Date(),
          attempts: 6,
          body: { type: "import.chunk", orgId: owner.orgId, jobId, offset: 0, row },
        },
      ]);
      const ctx = createExecutionContext();
      await worker.queue(batch, env, ctx);
      expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual([`dead-${row}`]);
      return (await call<ImportJob>(`/imports/${jobId}`, { token: owner.accessToken })).body.data;
    };

    expect((await deadChunk(1)).status).toBe("running");
    const failed = await deadChunk(0);
    expect(failed.status).toBe("failed");
    expect(failed.errors.at(-1)).toEqual({
      row: 2,
      column: null,
      message: "The import stopped after repeated errors; try again later.",
    });
  });
});

describe("purge of soft-deleted records", () => {
  it("hard-deletes records deleted more than 30 days ago and keeps recent ones", async () => {
    const owner = await signUp("purge-crm");
    const day = 86_400_000;
    const [old, recent, live] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    await asOrg(owner.orgId, (tx) =>
      tx.insert(contacts).values([
        {
          id: old,
          orgId: owner.orgId,
          firstName: "Old",
          deletedAt: new Date(Date.now() - 31 * day),
        },
        {
          id: recent,
          orgId: owner.orgId,
          firstName: "Recent",
          deletedAt: new Date(Date.now() - day),
        },
        { id: live, orgId: owner.orgId, firstName: "Live" },
      ]),
    );

    const batch = createMessageBatch("switchboard-jobs", [
      {
        id: "purge-deleted",
        timestamp: new Date(),
        attempts: 1,
        body: { type: "maintenance.purge_deleted", requestedAt: new Date().toISOString() },
      },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(["purge-deleted"]);

    const remaining = await asOrg(owner.orgId, (tx) =>
      tx.select({ id: contacts.id }).from(contacts),
    );
    expect(remaining.map((row) => row.id).sort()).toEqual([recent, live].sort());
  });
});
