import { Form, Link, useFetcher } from "@remix-run/react";
import { type ReactNode, useEffect, useId, useRef, useState } from "react";
import { CSAT_WORDS } from "../../../shared/csat";
import { slaWarningMinutes, TICKET_STATUSES, type TicketStatus } from "../../../shared/desk";
import type { TicketView } from "../../../worker/tickets/schemas";
import { LocalTime } from "../../components/local-time";
import { FieldDisplay, FieldInput } from "../../components/record-fields";
import { Alert, Button, cx, focusRing, SelectField, TextField } from "../../components/ui";
import { failureFor, isFailure } from "../../lib/forms";
import type { MemberSummary } from "../../lib/members.server";
import {
  CUSTOM_PREFIX,
  type CustomFieldDefinition,
  type FieldSpec,
  fieldValue,
} from "../../lib/record-fields";
import { useActionResult } from "../../lib/use-action-result";
import { useSubmitting } from "../../lib/use-pending";
import { TicketAssignmentFields, ticketFieldSpecs } from "../app.tickets/ticket-fields";
import {
  STATUS_LABELS,
  slaPolicyLabel,
  TYPE_LABELS,
  VIA_LABELS,
} from "../app.tickets/ticket-format";
import { PriorityText, StatusPill } from "../app.tickets/ticket-parts";
import type { action } from "./ticket.server";

/*
 * The side of a ticket: its fields (status, priority, type, assignee, tags), changed with the
 * ticket's version so that a colleague's change meanwhile is refused rather than overwritten;
 * its custom fields (a required one is required to solve); the company and deal it is linked
 * to; the requester (their contact); and "Merge into another ticket". Viewers, and everyone on
 * a closed ticket, see the fields read-only.
 */

const linkClass = cx("rounded-sm font-medium text-indigo-700 hover:text-indigo-600", focusRing);

function Panel({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="rounded-lg bg-white ring-1 ring-slate-200">
      <h2
        id={id}
        className="border-b border-slate-200 px-4 py-2.5 text-sm font-semibold text-slate-900"
      >
        {title}
      </h2>
      <div className="px-4 py-3">{children}</div>
    </section>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex items-baseline justify-between gap-3 py-1.5">
      <dt className="shrink-0 text-sm text-slate-600">{label}</dt>
      <dd className="min-w-0 text-right text-sm break-words text-slate-900">{children}</dd>
    </div>
  );
}

/** Choices of the Team, Company and Deal selects (the loader's). */
export interface LinkChoices {
  teams: { id: string; name: string }[];
  companies: { value: string; label: string }[];
  deals: { value: string; label: string }[];
}

/** The linked company and deal as links to their pages. */
function LinkRows({ ticket }: { ticket: TicketView }) {
  return (
    <>
      <Row label="Company">
        {ticket.company ? (
          <Link
            to={`/app/companies/${ticket.company.id}`}
            className={linkClass}
            data-testid="company-link"
          >
            {ticket.company.name}
          </Link>
        ) : (
          "—"
        )}
      </Row>
      <Row label="Deal">
        {ticket.deal ? (
          <Link to={`/app/deals/${ticket.deal.id}`} className={linkClass} data-testid="deal-link">
            {ticket.deal.title}
          </Link>
        ) : (
          "—"
        )}
      </Row>
    </>
  );
}

export function RequesterPanel({ ticket }: { ticket: TicketView }) {
  const requester = ticket.requester;
  return (
    <Panel title="Requester">
      {requester ? (
        <div className="min-w-0 space-y-0.5">
          <Link
            to={`/app/contacts/${requester.id}`}
            className={cx("block truncate text-sm", linkClass)}
            data-testid="requester-link"
          >
            {requester.name || requester.email || "Unnamed contact"}
          </Link>
          {requester.email ? (
            <p className="truncate text-sm text-slate-600" title={requester.email}>
              {requester.email}
            </p>
          ) : (
            <p className="text-sm text-slate-500">No email address</p>
          )}
        </div>
      ) : (
        <p className="text-sm text-slate-600">Nobody: this ticket has no requester.</p>
      )}
      <dl className="mt-2 border-t border-slate-100 pt-1">
        <LinkRows ticket={ticket} />
        <Row label="Via">{VIA_LABELS[ticket.via]}</Row>
        <Row label="Created">
          <LocalTime iso={ticket.createdAt} />
        </Row>
        {ticket.solvedAt ? (
          <Row label="Solved">
            <LocalTime iso={ticket.solvedAt} />
          </Row>
        ) : null}
      </dl>
    </Panel>
  );
}

