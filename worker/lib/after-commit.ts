import type { Env } from "../env";
import { sendJobs } from "../outbox/relay";
import { publishToOrg } from "../realtime/publish";
import { deliverToVisitors } from "../webchat/deliver";
import type { AfterCommit, Committed } from "./unit-of-work";

/**
 * The standard after-commit step: publish the events to the organization's room, hand the
 * jobs to the queue and push website visitors' events to their rooms. Failures are logged, not thrown: the data has committed, a lost event
 * costs a refresh, and a job not handed over is still pending in the outbox for the relay.
 * With `waitUntil` (a request) it runs after the response; without, the caller awaits it.
 */
export function deliverAfterCommit(
  env: Env,
  waitUntil?: (promise: Promise<unknown>) => void,
): AfterCommit {
  return (committed) => {
    const delivery = deliver(env, committed);
    if (waitUntil) waitUntil(delivery);
    else return delivery;
  };
}

async function deliver(env: Env, committed: Committed): Promise<void> {
  const { orgId, events, jobs, stamps, visitors = [] } = committed;
  const [published, sent, pushed] = await Promise.allSettled([
    publishToOrg(env, orgId, events, stamps),
    sendJobs(env.JOBS, jobs),
    deliverToVisitors(env, orgId, visitors),
  ]);
  if (published.status === "rejected") logFailure("events not published", orgId, published.reason);
  if (sent.status === "rejected") logFailure("jobs left to the relay", orgId, sent.reason);
  if (pushed.status === "rejected") logFailure("visitors not reached", orgId, pushed.reason);
}

function logFailure(msg: string, orgId: string, error: unknown) {
  console.error(JSON.stringify({ level: "error", msg, orgId, error: String(error) }));
}
