import type { MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import type { PipelineView, StageView } from "../../../worker/pipelines/service";
import { PageBody, PageHeader } from "../../components/page";
import { RouteError } from "../../components/route-error";
import {
  Alert,
  Badge,
  Button,
  buttonClass,
  cx,
  Section,
  SelectField,
  TextField,
} from "../../components/ui";
import { type FormFailure, failureFor } from "../../lib/forms";
import { useActionResult } from "../../lib/use-action-result";
import { useSubmitting } from "../../lib/use-pending";
import type { ActionSuccess, action, loader } from "./pipelines.server";

export { action, loader } from "./pipelines.server";

export const meta: MetaFunction = () => [{ title: "Pipelines · Settings · Switchboard" }];

const OUTCOMES = [
  { value: "open", label: "Open" },
  { value: "won", label: "Won" },
  { value: "lost", label: "Lost" },
];

/** The stage form's fields as the pipelines service takes them. */

type ActionData = ActionSuccess | FormFailure | undefined;

export default function PipelineSettings() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionResult<typeof action>() as ActionData;
  const failure = actionData && !actionData.ok ? actionData : undefined;
  const general = failure && !Object.keys(failure.fieldErrors).length ? failure : undefined;
  return (
    <>
      <PageHeader
        eyebrow="Settings"
        title="Pipelines"
        description="The stages deals move through on the board. Won and lost stages close a deal."
      />
      <PageBody>
        {!data.canConfigure ? (
          <Alert tone="info" focusOnMount={false}>
            Only owners and admins can change pipelines and stages.
          </Alert>
        ) : null}
        {actionData?.ok ? <Alert tone="success">{actionData.message}</Alert> : null}
        {general ? <Alert title="That change was not saved">{general.message}</Alert> : null}
        {data.pipelines.map((pipeline) => (
          <PipelineSection
            key={pipeline.id}
            pipeline={pipeline}
            editable={data.canConfigure}
            failure={failure?.values.pipelineId === pipeline.id ? failure : undefined}
          />
        ))}
        {data.canConfigure ? (
          <NewPipeline failure={failureFor(actionData, "create-pipeline")} />
        ) : null}
      </PageBody>
    </>
  );
}

function PipelineSection({
  pipeline,
  editable,
  failure,
}: {
  pipeline: PipelineView;
  editable: boolean;
  failure: FormFailure | undefined;
}) {
  return (
    <Section
      id={`pipeline-${pipeline.id}`}
      title={pipeline.name}
      description={
        pipeline.isDefault ? (
          <Badge tone="accent">Default pipeline</Badge>
        ) : (
          `${pipeline.stages.length} stages`
        )
      }
      actions={
        <div className="flex flex-wrap gap-2">
          <Link
            to={`/app/deals/board?pipelineId=${pipeline.id}`}
            className={buttonClass("secondary", "sm")}
          >
            Open board
          </Link>
          {editable && !pipeline.isDefault ? (
            <Form method="post">
              <input type="hidden" name="intent" value="make-default" />
              <input type="hidden" name="pipelineId" value={pipeline.id} />
              <Button variant="ghost" size="sm">
                Make default<span className="sr-only"> {pipeline.name}</span>
              </Button>
            </Form>
          ) : null}
        </div>
      }
    >
      <ol className="divide-y divide-slate-100">
        {pipeline.stages.map((stage, index) => (
          <StageRow
            key={`${stage.id}:${stage.name}:${stage.probability}:${stage.isWon}:${stage.isLost}`}
            pipelineId={pipeline.id}
            stage={stage}
            index={index}
            last={index === pipeline.stages.length - 1}
            editable={editable}
            failure={failure?.values.stageId === stage.id ? failure : undefined}
          />
        ))}
      </ol>
      {editable ? (
        <div className="grid gap-4 border-t border-slate-200 px-5 py-4 lg:grid-cols-2">
          <RenamePipeline pipeline={pipeline} failure={failureOf(failure, "rename-pipeline")} />
          <AddStage pipelineId={pipeline.id} failure={failureOf(failure, "add-stage")} />
        </div>
      ) : null}
    </Section>
  );
}

