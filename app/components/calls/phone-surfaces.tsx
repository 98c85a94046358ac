import { lazy, Suspense } from "react";
import { usePhone } from "./phone-context";

/*
 * The shell's phone surfaces (call bar, screen-pops, the agent's status panel) are loaded only
 * for a member who has something phone-related to show: an agent (a member with an extension),
 * or anyone with a live call or a wrap-up. A member without a phone never downloads them, and
 * an agent's page renders them on the server and hydrates them once their chunk arrives
 * (docs/decisions/024). The phone's state (PhoneProvider) stays in the shell for everyone:
 * click-to-call buttons on every page start calls through it.
 */

const CallBar = lazy(() => import("./call-bar").then((module) => ({ default: module.CallBar })));
const ScreenPops = lazy(() =>
  import("./screen-pop").then((module) => ({ default: module.ScreenPops })),
);
const AgentStatusPanel = lazy(() =>
  import("./agent-status").then((module) => ({ default: module.AgentStatusPanel })),
);

export function CallBarOnDemand() {
  const phone = usePhone();
  const inUse =
    phone !== null &&
    (phone.agent !== null || phone.liveCalls.length > 0 || phone.wrapUps.length > 0);
  return inUse ? (
    <Suspense fallback={null}>
      <CallBar />
    </Suspense>
  ) : null;
}

export function ScreenPopsOnDemand() {
  const phone = usePhone();
  return phone && phone.pops.length > 0 ? (
    <Suspense fallback={null}>
      <ScreenPops />
    </Suspense>
  ) : null;
}

export function AgentStatusOnDemand() {
  const phone = usePhone();
  return phone?.agent ? (
    <Suspense fallback={null}>
      <AgentStatusPanel />
    </Suspense>
  ) : null;
}
