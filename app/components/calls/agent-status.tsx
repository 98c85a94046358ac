import { useEffect, useId, useState } from "react";
import {
  AGENT_STATUS_DOTS,
  AGENT_STATUS_LABELS,
  SELECTABLE_AGENT_STATUSES,
  type SelectableAgentStatus,
} from "../../lib/call-format";
import { cx, focusRing } from "../ui";
import { usePhone } from "./phone-context";

/*
 * The member's phone in the sidebar: their extension, whether queues may ring them
 * (available / busy / away, "On call" while on a call) and whether the phone system is
 * connected. Only for members with an extension.
 */

function isSelectable(status: string): status is SelectableAgentStatus {
  return (SELECTABLE_AGENT_STATUSES as readonly string[]).includes(status);
}

export function AgentStatusPanel() {
  const phone = usePhone();
  const agent = phone?.agent ?? null;
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  // The status chosen last (the phone system shows on_call while a call lasts).
  const [chosen, setChosen] = useState<SelectableAgentStatus | null>(
    agent && isSelectable(agent.status) ? agent.status : null,
  );
  useEffect(() => {
    if (agent && isSelectable(agent.status)) setChosen(agent.status);
  }, [agent]);
  if (!phone || !agent) return null;
  const onCall = agent.status === "on_call";
  const shown = onCall ? "on_call" : (chosen ?? agent.status);

  return (
    <section
      aria-labelledby={id}
      className="border-t border-slate-200 px-5 pt-3 pb-1"
      data-testid="agent-status"
    >
      <div className="flex items-center justify-between pb-2">
        <h2 id={id} className="text-xs font-medium text-slate-500">
          Your phone
        </h2>
        <span className="text-xs text-slate-600">Ext. {agent.extension}</span>
      </div>
      <div className="flex items-center gap-2">
        <span
          aria-hidden="true"
          className={cx("size-2.5 shrink-0 rounded-full", AGENT_STATUS_DOTS[shown])}
        />
        <label htmlFor={`${id}-status`} className="sr-only">
          Your status
        </label>
        <select
          id={`${id}-status`}
          value={onCall ? "on_call" : (chosen ?? "")}
          disabled={!phone.canCall || saving}
          onChange={async (event) => {
            const next = event.currentTarget.value;
            if (!isSelectable(next)) return;
            const previous = chosen;
            setChosen(next);
            setSaving(true);
            const failure = await phone.setStatus(next);
            setSaving(false);
            setError(failure);
            if (failure) setChosen(previous);
          }}
          className={cx(
            "h-8 min-w-0 flex-1 rounded-md border-0 bg-white px-2 text-sm text-slate-900 ring-1 ring-slate-300 ring-inset",
            focusRing,
          )}
        >
          {onCall ? (
            <option value="on_call" disabled>
              On call
            </option>
          ) : null}
          {chosen === null && !onCall ? <option value="">—</option> : null}
          {SELECTABLE_AGENT_STATUSES.map((status) => (
            <option key={status} value={status}>
              {AGENT_STATUS_LABELS[status]}
            </option>
          ))}
        </select>
      </div>
      {onCall ? (
        <p className="mt-1.5 text-xs font-medium text-red-700" data-testid="agent-on-call">
          On call
          {chosen ? (
            <span className="font-normal text-slate-600">
              {` · then ${AGENT_STATUS_LABELS[chosen].toLowerCase()}`}
            </span>
          ) : null}
        </p>
      ) : null}
      {phone.pbxOnline === false ? (
        <p className="mt-1.5 text-xs text-amber-800">The phone system is offline.</p>
      ) : null}
      {error ? (
        <p role="alert" className="mt-1.5 text-xs font-medium text-red-700">
          {error}
        </p>
      ) : null}
    </section>
  );
}
