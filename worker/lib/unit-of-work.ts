import type { Database, DbScope, Tx } from "../db/client";
import type { OrgJob, OrgJobMessage } from "../jobs/messages";
import { writeOutbox } from "../outbox/store";
import type { PublishedEvent, PublishStamps } from "../realtime/events";
import type { VisitorNotice } from "../webchat/deliver";
import { newId } from "./crypto";

/*
 * The one unit of work. Everything that changes an organization's data runs in one: the
 * organization's transaction (row-level security set first), the realtime events its changes
 * announce, and the jobs it asks for. Jobs are written to the outbox inside the transaction,
 * so they commit or vanish with the data; once it has committed, `AfterCommit` publishes the
 * events (best effort) and hands the jobs to the queue (`deliverAfterCommit`,
 * worker/lib/after-commit.ts). If that hand-off never happens (the isolate died), the relay's
 * cron finds the rows still pending and sends them (worker/outbox/relay.ts); consumers run a
 * job at most once by its outbox id (worker/outbox/store.ts). What a website visitor must see
 * (the team's reply) is an effect too: sent to their room after commit, never before. Jobs enqueued inside a savepoint
 * that rolls back are still written: enqueue outside savepoints. See
 * docs/decisions/022-unit-of-work-and-outbox.md.
 */

export interface UnitOfWork {
  readonly orgId: string;
  readonly tx: Tx;
  /** Queues a realtime event; it is published only if the transaction commits. */
  emit(event: PublishedEvent): void;
  /** Writes a job to the outbox in this transaction; returns its id (the outbox row's). */
  enqueue(job: OrgJob): string;
  /** Hands a job already in the outbox to the queue again after commit (an admin's retry). */
  requeue(job: OrgJobMessage): void;
  /** Queues an event for a website visitor's sockets; sent only if the transaction commits. */
  notifyVisitor(notice: VisitorNotice): void;
}

/** What a committed unit of work leaves to send. */
export interface Committed {
  orgId: string;
  events: PublishedEvent[];
  jobs: OrgJobMessage[];
  /** Events for website visitors' rooms (worker/webchat/deliver.ts). */
  visitors?: VisitorNotice[];
  /** Earlier stage times the publisher adds to the events' trace (PbxGateway's ingest). */
  stamps?: Omit<PublishStamps, "committedAt">;
}

/** Runs once the transaction has committed (never after a rollback). */
export type AfterCommit = (committed: Committed) => void | Promise<void>;

/**
 * Runs `work` in one transaction of the organization `scope.orgId`; its jobs go to the outbox
 * before commit, and `afterCommit` gets its events and jobs once committed.
 */
export async function runUnitOfWork<T>(
  database: Database,
  scope: DbScope & { orgId: string },
  afterCommit: AfterCommit,
  work: (unit: UnitOfWork) => Promise<T>,
): Promise<T> {
  const events: PublishedEvent[] = [];
  const jobs: OrgJobMessage[] = [];
  const requeued: OrgJobMessage[] = [];
  const visitors: VisitorNotice[] = [];
  const result = await database.transaction(scope, async (tx) => {
    const unit: UnitOfWork = {
      orgId: scope.orgId,
      tx,
      emit: (event) => events.push(event),
      enqueue: (job) => {
        const outboxId = newId();
        jobs.push({ ...job, orgId: scope.orgId, outboxId } as OrgJobMessage);
        return outboxId;
      },
      requeue: (job) => requeued.push(job),
      notifyVisitor: (notice) => visitors.push(notice),
    };
    const value = await work(unit);
    await writeOutbox(tx, scope.orgId, jobs);
    return value;
  });
  const toSend = [...jobs, ...requeued];
  if (events.length > 0 || toSend.length > 0 || visitors.length > 0) {
    await afterCommit({ orgId: scope.orgId, events, jobs: toSend, visitors });
  }
  return result;
}
