import type { VisitorEvent, VisitorFrame, VisitorMessage, VisitorSession } from "../shared/webchat";
import { STYLES } from "./styles";

/*
 * Switchboard's website chat widget (`<script src=".../widget.js" data-channel="..." async>`),
 * bundled by scripts/build-widget.ts into build/client/widget.js. No framework: a launcher and
 * a panel in a shadow root; the visitor API under /webchat/:channelId on the script's own
 * origin; the team's replies live over the visitor's WebSocket (reconnecting with backoff, and
 * reading what it missed). The visitor token is kept in localStorage per channel, so the
 * conversation survives reloads and other tabs. A page that knows its user sets
 * `window.SwitchboardChat = { identifier, identifierHash, name, email }` before the script.
 */

interface HostIdentity {
  identifier?: string;
  identifierHash?: string;
  name?: string;
  email?: string;
}

declare global {
  interface Window {
    SwitchboardChat?: HostIdentity;
    __switchboardChatLoaded?: boolean;
  }
}

interface Envelope<T> {
  success: boolean;
  data: T | null;
  message: string;
  errors: Record<string, string[]> | null;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const OFFLINE_TEXT = "We're away; leave a message and we'll reply here.";
const PING_MS = 25_000;
/** The visitor's own typing goes to the team at most this often (the Worker allows 1 a second). */
const TELL_TYPING_MS = 2000;
/** An agent's "is typing…" shows this long after their last signal. */
const TYPING_SHOWN_MS = 4000;
const MAX_BACKOFF_MS = 30_000;

function ownScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.dataset.channel) return current;
  return document.querySelector<HTMLScriptElement>('script[data-channel][src*="widget.js"]');
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

const CHAT_ICON =
  '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/></svg>';

