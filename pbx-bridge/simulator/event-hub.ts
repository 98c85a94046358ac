import { WebSocket } from "ws";
import { type AriEvent, type AriEventBody, asteriskTimestamp } from "./ari-json";

const MAX_KEPT_EVENTS = 20_000;

interface Subscriber {
  readonly socket: WebSocket;
  readonly apps: readonly string[];
  readonly subscribeAll: boolean;
}

/**
 * The Stasis application registry and the events WebSockets. As in Asterisk, an application
 * is registered while a WebSocket subscribes to it; a newer WebSocket for the same application
 * takes over and the older one receives ApplicationReplaced. Events go to the sockets of the
 * applications subscribed to the object they are about, and to `subscribeAll` sockets.
 */
export class EventHub {
  private readonly subscribers = new Set<Subscriber>();
  private readonly appOwners = new Map<string, Subscriber>();
  /** The latest MAX_KEPT_EVENTS events sent (bounded so a long demo run does not grow). */
  private readonly sent: AriEvent[] = [];

  constructor(
    private readonly asteriskId: string,
    /** Told of every event as it is sent (benchmarks time the pipeline from here). */
    private readonly onSent: (event: AriEvent) => void = () => {},
  ) {}

  connect(socket: WebSocket, apps: readonly string[], subscribeAll: boolean): void {
    const subscriber: Subscriber = { socket, apps, subscribeAll };
    for (const app of apps) this.takeOverApp(app, subscriber);
    this.subscribers.add(subscriber);
    socket.on("close", () => this.disconnect(subscriber));
  }

  hasApp(app: string): boolean {
    return this.appOwners.has(app);
  }

  registeredApps(): string[] {
    return [...this.appOwners.keys()];
  }

  /** Sends the event to every socket whose application is in `audience` (or subscribes to all). */
  publish(body: AriEventBody, audience: ReadonlySet<string>): void {
    const timestamp = asteriskTimestamp(new Date());
    for (const subscriber of this.subscribers) {
      for (const app of subscriber.apps) {
        if (this.appOwners.get(app) !== subscriber) continue;
        if (subscriber.subscribeAll || audience.has(app)) {
          this.send(subscriber.socket, this.stamp(body, app, timestamp));
        }
      }
    }
  }

  /** The events sent so far (the latest MAX_KEPT_EVENTS), in order. */
  emitted(): AriEvent[] {
    return [...this.sent];
  }

  /** Abruptly drops every connection (like Asterisk going away); the apps unregister at once. */
  dropAll(): void {
    for (const subscriber of [...this.subscribers]) {
      this.disconnect(subscriber);
      subscriber.socket.terminate();
    }
  }

  private takeOverApp(app: string, subscriber: Subscriber): void {
    const previous = this.appOwners.get(app);
    if (previous) {
      this.send(
        previous.socket,
        this.stamp({ type: "ApplicationReplaced" }, app, asteriskTimestamp(new Date())),
      );
    }
    this.appOwners.set(app, subscriber);
  }

  private disconnect(subscriber: Subscriber): void {
    this.subscribers.delete(subscriber);
    for (const app of subscriber.apps) {
      if (this.appOwners.get(app) === subscriber) this.appOwners.delete(app);
    }
  }

  private stamp(body: AriEventBody, application: string, timestamp: string): AriEvent {
    const { type, ...fields } = body;
    return { type, timestamp, ...fields, asterisk_id: this.asteriskId, application };
  }

  private send(socket: WebSocket, event: AriEvent): void {
    if (socket.readyState !== WebSocket.OPEN) return;
    socket.send(JSON.stringify(event));
    this.onSent(event);
    this.sent.push(event);
    if (this.sent.length > MAX_KEPT_EVENTS) this.sent.splice(0, this.sent.length - MAX_KEPT_EVENTS);
  }
}