const failureOf = (failure: FormFailure | undefined, intent: string) =>
  failure?.intent === intent ? failure : undefined;

function outcomeOf(stage: StageView) {
  return stage.isWon ? "won" : stage.isLost ? "lost" : "open";
}

function StageRow({
  pipelineId,
  stage,
  index,
  last,
  editable,
  failure,
}: {
  pipelineId: string;
  stage: StageView;
  index: number;
  last: boolean;
  editable: boolean;
  failure: FormFailure | undefined;
}) {
  const editFailure = failureOf(failure, "update-stage");
  return (
    <li className="px-5 py-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="flex items-center gap-2 text-sm">
          <span className="w-5 text-right text-xs text-slate-500 tabular-nums">{index + 1}.</span>
          <span className="font-medium text-slate-900">{stage.name}</span>
          <span className="text-xs text-slate-600">{stage.probability}%</span>
          {stage.isWon ? <Badge tone="success">Won</Badge> : null}
          {stage.isLost ? <Badge>Lost</Badge> : null}
        </p>
        {editable ? (
          <div className="flex flex-wrap items-center gap-1.5">
            <MoveStageButton
              pipelineId={pipelineId}
              stage={stage}
              to={index - 1}
              label="Up"
              disabled={index === 0}
            />
            <MoveStageButton
              pipelineId={pipelineId}
              stage={stage}
              to={index + 1}
              label="Down"
              disabled={last}
            />
            <Form method="post" preventScrollReset>
              <input type="hidden" name="intent" value="delete-stage" />
              <input type="hidden" name="pipelineId" value={pipelineId} />
              <input type="hidden" name="stageId" value={stage.id} />
              <Button variant="danger" size="sm">
                Delete<span className="sr-only"> stage {stage.name}</span>
              </Button>
            </Form>
          </div>
        ) : null}
      </div>
      {editable ? (
        <details className="mt-2 ml-7" open={Boolean(editFailure) || undefined}>
          <summary className="cursor-pointer text-xs font-medium text-indigo-700">
            Edit<span className="sr-only"> stage {stage.name}</span>
          </summary>
          <StageForm
            intent="update-stage"
            pipelineId={pipelineId}
            stage={stage}
            failure={editFailure}
            submit="Save stage"
          />
        </details>
      ) : null}
    </li>
  );
}

function MoveStageButton({
  pipelineId,
  stage,
  to,
  label,
  disabled,
}: {
  pipelineId: string;
  stage: StageView;
  to: number;
  label: string;
  disabled: boolean;
}) {
  return (
    <Form method="post" preventScrollReset>
      <input type="hidden" name="intent" value="move-stage" />
      <input type="hidden" name="pipelineId" value={pipelineId} />
      <input type="hidden" name="stageId" value={stage.id} />
      <input type="hidden" name="position" value={Math.max(0, to)} />
      <Button variant="secondary" size="sm" disabled={disabled}>
        {label}
        <span className="sr-only"> (move stage {stage.name})</span>
      </Button>
    </Form>
  );
}