function timeOf(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? ""
    : date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

class Chat {
  readonly #api: string;
  readonly #channelId: string;
  readonly #storageKey: string;
  readonly #identity: HostIdentity;
  #token: string | null;
  #session: VisitorSession | null = null;
  readonly #messages = new Map<string, VisitorMessage>();
  #open = false;
  #unread = 0;
  /** The agent writing a reply right now (their name), shown under the title. */
  #typing: string | null = null;
  #typingTimer: ReturnType<typeof setTimeout> | undefined;
  #socket: WebSocket | null = null;
  #toldTypingAt = 0;
  #attempt = 0;
  #ping: ReturnType<typeof setInterval> | undefined;
  #reconnect: ReturnType<typeof setTimeout> | undefined;

  // The DOM, built once.
  readonly #launcher = el("button", { class: "launcher", type: "button", "aria-label": "Chat" });
  readonly #badge = el("span", { class: "badge", hidden: "" });
  readonly #panel = el("section", { class: "panel", hidden: "", role: "dialog" });
  readonly #status = el("div", { class: "status" });
  readonly #notice = el("div", { class: "notice", hidden: "" }, OFFLINE_TEXT);
  readonly #list = el("div", { class: "messages", "aria-live": "polite" });
  readonly #form = el("form", { class: "form", hidden: "" });
  readonly #composer = el("form", { class: "composer" });
  readonly #input = el("textarea", {
    rows: "1",
    maxlength: "4000",
    placeholder: "Write a message…",
    "aria-label": "Message",
  });
  readonly #send = el("button", { class: "primary", type: "submit" }, "Send");
  readonly #error = el("div", { class: "error", role: "alert" });

  constructor(api: string, channelId: string, identity: HostIdentity) {
    this.#api = api;
    this.#channelId = channelId;
    this.#identity = identity;
    this.#storageKey = `switchboard-chat:${channelId}`;
    this.#token = readStorage(this.#storageKey);
  }

  mount() {
    const host = el("div", { "data-switchboard-chat": "" });
    const shadow = host.attachShadow({ mode: "open" });
    const style = el("style");
    style.textContent = STYLES;
    const root = el("div", { class: "root" });
    this.#launcher.innerHTML = CHAT_ICON;
    this.#launcher.append(this.#badge);
    this.#launcher.addEventListener("click", () => this.#toggle(!this.#open));

    const close = el("button", { class: "close", type: "button", "aria-label": "Close chat" }, "×");
    close.addEventListener("click", () => this.#toggle(false));
    const header = el(
      "div",
      { class: "header" },
      el("div", { class: "titles" }, el("div", { class: "title" }, "Chat with us"), this.#status),
      close,
    );
    this.#panel.setAttribute("aria-label", "Chat");
    this.#buildForm();
    this.#composer.append(this.#input, this.#send);
    this.#composer.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.#submit();
    });
    this.#input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        void this.#submit();
      }
    });
    this.#input.addEventListener("input", () => {
      this.#grow();
      this.#tellTyping();
    });
    this.#panel.append(header, this.#notice, this.#list, this.#form, this.#error, this.#composer);
    this.#panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") this.#toggle(false);
    });
    root.append(this.#launcher, this.#panel);
    shadow.append(style, root);
    document.body.append(host);
    window.addEventListener("online", () => this.#connect());
    void this.#start();
  }

  #buildForm() {
    const name = el("input", {
      name: "name",
      autocomplete: "name",
      required: "",
      maxlength: "120",
    });
    const email = el("input", {
      name: "email",
      type: "email",
      autocomplete: "email",
      required: "",
      maxlength: "254",
    });
    this.#form.append(
      el("p", {}, "Tell us who you are, so that we can reply."),
      el("label", {}, "Name", name),
      el("label", {}, "E-mail", email),
      el("button", { class: "primary", type: "submit" }, "Start chat"),
    );
    this.#form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await this.#start({ name: name.value, email: email.value });
        this.#input.focus();
      } catch {
        // shown by #start
      }
    });
  }

  async #start(extra: { name?: string; email?: string } = {}) {
    const body: Record<string, string> = {};
    const identity = this.#identity;
    if (identity.identifier && identity.identifierHash) {
      body.identifier = String(identity.identifier);
      body.identifierHash = String(identity.identifierHash);
    }
    const name = extra.name ?? identity.name;
    const email = extra.email ?? identity.email;
    if (name) body.name = String(name);
    if (email) body.email = String(email);
    try {
      let session: VisitorSession;
      try {
        session = await this.#request<VisitorSession>("POST", "/session", {
          ...body,
          ...(this.#token ? { visitorToken: this.#token } : {}),
        });
      } catch (error) {
        // A token the chat no longer accepts (another channel, expired): start afresh.
        if (!(error instanceof HttpError) || error.status !== 401 || !this.#token) throw error;
        this.#forgetToken();
        session = await this.#request<VisitorSession>("POST", "/session", body);
      }
      this.#session = session;
      this.#token = session.visitorToken;
      writeStorage(this.#storageKey, session.visitorToken);
      this.#messages.clear();
      for (const message of session.messages) this.#messages.set(message.id, message);
      this.#error.textContent = "";
      this.#render();
      if (session.conversation) this.#connect();
    } catch (error) {
      this.#error.textContent = describe(error);
      this.#render();
      throw error;
    }
  }

  #needsForm(): boolean {
    const session = this.#session;
    return Boolean(
      session?.preChatForm &&
        !session.conversation &&
        !session.visitor.email &&
        !this.#messages.size,
    );
  }

  #toggle(open: boolean) {
    this.#open = open;
    this.#panel.hidden = !open;
    this.#launcher.classList.toggle("open", open);
    this.#launcher.setAttribute("aria-expanded", String(open));
    if (open) {
      this.#unread = 0;
      this.#renderBadge();
      this.#scrollDown();
      (this.#needsForm() ? this.#form.querySelector("input") : this.#input)?.focus();
      if (!this.#session) void this.#start().catch(() => {});
    } else {
      this.#launcher.focus();
    }
  }

  async #submit() {
    const text = this.#input.value.trim();
    if (!text || this.#send.disabled) return;
    this.#send.disabled = true;
    this.#error.textContent = "";
    try {
      if (!this.#token) await this.#start();
      let sent: { message: VisitorMessage };
      try {
        sent = await this.#request("POST", "/messages", { body: text }, true);
      } catch (error) {
        if (!(error instanceof HttpError) || error.status !== 401) throw error;
        this.#forgetToken();
        await this.#start();
        sent = await this.#request("POST", "/messages", { body: text }, true);
      }
      this.#input.value = "";
      this.#grow();
      this.#add(sent.message);
      if (this.#session && !this.#session.conversation) {
        this.#session.conversation = { id: "", status: "open" };
      }
      this.#connect();
    } catch (error) {
      this.#error.textContent = describe(error);
    } finally {
      this.#send.disabled = false;
      this.#input.focus();
    }
  }

  #add(message: VisitorMessage) {
    const known = this.#messages.has(message.id);
    this.#messages.set(message.id, message);
    if (!known && message.direction === "outgoing" && !this.#open) {
      this.#unread += 1;
      this.#renderBadge();
    }
    this.#render();
  }

  /** "… is typing" for the team, throttled; only on an open socket (nothing is queued). */
  #tellTyping() {
    const socket = this.#socket;
    if (!socket || socket.readyState !== WebSocket.OPEN || !this.#input.value.trim()) return;
    if (Date.now() - this.#toldTypingAt < TELL_TYPING_MS) return;
    this.#toldTypingAt = Date.now();
    socket.send(JSON.stringify({ type: "typing" } satisfies VisitorFrame));
  }

  /** The visitor's socket: opened once there is a conversation, kept open, caught up on reconnect. */
  #connect() {
    if (!this.#token || this.#socket || typeof WebSocket === "undefined") return;
    clearTimeout(this.#reconnect);
    const url = `${this.#api.replace(/^http/, "ws")}/webchat/${this.#channelId}/socket?token=${encodeURIComponent(this.#token)}`;
    const socket = new WebSocket(url);
    this.#socket = socket;
    socket.addEventListener("open", () => {
      const wasReconnect = this.#attempt > 0;
      this.#attempt = 0;
      clearInterval(this.#ping);
      this.#ping = setInterval(() => socket.send('{"type":"ping"}'), PING_MS);
      if (wasReconnect) void this.#catchUp();
    });
    socket.addEventListener("message", (event) => {
      let frame: VisitorEvent;
      try {
        frame = JSON.parse(String(event.data)) as VisitorEvent;
      } catch {
        return;
      }
      if (frame.type === "message.created") {
        this.#typing = null;
        this.#add(frame.message);
      } else if (frame.type === "typing") {
        this.#typing = frame.author;
        clearTimeout(this.#typingTimer);
        this.#typingTimer = setTimeout(() => {
          this.#typing = null;
          this.#render();
        }, TYPING_SHOWN_MS);
        this.#render();
      }
    });
    socket.addEventListener("close", () => {
      clearInterval(this.#ping);
      if (this.#socket === socket) this.#socket = null;
      this.#attempt += 1;
      const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (this.#attempt - 1));
      this.#reconnect = setTimeout(() => this.#connect(), delay * (0.75 + Math.random() * 0.5));
    });
  }

  /** What arrived while the socket was down. */
  async #catchUp() {
    try {
      const answer = await this.#request<{ messages: VisitorMessage[] }>(
        "GET",
        "/messages",
        undefined,
        true,
      );
      for (const message of answer.messages) this.#add(message);
    } catch {
      // The next reconnect tries again.
    }
  }

  #forgetToken() {
    this.#token = null;
    removeStorage(this.#storageKey);
    this.#socket?.close();
    this.#socket = null;
  }

  async #request<T>(method: string, path: string, body?: unknown, auth = false): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers["content-type"] = "application/json";
    if (auth && this.#token) headers.authorization = `Bearer ${this.#token}`;
    const response = await fetch(`${this.#api}/webchat/${this.#channelId}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
    });
    let envelope: Envelope<T> | null = null;
    try {
      envelope = (await response.json()) as Envelope<T>;
    } catch {
      // not JSON
    }
    if (!response.ok || !envelope?.success || envelope.data === null) {
      const detail = envelope?.errors ? Object.values(envelope.errors).flat()[0] : undefined;
      throw new HttpError(response.status, detail ?? envelope?.message ?? "Something went wrong.");
    }
    return envelope.data;
  }

  #render() {
    const session = this.#session;
    const online = session?.agentsOnline ?? true;
    this.#status.textContent = this.#typing
      ? `${this.#typing} is typing…`
      : online
        ? "We typically reply in a few minutes"
        : "Away";
    this.#notice.hidden = !session || online;
    const form = this.#needsForm();
    this.#form.hidden = !form;
    this.#composer.hidden = form;
    const nodes: Node[] = [];
    if (session?.greeting) nodes.push(el("div", { class: "msg team" }, session.greeting));
    const ordered = [...this.#messages.values()].sort((a, b) =>
      a.sentAt === b.sentAt ? (a.id < b.id ? -1 : 1) : a.sentAt < b.sentAt ? -1 : 1,
    );
    for (const message of ordered) {
      const side = message.direction === "incoming" ? "me" : "team";
      nodes.push(el("div", { class: `msg ${side}` }, ...this.#content(message)));
      const who = message.author ? `${message.author} · ` : "";
      nodes.push(el("div", { class: `meta ${side}` }, `${who}${timeOf(message.sentAt)}`));
    }
    this.#list.replaceChildren(...nodes);
    this.#scrollDown();
  }

  /** The message's text; a file the team sent shows first: a picture inline, else a link. */
  #content(message: VisitorMessage): (Node | string)[] {
    const media = message.media;
    if (!media?.url) return [message.body];
    const href = `${this.#api}${media.url}`;
    const name = media.filename ?? "File";
    const link = el("a", { href, target: "_blank", rel: "noopener", class: "file" });
    if (media.kind === "image") {
      link.append(el("img", { src: href, alt: message.body || name, loading: "lazy" }));
    } else {
      link.textContent = `📎 ${name}`;
    }
    return message.body ? [link, el("div", {}, message.body)] : [link];
  }

  #renderBadge() {
    this.#badge.hidden = this.#unread === 0;
    this.#badge.textContent = this.#unread > 9 ? "9+" : String(this.#unread);
    this.#launcher.setAttribute(
      "aria-label",
      this.#unread ? `Chat (${this.#unread} unread)` : "Chat",
    );
  }

  #scrollDown() {
    this.#list.scrollTop = this.#list.scrollHeight;
  }

  #grow() {
    this.#input.style.height = "auto";
    this.#input.style.height = `${Math.min(this.#input.scrollHeight, 120)}px`;
  }
}

function describe(error: unknown): string {
  if (error instanceof HttpError) return error.message;
  return "Could not reach the chat. Check your connection and try again.";
}

function readStorage(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}
function writeStorage(key: string, value: string) {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Storage refused (private mode): the chat lasts as long as the page.
  }
}
function removeStorage(key: string) {
  try {
    window.localStorage.removeItem(key);
  } catch {
    // ignore
  }
}

function boot() {
  if (window.__switchboardChatLoaded) return;
  const script = ownScript();
  const channelId = script?.dataset.channel;
  if (!script || !channelId) {
    console.warn("Switchboard chat: add data-channel to the widget's script tag.");
    return;
  }
  window.__switchboardChatLoaded = true;
  const api = new URL(script.src, window.location.href).origin;
  const chat = new Chat(api, channelId, window.SwitchboardChat ?? {});
  if (document.body) chat.mount();
  else document.addEventListener("DOMContentLoaded", () => chat.mount());
}

boot();
