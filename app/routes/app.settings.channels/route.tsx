import type { MetaFunction } from "@remix-run/cloudflare";
import { Form, useLoaderData } from "@remix-run/react";
import type { ChannelView } from "../../../worker/channels/schemas";
import { CopyField } from "../../components/copy-field";
import { PageBody, PageHeader } from "../../components/page";
import { RouteError } from "../../components/route-error";
import {
  Alert,
  Badge,
  Button,
  CheckboxField,
  Section,
  SelectField,
  TextAreaField,
  TextField,
} from "../../components/ui";
import { type FormFailure, failureFor } from "../../lib/forms";
import { useActionResult } from "../../lib/use-action-result";
import { useSubmitting } from "../../lib/use-pending";
import type { ActionSuccess, action, loader } from "./channels.server";

export { action, loader } from "./channels.server";

export const meta: MetaFunction = () => [{ title: "Channels · Settings · Switchboard" }];

type ActionData = ActionSuccess | FormFailure | undefined;

const hasFieldErrors = (failure: FormFailure) => Object.keys(failure.fieldErrors).length > 0;

export default function ChannelsSettings() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionResult<typeof action>() as ActionData;
  const failure = actionData && !actionData.ok ? actionData : undefined;
  const createdKey = actionData?.ok ? `${actionData.intent}:${actionData.channelId}` : "new";
  return (
    <>
      <PageHeader
        eyebrow="Settings"
        title="Channels"
        description="Where customers write to you: WhatsApp numbers and the chat on your website. Their conversations arrive in the inbox."
      />
      <PageBody>
        {!data.canManage ? (
          <Alert tone="info" focusOnMount={false}>
            Only owners and admins can see and change channels.
          </Alert>
        ) : null}
        {actionData?.ok ? <Alert tone="success">{actionData.message}</Alert> : null}
        {failure && !hasFieldErrors(failure) ? (
          <Alert title="That change was not saved">{failure.message}</Alert>
        ) : null}
        {data.canManage ? (
          <>
            <ChannelsSection channels={data.channels} teams={data.teams} failure={failure} />
            <WhatsAppSection
              key={`wa:${createdKey}`}
              failure={failureFor(actionData, "create-whatsapp")}
            />
            <WebchatSection
              key={`chat:${createdKey}`}
              failure={failureFor(actionData, "create-webchat")}
            />
          </>
        ) : null}
      </PageBody>
    </>
  );
}

type TeamOption = { id: string; name: string };

function ChannelsSection({
  channels,
  teams,
  failure,
}: {
  channels: ChannelView[];
  teams: TeamOption[];
  failure: FormFailure | undefined;
}) {
  const count = channels.length;
  return (
    <Section
      id="channels"
      title="Channels"
      description={
        count === 0 ? "No channels yet." : `${count} ${count === 1 ? "channel" : "channels"}.`
      }
    >
      {count > 0 ? (
        <ul className="divide-y divide-slate-100">
          {channels.map((channel) => (
            <ChannelRow
              key={`${channel.id}:${channel.updatedAt}`}
              channel={channel}
              teams={teams}
              failure={failure?.values.channelId === channel.id ? failure : undefined}
            />
          ))}
        </ul>
      ) : (
        <p className="px-5 py-6 text-sm text-slate-600">
          Connect a WhatsApp number or add a website chat below.
        </p>
      )}
    </Section>
  );
}

function ChannelRow({
  channel,
  teams,
  failure,
}: {
  channel: ChannelView;
  teams: TeamOption[];
  failure: FormFailure | undefined;
}) {
  const missing = Object.entries(channel.secrets)
    .filter(([name, set]) => !set && name !== "identitySecret")
    .map(([name]) => name);
  return (
    <li className="px-5 py-4">
      <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-slate-900">
        <span className="min-w-0 break-words">{channel.name}</span>
        <Badge>{channel.type === "whatsapp" ? "WhatsApp" : "Website chat"}</Badge>
        {channel.type === "whatsapp" && missing.length > 0 ? (
          <Badge tone="warning">Secrets missing</Badge>
        ) : null}
      </p>
      {channel.type === "whatsapp" ? (
        <>
          <p className="mt-1 text-xs text-slate-600">
            Phone number id {channel.phoneNumberId} · Business account {channel.wabaId}
          </p>
          {channel.webhookUrl ? (
            <CopyField
              label={`Webhook URL of ${channel.name}`}
              value={channel.webhookUrl}
              hint="In Meta's app dashboard: WhatsApp → Configuration → Webhook, with the verify token you chose; subscribe to “messages”."
            />
          ) : null}
        </>
      ) : (
        <>
          <p className="mt-1 break-words text-xs text-slate-600">
            On {channel.allowedOrigins?.join(", ")}
            {channel.preChatForm ? " · asks for name and e-mail first" : ""}
            {channel.secrets.identitySecret ? " · identity validation on" : ""}
          </p>
          {channel.embedSnippet ? (
            <CopyField
              label={`Embed snippet of ${channel.name}`}
              value={channel.embedSnippet}
              hint="Paste before </body> on every page of the website that should show the chat."
            />
          ) : null}
        </>
      )}
      <p className="mt-1 text-xs text-slate-600">{assignmentSummary(channel, teams)}</p>
      <div className="mt-3 flex flex-wrap gap-4">
        <Assignment channel={channel} teams={teams} failure={failure} />
        <ReplaceSecrets channel={channel} failure={failure} />
        <RemoveChannel channel={channel} />
      </div>
    </li>
  );
}

