import { useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { type FormFailure, failureFor } from "../lib/forms";
import { CURRENCIES } from "../lib/record-format";
import { useActionResult } from "../lib/use-action-result";
import { Alert, Button, cx, focusRing, SelectField, TextField } from "./ui";

export function currencyOptions(extra: string[]) {
  return [...new Set([...extra, ...CURRENCIES])].map((code) => ({
    value: code,
    label: code,
  }));
}

const FORM_FIELDS = new Set(["title", "amount", "currency"]);

/** Errors about fields this small form does not show (e.g. a required custom field). */
function otherErrors(failure: FormFailure): string[] {
  return Object.entries(failure.fieldErrors)
    .filter(([field]) => !FORM_FIELDS.has(field))
    .flatMap(([, messages]) => messages);
}

type CreateResult = { ok: true; intent: "create"; stageId: string; message: string } | FormFailure;

/**
 * "New deal" at the foot of a column: a disclosure with a small form (title, amount, currency)
 * that opens the deal at the end of this stage. Works without JavaScript (then the page reloads
 * with the action's answer); with it, the board stays put and the card appears.
 */
export function QuickAddDeal({
  stageId,
  stageName,
  pipelineId,
  defaultCurrency,
  currencies,
}: {
  stageId: string;
  stageName: string;
  pipelineId: string;
  defaultCurrency: string;
  currencies: { value: string; label: string }[];
}) {
  const fetcher = useFetcher<CreateResult>({ key: `quick-add:${stageId}` });
  const pageResult = useActionResult<CreateResult>();
  const result = fetcher.data ?? pageResult;
  const failure = failureFor(result, "create");
  const mine = failure?.values.stageId === stageId ? failure : undefined;
  const created = result?.ok && result.stageId === stageId ? result : undefined;
  const extra = mine ? otherErrors(mine) : [];
  // Open while the user adds deals here, and whenever this column's form has a problem.
  const [open, setOpen] = useState(Boolean(mine));
  useEffect(() => {
    if (mine) setOpen(true);
  }, [mine]);
  const formRef = useRef<HTMLFormElement>(null);
  const busy = fetcher.state !== "idle";

  // After a card was added, clear the form for the next one and keep typing in it.
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok) {
      formRef.current?.reset();
      formRef.current?.querySelector<HTMLInputElement>("input[name=title]")?.focus();
    }
  }, [fetcher.state, fetcher.data]);

  return (
    <details
      className="group mt-2"
      open={open}
      onToggle={(event) => setOpen(event.currentTarget.open)}
    >
      <summary
        className={cx(
          "flex cursor-pointer list-none items-center gap-1.5 rounded-md px-2 py-1.5 text-sm font-medium text-slate-600 hover:bg-white hover:text-slate-900 [&::-webkit-details-marker]:hidden",
          focusRing,
        )}
      >
        <span aria-hidden="true" className="text-base leading-none">
          +
        </span>
        New deal<span className="sr-only"> in {stageName}</span>
      </summary>
      <fetcher.Form
        ref={formRef}
        method="post"
        className="mt-2 space-y-2 rounded-md bg-white p-3 ring-1 ring-slate-200"
        noValidate
      >
        <input type="hidden" name="intent" value="create" />
        <input type="hidden" name="stageId" value={stageId} />
        <input type="hidden" name="pipelineId" value={pipelineId} />
        {mine && Object.keys(mine.fieldErrors).length === 0 ? <Alert>{mine.message}</Alert> : null}
        {extra.length > 0 ? (
          <Alert title="This deal needs more than the quick form has">
            {extra.join(" ")} Add it from the deals table, where every field is available.
          </Alert>
        ) : null}
        <TextField
          label="Title"
          name="title"
          required
          maxLength={200}
          autoComplete="off"
          defaultValue={mine?.values.title}
          errors={mine?.fieldErrors.title}
        />
        <div className="grid grid-cols-[1fr_5.5rem] gap-2">
          <TextField
            label="Amount"
            name="amount"
            inputMode="decimal"
            placeholder="0.00"
            autoComplete="off"
            defaultValue={mine?.values.amount}
            errors={mine?.fieldErrors.amount}
          />
          <SelectField
            label="Currency"
            name="currency"
            defaultValue={mine?.values.currency ?? defaultCurrency}
            options={currencies}
            errors={mine?.fieldErrors.currency}
          />
        </div>
        <Button size="sm" className="w-full" pending={busy} disabled={busy}>
          Add deal<span className="sr-only"> to {stageName}</span>
        </Button>
        <p role="status" className="text-xs text-emerald-800">
          {created ? created.message : ""}
        </p>
      </fetcher.Form>
    </details>
  );
}