const SLA_LABELS = {
  first_response: "First response",
  next_response: "Next response",
  resolution: "Resolution",
} as const;

/** `95` -> "1 h 35 min", `3000` -> "2 d 2 h": a duration at a glance. */
function duration(minutes: number): string {
  const total = Math.max(0, Math.round(minutes));
  if (total < 60) return `${total} min`;
  if (total < 24 * 60) {
    const rest = total % 60;
    return rest ? `${Math.floor(total / 60)} h ${rest} min` : `${total / 60} h`;
  }
  const days = Math.floor(total / (24 * 60));
  const hours = Math.floor((total % (24 * 60)) / 60);
  return hours ? `${days} d ${hours} h` : `${days} d`;
}

type SlaTarget = NonNullable<TicketView["sla"]>["targets"][number];

/** One target as the agent needs it: met, missed, paused, overdue, or due in how long. */
function SlaState({ target }: { target: SlaTarget }) {
  if (target.achievedAt) {
    return target.breached ? (
      <span className="font-medium text-red-700">Missed</span>
    ) : (
      <span className="font-medium text-emerald-700">Met</span>
    );
  }
  if (target.paused) return <span className="text-slate-600">Paused while pending</span>;
  const remaining = target.remainingMinutes ?? 0;
  if (target.breached) {
    return <span className="font-medium text-red-700">Overdue by {duration(-remaining)}</span>;
  }
  const soon = remaining <= slaWarningMinutes(target.targetMinutes);
  return (
    <span className={cx("font-medium", soon ? "text-amber-700" : "text-slate-900")}>
      Due in {duration(remaining)}
      {target.dueAt ? (
        <span className="block text-xs font-normal text-slate-500">
          <LocalTime iso={target.dueAt} />
        </span>
      ) : null}
    </span>
  );
}

/** The requester's satisfaction rating (CSAT), once they answered the survey. */
export function CsatPanel({ ticket }: { ticket: TicketView }) {
  const csat = ticket.csat;
  if (!csat) return null;
  const satisfied = csat.rating >= 4;
  return (
    <Panel title="Satisfaction">
      <p data-testid="ticket-csat" className="flex items-baseline gap-2">
        <span
          className={cx(
            "text-2xl font-semibold",
            satisfied ? "text-emerald-700" : csat.rating === 3 ? "text-slate-900" : "text-red-700",
          )}
        >
          {csat.rating}/5
        </span>
        <span className="text-sm text-slate-700">{CSAT_WORDS[csat.rating - 1]}</span>
      </p>
      {csat.comment ? (
        <blockquote className="mt-2 border-l-2 border-slate-200 pl-3 text-sm break-words whitespace-pre-line text-slate-700">
          {csat.comment}
        </blockquote>
      ) : null}
      <p className="mt-2 text-xs text-slate-500">
        Answered <LocalTime iso={csat.answeredAt} />
      </p>
    </Panel>
  );
}

/** The ticket's SLA targets (its policy's), as of the page's last load. */
export function SlaPanel({ ticket }: { ticket: TicketView }) {
  const sla = ticket.sla;
  if (!sla || sla.targets.length === 0) return null;
  return (
    <Panel title="SLA">
      <dl data-testid="ticket-sla">
        {sla.targets.map((target) => (
          <Row key={target.metric} label={SLA_LABELS[target.metric]}>
            <SlaState target={target} />
          </Row>
        ))}
      </dl>
      <p className="mt-1 text-xs text-slate-500" data-testid="ticket-sla-policy">
        Policy: {slaPolicyLabel(sla.policy)}.{" "}
        {sla.businessHours ? "Counted in business hours." : "Counted around the clock."}
      </p>
    </Panel>
  );
}

/** What a status select offers: new only while new, closed only once closed. */
function statusOptions(current: TicketStatus) {
  return TICKET_STATUSES.filter(
    (status) => (status !== "new" && status !== "closed") || status === current,
  ).map((value) => ({ value, label: STATUS_LABELS[value] }));
}

