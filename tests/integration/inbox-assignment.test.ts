import { describe, expect, it } from "vitest";
import { pickAssignee } from "../../worker/conversations/assignment";
import { addMember, call, connectSocket, signUp } from "./helpers";
import {
  createWhatsAppChannel,
  deliverMessages,
  eventually,
  listConversations,
  uniqueNumber,
} from "./inbox-helpers";

/*
 * Automatic assignment: a channel's new conversations go to its team, to a member who is
 * online, not away and under the cap, by turn or by fewest open conversations.
 */

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("inbox: automatic assignment", () => {
  it("takes turns among online team members, skips those offline or away, and respects the cap", async () => {
    const owner = await signUp("assign-rr");
    const maya = await addMember(owner, "agent", "maya");
    const noah = await addMember(owner, "agent", "noah");
    const offline = await addMember(owner, "agent", "offline");
    const away = await addMember(owner, "agent", "away");
    const team = await call<{ id: string }>("/teams", {
      method: "POST",
      token: owner.accessToken,
      body: {
        name: "Support",
        memberIds: [maya.userId, noah.userId, offline.userId, away.userId],
      },
    });
    expect(team.status).toBe(201);
    const channel = await createWhatsAppChannel(owner);
    const configured = await call<{ assignment: unknown }>(`/channels/${channel.id}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: { assignment: { teamId: team.body.data.id, mode: "round_robin", maxOpenPerAgent: 2 } },
    });
    expect(configured.status).toBe(200);
    expect(configured.body.data.assignment).toEqual({
      teamId: team.body.data.id,
      mode: "round_robin",
      maxOpenPerAgent: 2,
    });
    // Maya and Noah have the app open; the third member does not.
    const sockets = [
      await connectSocket(bearer(maya.accessToken)),
      await connectSocket(bearer(noah.accessToken)),
    ];

    const customers = [1, 2, 3, 4, 5].map((n) => `44${uniqueNumber(`79${n}`)}`);
    for (const customer of customers) {
      await deliverMessages(channel, [{ from: customer, type: "text", text: { body: "Hi" } }]);
      await eventually(async () => {
        const found = (await listConversations(owner)).find((c) => c.externalId === customer);
        expect(found).toBeDefined();
      });
    }
    const conversations = await listConversations(owner);
    const byCustomer = new Map(conversations.map((c) => [c.externalId, c]));
    const assignees = customers.map((customer) => byCustomer.get(customer)?.assigneeId ?? null);
    // Turns alternate; with a cap of two each, the fifth waits unassigned in the team's queue.
    expect(assignees.slice(0, 4).filter((id) => id === maya.userId)).toHaveLength(2);
    expect(assignees.slice(0, 4).filter((id) => id === noah.userId)).toHaveLength(2);
    expect(assignees[0]).not.toBe(assignees[1]);
    expect(assignees[4]).toBeNull();
    expect(assignees).not.toContain(offline.userId);
    expect(assignees).not.toContain(away.userId);
    for (const conversation of conversations) expect(conversation.teamId).toBe(team.body.data.id);

    // Resolving one frees a place under Maya's cap: she takes the next.
    const mayaFirst = conversations.find((c) => c.assigneeId === maya.userId);
    await call(`/conversations/${mayaFirst?.id}`, {
      method: "PATCH",
      token: maya.accessToken,
      body: { status: "resolved" },
    });
    const sixth = `44${uniqueNumber("796")}`;
    await deliverMessages(channel, [{ from: sixth, type: "text", text: { body: "Hello" } }]);
    const assigned = await eventually(async () => {
      const found = (await listConversations(owner)).find((c) => c.externalId === sixth);
      expect(found).toBeDefined();
      return found;
    });
    expect(assigned?.assigneeId).toBe(maya.userId);
    for (const socket of sockets) socket.socket.close();
  });

  it("chooses whose turn it is from open conversations and last assignment", () => {
    const candidates = [
      { userId: "a", open: 3, lastAssignedAt: 10 },
      { userId: "b", open: 1, lastAssignedAt: 30 },
      { userId: "c", open: 2, lastAssignedAt: 20 },
    ];
    expect(pickAssignee(candidates, { mode: "balanced", maxOpenPerAgent: null })?.userId).toBe("b");
    expect(pickAssignee(candidates, { mode: "round_robin", maxOpenPerAgent: null })?.userId).toBe(
      "a",
    );
    expect(pickAssignee(candidates, { mode: "round_robin", maxOpenPerAgent: 3 })?.userId).toBe("c");
    expect(pickAssignee(candidates, { mode: "balanced", maxOpenPerAgent: 1 })).toBeNull();
  });

  it("refuses an assignment to a team of another organization", async () => {
    const owner = await signUp("assign-iso");
    const stranger = await signUp("assign-iso-other");
    const theirTeam = await call<{ id: string }>("/teams", {
      method: "POST",
      token: stranger.accessToken,
      body: { name: "Theirs", memberIds: [] },
    });
    const channel = await createWhatsAppChannel(owner);
    const answer = await call(`/channels/${channel.id}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: { assignment: { teamId: theirTeam.body.data.id, mode: "balanced" } },
    });
    expect(answer.status).toBe(422);
  });
});
