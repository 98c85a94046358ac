import { beforeAll, describe, expect, it } from "vitest";
import { call, expectErrorEnvelope, type Session, signUp } from "./helpers";
import type { MessageView } from "./inbox-helpers";
import { type Chat, createChat, startSession, write } from "./webchat-helpers";

/* A long conversation read from its newest end: `from=latest`, then `before` page by page. */

interface Pagination {
  nextCursor: string | null;
  previousCursor?: string | null;
  limit: number;
}

async function messagesPage(owner: Session, conversationId: string, query: string) {
  const answer = await call<MessageView[]>(`/conversations/${conversationId}/messages?${query}`, {
    token: owner.accessToken,
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  const pagination = (answer.body.meta as { pagination: Pagination }).pagination;
  return { messages: answer.body.data, pagination };
}

let owner: Session;
let chat: Chat;
let conversationId: string;
const TOTAL = 23;

beforeAll(async () => {
  owner = await signUp("inbox-paging");
  chat = await createChat(owner);
  const session = await startSession(chat, { name: "Long Talker" });
  for (let n = 1; n <= TOTAL; n += 1) {
    const sent = await write(chat, session.visitorToken, `Message ${n}`);
    conversationId = sent.conversation.id;
  }
});

describe("a conversation's messages from the newest end", () => {
  it("opens on the latest page and walks back with no gap and no duplicate", async () => {
    const latest = await messagesPage(owner, conversationId, "from=latest&limit=10");
    expect(latest.messages.map((m) => m.body)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Message ${TOTAL - 9 + i}`),
    );
    expect(latest.pagination.nextCursor).toBeNull();
    expect(latest.pagination.previousCursor).toEqual(expect.any(String));

    const seen = [...latest.messages];
    let before = latest.pagination.previousCursor;
    let pages = 1;
    while (before) {
      const older = await messagesPage(owner, conversationId, `before=${before}&limit=10`);
      // Each page is oldest first and ends just before the page read after it.
      const sent = older.messages.map((m) => m.sentAt);
      expect([...sent].sort()).toEqual(sent);
      seen.unshift(...older.messages);
      before = older.pagination.previousCursor ?? null;
      // Reading forward from a page goes on right after it.
      expect(older.pagination.nextCursor).toEqual(expect.any(String));
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen.map((m) => m.body)).toEqual(
      Array.from({ length: TOTAL }, (_, i) => `Message ${i + 1}`),
    );
    expect(new Set(seen.map((m) => m.id)).size).toBe(TOTAL);

    // The same thread oldest first (the cursor contract as before) is the same messages.
    const forward: MessageView[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page = await messagesPage(
        owner,
        conversationId,
        `limit=10${cursor ? `&cursor=${cursor}` : ""}`,
      );
      forward.push(...page.messages);
      cursor = page.pagination.nextCursor;
    }
    expect(forward.map((m) => m.id)).toEqual(seen.map((m) => m.id));
  });

  it("reads forward again from an older page's nextCursor", async () => {
    const latest = await messagesPage(owner, conversationId, "from=latest&limit=5");
    const older = await messagesPage(
      owner,
      conversationId,
      `before=${latest.pagination.previousCursor}&limit=5`,
    );
    const again = await messagesPage(
      owner,
      conversationId,
      `cursor=${older.pagination.nextCursor}&limit=5`,
    );
    expect(again.messages.map((m) => m.id)).toEqual(latest.messages.map((m) => m.id));
  });

  it("a short thread's latest page is all of it, with nothing before", async () => {
    const short = await startSession(chat, { name: "Brief" });
    const sent = await write(chat, short.visitorToken, "Only one");
    const latest = await messagesPage(owner, sent.conversation.id, "from=latest");
    expect(latest.messages.map((m) => m.body)).toEqual(["Only one"]);
    expect(latest.pagination.previousCursor).toBeNull();
  });

  it("answers bad paging with a clear 4xx", async () => {
    const both = await call(`/conversations/${conversationId}/messages?from=latest&cursor=abc`, {
      token: owner.accessToken,
    });
    expectErrorEnvelope(both, 422);
    const garbage = await call(`/conversations/${conversationId}/messages?before=not-a-cursor`, {
      token: owner.accessToken,
    });
    expectErrorEnvelope(garbage, 400);
    const unknown = await call(`/conversations/${conversationId}/messages?from=oldest`, {
      token: owner.accessToken,
    });
    expectErrorEnvelope(unknown, 422);
  });

  it("never reads another organization's conversation", async () => {
    const stranger = await signUp("inbox-paging-other");
    const answer = await call(`/conversations/${conversationId}/messages?from=latest`, {
      token: stranger.accessToken,
    });
    expectErrorEnvelope(answer, 404);
  });
});
