import type { MetaFunction } from "@remix-run/cloudflare";
import { Form, useLoaderData } from "@remix-run/react";
import { DEFAULT_WRAP_UP_SECONDS } from "../../../shared/telephony";
import type { AgentView } from "../../../worker/calls/call-view";
import { CopyField } from "../../components/copy-field";
import { CreateSecretPanel, CredentialTable } from "../../components/credential-table";
import { KeyIcon } from "../../components/icons";
import { LocalTime } from "../../components/local-time";
import { PageBody, PageHeader } from "../../components/page";
import { PbxStatusCard } from "../../components/pbx-status";
import { type QueueCandidate, QueueForm } from "../../components/queue-editor";
import { RouteError } from "../../components/route-error";
import { FormOutcome, SettingsTable } from "../../components/settings-parts";
import { Alert, Avatar, Badge, Button, Section, TextField } from "../../components/ui";
import { AGENT_STATUS_LABELS, AGENT_STATUS_TONES } from "../../lib/call-format";
import { type FormFailure, failureFor, failureForAny, successFor } from "../../lib/forms";
import { ROLE_LABELS } from "../../lib/roles";
import { useActionResult } from "../../lib/use-action-result";
import { useSubmitting } from "../../lib/use-pending";
import type { ActionSuccess, action, loader, PhoneMember } from "./phone.server";

export { action, loader } from "./phone.server";

export const meta: MetaFunction = () => [{ title: "Phone · Settings · Switchboard" }];

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type ActionData = ActionSuccess | FormFailure | undefined;

const hasFieldErrors = (failure: FormFailure) => Object.keys(failure.fieldErrors).length > 0;

