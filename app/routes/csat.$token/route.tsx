import type { HeadersFunction, MetaFunction } from "@remix-run/cloudflare";
import { Form, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { CSAT_CLOSED_MESSAGE, CSAT_COMMENT_MAX, CSAT_WORDS } from "../../../shared/csat";
import { PublicLayout } from "../../components/public-layout";
import { Alert, Button, cx, focusRing, TextAreaField } from "../../components/ui";
import { type FormFailure, isFailure } from "../../lib/forms";
import { useActionResult } from "../../lib/use-action-result";
import { useSubmitting } from "../../lib/use-pending";
import type { action, loader } from "./csat.server";

export { action, loader } from "./csat.server";

/** A refused post (429) tells the browser when to try again. */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};

export const meta: MetaFunction = () => [
  { title: "How did we do?" },
  { name: "robots", content: "noindex" },
];

export default function CsatSurvey() {
  const data = useLoaderData<typeof loader>();
  const result = useActionResult<typeof action>();
  const failure = isFailure(result) ? result : undefined;
  const saved = result && !isFailure(result) && result.ok ? result.survey : undefined;
  const submitting = useSubmitting();

  if (data.state === "unknown" || failure?.message === "Survey not found.") {
    return (
      <PublicLayout organization={null} title="This link can't be used">
        <p className="text-sm text-slate-700">
          This survey link is not valid. Check that you opened the whole link from the email.
        </p>
      </PublicLayout>
    );
  }
  if (data.state === "expired" || failure?.message === CSAT_CLOSED_MESSAGE) {
    return (
      <PublicLayout organization={data.survey.organizationName} title="This survey has closed">
        <p className="text-sm text-slate-700">
          Ratings for request #{data.survey.ticketNumber} can no longer be given or changed. If you
          still need help, reply to any email about your request.
        </p>
      </PublicLayout>
    );
  }
  const survey = saved ?? data.survey;
  return (
    <PublicLayout
      organization={survey.organizationName}
      title="How did we do?"
      subtitle={
        <>
          Request #{survey.ticketNumber}: <span className="break-words">{survey.subject}</span>
        </>
      }
    >
      <SurveyForm
        key={saved?.answeredAt ?? "form"}
        chosen={saved?.rating ?? data.chosen}
        comment={failure?.values.comment ?? survey.comment ?? ""}
        saved={Boolean(saved)}
        answered={survey.answeredAt !== null}
        failure={failure}
        submitting={submitting}
      />
    </PublicLayout>
  );
}

function SurveyForm({
  chosen,
  comment,
  saved,
  answered,
  failure,
  submitting,
}: {
  chosen: number | null;
  comment: string;
  saved: boolean;
  answered: boolean;
  failure: FormFailure | undefined;
  submitting: boolean;
}) {
  const [rating, setRating] = useState<number | null>(
    failure?.values.rating ? Number(failure.values.rating) : chosen,
  );
  return (
    <Form method="post" className="space-y-5">
      {saved ? (
        <Alert tone="success" focusOnMount>
          Thank you, your answer was saved. You can change it here while the survey is open.
        </Alert>
      ) : null}
      {failure && !failure.fieldErrors.rating && !failure.fieldErrors.comment ? (
        <Alert title="Your answer was not saved">{failure.message}</Alert>
      ) : null}
      {answered && !saved ? (
        <p className="text-sm text-slate-600">You answered already; sending again changes it.</p>
      ) : null}
      <fieldset>
        <legend className="text-sm font-medium text-slate-900">
          How would you rate the help you got?
        </legend>
        <div className="mt-3 grid grid-cols-5 gap-2">
          {CSAT_WORDS.map((word, index) => {
            const value = index + 1;
            const checked = rating === value;
            return (
              <label
                key={word}
                className={cx(
                  "flex cursor-pointer flex-col items-center rounded-lg px-1 py-3 text-center ring-1 ring-inset has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-indigo-600",
                  checked
                    ? "bg-indigo-600 text-white ring-indigo-600"
                    : "bg-white text-slate-800 ring-slate-300 hover:bg-slate-50",
                )}
              >
                <input
                  type="radio"
                  name="rating"
                  value={value}
                  checked={checked}
                  onChange={() => setRating(value)}
                  className={cx("sr-only", focusRing)}
                />
                <span className="text-lg font-semibold">{value}</span>
                <span className="text-xs">{word}</span>
              </label>
            );
          })}
        </div>
        {failure?.fieldErrors.rating ? (
          <p className="mt-2 text-xs font-medium text-red-700">
            {failure.fieldErrors.rating.join(" ")}
          </p>
        ) : null}
      </fieldset>
      <TextAreaField
        label="Anything you would like to add? (optional)"
        name="comment"
        rows={4}
        maxLength={CSAT_COMMENT_MAX}
        defaultValue={comment}
        errors={failure?.fieldErrors.comment}
      />
      <Button className="w-full sm:w-auto" pending={submitting} disabled={submitting}>
        {answered ? "Update my answer" : "Send my answer"}
      </Button>
    </Form>
  );
}
