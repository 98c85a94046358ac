import { beforeAll, describe, expect, it } from "vitest";
import { addMember, connectSocket, type LiveSocket, type Session, signUp } from "./helpers";
import { type Chat, createChat, openVisitorSocket, startSession, write } from "./webchat-helpers";

/* The visitor's "… is typing" reaches the agents viewing their conversation, and no one else. */

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function visitorSocket(chat: Chat, token: string) {
  const response = await openVisitorSocket(chat, token);
  expect(response.status).toBe(101);
  const socket = response.webSocket;
  if (!socket) throw new Error("no socket");
  socket.accept();
  return socket;
}

async function viewing(agent: LiveSocket, record: string) {
  agent.socket.send(JSON.stringify({ type: "view", record }));
  await agent.waitFor((event) => event.type === "record.viewers" && event.record === record);
}

const typingOf = (socket: LiveSocket) =>
  socket.events.filter((event) => event.type === "record.typing");

let owner: Session;
let chat: Chat;

beforeAll(async () => {
  owner = await signUp("webchat-typing");
  chat = await createChat(owner);
});

describe("a visitor typing", () => {
  it("reaches the agents viewing the conversation, throttled to one a second", async () => {
    const mate = await addMember(owner, "agent", "typing-agent");
    const session = await startSession(chat, { name: "Tina Typer" });
    const sent = await write(chat, session.visitorToken, "Hello?");
    const other = await startSession(chat, { name: "Someone Else" });
    const elsewhere = await write(chat, other.visitorToken, "Me too");
    const record = `conversation:${sent.conversation.id}`;

    const watcher = await connectSocket(bearer(owner.accessToken));
    const onOther = await connectSocket(bearer(mate.accessToken));
    await viewing(watcher, record);
    await viewing(onOther, `conversation:${elsewhere.conversation.id}`);
    const stranger = await signUp("webchat-typing-outsider");
    const outsider = await connectSocket(bearer(stranger.accessToken));
    await viewing(outsider, record);

    const socket = await visitorSocket(chat, session.visitorToken);
    socket.send(JSON.stringify({ type: "typing" }));
    const typing = await watcher.waitFor((event) => event.type === "record.typing");
    expect(typing).toEqual({
      type: "record.typing",
      record,
      user: { userId: expect.stringMatching(/^visitor:/), name: "Tina Typer", visitor: true },
    });

    // More within the second are dropped; after it, one goes through again.
    socket.send(JSON.stringify({ type: "typing" }));
    socket.send(JSON.stringify({ type: "typing" }));
    await pause(400);
    expect(typingOf(watcher)).toHaveLength(1);
    await pause(800);
    socket.send(JSON.stringify({ type: "typing" }));
    await watcher.waitFor(() => typingOf(watcher).length === 2);

    // Garbage, an unknown frame or a conversation named by the visitor go nowhere.
    await pause(1100);
    socket.send("not json");
    socket.send(JSON.stringify({ type: "typing-hard" }));
    socket.send(
      JSON.stringify({ type: "view", record: `conversation:${elsewhere.conversation.id}` }),
    );
    await pause(400);
    expect(typingOf(watcher)).toHaveLength(2);
    expect(typingOf(onOther)).toEqual([]);
    expect(typingOf(outsider)).toEqual([]);
    socket.close();
    for (const agent of [watcher, onOther, outsider]) agent.socket.close();
  });

  it("goes nowhere while the visitor has no open conversation", async () => {
    const session = await startSession(chat, { name: "Not Yet" });
    const watcher = await connectSocket(bearer(owner.accessToken));
    // Anyone viewing any conversation of the chat: nothing arrives without a conversation.
    const sent = await write(chat, (await startSession(chat)).visitorToken, "Other");
    await viewing(watcher, `conversation:${sent.conversation.id}`);
    const socket = await visitorSocket(chat, session.visitorToken);
    socket.send(JSON.stringify({ type: "typing" }));
    await pause(600);
    expect(typingOf(watcher)).toEqual([]);
    socket.close();
    watcher.socket.close();
  });
});
