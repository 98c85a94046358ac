import { type Routing, type RoutingInput, routingSchema } from "./edge-protocol";

/*
 * Picks which agent extension an inbound call rings next. With routing from the edge: the
 * queue's members that are `available`, in queue order, round robin; a call for no queue (or
 * one the edge does not know) rings every available agent. Extensions the tracker says are
 * busy (ringing, on a call, on hold, in wrap-up) are never offered a call. Before the edge
 * sent any routing: the configured fallback extensions, in order.
 */

export interface RingTarget {
  extension: string;
  ringTimeoutSeconds: number;
  /** True when this pick starts a new round through the members. */
  newRound: boolean;
}

export interface RouterOptions {
  fallbackExtensions: readonly string[];
  fallbackRingTimeoutSeconds: number;
}

export class Router {
  private routing: Routing | null = null;

  constructor(private readonly options: RouterOptions) {}

  setRouting(routing: RoutingInput): void {
    this.routing = routingSchema.parse(routing);
  }

  /**
   * The next extension to ring after `previous` (null: start of the call), skipping
   * extensions in `exclude` (already on a call through this bridge); null when nobody can
   * be rung now.
   */
  next(
    queue: string | null,
    previous: string | null,
    exclude: ReadonlySet<string>,
  ): RingTarget | null {
    const { members, ringTimeoutSeconds } = this.candidates(queue);
    const eligible = members.filter((extension) => !exclude.has(extension));
    if (eligible.length === 0) return null;
    const start = previous === null ? -1 : members.indexOf(previous);
    const after = eligible.find((extension) => members.indexOf(extension) > start);
    const extension = after ?? (eligible[0] as string);
    return { extension, ringTimeoutSeconds, newRound: previous !== null && after === undefined };
  }

  /** Whether calls for `queue` are routed as a queue's (with the edge's routing data). */
  isQueue(queue: string | null): boolean {
    return this.routing?.queues.some((q) => q.name === queue) ?? false;
  }

  /** Seconds an agent stays in wrap-up after a call of this queue (null: no queue). */
  wrapUpSecondsFor(queue: string | null): number {
    if (!this.routing) return 0;
    const entry = this.routing.queues.find((q) => q.name === queue);
    return entry ? entry.wrapUpSeconds : this.routing.noQueueWrapUpSeconds;
  }

  private candidates(queue: string | null): { members: string[]; ringTimeoutSeconds: number } {
    if (!this.routing) {
      return {
        members: [...this.options.fallbackExtensions],
        ringTimeoutSeconds: this.options.fallbackRingTimeoutSeconds,
      };
    }
    const available = new Set(
      this.routing.agents.filter((agent) => agent.status === "available").map((a) => a.extension),
    );
    const entry = this.routing.queues.find((q) => q.name === queue);
    const members = entry ? entry.extensions : [...available];
    return {
      members: members.filter((extension) => available.has(extension)),
      ringTimeoutSeconds: entry?.ringTimeoutSeconds ?? this.options.fallbackRingTimeoutSeconds,
    };
  }
}
