import { useFetcher } from "@remix-run/react";
import { useEffect, useId, useState } from "react";
import type { ConversationView } from "../../../worker/conversations/conversation-view";
import { Alert, Button, controlClass, cx, focusRing } from "../../components/ui";
import type { action } from "./inbox.server";
import type { TemplateChoice } from "./inbox-params";

/*
 * "Send a template": outside WhatsApp's 24-hour window only a template Meta approved may go
 * out. The channel's templates are asked for when the picker opens; the chosen one shows its
 * body with an input for each `{{n}}`, previewed as the customer will read it.
 */

const PLACEHOLDER = /\{\{(\d+)\}\}/g;

function preview(body: string, values: string[]): string {
  return body.replace(PLACEHOLDER, (whole, index: string) => {
    const value = values[Number(index) - 1]?.trim();
    return value ? value : whole;
  });
}

export function TemplatePicker({
  conversation,
  sending,
  onSend,
  onClose,
}: {
  conversation: ConversationView;
  sending: boolean;
  onSend: (template: { name: string; language: string; parameters: string[] }) => void;
  onClose: () => void;
}) {
  const id = useId();
  const list = useFetcher<typeof action>({ key: `templates-${conversation.channel.id}` });
  const channelId = conversation.channel.id;
  // biome-ignore lint/correctness/useExhaustiveDependencies: asked once per channel when opened
  useEffect(() => {
    if (list.state === "idle" && !list.data) {
      list.submit({ intent: "templates", channelId }, { method: "post" });
    }
  }, [channelId]);
  const answer = list.data;
  const templates: TemplateChoice[] | undefined =
    answer?.ok && answer.intent === "templates" ? answer.templates : undefined;
  const failed = answer && !answer.ok ? answer.message : null;
  const [chosen, setChosen] = useState<TemplateChoice | null>(null);
  const [values, setValues] = useState<string[]>([]);
  const choose = (template: TemplateChoice) => {
    setChosen(template);
    setValues(Array.from({ length: template.parameterCount }, () => ""));
  };
  const missing = chosen ? values.some((value) => !value.trim()) : true;

  return (
    <section
      aria-labelledby={`${id}-title`}
      className="rounded-lg bg-white ring-1 ring-slate-200"
      data-testid="template-picker"
    >
      <header className="flex items-center justify-between gap-2 border-b border-slate-200 px-3 py-2">
        <h3 id={`${id}-title`} className="text-sm font-semibold text-slate-900">
          Send a template
        </h3>
        <button
          type="button"
          onClick={onClose}
          className={cx(
            "rounded px-1.5 text-xs font-medium text-slate-600 hover:text-slate-900",
            focusRing,
          )}
        >
          Close
        </button>
      </header>
      <div className="max-h-72 space-y-3 overflow-y-auto px-3 py-3">
        {failed ? <Alert title="The templates could not be loaded">{failed}</Alert> : null}
        {templates === undefined && !failed ? (
          <p className="text-sm text-slate-600">Loading the approved templates…</p>
        ) : null}
        {templates && templates.length === 0 ? (
          <p className="text-sm text-slate-600">
            This number has no approved templates. Create one in WhatsApp Manager.
          </p>
        ) : null}
        {chosen ? (
          <p className="flex items-center justify-between gap-2 text-sm">
            <span className="min-w-0 break-words">
              <span className="font-medium text-slate-900">{chosen.name}</span>{" "}
              <span className="text-xs text-slate-600">
                {chosen.language} · {chosen.category.toLowerCase()}
              </span>
            </span>
            <button
              type="button"
              onClick={() => setChosen(null)}
              className={cx("shrink-0 rounded text-xs font-medium text-indigo-700", focusRing)}
            >
              Change
            </button>
          </p>
        ) : null}
        {templates && templates.length > 0 && !chosen ? (
          <fieldset>
            <legend className="sr-only">Template</legend>
            <ul className="space-y-1.5">
              {templates.map((template) => {
                const key = `${template.name}:${template.language}`;
                return (
                  <li key={key}>
                    <label className="flex cursor-pointer gap-2 rounded-md px-2 py-1.5 text-sm ring-1 ring-slate-200 ring-inset hover:bg-slate-50">
                      <input
                        type="radio"
                        name={`${id}-template`}
                        checked={false}
                        onChange={() => choose(template)}
                        className="mt-1 accent-indigo-600"
                      />
                      <span className="min-w-0">
                        <span className="block font-medium break-words text-slate-900">
                          {template.name}{" "}
                          <span className="text-xs font-normal text-slate-600">
                            {template.language} · {template.category.toLowerCase()}
                          </span>
                        </span>
                        <span className="line-clamp-2 block text-xs text-slate-600">
                          {template.body}
                        </span>
                      </span>
                    </label>
                  </li>
                );
              })}
            </ul>
          </fieldset>
        ) : null}
        {chosen ? (
          <div className="space-y-2">
            {values.map((value, index) => (
              <label
                // biome-ignore lint/suspicious/noArrayIndexKey: one input per placeholder, by position
                key={index}
                className="block text-xs font-medium text-slate-700"
              >
                {`{{${index + 1}}}`}
                <input
                  value={value}
                  onChange={(event) =>
                    setValues((current) =>
                      current.map((old, at) => (at === index ? event.target.value : old)),
                    )
                  }
                  className={cx(controlClass(false, "sm"), "mt-1")}
                />
              </label>
            ))}
            <div>
              <p className="text-xs font-medium text-slate-700">Preview</p>
              <p
                className="mt-1 rounded-md bg-indigo-50 px-3 py-2 text-sm break-words whitespace-pre-wrap text-slate-900 ring-1 ring-indigo-100 ring-inset"
                data-testid="template-preview"
              >
                {preview(chosen.body, values)}
              </p>
            </div>
          </div>
        ) : null}
      </div>
      {templates && templates.length > 0 ? (
        <footer className="flex items-center justify-end gap-2 border-t border-slate-200 px-3 py-2">
          {chosen && missing ? (
            <p className="text-xs text-slate-600">Fill in every placeholder.</p>
          ) : null}
          <Button
            type="button"
            size="sm"
            disabled={!chosen || missing || sending}
            pending={sending}
            onClick={() =>
              chosen &&
              onSend({
                name: chosen.name,
                language: chosen.language,
                parameters: values.map((value) => value.trim()),
              })
            }
          >
            Send template
          </Button>
        </footer>
      ) : null}
    </section>
  );
}