function assignmentSummary(channel: ChannelView, teams: TeamOption[]): string {
  const rule = channel.assignment;
  if (!rule) return "New conversations arrive unassigned.";
  const team = teams.find((entry) => entry.id === rule.teamId)?.name ?? "a removed team";
  const how = rule.mode === "balanced" ? "fewest open conversations first" : "taking turns";
  const cap = rule.maxOpenPerAgent ? `, at most ${rule.maxOpenPerAgent} open each` : "";
  return `New conversations go to ${team}, ${how}${cap} (online agents who are not away).`;
}

/** "Assignment…": the team that takes new conversations, and how its members share them. */
function Assignment({
  channel,
  teams,
  failure,
}: {
  channel: ChannelView;
  teams: TeamOption[];
  failure: FormFailure | undefined;
}) {
  const pending = useSubmitting("update-assignment", { name: "channelId", value: channel.id });
  const errors = failure?.intent === "update-assignment" ? failure.fieldErrors : {};
  const rule = channel.assignment;
  return (
    <details className="text-left" open={failure?.intent === "update-assignment" || undefined}>
      <summary className="cursor-pointer text-xs font-medium text-indigo-700">
        Assignment<span className="sr-only"> of {channel.name}</span>…
      </summary>
      <Form method="post" className="mt-2 max-w-md space-y-3" preventScrollReset>
        <input type="hidden" name="intent" value="update-assignment" />
        <input type="hidden" name="channelId" value={channel.id} />
        <SelectField
          name="teamId"
          label="Team"
          defaultValue={rule?.teamId ?? ""}
          errors={errors["assignment.teamId"]}
          hint={teams.length === 0 ? "Create a team in Settings → Teams first." : undefined}
          options={[
            { value: "", label: "Nobody (arrive unassigned)" },
            ...teams.map((team) => ({ value: team.id, label: team.name })),
          ]}
        />
        <SelectField
          name="mode"
          label="How members share them"
          defaultValue={rule?.mode ?? "round_robin"}
          options={[
            { value: "round_robin", label: "Take turns (round robin)" },
            { value: "balanced", label: "Fewest open conversations first" },
          ]}
        />
        <TextField
          name="maxOpenPerAgent"
          label="Most open conversations per agent"
          type="number"
          min={1}
          max={1000}
          inputMode="numeric"
          defaultValue={rule?.maxOpenPerAgent ?? ""}
          errors={errors["assignment.maxOpenPerAgent"]}
          hint="Empty for no limit. Agents at the limit, offline or away are skipped."
        />
        <Button size="sm" pending={pending}>
          Save assignment
        </Button>
      </Form>
    </details>
  );
}

/** "Replace secrets…" (a <details>: works without JavaScript). Fields left empty stay as they are. */
function ReplaceSecrets({
  channel,
  failure,
}: {
  channel: ChannelView;
  failure: FormFailure | undefined;
}) {
  const pending = useSubmitting("update-secrets", { name: "channelId", value: channel.id });
  const errors = failure?.intent === "update-secrets" ? failure.fieldErrors : {};
  return (
    <details className="text-left" open={failure?.intent === "update-secrets" || undefined}>
      <summary className="cursor-pointer text-xs font-medium text-indigo-700">
        Replace secrets<span className="sr-only"> of {channel.name}</span>…
      </summary>
      <Form method="post" className="mt-2 max-w-md space-y-3" preventScrollReset>
        <input type="hidden" name="intent" value="update-secrets" />
        <input type="hidden" name="channelId" value={channel.id} />
        {(channel.type === "whatsapp"
          ? WHATSAPP_FIELDS.filter((field) => field.secret)
          : [{ name: "identitySecret", label: "Identity secret" }]
        ).map((field) => (
          <SecretField
            key={field.name}
            name={field.name}
            label={`New ${field.label.toLowerCase()}`}
            errors={errors[field.name]}
          />
        ))}
        <p className="text-xs text-slate-600">Fields left empty keep their current value.</p>
        <Button size="sm" pending={pending}>
          Replace
        </Button>
      </Form>
    </details>
  );
}

