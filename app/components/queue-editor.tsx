import { Form } from "@remix-run/react";
import { useId, useState } from "react";
import type { FormFailure } from "../lib/forms";
import { useSubmitting } from "../lib/use-pending";
import { Badge, Button, SelectField, TextField, useHydrated } from "./ui";

/** A member who can be put in a queue, with their extension (null: the queue cannot ring them). */
export interface QueueCandidate {
  userId: string;
  name: string;
  extension: string | null;
}

export interface QueueFormValues {
  name: string;
  ringTimeoutSeconds: number;
  wrapUpSeconds: number;
  memberIds: string[];
}

/**
 * The create / edit form of a call queue: name, ring timeout, and the members in the order the
 * queue rings them (add, remove, move up and down). Posts `memberIds` in order, plus
 * `addMemberId` (the member picked in "Add member"), so adding works without JavaScript too;
 * reordering and removing need it.
 */
export function QueueForm({
  intent,
  queueId,
  initial,
  candidates,
  failure,
  submitLabel,
  leaving = [],
}: {
  intent: string;
  queueId?: string;
  initial: QueueFormValues;
  candidates: QueueCandidate[];
  failure: FormFailure | undefined;
  submitLabel: string;
  /** Names of deactivated members of the queue: they are not in `initial`, saving drops them. */
  leaving?: string[];
}) {
  const hydrated = useHydrated();
  const [memberIds, setMemberIds] = useState<string[]>(() =>
    failure ? (failure.values.memberIds?.split(",").filter(Boolean) ?? []) : initial.memberIds,
  );
  const [adding, setAdding] = useState("");
  const pending = useSubmitting(intent, queueId ? { name: "queueId", value: queueId } : undefined);
  const listId = useId();
  const byId = new Map(candidates.map((candidate) => [candidate.userId, candidate]));
  const addable = candidates.filter((candidate) => !memberIds.includes(candidate.userId));
  const move = (index: number, by: -1 | 1) =>
    setMemberIds((ids) => {
      const next = [...ids];
      const [moved] = next.splice(index, 1);
      if (moved !== undefined) next.splice(index + by, 0, moved);
      return next;
    });
  const memberErrors = errorsForMembers(failure, byId);
  return (
    <Form method="post" className="space-y-4" noValidate preventScrollReset>
      <input type="hidden" name="intent" value={intent} />
      {queueId ? <input type="hidden" name="queueId" value={queueId} /> : null}
      <div className="grid gap-3 sm:grid-cols-[1fr_12rem_12rem]">
        <TextField
          label="Name"
          name="name"
          required
          maxLength={100}
          placeholder={queueId ? undefined : "e.g. Support"}
          defaultValue={failure?.values.name ?? initial.name}
          errors={failure?.fieldErrors.name}
          hint="Dialplan sends inbound calls to a queue by this name."
        />
        <TextField
          label="Ring timeout (seconds)"
          name="ringTimeoutSeconds"
          type="number"
          inputMode="numeric"
          min={5}
          max={120}
          step={1}
          required
          defaultValue={failure?.values.ringTimeoutSeconds ?? String(initial.ringTimeoutSeconds)}
          errors={failure?.fieldErrors.ringTimeoutSeconds}
          hint="Per agent, 5 to 120."
        />
        <TextField
          label="Wrap-up time (seconds)"
          name="wrapUpSeconds"
          type="number"
          inputMode="numeric"
          min={0}
          max={3600}
          step={1}
          required
          defaultValue={failure?.values.wrapUpSeconds ?? String(initial.wrapUpSeconds)}
          errors={failure?.fieldErrors.wrapUpSeconds}
          hint="No queue call for this long after a call, 0 to 3600."
        />
      </div>
      <fieldset id={listId}>
        <legend className="mb-1.5 text-sm font-medium text-slate-800">
          Members, in ring order
        </legend>
        {memberIds.length === 0 ? (
          <p className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-600 ring-1 ring-slate-200 ring-inset">
            Nobody yet: add the agents this queue rings, first to ring on top.
          </p>
        ) : (
          <ol className="divide-y divide-slate-100 rounded-md ring-1 ring-slate-200 ring-inset">
            {memberIds.map((userId, index) => {
              const member = byId.get(userId);
              const name = member?.name ?? "Former member";
              return (
                <li key={userId} className="flex flex-wrap items-center gap-2 px-3 py-2">
                  <input type="hidden" name="memberIds" value={userId} />
                  <span className="w-5 text-right text-xs text-slate-500 tabular-nums">
                    {index + 1}.
                  </span>
                  <span className="min-w-0 flex-1 truncate text-sm text-slate-900">
                    {name}
                    {member?.extension ? (
                      <span className="text-slate-500"> · ext. {member.extension}</span>
                    ) : null}
                  </span>
                  {!member?.extension ? (
                    <Badge tone="warning">{member ? "No extension" : "Not active"}</Badge>
                  ) : null}
                  {hydrated ? (
                    <span className="flex gap-1">
                      <Button
                        type="button"
                        variant="ghost"
                        size="sm"
                        disabled={index === 0}
                        onClick={() => move(index, -1)}
                      >
                        ↑<span className="sr-only">Move {name} up</span>
                      </Button>
                      <Button
                        type="button"
                        variant="ghost"
                        size="sm"
                        disabled={index === memberIds.length - 1}
                        onClick={() => move(index, 1)}
                      >
                        ↓<span className="sr-only">Move {name} down</span>
                      </Button>
                      <Button
                        type="button"
                        variant="ghost"
                        size="sm"
                        onClick={() => setMemberIds((ids) => ids.filter((id) => id !== userId))}
                      >
                        Remove<span className="sr-only"> {name}</span>
                      </Button>
                    </span>
                  ) : null}
                </li>
              );
            })}
          </ol>
        )}
        {memberErrors ? (
          <p className="mt-1.5 text-xs font-medium text-red-700">{memberErrors.join(" ")}</p>
        ) : null}
        <noscript>
          <p className="mt-1.5 text-xs text-slate-600">
            Turn on JavaScript to reorder or remove members.
          </p>
        </noscript>
      </fieldset>
      {addable.length > 0 ? (
        <div className="flex items-end gap-2">
          <SelectField
            label="Add member"
            name="addMemberId"
            value={adding}
            onChange={(event) => setAdding(event.currentTarget.value)}
            options={[
              { value: "", label: "Choose a member…" },
              ...addable.map((candidate) => ({
                value: candidate.userId,
                label: candidate.extension
                  ? `${candidate.name} · ext. ${candidate.extension}`
                  : `${candidate.name} · no extension`,
              })),
            ]}
            className="w-72 max-w-full"
          />
          {hydrated ? (
            <Button
              type="button"
              variant="secondary"
              disabled={!adding}
              aria-controls={listId}
              onClick={() => {
                if (adding) setMemberIds((ids) => [...ids, adding]);
                setAdding("");
              }}
            >
              Add
            </Button>
          ) : null}
        </div>
      ) : null}
      {leaving.length > 0 ? (
        <p className="text-xs text-slate-600">
          Saving removes deactivated members: {leaving.join(", ")}.
        </p>
      ) : null}
      <Button pending={pending}>{submitLabel}</Button>
    </Form>
  );
}

/** The API's member errors (`memberIds` or `memberIds.<n>`, n indexing the posted ids). */
function errorsForMembers(
  failure: FormFailure | undefined,
  byId: Map<string, QueueCandidate>,
): string[] | undefined {
  if (!failure) return undefined;
  const posted = failure.values.memberIds?.split(",") ?? [];
  const messages = Object.entries(failure.fieldErrors).flatMap(([field, errors]) => {
    const match = /^(?:memberIds|addMemberId)(?:\.(\d+))?$/.exec(field);
    if (!match) return [];
    const userId = match[1] === undefined ? undefined : posted[Number(match[1])];
    const name = userId ? byId.get(userId)?.name : undefined;
    return errors.map((error) => (name ? `${name}: ${error}` : error));
  });
  return messages.length > 0 ? messages : undefined;
}