function StageForm({
  intent,
  pipelineId,
  stage,
  failure,
  submit,
}: {
  intent: "add-stage" | "update-stage";
  pipelineId: string;
  stage?: StageView;
  failure: FormFailure | undefined;
  submit: string;
}) {
  const pending = useSubmitting(intent, stage ? { name: "stageId", value: stage.id } : undefined);
  return (
    <Form
      method="post"
      className="mt-2 grid gap-3 sm:grid-cols-[1fr_6rem_7rem_auto] sm:items-start"
      noValidate
      preventScrollReset
    >
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="pipelineId" value={pipelineId} />
      {stage ? <input type="hidden" name="stageId" value={stage.id} /> : null}
      <TextField
        label="Stage name"
        name="name"
        required
        maxLength={80}
        defaultValue={failure?.values.name ?? stage?.name}
        errors={failure?.fieldErrors.name}
      />
      <TextField
        label="Probability"
        name="probability"
        inputMode="numeric"
        defaultValue={failure?.values.probability ?? String(stage?.probability ?? "")}
        placeholder="0–100"
        errors={failure?.fieldErrors.probability}
      />
      <SelectField
        label="Outcome"
        name="outcome"
        defaultValue={failure?.values.outcome ?? (stage ? outcomeOf(stage) : "open")}
        options={OUTCOMES}
        errors={failure?.fieldErrors.isLost ?? failure?.fieldErrors.isWon}
      />
      <Button className="sm:mt-[1.625rem]" size="md" pending={pending}>
        {submit}
      </Button>
    </Form>
  );
}

function RenamePipeline({
  pipeline,
  failure,
}: {
  pipeline: PipelineView;
  failure: FormFailure | undefined;
}) {
  return (
    <Panel title="Rename">
      <Form method="post" className="flex items-start gap-2" noValidate preventScrollReset>
        <input type="hidden" name="intent" value="rename-pipeline" />
        <input type="hidden" name="pipelineId" value={pipeline.id} />
        <TextField
          label={`Name of ${pipeline.name}`}
          hideLabel
          name="name"
          required
          maxLength={80}
          defaultValue={failure?.values.name ?? pipeline.name}
          errors={failure?.fieldErrors.name}
          className="flex-1"
        />
        <Button variant="secondary">Rename</Button>
      </Form>
    </Panel>
  );
}

function AddStage({
  pipelineId,
  failure,
}: {
  pipelineId: string;
  failure: FormFailure | undefined;
}) {
  return (
    <Panel title="Add a stage">
      <StageForm intent="add-stage" pipelineId={pipelineId} failure={failure} submit="Add" />
    </Panel>
  );
}

function Panel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <h3 className="text-sm font-medium text-slate-900">{title}</h3>
      <div className="mt-2">{children}</div>
    </div>
  );
}

function NewPipeline({ failure }: { failure: FormFailure | undefined }) {
  const pending = useSubmitting("create-pipeline");
  const stagesError = failure?.fieldErrors.stages ?? failure?.fieldErrors["stages.0.name"];
  return (
    <Section
      id="new-pipeline"
      title="New pipeline"
      description="For another sales process. Mark won and lost stages after creating it."
    >
      <Form method="post" className="grid gap-4 px-5 py-4 sm:grid-cols-2" noValidate>
        <input type="hidden" name="intent" value="create-pipeline" />
        <TextField
          label="Name"
          name="name"
          required
          maxLength={80}
          placeholder="e.g. Renewals"
          defaultValue={failure?.values.name}
          errors={failure?.fieldErrors.name}
        />
        <div>
          <label htmlFor="new-stages" className="mb-1.5 block text-sm font-medium text-slate-800">
            Stages
          </label>
          <textarea
            id="new-stages"
            name="stages"
            rows={5}
            defaultValue={failure?.values.stages ?? "Lead in\nProposal\nWon\nLost"}
            aria-invalid={stagesError ? true : undefined}
            aria-describedby="new-stages-note"
            className={cx(
              "block w-full rounded-md border-0 px-3 py-2 text-sm text-slate-900 shadow-xs ring-1 ring-inset focus:ring-2 focus:outline-none focus:ring-inset",
              stagesError ? "ring-red-500" : "ring-slate-300 focus:ring-indigo-600",
            )}
          />
          <p
            id="new-stages-note"
            className={cx(
              "mt-1.5 text-xs",
              stagesError ? "font-medium text-red-700" : "text-slate-600",
            )}
          >
            {stagesError ? stagesError.join(" ") : "One stage per line, in order."}
          </p>
        </div>
        <div className="sm:col-span-2">
          <Button pending={pending}>Create pipeline</Button>
        </div>
      </Form>
    </Section>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
