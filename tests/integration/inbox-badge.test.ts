import { describe, expect, it } from "vitest";
import { addMember, call, signUp } from "./helpers";
import { page, textOf } from "./page-helpers";
import { createChat, startSession, write } from "./webchat-helpers";

/* The sidebar's Inbox badge: unread conversations I can act on (open/pending, mine or no one's). */

async function badge(accessToken: string): Promise<string | null> {
  const response = await page("/app", accessToken);
  expect(response.status).toBe(200);
  const html = await textOf(response);
  // The badge is in the sidebar and the phone's menu: the same count in both.
  const found = [
    ...html.matchAll(/data-testid="inbox-unread-badge"[^>]*><span[^>]*>[^<]*<\/span>([^<]*)</g),
  ].map((match) => match[1]);
  if (found.length === 0) return null;
  expect(new Set(found).size).toBe(1);
  return found[0] ?? null;
}

function update(accessToken: string, id: string, body: Record<string, unknown>) {
  return call(`/conversations/${id}`, { method: "PATCH", token: accessToken, body });
}

describe("the Inbox badge", () => {
  it("counts unread conversations that are mine or unassigned, open or pending", async () => {
    const owner = await signUp("inbox-badge");
    const mate = await addMember(owner, "agent", "inbox-badge-mate");
    expect(await badge(owner.accessToken)).toBeNull();

    const chat = await createChat(owner);
    const first = await write(chat, (await startSession(chat)).visitorToken, "First");
    const second = await write(chat, (await startSession(chat)).visitorToken, "Second");
    expect(await badge(owner.accessToken)).toBe("2");
    expect(await badge(mate.accessToken)).toBe("2");

    // Assigned to the mate: theirs to act on, no longer mine.
    const assigned = await update(owner.accessToken, first.conversation.id, {
      assigneeId: mate.userId,
    });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    expect(await badge(owner.accessToken)).toBe("1");
    expect(await badge(mate.accessToken)).toBe("2");

    // Read, it leaves the count; resolved (or snoozed), it does too.
    const read = await call(`/conversations/${second.conversation.id}/read`, {
      method: "POST",
      token: owner.accessToken,
    });
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect(await badge(owner.accessToken)).toBeNull();
    const resolved = await update(mate.accessToken, first.conversation.id, { status: "resolved" });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    expect(await badge(mate.accessToken)).toBeNull();

    // Another organization's conversations never count.
    const stranger = await signUp("inbox-badge-other");
    expect(await badge(stranger.accessToken)).toBeNull();
  });
});
