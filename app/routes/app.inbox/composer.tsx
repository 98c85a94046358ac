import { useFetcher } from "@remix-run/react";
import {
  type ClipboardEvent,
  type DragEvent,
  type KeyboardEvent,
  type RefObject,
  useEffect,
  useId,
  useRef,
  useState,
} from "react";
import {
  checkOutgoingMedia,
  megabytes,
  OUTGOING_MEDIA_ACCEPT,
  OUTGOING_MEDIA_RULES,
} from "../../../shared/inbox-media";
import type {
  ConversationView,
  MessageView,
} from "../../../worker/conversations/conversation-view";
import { ArticleLinkPicker, insertAtCursor } from "../../components/article-link-picker";
import { Button, cx, focusRing, Kbd } from "../../components/ui";
import { isFailure } from "../../lib/forms";
import { useNow } from "../../lib/use-live";
import { cannedQuery, fillReply, matchingReplies } from "./canned-replies";
import type { action } from "./inbox.server";
import { windowLeft } from "./inbox-format";
import { FileIcon, PaperclipIcon, PhotoIcon, SendIcon } from "./inbox-icons";
import { TemplatePicker } from "./template-picker";

/*
 * The composer under the thread: Reply or Private note, Enter to send (Shift+Enter for a new
 * line), `/` for canned replies, Escape to leave it. Outside WhatsApp's 24-hour window a reply
 * can only be a template. Drafts are kept per conversation while the page is open. A reply may
 * carry one file (Attach, drop it on the composer, or paste it), the text its caption; the
 * limits (shared/inbox-media.ts) are said under the composer and checked before sending.
 */

type Mode = "reply" | "note";

const drafts = new Map<string, string>();

