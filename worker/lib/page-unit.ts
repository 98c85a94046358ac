import type { Credential } from "../auth/actor";
import type { Database } from "../db/client";
import type { RequestMeta } from "./request-meta";
import { runAsActor, type TenantScope } from "./scope";
import type { AfterCommit } from "./unit-of-work";

/** Thrown inside the shared transaction to roll it back after one of its works failed. */
const ROLL_BACK = Symbol("roll back the page's unit of work");

interface Open {
  credential: Credential;
  scope: Promise<TenantScope>;
  /** Settles once the transaction has committed or rolled back. */
  ended: Promise<void>;
  close(): void;
}

/**
 * One unit of work for everything a page read (GET) does: the session check and the work of
 * every loader Remix runs for it share one transaction, opened by the first of them and
 * committed when the page has been rendered (`finish`). Works run one after another on that
 * transaction, in the order they asked. Loaders only read; if one of them fails, the
 * transaction is rolled back (nothing a loader read is lost, and no event goes out for a
 * page that failed). Form posts (actions) do not share: each runs its own unit of work.
 * See docs/decisions/026-one-transaction-per-page.md.
 */
export class PageUnit {
  #open: Open | null = null;
  #finished = false;
  #failed = false;
  /** The last queued work, settled or not: the next one starts after it. */
  #tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly database: Database,
    private readonly meta: RequestMeta,
    private readonly afterCommit: AfterCommit,
  ) {}

  /** Runs `work` as `credential` in the page's transaction (its own, once the page is done). */
  run<T>(credential: Credential, work: (scope: TenantScope) => Promise<T>): Promise<T> {
    if (this.#finished || (this.#open && this.#open.credential !== credential)) {
      return runAsActor(this.database, credential, this.meta, this.afterCommit, work);
    }
    this.#open ??= this.#begin(credential);
    const { scope } = this.#open;
    const result = this.#tail.then(async () => {
      try {
        return await work(await scope);
      } catch (error) {
        this.#failed = true;
        throw error;
      }
    });
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** No more work: commits the transaction (or rolls it back if a work failed). */
  async finish(): Promise<void> {
    this.#finished = true;
    const open = this.#open;
    if (!open) return;
    open.close();
    await open.ended;
  }

  #begin(credential: Credential): Open {
    let close!: () => void;
    const closed = new Promise<void>((resolve) => {
      close = resolve;
    });
    let started!: (scope: TenantScope) => void;
    let refused!: (error: unknown) => void;
    const scope = new Promise<TenantScope>((resolve, reject) => {
      started = resolve;
      refused = reject;
    });
    let begun = false;
    const ended = runAsActor(this.database, credential, this.meta, this.afterCommit, async (s) => {
      begun = true;
      started(s);
      await closed;
      await this.#tail;
      if (this.#failed) throw ROLL_BACK;
    }).then(
      () => undefined,
      (error: unknown) => {
        if (error === ROLL_BACK) return;
        // Refused before any work ran (the credential is no longer good, or the transaction
        // could not start): every work fails with that reason, and the page answers it.
        if (!begun) return refused(error);
        throw error;
      },
    );
    // Seen by the works (through `scope`) and by `finish` (through `ended`).
    scope.catch(() => undefined);
    ended.catch(() => undefined);
    return { credential, scope, ended, close };
  }
}
