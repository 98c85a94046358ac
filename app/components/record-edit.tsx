import { Form, useRevalidator } from "@remix-run/react";
import {
  createContext,
  type ReactNode,
  type RefObject,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import type { CrmEntity } from "../../shared/crm";
import { isFailure } from "../lib/forms";
import { useRecordEvents } from "../lib/realtime-context";
import { useActionResult } from "../lib/use-action-result";
import { Alert, Button } from "./ui";

/*
 * Editing one record safely while others edit it too. Every inline editor posts the version
 * it started from; the server refuses a stale one (409). This provider tracks which editors
 * are open and listens for changes to the record: a teammate's change reloads the page at
 * once when nobody is typing, and otherwise raises the conflict banner instead of replacing
 * what the user is typing. Nothing is ever overwritten silently.
 */

interface Member {
  userId: string;
  name: string;
}

interface RecordEditContextValue {
  /** The version the page shows; editors post it. */
  version: number;
  canEdit: boolean;
  /** True after a reload in the middle of an edit: saving now replaces the other change. */
  reloadedDuringEdit: boolean;
  /** Editors call this while open; returns the function that closes the registration. */
  registerEditor(name: string): () => void;
  /** A save came back 409. */
  reportConflict(): void;
  /** A save went through: the record is now at `version` (before the page reloads it). */
  reportSaved(version: number | undefined): void;
}

const RecordEditContext = createContext<RecordEditContextValue | null>(null);

export function useRecordEdit(): RecordEditContextValue {
  const value = useContext(RecordEditContext);
  if (!value) throw new Error("useRecordEdit must be used inside <RecordEditProvider>");
  return value;
}

interface Conflict {
  by: string | null;
  /** The record was deleted rather than changed. */
  deleted: boolean;
  /** Raised by a refused save (take focus) rather than by a live event (the user is typing). */
  fromSave: boolean;
}

function useLiveRecord({
  entity,
  id,
  version,
  me,
  members,
  openEditors,
  onConflict,
}: {
  entity: CrmEntity;
  id: string;
  version: number;
  me: string;
  members: readonly Member[];
  openEditors: RefObject<Set<string>>;
  onConflict(conflict: Conflict | null): void;
}) {
  const revalidator = useRevalidator();
  const lastActor = useRef<string | null>(null);
  const nameOf = useCallback(
    (userId: string | null) => members.find((member) => member.userId === userId)?.name ?? null,
    [members],
  );
  const revalidate = useCallback(() => {
    if (revalidator.state === "idle") revalidator.revalidate();
  }, [revalidator]);

  useRecordEvents((event) => {
    if (event.type === "activity.created" || event.type === "activity.updated") {
      // Activities do not say which record they belong to: refresh the timeline when idle.
      if (event.actorId !== me && (openEditors.current?.size ?? 0) === 0) revalidate();
      return;
    }
    const mine =
      event.type === `${entity}.updated` ||
      event.type === `${entity}.deleted` ||
      event.type === `${entity}.restored` ||
      (entity === "deal" && event.type === "deal.moved");
    if (!mine || !("id" in event) || event.id !== id) return;
    if ("version" in event && event.version !== null && event.version <= version) return;
    const byOther = event.actorId !== me;
    if (byOther) lastActor.current = nameOf(event.actorId);
    if (event.type === `${entity}.deleted`) {
      if (byOther) onConflict({ by: lastActor.current, deleted: true, fromSave: false });
      return;
    }
    if (event.type === `${entity}.restored`) {
      onConflict(null);
      revalidate();
      return;
    }
    if (byOther && (openEditors.current?.size ?? 0) > 0) {
      onConflict({ by: lastActor.current, deleted: false, fromSave: false });
      return;
    }
    revalidate();
  });
  return { lastActor, revalidate };
}

export function RecordEditProvider({
  entity,
  id,
  version: loadedVersion,
  canEdit,
  me,
  members,
  noun,
  children,
}: {
  entity: CrmEntity;
  id: string;
  version: number;
  canEdit: boolean;
  me: string;
  members: readonly Member[];
  /** "contact", for messages. */
  noun: string;
  children: ReactNode;
}) {
  const openEditors = useRef(new Set<string>());
  // Our own saves move the version on before the reload shows it, so that a second quick
  // save (another field) is not refused as if someone else had changed the record.
  const [savedVersion, setSavedVersion] = useState(0);
  const version = Math.max(loadedVersion, savedVersion);
  const reportSaved = useCallback((saved: number | undefined) => {
    if (saved) setSavedVersion((current) => Math.max(current, saved));
  }, []);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [reloadedDuringEdit, setReloadedDuringEdit] = useState(false);
  const { lastActor, revalidate } = useLiveRecord({
    entity,
    id,
    version,
    me,
    members,
    openEditors,
    onConflict: setConflict,
  });

  // Without JavaScript a refused save comes back as the page's action data.
  const actionData = useActionResult();
  const serverConflict =
    isFailure(actionData, "update") && (actionData as { conflict?: boolean }).conflict === true;

  const registerEditor = useCallback((name: string) => {
    openEditors.current.add(name);
    return () => {
      openEditors.current.delete(name);
      if (openEditors.current.size === 0) setReloadedDuringEdit(false);
    };
  }, []);
  // A refused save: the page reloads the record (the editor keeps what was typed).
  const reportConflict = useCallback(() => {
    setConflict({ by: lastActor.current, deleted: false, fromSave: true });
    setReloadedDuringEdit(true);
    revalidate();
  }, [lastActor, revalidate]);

  const value = useMemo(
    () => ({
      version,
      canEdit,
      reloadedDuringEdit: reloadedDuringEdit || serverConflict,
      registerEditor,
      reportConflict,
      reportSaved,
    }),
    [
      version,
      canEdit,
      reloadedDuringEdit,
      serverConflict,
      registerEditor,
      reportConflict,
      reportSaved,
    ],
  );

  const reload = () => {
    setConflict(null);
    if (openEditors.current.size > 0) setReloadedDuringEdit(true);
    revalidate();
  };

  return (
    <RecordEditContext.Provider value={value}>
      {conflict?.deleted ? (
        <DeletedBanner by={conflict.by} noun={noun} />
      ) : conflict ? (
        <ConflictBanner
          by={conflict.by}
          takeFocus={conflict.fromSave}
          reloaded={conflict.fromSave}
          onReload={reload}
          onDismiss={() => setConflict(null)}
        />
      ) : serverConflict ? (
        <ConflictBanner by={null} takeFocus reloaded />
      ) : null}
      {children}
    </RecordEditContext.Provider>
  );
}

function ConflictBanner({
  by,
  takeFocus,
  reloaded = false,
  onReload,
  onDismiss,
}: {
  by: string | null;
  takeFocus: boolean;
  reloaded?: boolean;
  onReload?: () => void;
  onDismiss?: () => void;
}) {
  return (
    <div className="mb-4" data-testid="conflict-banner">
      <Alert
        title={`${by ?? "Someone else"} changed this record while you were editing`}
        focusOnMount={takeFocus}
      >
        {reloaded ? (
          <>
            <p>
              Your change was not saved. The page now shows their version; what you typed is still
              in the form: save it again to replace their change, or cancel to keep theirs.
            </p>
            {onDismiss ? (
              <div className="mt-3">
                <Button type="button" size="sm" variant="secondary" onClick={onDismiss}>
                  Dismiss
                </Button>
              </div>
            ) : null}
          </>
        ) : (
          <>
            <p>
              Your edit has not been saved. Reload to see their change; what you typed stays in the
              form so you can decide.
            </p>
            <div className="mt-3 flex gap-2">
              <Button type="button" size="sm" onClick={onReload}>
                Reload their changes
              </Button>
              <Button type="button" size="sm" variant="secondary" onClick={onDismiss}>
                Dismiss
              </Button>
            </div>
          </>
        )}
      </Alert>
    </div>
  );
}

function DeletedBanner({ by, noun }: { by: string | null; noun: string }) {
  return (
    <div className="mb-4">
      <Alert title={`${by ?? "Someone else"} deleted this ${noun}`} focusOnMount={false}>
        <p>It can be restored for 30 days.</p>
        <Form method="post" className="mt-3">
          <input type="hidden" name="intent" value="restore" />
          <Button size="sm" variant="secondary">
            Restore {noun}
          </Button>
        </Form>
      </Alert>
    </div>
  );
}

/** Registers an open editor with the provider while `open` is true. */
export function useEditorRegistration(name: string, open: boolean) {
  const { registerEditor } = useRecordEdit();
  useEffect(() => (open ? registerEditor(name) : undefined), [name, open, registerEditor]);
}