export function PropertiesPanel({
  ticket,
  members,
  me,
  links,
  customFields,
  editable,
}: {
  ticket: TicketView;
  members: MemberSummary[];
  me: string;
  links: LinkChoices;
  customFields: CustomFieldDefinition[];
  editable: boolean;
}) {
  const names = new Map(members.map((member) => [member.userId, member.name]));
  const specs = ticketFieldSpecs(customFields);
  if (!editable) {
    return (
      <Panel title="Properties">
        <dl data-testid="ticket-properties-readonly">
          <Row label="Status">
            <StatusPill status={ticket.status} />
          </Row>
          <Row label="Priority">
            <PriorityText priority={ticket.priority} />
          </Row>
          <Row label="Type">{ticket.type ? TYPE_LABELS[ticket.type] : "—"}</Row>
          <Row label="Assignee">
            {ticket.assigneeId ? (names.get(ticket.assigneeId) ?? "Former member") : "Unassigned"}
          </Row>
          <Row label="Tags">{ticket.tags.length > 0 ? ticket.tags.join(", ") : "—"}</Row>
          {specs.map((spec) => (
            <Row key={spec.name} label={spec.label}>
              <FieldDisplay spec={spec} value={fieldValue(ticket, spec)} />
            </Row>
          ))}
        </dl>
      </Panel>
    );
  }
  return <PropertiesForm ticket={ticket} members={members} me={me} links={links} specs={specs} />;
}

/**
 * The fields as a form. It shows the ticket as it was when the agent started changing it:
 * untouched, it follows every live change; touched, it keeps the version it started from, so
 * that saving over a colleague's newer change is refused (409) and said so.
 */
function PropertiesForm({
  ticket,
  members,
  me,
  links,
  specs,
}: {
  ticket: TicketView;
  members: MemberSummary[];
  me: string;
  links: LinkChoices;
  specs: FieldSpec[];
}) {
  const fetcher = useFetcher<typeof action>({ key: `ticket-properties-${ticket.id}` });
  const [base, setBase] = useState(ticket);
  const [dirty, setDirty] = useState(false);
  useEffect(() => {
    if (!dirty && ticket.version !== base.version) setBase(ticket);
  }, [dirty, ticket, base.version]);
  const saving = fetcher.state !== "idle";
  const failure = isFailure(fetcher.data) && fetcher.state === "idle" ? fetcher.data : null;
  const handled = useRef<unknown>(null);
  useEffect(() => {
    const data = fetcher.data;
    if (fetcher.state !== "idle" || !data || handled.current === data) return;
    handled.current = data;
    if (data.ok && "ticket" in data) setBase(data.ticket);
  });
  const stale = dirty && ticket.version !== base.version;
  const errors = failure?.fieldErrors ?? {};
  return (
    <Panel title="Properties">
      <fetcher.Form
        key={base.version}
        method="post"
        className="space-y-3"
        onChange={() => setDirty(true)}
        onSubmit={() => setDirty(false)}
        data-testid="ticket-properties"
      >
        <input type="hidden" name="intent" value="update" />
        <input type="hidden" name="version" value={base.version} />
        {/* The links as shown: an untouched select changes nothing (not even a hidden link). */}
        <input type="hidden" name="shownCompanyId" value={base.company?.id ?? ""} />
        <input type="hidden" name="shownDealId" value={base.deal?.id ?? ""} />
        <input
          type="hidden"
          name="customFields"
          value={specs.map((spec) => spec.name.slice(CUSTOM_PREFIX.length)).join(",")}
        />
        {failure ? (
          <Alert
            title={
              failure.message.startsWith("Someone changed")
                ? "Not saved: changed meanwhile"
                : "Not saved"
            }
          >
            {failure.message}
          </Alert>
        ) : null}
        {stale ? (
          <div
            className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900 ring-1 ring-amber-200 ring-inset"
            role="status"
            data-testid="properties-stale"
          >
            Someone else just changed this ticket. Saving now will be refused.{" "}
            <button
              type="button"
              onClick={() => setDirty(false)}
              className={cx("font-semibold underline", focusRing)}
            >
              Show their change
            </button>
          </div>
        ) : null}
        <SelectField
          label="Status"
          name="status"
          size="sm"
          defaultValue={base.status}
          errors={errors.status}
          options={statusOptions(base.status)}
        />
        <TicketAssignmentFields values={base} errors={errors} members={members} me={me} size="sm" />
        {links.teams.length > 0 ? (
          <SelectField
            label="Team"
            name="teamId"
            size="sm"
            defaultValue={base.teamId ?? ""}
            errors={errors.teamId}
            options={[
              { value: "", label: "No team" },
              ...links.teams.map((team) => ({ value: team.id, label: team.name })),
            ]}
          />
        ) : null}
        <TextField
          label="Tags"
          name="tags"
          defaultValue={base.tags.join(", ")}
          errors={
            errors.tags ?? Object.entries(errors).find(([key]) => key.startsWith("tags."))?.[1]
          }
          hint="Separated by commas."
          className="[&_input]:h-8 [&_input]:text-xs"
        />
        {specs.length > 0 ? (
          <fieldset
            className="space-y-3 border-t border-slate-100 pt-3"
            data-testid="ticket-custom-fields"
          >
            <legend className="sr-only">Fields</legend>
            {specs.map((spec) => (
              <FieldInput
                key={spec.name}
                spec={spec}
                value={fieldValue(base, spec)}
                fieldErrors={errors}
                className="[&_input]:h-8 [&_input]:text-xs [&_select]:h-8 [&_select]:text-xs"
              />
            ))}
          </fieldset>
        ) : null}
        <SelectField
          label="Company"
          name="companyId"
          size="sm"
          defaultValue={base.company?.id ?? ""}
          errors={errors.companyId}
          options={[
            { value: "", label: "None" },
            ...withLinked(links.companies, base.company, "name"),
          ]}
        />
        <SelectField
          label="Deal"
          name="dealId"
          size="sm"
          defaultValue={base.deal?.id ?? ""}
          errors={errors.dealId}
          hint={base.company ? "The company's open deals." : "Link a company to pick its deals."}
          options={[{ value: "", label: "None" }, ...withLinked(links.deals, base.deal, "title")]}
        />
        <Button size="sm" className="w-full" pending={saving} disabled={saving}>
          Save changes
        </Button>
      </fetcher.Form>
    </Panel>
  );
}