export function Composer({
  conversation,
  contactName,
  textareaRef,
  onTyping,
  onSent,
  onLeave,
}: {
  conversation: ConversationView;
  contactName: string | null;
  textareaRef: RefObject<HTMLTextAreaElement>;
  /** Someone types; `reply` also tells a website visitor (throttled by the caller). */
  onTyping: (mode: Mode) => void;
  onSent: (message: MessageView) => void;
  /** Escape: focus goes back to the thread. */
  onLeave: () => void;
}) {
  const id = useId();
  const fetcher = useFetcher<typeof action>({ key: `composer-${conversation.id}` });
  const [mode, setMode] = useState<Mode>("reply");
  const [draft, setDraftState] = useState(() => drafts.get(conversation.id) ?? "");
  const setDraft = (value: string) => {
    drafts.set(conversation.id, value);
    setDraftState(value);
  };
  const [pickerOpen, setPickerOpen] = useState(false);
  const now = useNow(60_000);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const [attachment, setAttachment] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  const whatsapp = conversation.channel.type === "whatsapp";
  // Closed as the server said, or since: the window ends while the page is open.
  const endsAt = conversation.replyWindowEndsAt;
  const windowClosed = whatsapp && (!endsAt || (now !== null && Date.parse(endsAt) <= now));
  const templatesOnly = mode === "reply" && windowClosed;
  const query = cannedQuery(draft);
  const replies = query !== null && query !== dismissed ? matchingReplies(query) : [];
  const sending = fetcher.state !== "idle";
  const sendingIntent = fetcher.formData?.get("intent");

  // The answer: the message joins the thread; a failure puts the text back to try again.
  const handled = useRef<unknown>(null);
  useEffect(() => {
    const data = fetcher.data;
    if (fetcher.state !== "idle" || !data || handled.current === data) return;
    handled.current = data;
    if (data.ok && "message" in data) {
      onSent(data.message);
      if (data.message.content.stored === true) setAttachment(null);
      if (data.intent === "template") setPickerOpen(false);
    } else if (isFailure(data) && data.values.body && !drafts.get(conversation.id)) {
      setDraft(data.values.body);
    }
  });
  const failure = isFailure(fetcher.data) ? fetcher.data : null;

  const attach = (file: File | null | undefined) => {
    if (!file) return;
    const check = checkOutgoingMedia(file);
    setFileError(check.ok ? null : check.error);
    setAttachment(check.ok ? file : null);
    if (check.ok && mode === "note") setMode("reply");
    textareaRef.current?.focus();
  };

  const send = () => {
    const body = draft.trim();
    if (sending || templatesOnly) return;
    if (attachment && mode === "reply") {
      const form = new FormData();
      form.set("intent", "attach");
      form.set("conversationId", conversation.id);
      form.set("body", body);
      form.set("file", attachment);
      fetcher.submit(form, { method: "post", encType: "multipart/form-data" });
      setDraft("");
      return;
    }
    if (!body) return;
    fetcher.submit({ intent: mode, conversationId: conversation.id, body }, { method: "post" });
    setDraft("");
  };

  const onDrop = (event: DragEvent<HTMLFormElement>) => {
    if (!event.dataTransfer.types.includes("Files")) return;
    event.preventDefault();
    setDragging(false);
    if (mode === "reply") attach(event.dataTransfer.files[0]);
  };

  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const file = event.clipboardData.files[0];
    if (!file || mode !== "reply") return;
    event.preventDefault();
    attach(file);
  };

  const sendTemplate = (template: { name: string; language: string; parameters: string[] }) => {
    const form = new FormData();
    form.set("intent", "template");
    form.set("conversationId", conversation.id);
    form.set("name", template.name);
    form.set("language", template.language);
    for (const parameter of template.parameters) form.append("parameter", parameter);
    fetcher.submit(form, { method: "post" });
  };

  const insert = (index: number) => {
    const reply = replies[index];
    if (!reply) return;
    setDraft(fillReply(reply, contactName));
    setActive(0);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.nativeEvent.isComposing) return;
    if (replies.length > 0) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        setActive((current) => (current + step + replies.length) % replies.length);
        return;
      }
      if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        insert(Math.min(active, replies.length - 1));
        return;
      }
      if (event.key === "Escape") {
        event.preventDefault();
        setDismissed(query);
        return;
      }
    }
    if (event.key === "Escape") {
      event.preventDefault();
      event.currentTarget.blur();
      onLeave();
      return;
    }
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      send();
    }
  };

  const note = mode === "note";
  const listId = `${id}-canned`;
  return (
    <div className="border-t border-slate-200 bg-white px-3 pt-2 pb-3 sm:px-4">
      <div className="flex flex-wrap items-center justify-between gap-2 pb-2">
        <div role="tablist" aria-label="Write" className="flex gap-1">
          {(["reply", "note"] as const).map((value) => (
            <button
              key={value}
              type="button"
              role="tab"
              aria-selected={mode === value}
              onClick={() => {
                setMode(value);
                textareaRef.current?.focus();
              }}
              className={cx(
                "rounded-md px-2.5 py-1 text-xs font-medium",
                focusRing,
                mode === value
                  ? value === "note"
                    ? "bg-amber-100 text-amber-900"
                    : "bg-indigo-50 text-indigo-700"
                  : "text-slate-600 hover:bg-slate-100 hover:text-slate-900",
              )}
            >
              {value === "reply" ? "Reply" : "Private note"}
            </button>
          ))}
        </div>
        <p className="text-xs text-slate-500">
          {whatsapp && endsAt && !windowClosed && now !== null && !note
            ? `WhatsApp window: ${windowLeft(endsAt, now)} left`
            : note
              ? "Only your team sees notes. @Name mentions a teammate."
              : null}
        </p>
      </div>
      {fileError || failure ? (
        <p
          role="alert"
          className="mb-2 text-xs font-medium text-red-700"
          data-testid="composer-error"
        >
          {fileError ??
            (failure ? (Object.values(failure.fieldErrors).flat()[0] ?? failure.message) : null)}
        </p>
      ) : null}
      {templatesOnly ? (
        <div className="space-y-2">
          <p
            className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-700 ring-1 ring-slate-200 ring-inset"
            data-testid="window-closed"
          >
            WhatsApp's 24-hour window is closed: the customer last wrote more than a day ago, so
            only an approved template can go out now. A private note is still possible.
          </p>
          {pickerOpen ? (
            <TemplatePicker
              conversation={conversation}
              sending={sending && sendingIntent === "template"}
              onSend={sendTemplate}
              onClose={() => setPickerOpen(false)}
            />
          ) : (
            <Button type="button" size="sm" onClick={() => setPickerOpen(true)}>
              Send a template
            </Button>
          )}
        </div>
      ) : (
        <fetcher.Form
          ref={formRef}
          method="post"
          onSubmit={(event) => {
            event.preventDefault();
            send();
          }}
          onDragOver={(event) => {
            if (mode !== "reply" || !event.dataTransfer.types.includes("Files")) return;
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          className={cx("relative", dragging && "rounded-md ring-2 ring-indigo-400 ring-offset-2")}
        >
          {replies.length > 0 ? (
            <div
              id={listId}
              role="listbox"
              aria-label="Canned replies"
              className="absolute right-0 bottom-full left-0 z-10 mb-1 max-h-56 overflow-y-auto rounded-md bg-white p-1 shadow-lg ring-1 ring-slate-200"
            >
              {replies.map((reply, index) => (
                <div
                  key={reply.shortcut}
                  id={`${listId}-${index}`}
                  role="option"
                  tabIndex={-1}
                  aria-selected={index === active}
                  onMouseDown={(event) => {
                    event.preventDefault();
                    insert(index);
                  }}
                  className={cx(
                    "cursor-pointer rounded px-2 py-1.5 text-sm",
                    index === active ? "bg-indigo-50" : "hover:bg-slate-50",
                  )}
                >
                  <span className="font-medium text-slate-900">/{reply.shortcut}</span>{" "}
                  <span className="text-slate-600">{reply.title}</span>
                  <span className="block truncate text-xs text-slate-500">
                    {fillReply(reply, contactName)}
                  </span>
                </div>
              ))}
            </div>
          ) : null}
          <label htmlFor={`${id}-body`} className="sr-only">
            {note ? "Private note" : "Reply"}
          </label>
          {attachment && !note ? (
            <div
              className="mb-2 flex items-center gap-2 rounded-md bg-slate-50 px-2.5 py-1.5 text-xs text-slate-700 ring-1 ring-slate-200 ring-inset"
              data-testid="attachment"
            >
              {attachment.type.startsWith("image/") ? (
                <PhotoIcon className="size-4 shrink-0 text-slate-500" />
              ) : (
                <FileIcon className="size-4 shrink-0 text-slate-500" />
              )}
              <span className="min-w-0 truncate font-medium text-slate-900">{attachment.name}</span>
              <span className="shrink-0 text-slate-500">{megabytes(attachment.size)}</span>
              <button
                type="button"
                onClick={() => {
                  setAttachment(null);
                  if (fileRef.current) fileRef.current.value = "";
                }}
                className={cx(
                  "ml-auto shrink-0 rounded px-1.5 py-0.5 font-medium text-slate-600 hover:bg-slate-200 hover:text-slate-900",
                  focusRing,
                )}
              >
                Remove<span className="sr-only"> {attachment.name}</span>
              </button>
            </div>
          ) : null}
          <textarea
            ref={textareaRef}
            id={`${id}-body`}
            name="body"
            rows={3}
            value={draft}
            placeholder={
              note
                ? "Write a note for your team…"
                : attachment
                  ? "Add a caption (optional), Enter to send"
                  : "Write a reply… (/ for canned replies, Enter to send)"
            }
            aria-controls={replies.length > 0 ? listId : undefined}
            aria-activedescendant={replies.length > 0 ? `${listId}-${active}` : undefined}
            onChange={(event) => {
              setDraft(event.target.value);
              setActive(0);
              if (event.target.value.trim()) onTyping(note ? "note" : "reply");
            }}
            onKeyDown={onKeyDown}
            onPaste={onPaste}
            className={cx(
              "block w-full resize-none rounded-md border-0 px-3 py-2 text-sm text-slate-900 ring-1 ring-inset placeholder:text-slate-500 focus:ring-2 focus:outline-none focus:ring-inset",
              note
                ? "bg-amber-50 ring-amber-300 focus:ring-amber-500"
                : "bg-white ring-slate-300 focus:ring-indigo-600",
            )}
          />
          <div className="mt-2 flex items-center justify-between gap-2">
            {note ? null : (
              <>
                <input
                  ref={fileRef}
                  type="file"
                  accept={OUTGOING_MEDIA_ACCEPT}
                  className="sr-only"
                  tabIndex={-1}
                  aria-hidden="true"
                  onChange={(event) => attach(event.target.files?.[0])}
                />
                <button
                  type="button"
                  onClick={() => fileRef.current?.click()}
                  title={OUTGOING_MEDIA_RULES}
                  aria-describedby={`${id}-rules`}
                  className={cx(
                    "inline-flex items-center gap-1 rounded-md px-2 py-1 text-xs font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900",
                    focusRing,
                  )}
                >
                  <PaperclipIcon className="size-3.5" />
                  Attach
                </button>
              </>
            )}
            <ArticleLinkPicker
              onPick={(text) => {
                const textarea = textareaRef.current;
                if (!textarea) return;
                const next = insertAtCursor(textarea, text);
                setDraft(next.value);
                requestAnimationFrame(() => {
                  textarea.focus();
                  textarea.setSelectionRange(next.caret, next.caret);
                });
              }}
            />
            <p className="hidden text-xs whitespace-nowrap text-slate-500 2xl:block">
              <Kbd>Enter</Kbd> send · <Kbd>Shift Enter</Kbd> new line · <Kbd>Esc</Kbd> leave
            </p>
            <Button
              size="sm"
              className="ml-auto"
              disabled={(!draft.trim() && !(attachment && !note)) || sending}
              pending={sending && sendingIntent !== "template"}
            >
              <SendIcon className="size-3.5" />
              {note ? "Add note" : "Send"}
            </Button>
          </div>
          {note ? null : (
            <p id={`${id}-rules`} className="mt-1.5 text-[11px] leading-4 text-slate-500">
              Attach one file: photos (JPEG, PNG) up to 5 MB; PDF, Office, text, audio and video up
              to 16 MB.
            </p>
          )}
        </fetcher.Form>
      )}
    </div>
  );
}
