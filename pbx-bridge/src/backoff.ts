/** Exponential backoff with full jitter, for reconnect loops. */
export interface BackoffOptions {
  minMs: number;
  maxMs: number;
  random?: () => number;
}

export const RECONNECT_BACKOFF: BackoffOptions = { minMs: 250, maxMs: 30_000 };

export class Backoff {
  private attempt = 0;
  private readonly random: () => number;

  constructor(private readonly options: BackoffOptions) {
    this.random = options.random ?? Math.random;
  }

  /** The delay before the next attempt: a random value in [min, min * 2^attempt], capped. */
  next(): number {
    const ceiling = Math.min(this.options.maxMs, this.options.minMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.round(this.options.minMs + this.random() * (ceiling - this.options.minMs));
  }

  reset(): void {
    this.attempt = 0;
  }
}