function RemoveChannel({ channel }: { channel: ChannelView }) {
  const pending = useSubmitting("delete-channel", { name: "channelId", value: channel.id });
  return (
    <details className="text-left">
      <summary className="cursor-pointer text-xs font-medium text-red-700">
        Remove<span className="sr-only"> channel {channel.name}</span>…
      </summary>
      <Form method="post" className="mt-2 w-64 space-y-2" preventScrollReset>
        <input type="hidden" name="intent" value="delete-channel" />
        <input type="hidden" name="channelId" value={channel.id} />
        <p className="text-xs text-slate-700">
          Remove “{channel.name}”?{" "}
          {channel.type === "whatsapp"
            ? "Meta's webhooks for this number stop being accepted."
            : "The chat stops on your website."}{" "}
          Its secrets are erased.
        </p>
        <Button variant="danger" size="sm" pending={pending}>
          Remove channel
        </Button>
      </Form>
    </details>
  );
}

function SecretField({
  name,
  label,
  errors,
  hint,
  required,
}: {
  name: string;
  label: string;
  errors: string[] | undefined;
  hint?: string;
  required?: boolean;
}) {
  return (
    <TextField
      type="password"
      autoComplete="off"
      name={name}
      label={label}
      errors={errors}
      hint={hint}
      required={required}
    />
  );
}

/** The WhatsApp form's fields, named as the API names them; secrets are password inputs. */
const WHATSAPP_FIELDS: {
  name: string;
  label: string;
  hint?: string;
  placeholder?: string;
  numeric?: boolean;
  secret?: boolean;
}[] = [
  { name: "name", label: "Name", placeholder: "Support line" },
  { name: "phoneNumberId", label: "Phone number id", numeric: true },
  { name: "wabaId", label: "WhatsApp Business Account id", numeric: true },
  {
    name: "accessToken",
    label: "Access token",
    hint: "A system user's permanent token.",
    secret: true,
  },
  {
    name: "appSecret",
    label: "App secret",
    hint: "App settings → Basic: it signs Meta's webhooks.",
    secret: true,
  },
  {
    name: "verifyToken",
    label: "Verify token",
    hint: "Any phrase you choose; type the same in Meta's webhook settings.",
    secret: true,
  },
];

function WhatsAppSection({ failure }: { failure: FormFailure | undefined }) {
  const pending = useSubmitting("create-whatsapp");
  const errors = failure?.fieldErrors ?? {};
  const values = failure?.values ?? {};
  return (
    <Section
      id="connect-whatsapp"
      title="Connect a WhatsApp number"
      description="From your app in Meta's developer dashboard (WhatsApp → API Setup). The secrets are stored, never shown again."
    >
      <Form method="post" className="grid gap-4 px-5 py-5 sm:grid-cols-2" preventScrollReset>
        <input type="hidden" name="intent" value="create-whatsapp" />
        {WHATSAPP_FIELDS.map((field) =>
          field.secret ? (
            <SecretField
              key={field.name}
              name={field.name}
              label={field.label}
              hint={field.hint}
              errors={errors[field.name]}
              required
            />
          ) : (
            <TextField
              key={field.name}
              name={field.name}
              label={field.label}
              placeholder={field.placeholder}
              inputMode={field.numeric ? "numeric" : undefined}
              defaultValue={values[field.name]}
              errors={errors[field.name]}
              required
            />
          ),
        )}
        <div className="sm:col-span-2">
          <Button pending={pending}>Connect number</Button>
        </div>
      </Form>
    </Section>
  );
}

function WebchatSection({ failure }: { failure: FormFailure | undefined }) {
  const pending = useSubmitting("create-webchat");
  const errors = failure?.fieldErrors ?? {};
  const values = failure?.values ?? {};
  const originErrors = Object.entries(errors)
    .filter(([name]) => name.startsWith("allowedOrigins"))
    .flatMap(([, messages]) => messages);
  return (
    <Section
      id="add-webchat"
      title="Add a website chat"
      description="A chat box on your website; visitors' messages arrive in the inbox."
    >
      <Form method="post" className="grid gap-4 px-5 py-5 sm:grid-cols-2" preventScrollReset>
        <input type="hidden" name="intent" value="create-webchat" />
        <TextField
          name="name"
          label="Name"
          placeholder="Website"
          defaultValue={values.name}
          errors={errors.name}
          required
        />
        <TextField
          name="greeting"
          label="Greeting"
          placeholder="Hi! How can we help?"
          defaultValue={values.greeting}
          errors={errors.greeting}
        />
        <TextAreaField
          name="allowedOrigins"
          label="Websites"
          hint="One per line, e.g. https://www.example.com: only these may show the chat."
          defaultValue={values.allowedOrigins}
          errors={originErrors.length > 0 ? originErrors : undefined}
          className="sm:col-span-2"
          required
        />
        <SecretField
          name="identitySecret"
          label="Identity secret (optional)"
          hint="For sites that sign their signed-in users' ids, so their chats join the right contact."
          errors={errors.identitySecret}
        />
        <CheckboxField
          name="preChatForm"
          label="Ask for name and e-mail before the chat starts"
          defaultChecked={values.preChatForm === "on"}
          className="self-center"
        />
        <div className="sm:col-span-2">
          <Button pending={pending}>Create website chat</Button>
        </div>
      </Form>
    </Section>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
