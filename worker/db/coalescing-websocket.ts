/**
 * node-postgres writes each protocol message separately (Parse, Bind, Describe, Execute, Sync
 * for one statement). The Neon driver's own `coalesceWrites` joins them into one WebSocket
 * frame but flushes with `setTimeout(0)`, which costs every statement about a millisecond
 * (measured: 1.3-1.5 ms per round trip with it, 0.26 ms without; docs/decisions/021). This
 * wrapper joins the writes of one synchronous burst and sends them at the next microtask:
 * one frame per statement and no timer. Install with `coalesceWrites = false`.
 */
interface MinimalWebSocket {
  readonly readyState: number;
  binaryType: string;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: string, listener: (event: never) => void): void;
}

type WebSocketClass = new (url: string) => MinimalWebSocket;

export function microtaskCoalescing(Base: WebSocketClass): WebSocketClass {
  return class MicrotaskCoalescingWebSocket implements MinimalWebSocket {
    readonly #socket: MinimalWebSocket;
    #pending: Uint8Array[] = [];

    constructor(url: string) {
      this.#socket = new Base(url);
    }

    get readyState() {
      return this.#socket.readyState;
    }

    get binaryType() {
      return this.#socket.binaryType;
    }

    set binaryType(value: string) {
      this.#socket.binaryType = value;
    }

    addEventListener(type: string, listener: (event: never) => void) {
      this.#socket.addEventListener(type, listener);
    }

    send(data: Uint8Array) {
      if (this.#pending.length === 0) queueMicrotask(() => this.#flush());
      this.#pending.push(data);
    }

    close(code?: number, reason?: string) {
      this.#flush();
      this.#socket.close(code, reason);
    }

    #flush() {
      const parts = this.#pending;
      if (parts.length === 0) return;
      this.#pending = [];
      if (parts.length === 1 && parts[0]) {
        this.#socket.send(parts[0]);
        return;
      }
      let size = 0;
      for (const part of parts) size += part.byteLength;
      const joined = new Uint8Array(size);
      let offset = 0;
      for (const part of parts) {
        joined.set(part, offset);
        offset += part.byteLength;
      }
      this.#socket.send(joined);
    }
  };
}
