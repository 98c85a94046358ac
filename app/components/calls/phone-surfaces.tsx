import { type ComponentType, type LazyExoticComponent, lazy, Suspense } from "react";
import { hasCallBar, type PhoneContextValue, usePhone } from "./phone-context";

/*
 * The shell's phone surfaces (call bar, screen-pops, the agent's status panel) are loaded only
 * for a member who has something phone-related to show: an agent (a member with an extension),
 * or anyone with a live call or a wrap-up. A member without a phone never downloads them, and
 * an agent's page renders them on the server and hydrates them once their chunk arrives
 * (docs/decisions/024). The phone's state (PhoneProvider) stays in the shell for everyone:
 * click-to-call buttons on every page start calls through it.
 */

/** A lazily loaded surface, rendered (and so fetched) only while `shows` says so. */
function OnDemand({
  Surface,
  shows,
}: {
  Surface: LazyExoticComponent<ComponentType>;
  shows: (phone: PhoneContextValue) => boolean;
}) {
  const phone = usePhone();
  return phone && shows(phone) ? (
    <Suspense fallback={null}>
      <Surface />
    </Suspense>
  ) : null;
}

const CallBar = lazy(() => import("./call-bar").then((module) => ({ default: module.CallBar })));
const ScreenPops = lazy(() =>
  import("./screen-pop").then((module) => ({ default: module.ScreenPops })),
);
const AgentStatusPanel = lazy(() =>
  import("./agent-status").then((module) => ({ default: module.AgentStatusPanel })),
);

export function CallBarOnDemand() {
  return <OnDemand Surface={CallBar} shows={hasCallBar} />;
}

export function ScreenPopsOnDemand() {
  return <OnDemand Surface={ScreenPops} shows={(phone) => phone.pops.length > 0} />;
}

export function AgentStatusOnDemand() {
  return <OnDemand Surface={AgentStatusPanel} shows={(phone) => phone.agent !== null} />;
}
