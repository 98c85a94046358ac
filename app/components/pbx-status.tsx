import { type ReactNode, useRef, useState } from "react";
import type { PbxStatus } from "../../worker/calls/call-view";
import { formatAgo, secondsBetween } from "../lib/call-format";
import { useRecordEvents } from "../lib/realtime-context";
import { formatInstantUtc } from "../lib/record-format";
import { useNow } from "../lib/use-live";
import { LocalTime } from "./local-time";
import { Badge, Section } from "./ui";

/**
 * The organization's PBX status: `initial` (from the loader) until a `pbx.status` event says
 * otherwise; fresh loader data wins again.
 */
export function usePbxStatus(initial: PbxStatus | null): PbxStatus | null {
  const initialRef = useRef(initial);
  initialRef.current = initial;
  // The last event, with the loader data it arrived on top of.
  const [live, setLive] = useState<{ over: PbxStatus | null; status: PbxStatus } | null>(null);
  useRecordEvents((event) => {
    if (event.type === "pbx.status") setLive({ over: initialRef.current, status: event.status });
  });
  return live && live.over === initial ? live.status : initial;
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="px-5 py-3 sm:px-0 sm:py-0">
      <dt className="text-xs font-medium text-slate-600">{label}</dt>
      <dd className="mt-1 text-sm text-slate-900">{children}</dd>
    </div>
  );
}

/** Bridge online/offline, Asterisk (ARI) connection, bridge version and times; live. */
export function PbxStatusCard({
  status: initial,
  offlineHint,
}: {
  /** Null when the status could not be read. */
  status: PbxStatus | null;
  /** What to do when the bridge is offline (e.g. "create a token below"). */
  offlineHint?: ReactNode;
}) {
  const status = usePbxStatus(initial);
  const now = useNow(5000);
  const summary = !status
    ? "The phone system's status could not be read. Reload the page to try again."
    : !status.bridgeOnline
      ? "pbx-bridge is not connected: calls are not recorded and click-to-call is unavailable."
      : status.ariConnected
        ? "pbx-bridge is connected to this workspace and to Asterisk."
        : "pbx-bridge is connected, but it cannot reach Asterisk (ARI).";
  return (
    <Section
      id="pbx-status"
      title="Phone system"
      description={
        <span role="status" aria-live="polite">
          {summary}
        </span>
      }
      actions={
        status ? (
          <Badge
            tone={!status.bridgeOnline ? "danger" : status.ariConnected ? "success" : "warning"}
          >
            {!status.bridgeOnline ? "Offline" : status.ariConnected ? "Online" : "Degraded"}
          </Badge>
        ) : null
      }
    >
      {status ? (
        <dl className="grid divide-y divide-slate-100 sm:grid-cols-3 sm:gap-x-6 sm:gap-y-4 sm:divide-y-0 sm:px-5 sm:py-4 lg:grid-cols-5">
          <Row label="Bridge">
            <Badge tone={status.bridgeOnline ? "success" : "danger"}>
              {status.bridgeOnline ? "Online" : "Offline"}
            </Badge>
          </Row>
          <Row label="Asterisk (ARI)">
            <Badge
              tone={status.ariConnected ? "success" : status.bridgeOnline ? "warning" : "neutral"}
            >
              {status.ariConnected ? "Connected" : "Not connected"}
            </Badge>
          </Row>
          <Row label="Bridge version">
            {status.bridgeVersion ? (
              <span className="font-mono text-xs">{status.bridgeVersion}</span>
            ) : (
              "—"
            )}
          </Row>
          <Row label="Connected since">
            {status.connectedAt ? <LocalTime iso={status.connectedAt} /> : "—"}
          </Row>
          <Row label="Last event">
            {status.lastEventAt ? (
              <time dateTime={status.lastEventAt} title={status.lastEventAt}>
                {now === null
                  ? formatInstantUtc(status.lastEventAt)
                  : formatAgo(secondsBetween(status.lastEventAt, now))}
              </time>
            ) : (
              "—"
            )}
          </Row>
        </dl>
      ) : null}
      {offlineHint && status && !status.bridgeOnline ? (
        <div className="border-t border-slate-100 px-5 py-3 text-sm text-slate-700">
          {offlineHint}
        </div>
      ) : null}
    </Section>
  );
}
