import { type ActionFunctionArgs, json, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { can } from "../../../worker/auth/permissions";
import { ApiError } from "../../../worker/lib/errors";
import type { TenantScope } from "../../../worker/lib/scope";
import {
  createPipelineBodySchema,
  createStageBodySchema,
  updatePipelineBodySchema,
  updateStageBodySchema,
} from "../../../worker/pipelines/schemas";
import {
  addStage,
  createPipeline,
  deleteStage,
  listPipelines,
  updatePipeline,
  updateStage,
} from "../../../worker/pipelines/service";
import { formFailure, parseForm, readForm } from "../../lib/actions.server";
import { requireUser, runAsUser } from "../../lib/session.server";

/*
 * Settings -> Pipelines: the loader and action of app/routes/app.settings.pipelines/route.tsx (which
 * keeps the page and re-exports these).
 */

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  const pipelines = await runAsUser(context, session, listPipelines);
  return json(
    { pipelines, canConfigure: can(session.me.role, "crm:configure") },
    { headers: session.headers },
  );
}

const uuid = z.string().uuid("Unknown item.");
const pipelineRef = z.object({ pipelineId: uuid });
const stageRef = z.object({ pipelineId: uuid, stageId: uuid });

function stageFields(values: Record<string, string>) {
  const probability = values.probability?.trim();
  return {
    name: values.name ?? "",
    ...(probability ? { probability: Number(probability) } : {}),
    isWon: values.outcome === "won",
    isLost: values.outcome === "lost",
  };
}

function stageNames(text: string | undefined) {
  return (text ?? "")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((name) => ({ name }));
}

export type ActionSuccess = { ok: true; intent: string; message: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireUser(request, context);
  const form = await readForm(request);
  const { values } = form;
  const run = <T>(work: (scope: TenantScope) => Promise<T>) => runAsUser(context, session, work);
  const done = (message: string) =>
    json<ActionSuccess>({ ok: true, intent: form.intent, message }, { headers: session.headers });
  try {
    switch (form.intent) {
      case "create-pipeline": {
        const body = parseForm(createPipelineBodySchema, {
          name: values.name ?? "",
          stages: stageNames(values.stages),
        });
        const pipeline = await run((scope) => createPipeline(scope, body));
        return done(`Pipeline “${pipeline.name}” created.`);
      }
      case "rename-pipeline": {
        const { pipelineId } = parseForm(pipelineRef, values);
        const body = parseForm(updatePipelineBodySchema, { name: values.name ?? "" });
        const pipeline = await run((scope) => updatePipeline(scope, pipelineId, body));
        return done(`Pipeline renamed to “${pipeline.name}”.`);
      }
      case "make-default": {
        const { pipelineId } = parseForm(pipelineRef, values);
        const pipeline = await run((scope) =>
          updatePipeline(scope, pipelineId, { isDefault: true }),
        );
        return done(`“${pipeline.name}” is now the default pipeline.`);
      }
      case "add-stage": {
        const { pipelineId } = parseForm(pipelineRef, values);
        const body = parseForm(createStageBodySchema, stageFields(values));
        await run((scope) => addStage(scope, pipelineId, body));
        return done(`Stage “${body.name}” added.`);
      }
      case "update-stage": {
        const { pipelineId, stageId } = parseForm(stageRef, values);
        const body = parseForm(updateStageBodySchema, stageFields(values));
        await run((scope) => updateStage(scope, pipelineId, stageId, body));
        return done(`Stage “${body.name}” saved.`);
      }
      case "move-stage": {
        const { pipelineId, stageId, position } = parseForm(
          stageRef.extend({ position: z.coerce.number().int().min(0) }),
          values,
        );
        await run((scope) => updateStage(scope, pipelineId, stageId, { position }));
        return done("Stage order saved.");
      }
      case "delete-stage": {
        const { pipelineId, stageId } = parseForm(stageRef, values);
        await run((scope) => deleteStage(scope, pipelineId, stageId));
        return done("Stage deleted.");
      }
      default:
        throw ApiError.badRequest("That action is not available on this page.");
    }
  } catch (error) {
    return formFailure(error, form, session.headers);
  }
}
