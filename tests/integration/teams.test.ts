import { describe, expect, it } from "vitest";
import { addMember, call, expectErrorEnvelope, signUp } from "./helpers";

interface Team {
  id: string;
  name: string;
  memberIds: string[];
}

describe("teams", () => {
  it("let a manager edit records owned by the members of their team, and only theirs", async () => {
    const owner = await signUp("teams");
    const manager = await addMember(owner, "manager", "team-lead");
    const otherManager = await addMember(owner, "manager", "other-lead");
    const agent = await addMember(owner, "agent", "team-agent");
    const contact = await call<{ id: string; version: number }>("/contacts", {
      method: "POST",
      token: agent.accessToken,
      body: { firstName: "Owned", lastName: "ByAgent" },
    });
    expect(contact.status).toBe(201);
    const edit = (token: string, lastName: string) =>
      call(`/contacts/${contact.body.data.id}`, { method: "PATCH", token, body: { lastName } });

    expectErrorEnvelope(await edit(manager.accessToken, "Before"), 403, "forbidden");
    const team = await call<Team>("/teams", {
      method: "POST",
      token: owner.accessToken,
      body: { name: "Inside sales", memberIds: [manager.userId, agent.userId] },
    });
    expect(team.status).toBe(201);
    expect(team.body.data.memberIds.sort()).toEqual([manager.userId, agent.userId].sort());

    expect((await edit(manager.accessToken, "After")).status).toBe(200);
    expectErrorEnvelope(await edit(otherManager.accessToken, "Nope"), 403, "forbidden");

    const listed = await call<Team[]>("/teams", { token: agent.accessToken });
    expect(listed.body.data.map((entry) => entry.name)).toEqual(["Inside sales"]);
    const audit = await call<{ action: string }[]>("/audit-logs?action=team.updated", {
      token: owner.accessToken,
    });
    expect(audit.body.data).toHaveLength(1);
  });

  it("are managed by admins only, with clear errors for bad input and other organizations", async () => {
    const owner = await signUp("teams-admin");
    const agent = await addMember(owner, "agent", "teams-agent");
    const outsider = await signUp("teams-outsider");
    expectErrorEnvelope(
      await call("/teams", { method: "POST", token: agent.accessToken, body: { name: "Mine" } }),
      403,
    );
    const created = await call<Team>("/teams", {
      method: "POST",
      token: owner.accessToken,
      body: { name: "Support" },
    });
    expectErrorEnvelope(
      await call("/teams", { method: "POST", token: owner.accessToken, body: { name: "Support" } }),
      409,
      "conflict",
    );
    expectErrorEnvelope(
      await call(`/teams/${created.body.data.id}`, {
        method: "PATCH",
        token: owner.accessToken,
        body: { memberIds: [outsider.userId] },
      }),
      422,
      "validation_failed",
    );
    expectErrorEnvelope(
      await call(`/teams/${created.body.data.id}`, {
        method: "DELETE",
        token: outsider.accessToken,
      }),
      404,
    );
    expect(
      (await call(`/teams/${created.body.data.id}`, { method: "DELETE", token: owner.accessToken }))
        .status,
    ).toBe(200);
  });
});