export default function PhoneSettings() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionResult<typeof action>() as ActionData;
  return (
    <>
      <PageHeader
        eyebrow="Settings"
        title="Phone"
        description="Connect your Asterisk PBX through pbx-bridge, give members extensions, and set up the queues that ring them."
      />
      <PageBody>
        {!data.canConfigure ? (
          <Alert tone="info" focusOnMount={false}>
            Only owners and admins can change phone settings. Here is how the phones are set up.
          </Alert>
        ) : null}
        <PbxStatusCard
          status={data.status}
          offlineHint={
            data.canConfigure ? (
              <>
                To connect, create a bridge token below and start pbx-bridge with it as{" "}
                <code className="font-mono text-xs">BRIDGE_TOKEN</code>.
              </>
            ) : (
              "Ask an owner or admin to connect pbx-bridge."
            )
          }
        />
        {data.tokens ? (
          <BridgeTokensSection
            tokens={data.tokens}
            bridgeUrl={data.bridgeUrl}
            actionData={actionData}
          />
        ) : null}
        <ExtensionsSection data={data} actionData={actionData} />
        <QueuesSection data={data} actionData={actionData} />
        {data.canConfigure ? <NewQueueSection data={data} actionData={actionData} /> : null}
      </PageBody>
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// Bridge tokens

function BridgeTokensSection({
  tokens,
  bridgeUrl,
  actionData,
}: {
  tokens: NonNullable<LoaderData["tokens"]>;
  bridgeUrl: string;
  actionData: ActionData;
}) {
  const failure = failureFor(actionData, "create-token");
  const created = successFor(actionData, ["create-token"]);
  return (
    <Section
      id="bridge-tokens"
      title="Bridge tokens"
      description="pbx-bridge runs next to your Asterisk and connects out to Switchboard with one of these tokens."
    >
      <CreateSecretPanel
        intent="create-token"
        shown={
          created && {
            message: created.message,
            secret: created.token,
            fields: <ShownBridgeToken token={created.token} bridgeUrl={bridgeUrl} />,
          }
        }
        idle={
          <p className="text-sm text-slate-700">
            pbx-bridge connects to{" "}
            <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-xs">{bridgeUrl}</code>
          </p>
        }
        failure={failure && !hasFieldErrors(failure) ? failure : undefined}
        failureTitle="The token was not created"
        columns="sm:grid-cols-[1fr_auto]"
        icon={KeyIcon}
        submitLabel="Create token"
      >
        <TextField
          label="Token name"
          name="name"
          autoComplete="off"
          placeholder="e.g. Office PBX"
          required
          maxLength={80}
          defaultValue={failure?.values.name}
          errors={failure?.fieldErrors.name}
        />
      </CreateSecretPanel>
      <CredentialTable
        caption="Bridge tokens"
        credentials={tokens}
        emptyText="No bridge tokens yet."
        revokeOutcome={{
          failure: failureFor(actionData, "revoke-token"),
          success: successFor(actionData, ["revoke-token"]),
          failureTitle: "The token was not revoked",
        }}
        time={(iso) => <LocalTime iso={iso} />}
        revokeControl={(token) => <RevokeToken id={token.id} name={token.name} />}
      />
    </Section>
  );
}

function ShownBridgeToken({ token, bridgeUrl }: { token: string; bridgeUrl: string }) {
  return (
    <>
      <CopyField
        label="Bridge token"
        value={token}
        hint="Copy it now: it will not be shown again. Configure it as BRIDGE_TOKEN in pbx-bridge."
      />
      <CopyField
        label="Edge URL"
        value={bridgeUrl}
        hint="Where pbx-bridge connects (its edge URL)."
      />
    </>
  );
}

/** "Revoke…" opens a confirmation (a <details>: works without JavaScript). */
function RevokeToken({ id, name }: { id: string; name: string }) {
  const pending = useSubmitting("revoke-token", { name: "tokenId", value: id });
  return (
    <details className="inline-block text-left">
      <summary className="cursor-pointer text-xs font-medium text-red-700">
        Revoke<span className="sr-only"> bridge token {name}</span>…
      </summary>
      <Form method="post" className="mt-2 w-64 space-y-2" preventScrollReset>
        <input type="hidden" name="intent" value="revoke-token" />
        <input type="hidden" name="tokenId" value={id} />
        <p className="text-xs text-slate-700">
          Revoke “{name}”? A pbx-bridge using it is disconnected now and cannot connect again.
        </p>
        <Button variant="danger" size="sm" pending={pending}>
          Revoke token
        </Button>
      </Form>
    </details>
  );
}

// ---------------------------------------------------------------------------------------------
// Agent extensions

const EXTENSION_INTENTS = ["set-extension", "clear-extension"] as const;

function ExtensionsSection({ data, actionData }: { data: LoaderData; actionData: ActionData }) {
  const failure = failureForAny(actionData, EXTENSION_INTENTS);
  const success = successFor(actionData, EXTENSION_INTENTS);
  // Extension errors ("Already taken.") show next to the field; anything else up here.
  const general = failure && !failure.fieldErrors.extension ? failure : undefined;
  const agents = new Map(data.agents.map((agent) => [agent.userId, agent]));
  const mapped = data.members.filter((member) => agents.has(member.userId)).length;
  return (
    <Section
      id="extensions"
      title="Agent extensions"
      description={`A member with an extension takes calls: their desk phone is PJSIP/<extension>. ${mapped} of ${data.members.length} active ${data.members.length === 1 ? "member has" : "members have"} one.`}
    >
      <FormOutcome
        className="px-5 pt-4"
        failure={general}
        success={success}
        failureTitle="The extension was not saved"
      />
      <SettingsTable
        caption="Members and their extensions"
        columns={["Member", "Extension", "Status"]}
        stack
      >
        {data.members.map((member) => (
          <ExtensionRow
            key={`${member.userId}:${agents.get(member.userId)?.extension ?? ""}`}
            member={member}
            agent={agents.get(member.userId)}
            editable={data.canConfigure}
            failure={failure?.values.userId === member.userId ? failure : undefined}
          />
        ))}
      </SettingsTable>
    </Section>
  );
}

function ExtensionRow({
  member,
  agent,
  editable,
  failure,
}: {
  member: PhoneMember;
  agent: AgentView | undefined;
  editable: boolean;
  failure: FormFailure | undefined;
}) {
  const saving = useSubmitting("set-extension", { name: "userId", value: member.userId });
  const clearing = useSubmitting("clear-extension", { name: "userId", value: member.userId });
  return (
    <tr>
      <td className="px-5 py-3">
        <div className="flex items-center gap-3">
          <Avatar name={member.name} />
          <div className="min-w-0">
            <p className="truncate font-medium text-slate-900">{member.name}</p>
            <p className="truncate text-xs text-slate-600">
              {ROLE_LABELS[member.role]} · {member.email}
            </p>
          </div>
        </div>
      </td>
      <td className="px-3 py-3 align-top">
        {editable ? (
          <div className="flex flex-wrap items-start gap-2">
            <Form method="post" className="flex items-start gap-2" noValidate preventScrollReset>
              <input type="hidden" name="intent" value="set-extension" />
              <input type="hidden" name="userId" value={member.userId} />
              <TextField
                label={`Extension for ${member.name}`}
                hideLabel
                name="extension"
                inputMode="numeric"
                autoComplete="off"
                pattern="[0-9]{2,8}"
                maxLength={8}
                placeholder="e.g. 1001"
                defaultValue={failure ? failure.values.extension : (agent?.extension ?? "")}
                errors={failure?.fieldErrors.extension}
                className="w-32"
              />
              <Button variant="secondary" size="md" pending={saving}>
                Save<span className="sr-only"> extension for {member.name}</span>
              </Button>
            </Form>
            {agent ? (
              <Form method="post" preventScrollReset>
                <input type="hidden" name="intent" value="clear-extension" />
                <input type="hidden" name="userId" value={member.userId} />
                <Button variant="ghost" pending={clearing}>
                  Remove<span className="sr-only"> extension of {member.name}</span>
                </Button>
              </Form>
            ) : null}
          </div>
        ) : agent ? (
          <span className="font-mono">{agent.extension}</span>
        ) : (
          <span className="text-slate-500">—</span>
        )}
      </td>
      <td className="px-5 py-3">
        {agent ? (
          <Badge tone={AGENT_STATUS_TONES[agent.status]}>{AGENT_STATUS_LABELS[agent.status]}</Badge>
        ) : (
          <span className="text-xs text-slate-500">No phone</span>
        )}
      </td>
    </tr>
  );
}

// ---------------------------------------------------------------------------------------------
// Call queues

function candidatesOf(data: LoaderData): QueueCandidate[] {
  const extensions = new Map(data.agents.map((agent) => [agent.userId, agent.extension]));
  return data.members.map((member) => ({
    userId: member.userId,
    name: member.name,
    extension: extensions.get(member.userId) ?? null,
  }));
}

type Queue = LoaderData["queues"][number];

function QueuesSection({ data, actionData }: { data: LoaderData; actionData: ActionData }) {
  const failure = failureForAny(actionData, ["update-queue", "delete-queue"]);
  const success = successFor(actionData, ["update-queue", "delete-queue"]);
  const general = failure && !hasFieldErrors(failure) ? failure : undefined;
  const count = data.queues.length;
  const candidates = candidatesOf(data);
  return (
    <Section
      id="queues"
      title="Call queues"
      description={
        count === 0
          ? "No queues yet. Inbound calls for a queue ring its members one after another, in order."
          : `${count} ${count === 1 ? "queue" : "queues"}. Each rings its available members one after another, in order.`
      }
    >
      <FormOutcome
        className="px-5 pt-4"
        failure={general}
        success={success}
        failureTitle="That change was not saved"
      />
      {count > 0 ? (
        <ul className="divide-y divide-slate-100">
          {data.queues.map((queue) => (
            <QueueRow
              key={`${queue.id}:${queue.name}:${queue.ringTimeoutSeconds}:${queue.wrapUpSeconds}:${queue.members.map((m) => m.userId).join(",")}`}
              queue={queue}
              candidates={candidates}
              editable={data.canConfigure}
              failure={failure?.values.queueId === queue.id ? failure : undefined}
            />
          ))}
        </ul>
      ) : (
        <p className="px-5 py-6 text-sm text-slate-600">
          {data.canConfigure ? "Create the first one below." : "An owner or admin can create them."}
        </p>
      )}
    </Section>
  );
}

function QueueRow({
  queue,
  candidates,
  editable,
  failure,
}: {
  queue: Queue;
  candidates: QueueCandidate[];
  editable: boolean;
  failure: FormFailure | undefined;
}) {
  const active = new Set(candidates.map((candidate) => candidate.userId));
  const editFailure = failure?.intent === "update-queue" ? failure : undefined;
  return (
    <li className="px-5 py-4">
      <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-slate-900">
        {queue.name}
        <Badge>Rings each agent {queue.ringTimeoutSeconds}s</Badge>
        <Badge>Wrap-up {queue.wrapUpSeconds}s</Badge>
        <Badge>
          {queue.members.length} {queue.members.length === 1 ? "member" : "members"}
        </Badge>
      </p>
      {queue.members.length > 0 ? (
        <ol aria-label={`Ring order of ${queue.name}`} className="mt-2 flex flex-wrap gap-1">
          {queue.members.map((member, index) => (
            <li
              key={member.userId}
              className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700"
            >
              {index + 1}. {member.name}
              {member.extension ? ` · ${member.extension}` : " · no extension"}
              {active.has(member.userId) ? null : " · deactivated"}
            </li>
          ))}
        </ol>
      ) : (
        <p className="mt-1 text-xs text-slate-600">
          No members: calls to this queue wait unanswered.
        </p>
      )}
      {editable ? (
        <>
          <details className="mt-3" open={Boolean(editFailure) || undefined}>
            <summary className="cursor-pointer text-xs font-medium text-indigo-700">
              Edit<span className="sr-only"> queue {queue.name}</span>
            </summary>
            <div className="mt-3">
              <QueueForm
                intent="update-queue"
                queueId={queue.id}
                initial={{
                  name: queue.name,
                  ringTimeoutSeconds: queue.ringTimeoutSeconds,
                  wrapUpSeconds: queue.wrapUpSeconds,
                  memberIds: queue.members
                    .map((member) => member.userId)
                    .filter((userId) => active.has(userId)),
                }}
                leaving={queue.members
                  .filter((member) => !active.has(member.userId))
                  .map((member) => member.name)}
                candidates={candidates}
                failure={editFailure}
                submitLabel="Save queue"
              />
            </div>
          </details>
          <DeleteQueue queue={queue} />
        </>
      ) : null}
    </li>
  );
}

function DeleteQueue({ queue }: { queue: Queue }) {
  const deleting = useSubmitting("delete-queue", { name: "queueId", value: queue.id });
  return (
    <details className="mt-3">
      <summary className="cursor-pointer text-xs font-medium text-red-700">
        Delete<span className="sr-only"> queue {queue.name}</span>…
      </summary>
      <Form method="post" className="mt-2 space-y-3" preventScrollReset>
        <input type="hidden" name="intent" value="delete-queue" />
        <input type="hidden" name="queueId" value={queue.id} />
        <p className="text-sm text-slate-800">
          Delete “{queue.name}”? Calls the dialplan still sends to this queue no longer ring its
          members. Past calls stay in the call log.
        </p>
        <Button variant="danger" size="sm" pending={deleting}>
          Delete queue
        </Button>
      </Form>
    </details>
  );
}

function NewQueueSection({ data, actionData }: { data: LoaderData; actionData: ActionData }) {
  const created = successFor(actionData, ["create-queue"]);
  const failure = failureFor(actionData, "create-queue");
  return (
    <Section
      id="new-queue"
      title="New queue"
      description="Name it as the dialplan does, set how long each agent rings, and pick its members."
    >
      <div className="space-y-4 px-5 py-4">
        <FormOutcome
          failure={failure && !hasFieldErrors(failure) ? failure : undefined}
          success={created}
          failureTitle="The queue was not created"
        />
        <QueueForm
          key={created?.id ?? "new-queue"}
          intent="create-queue"
          initial={{
            name: "",
            ringTimeoutSeconds: 20,
            wrapUpSeconds: DEFAULT_WRAP_UP_SECONDS,
            memberIds: [],
          }}
          candidates={candidatesOf(data)}
          failure={failure}
          submitLabel="Create queue"
        />
      </div>
    </Section>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
