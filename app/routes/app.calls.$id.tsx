import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/cloudflare";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { z } from "zod";
import { safeHref } from "../../shared/http-url";
import { can } from "../../worker/auth/permissions";
import { updateCallBodySchema } from "../../worker/calls/schemas";
import { getCall, updateCall } from "../../worker/calls/service";
import { ApiError } from "../../worker/lib/errors";
import { CallButton } from "../components/calls/call-button";
import { CallStateBadge, CallTimer, CreateContactButton } from "../components/calls/call-parts";
import { ArrowRightIcon } from "../components/icons";
import { LocalTime } from "../components/local-time";
import { PageBody, PageHeader } from "../components/page";
import { EmptyValue } from "../components/record-fields";
import { RouteError } from "../components/route-error";
import {
  Alert,
  Button,
  cx,
  focusRing,
  Section,
  SelectField,
  TextAreaField,
} from "../components/ui";
import { formFailure, parseForm, readForm } from "../lib/actions.server";
import {
  callTitle,
  DIRECTION_LABELS,
  DISPOSITIONS,
  describeCallEvent,
  dispositionLabel,
  formatDuration,
  HANGUP_PARTY_LABELS,
  hangupCause,
  OUTCOME_LABELS,
} from "../lib/call-format";
import { failureFor } from "../lib/forms";
import { recordIdParam } from "../lib/record-page.server";
import { requireUser, runAsUser } from "../lib/session.server";
import { useActionResult } from "../lib/use-action-result";
import { useRevalidateOnEvents } from "../lib/use-live";
import { useSubmitting } from "../lib/use-pending";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? callTitle(data.call) : "Call"} · Calls · Switchboard` },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  const id = recordIdParam(params);
  try {
    const call = await runAsUser(context, session, (scope) => getCall(scope, id));
    const { role, user } = session.me;
    const canEdit =
      can(role, "calls:write") && (call.agent?.id === user.id || can(role, "calls:supervise"));
    return json({ call, canEdit }, { headers: session.headers });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      throw new Response("Not found", { status: 404, headers: session.headers });
    }
    throw error;
  }
}

const wrapUpForm = z.object({
  version: z.coerce.number().int().positive(),
  notes: z.string().optional(),
  disposition: z.string().optional(),
});

export async function action({ request, params, context }: ActionFunctionArgs) {
  const session = await requireUser(request, context);
  const id = recordIdParam(params);
  const form = await readForm(request);
  try {
    if (form.intent !== "wrap-up") {
      throw ApiError.badRequest("That action is not available on this page.");
    }
    const posted = parseForm(wrapUpForm, form.values);
    const body = parseForm(updateCallBodySchema, {
      version: posted.version,
      notes: posted.notes?.trim() || null,
      disposition: posted.disposition || null,
    });
    await runAsUser(context, session, (scope) => updateCall(scope, id, body));
    return json(
      { ok: true as const, intent: form.intent, message: "Notes and disposition saved." },
      { headers: session.headers },
    );
  } catch (error) {
    return formFailure(error, form, session.headers);
  }
}

type Call = ReturnType<typeof useLoaderData<typeof loader>>["call"];

/** A change to this call (its state, a recording, someone's notes) reloads the page. */
function useLiveCall(call: Call) {
  useRevalidateOnEvents(
    (event) =>
      event.type === "call.updated" &&
      event.call.id === call.id &&
      event.call.version > call.version,
    { delayMs: 0, maxWaitMs: Number.POSITIVE_INFINITY, whileReloading: "skip" },
  );
}

const linkClass = cx("rounded-sm font-medium text-indigo-700 hover:text-indigo-600", focusRing);

export default function CallPage() {
  const { call, canEdit } = useLoaderData<typeof loader>();
  const recordingHref = safeHref(call.recordingUrl);
  useLiveCall(call);
  return (
    <>
      <PageHeader
        eyebrow="Call"
        title={callTitle(call)}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            <CallStateBadge call={call} />
            <LocalTime iso={call.startedAt} />
            {call.endedAt === null ? <CallTimer call={call} /> : null}
          </span>
        }
      />
      <PageBody>
        <div className="flex flex-wrap items-center justify-between gap-3">
          <Link to="/app/calls" className={cx("text-sm", linkClass)}>
            <ArrowRightIcon className="mr-1 inline size-4 rotate-180" />
            Calls
          </Link>
          {call.customerNumber && call.endedAt !== null ? (
            <CallButton
              number={call.customerNumber}
              contactId={call.contact?.id ?? null}
              label={`back ${call.customerNumber}`}
            />
          ) : null}
        </div>
        <div className="grid gap-6 lg:grid-cols-5">
          <div className="space-y-6 lg:col-span-2">
            <CallDetails call={call} canEdit={canEdit} />
            {recordingHref ? <Recording url={recordingHref} /> : null}
          </div>
          <div className="space-y-6 lg:col-span-3">
            <WrapUpSection call={call} canEdit={canEdit} />
            <EventHistory call={call} />
          </div>
        </div>
      </PageBody>
    </>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 py-2.5 sm:grid-cols-3 sm:gap-4">
      <dt className="text-sm text-slate-600">{label}</dt>
      <dd className="min-w-0 text-sm text-slate-900 sm:col-span-2">{children ?? <EmptyValue />}</dd>
    </div>
  );
}

const orEmpty = (value: ReactNode) =>
  value === null || value === undefined || value === "" ? <EmptyValue /> : value;

function CallDetails({ call, canEdit }: { call: Call; canEdit: boolean }) {
  const recordingHref = safeHref(call.recordingUrl);
  const cause = hangupCause(call.hangupCauseText, call.hangupCause);
  return (
    <Section id="call-details" title="Details">
      <dl className="divide-y divide-slate-100 px-5 py-1">
        <Row label="Direction">{DIRECTION_LABELS[call.direction]}</Row>
        <Row label="From">
          <span className="tabular-nums">{call.fromNumber}</span>
          {call.fromName ? <span className="text-slate-600"> · {call.fromName}</span> : null}
        </Row>
        <Row label="To">
          <span className="tabular-nums">{call.toNumber}</span>
        </Row>
        <Row label="Contact">
          {call.contact ? (
            <Link to={`/app/contacts/${call.contact.id}`} className={linkClass}>
              {call.contact.name}
            </Link>
          ) : canEdit ? (
            <span className="flex flex-wrap items-center gap-2">
              <EmptyValue />
              <CreateContactButton call={call} />
            </span>
          ) : (
            <EmptyValue />
          )}
        </Row>
        <Row label="Agent">
          {call.agent ? (
            <>
              {call.agent.name}
              {call.extension ? (
                <span className="text-slate-600"> · ext. {call.extension}</span>
              ) : null}
            </>
          ) : (
            orEmpty(call.extension ? `Extension ${call.extension}` : null)
          )}
        </Row>
        <Row label="Queue">{orEmpty(call.queue)}</Row>
        <Row label="Started">
          <LocalTime iso={call.startedAt} />
        </Row>
        <Row label="Answered">
          {call.answeredAt ? <LocalTime iso={call.answeredAt} /> : <EmptyValue />}
        </Row>
        <Row label="Ended">{call.endedAt ? <LocalTime iso={call.endedAt} /> : <EmptyValue />}</Row>
        <Row label="Talk time">
          {call.endedAt === null ? (
            call.answeredAt ? (
              <CallTimer call={call} />
            ) : (
              <EmptyValue />
            )
          ) : (
            formatDuration(call.durationSeconds ?? 0)
          )}
        </Row>
        <Row label="Outcome">{orEmpty(call.outcome ? OUTCOME_LABELS[call.outcome] : null)}</Row>
        <Row label="Hangup cause">{orEmpty(cause)}</Row>
        <Row label="Hung up by">
          {orEmpty(call.hangupBy ? (HANGUP_PARTY_LABELS[call.hangupBy] ?? call.hangupBy) : null)}
        </Row>
        <Row label="Recording">
          {recordingHref ? (
            <a href="#call-recording-title" className={linkClass}>
              Listen below
            </a>
          ) : (
            <EmptyValue />
          )}
        </Row>
      </dl>
    </Section>
  );
}

function Recording({ url }: { url: string }) {
  return (
    <Section id="call-recording" title="Recording">
      <div className="space-y-3 px-5 py-4">
        {/* biome-ignore lint/a11y/useMediaCaption: a phone call recording has no captions */}
        <audio controls preload="none" src={url} className="w-full" data-testid="call-recording">
          <a href={url}>Download the recording</a>
        </audio>
        <a href={url} target="_blank" rel="noreferrer" className={cx("text-sm", linkClass)}>
          Open the recording
        </a>
      </div>
    </Section>
  );
}

function WrapUpSection({ call, canEdit }: { call: Call; canEdit: boolean }) {
  const actionData = useActionResult<typeof action>();
  const failure = failureFor(actionData, "wrap-up");
  const saved = actionData && "ok" in actionData && actionData.ok ? actionData : undefined;
  const saving = useSubmitting("wrap-up");
  if (!canEdit) {
    return (
      <Section id="wrap-up" title="Wrap-up">
        <dl className="divide-y divide-slate-100 px-5 py-1">
          <Row label="Disposition">{orEmpty(dispositionLabel(call.disposition))}</Row>
          <Row label="Notes">
            {call.notes ? (
              <span className="whitespace-pre-wrap">{call.notes}</span>
            ) : (
              <EmptyValue />
            )}
          </Row>
        </dl>
      </Section>
    );
  }
  return (
    <Section id="wrap-up" title="Wrap-up" description="Notes land on the contact's timeline.">
      <Form
        method="post"
        // Someone else's saved notes replace what the form shows.
        key={`${call.notes ?? ""}|${call.disposition ?? ""}`}
        className="space-y-4 px-5 py-4"
        preventScrollReset
      >
        {saved && !saving ? (
          <Alert tone="success" focusOnMount={false}>
            {saved.message}
          </Alert>
        ) : null}
        {failure && !saving ? <Alert title="Not saved">{failure.message}</Alert> : null}
        <input type="hidden" name="intent" value="wrap-up" />
        <input type="hidden" name="version" value={call.version} />
        <SelectField
          label="Disposition"
          name="disposition"
          defaultValue={failure?.values.disposition ?? call.disposition ?? ""}
          options={[{ value: "", label: "—" }, ...DISPOSITIONS]}
          errors={failure?.fieldErrors.disposition}
          className="max-w-xs"
        />
        <TextAreaField
          label="Notes"
          name="notes"
          rows={4}
          defaultValue={failure?.values.notes ?? call.notes ?? ""}
          errors={failure?.fieldErrors.notes}
        />
        <Button pending={saving}>Save</Button>
      </Form>
    </Section>
  );
}

function secondsBetween(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));
}

function EventHistory({ call }: { call: Call }) {
  return (
    <Section id="call-events" title="History" description="What the phone system reported.">
      {call.events.length === 0 ? (
        <p className="px-5 py-4 text-sm text-slate-600">Nothing reported yet.</p>
      ) : (
        <ol className="divide-y divide-slate-100" data-testid="call-events">
          {call.events.map((event) => (
            <li
              key={event.id}
              className="flex flex-wrap items-baseline gap-x-4 gap-y-0.5 px-5 py-2.5"
            >
              <time
                dateTime={event.occurredAt}
                title="Time since the call started"
                className="w-14 shrink-0 font-mono text-xs text-slate-500 tabular-nums"
              >
                +{formatDuration(secondsBetween(call.startedAt, event.occurredAt))}
              </time>
              <span className="min-w-0 flex-1 text-sm text-slate-900">
                {describeCallEvent(event.type, event.data)}
              </span>
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