/** The choices, with the ticket's current link among them even if it changed since the load. */
function withLinked<K extends "name" | "title">(
  choices: LinkChoices["companies"],
  linked: ({ id: string } & Record<K, string>) | null,
  key: K,
) {
  if (!linked || choices.some((choice) => choice.value === linked.id)) return choices;
  return [{ value: linked.id, label: linked[key] }, ...choices];
}

export function MergePanel({ ticket }: { ticket: TicketView }) {
  const id = useId();
  const failure = failureFor(useActionResult<typeof action>(), "merge");
  const merging = useSubmitting("merge");
  return (
    <details className="group rounded-lg bg-white ring-1 ring-slate-200" open={Boolean(failure)}>
      <summary
        className={cx(
          "flex cursor-pointer list-none items-center justify-between px-4 py-2.5 text-sm font-semibold text-slate-900 [&::-webkit-details-marker]:hidden",
          focusRing,
        )}
      >
        Merge into another ticket
        <span
          aria-hidden="true"
          className="text-slate-400 transition-transform group-open:rotate-90"
        >
          ›
        </span>
      </summary>
      <Form method="post" className="space-y-3 border-t border-slate-200 px-4 py-3">
        <input type="hidden" name="intent" value="merge" />
        <p className="text-xs text-slate-600">
          Its comments move to the other ticket and #{ticket.number} closes. This cannot be undone.
        </p>
        {failure && !failure.fieldErrors.into ? <Alert>{failure.message}</Alert> : null}
        <TextField
          id={`${id}-into`}
          label="Ticket number"
          name="into"
          inputMode="numeric"
          placeholder="e.g. 1002"
          autoComplete="off"
          defaultValue={failure?.values.into}
          errors={failure?.fieldErrors.into ?? failure?.fieldErrors.intoId}
        />
        <Button variant="danger" size="sm" className="w-full" pending={merging}>
          Merge #{ticket.number} into it
        </Button>
      </Form>
    </details>
  );
}
