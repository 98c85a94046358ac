import { describe, expect, it } from "vitest";
import { addMember, call, expectErrorEnvelope, type Session, signUp } from "./helpers";

interface SavedView {
  id: string;
  entity: string;
  name: string;
  definition: { filters: Record<string, unknown>; sort: string | null; columns: string[] };
  shared: boolean;
  ownerId: string;
  mine: boolean;
}

async function createView(session: Session, body: Record<string, unknown>) {
  const response = await call<SavedView>("/views", {
    method: "POST",
    token: session.accessToken,
    body,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.data;
}

async function viewNames(session: Session, query = "") {
  const response = await call<SavedView[]>(`/views${query}`, { token: session.accessToken });
  expect(response.status).toBe(200);
  return response.body.data.map((view) => view.name);
}

const openDeals = {
  entity: "deal",
  name: "Open deals",
  definition: {
    filters: { "filter.closedAt.isEmpty": "true", "filter.amount.gte": 1000 },
    sort: "-amount",
    columns: ["title", "amount", "stage"],
  },
};

describe("saved views", () => {
  it("saves a view with its filters, sort and columns, and edits it", async () => {
    const owner = await signUp("views-crud");
    const view = await createView(owner, openDeals);
    expect(view).toMatchObject({ ...openDeals, shared: false, ownerId: owner.userId, mine: true });

    const renamed = await call<SavedView>(`/views/${view.id}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: { name: "Big open deals", shared: true },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.data).toMatchObject({ name: "Big open deals", shared: true });
    expect(renamed.body.data.definition).toEqual(openDeals.definition);

    const minimal = await createView(owner, {
      entity: "lead",
      name: "New leads",
      definition: { filters: { "filter.status": "new" } },
    });
    expect(minimal.definition).toEqual({
      filters: { "filter.status": "new" },
      sort: null,
      columns: [],
    });
    expect(await viewNames(owner, "?entity=deal")).toEqual(["Big open deals"]);

    const deleted = await call(`/views/${minimal.id}`, {
      method: "DELETE",
      token: owner.accessToken,
    });
    expect(deleted.status).toBe(200);
    expect(await viewNames(owner)).toEqual(["Big open deals"]);
  });

  it("shows others' shared views read-only and hides their private ones", async () => {
    const owner = await signUp("views-sharing");
    const colleague = await addMember(owner, "agent");
    const viewer = await addMember(owner, "viewer");
    const shared = await createView(owner, { ...openDeals, name: "Team pipeline", shared: true });
    const secret = await createView(owner, { ...openDeals, name: "My pipeline" });
    await createView(colleague, { ...openDeals, name: "Colleague's own" });

    const seen = await call<SavedView[]>("/views?entity=deal", { token: colleague.accessToken });
    expect(seen.body.data.map((view) => [view.name, view.mine])).toEqual([
      ["Colleague's own", true],
      ["Team pipeline", false],
    ]);
    expect(await viewNames(viewer)).toEqual(["Team pipeline"]);

    const token = colleague.accessToken;
    expectErrorEnvelope(
      await call(`/views/${shared.id}`, { method: "PATCH", token, body: { name: "Hijacked" } }),
      403,
      "forbidden",
    );
    expectErrorEnvelope(
      await call(`/views/${shared.id}`, { method: "DELETE", token }),
      403,
      "forbidden",
    );
    expectErrorEnvelope(
      await call(`/views/${secret.id}`, { method: "PATCH", token, body: { name: "Mine now" } }),
      404,
      "not_found",
    );
    expectErrorEnvelope(
      await call(`/views/${secret.id}`, { method: "DELETE", token }),
      404,
      "not_found",
    );
    expect(await viewNames(owner, "?entity=deal")).toEqual(["My pipeline", "Team pipeline"]);
  });

  it("lets viewers keep personal views but not share them", async () => {
    const owner = await signUp("views-viewer-share");
    const viewer = await addMember(owner, "viewer");
    const token = viewer.accessToken;
    expectErrorEnvelope(
      await call("/views", { method: "POST", token, body: { ...openDeals, shared: true } }),
      403,
      "forbidden",
    );
    const personal = await createView(viewer, { ...openDeals, name: "Viewer's own" });
    expect(personal).toMatchObject({ shared: false, mine: true });
    expectErrorEnvelope(
      await call(`/views/${personal.id}`, { method: "PATCH", token, body: { shared: true } }),
      403,
      "forbidden",
    );
    expect(await viewNames(owner)).toEqual([]);
    // An agent may share.
    const agent = await addMember(owner, "agent");
    await createView(agent, { ...openDeals, name: "Agent's shared", shared: true });
    expect(await viewNames(viewer)).toEqual(["Agent's shared", "Viewer's own"]);
  });

  it("validates the entity, the name and the definition", async () => {
    const owner = await signUp("views-validation");
    const post = (body: Record<string, unknown>) =>
      call("/views", { method: "POST", token: owner.accessToken, body });
    for (const body of [
      { ...openDeals, entity: "ticket" },
      { ...openDeals, name: "" },
      { ...openDeals, definition: { filters: { "status; drop table": "x" } } },
      { ...openDeals, definition: { filters: { "filter.status": { nested: true } } } },
      { ...openDeals, definition: { filters: {}, sort: "amount desc" } },
      { ...openDeals, definition: { filters: {}, extra: 1 } },
      { ...openDeals, owner: "someone" },
      { entity: "deal", name: "No definition" },
    ]) {
      expectErrorEnvelope(await post(body), 422, "validation_failed");
    }
    const view = await createView(owner, openDeals);
    expectErrorEnvelope(
      await call(`/views/${view.id}`, { method: "PATCH", token: owner.accessToken, body: {} }),
      422,
      "validation_failed",
    );
  });

  it("keeps organizations apart", async () => {
    const owner = await signUp("views-tenant");
    const intruder = await signUp("views-intruder");
    const shared = await createView(owner, { ...openDeals, shared: true });
    expect(await viewNames(intruder)).toEqual([]);
    const token = intruder.accessToken;
    expectErrorEnvelope(
      await call(`/views/${shared.id}`, { method: "PATCH", token, body: { name: "x" } }),
      404,
      "not_found",
    );
    expectErrorEnvelope(
      await call(`/views/${shared.id}`, { method: "DELETE", token }),
      404,
      "not_found",
    );
  });

  it("belongs to people, not API keys", async () => {
    const owner = await signUp("views-api-key");
    const key = await call<{ secret: string }>("/api-keys", {
      method: "POST",
      token: owner.accessToken,
      body: { name: "integration", role: "admin" },
    });
    expectErrorEnvelope(
      await call("/views", { method: "POST", token: key.body.data.secret, body: openDeals }),
      403,
      "forbidden",
    );
  });
});
