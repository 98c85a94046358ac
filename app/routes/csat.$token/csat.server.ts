import { type ActionFunctionArgs, json, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { answerSurvey, readSurvey, type SurveyView } from "../../../worker/csat/answers";
import { csatAnswerSchema } from "../../../worker/csat/schemas";
import { ApiError } from "../../../worker/lib/errors";
import { enforceRateLimits } from "../../../worker/rate-limit/enforce";
import { formFailure, parseForm, readForm } from "../../lib/actions.server";
import { afterCommitFor } from "../../lib/session.server";

/*
 * The survey link of a solved ticket's email (app/routes/csat.$token/route.tsx). Opening it
 * (GET) shows the question with the rating from the link chosen and records nothing: mail
 * scanners open links. Sending the form (POST) records the answer, and again to change it.
 */

export type SurveyState =
  | { state: "open"; survey: SurveyView; chosen: number | null }
  | { state: "expired"; survey: SurveyView }
  | { state: "unknown" };

function chosenRating(request: Request): number | null {
  const value = Number(new URL(request.url).searchParams.get("rating"));
  return Number.isInteger(value) && value >= 1 && value <= 5 ? value : null;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  try {
    const survey = await readSurvey(context.database, afterCommitFor(context), params.token ?? "");
    const state: SurveyState = survey.expired
      ? { state: "expired", survey }
      : { state: "open", survey, chosen: chosenRating(request) ?? survey.rating };
    return json(state, { status: survey.expired ? 410 : 200 });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      return json({ state: "unknown" } as SurveyState, { status: 404 });
    }
    throw error;
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  try {
    const input = parseForm(csatAnswerSchema, {
      rating: form.values.rating ?? "",
      ...(form.values.comment ? { comment: form.values.comment } : {}),
    });
    await enforceRateLimits(context.env, context.config.RATE_LIMIT_MULTIPLIER, [
      { limit: "csatAnswersByAddress", key: context.meta.ip ?? "unknown" },
    ]);
    const survey = await answerSurvey(
      context.database,
      afterCommitFor(context),
      params.token ?? "",
      input,
    );
    return json({ ok: true as const, survey });
  } catch (error) {
    return formFailure(error, form);
  }
}
