import { type ReactNode, useState } from "react";
import type { MessageView } from "../../../worker/conversations/conversation-view";
import { LinkedText } from "../../components/linked-text";
import { cx } from "../../components/ui";
import { clockTime, DELIVERY_LABELS, mapLink } from "./inbox-format";
import {
  AlertIcon,
  CardIcon,
  ClockIcon,
  DoubleTickIcon,
  FileIcon,
  MicIcon,
  PhotoIcon,
  PinIcon,
  TickIcon,
} from "./inbox-icons";

/*
 * One message of the thread: the customer's on the left, the team's on the right with its
 * delivery (clock, one tick, two, two blue, or red with Meta's reason), private notes in amber.
 * Media (the customer's, and files the team sent) show in place once kept in R2, else as a
 * labelled preview.
 */

const text = (value: unknown): string | null =>
  typeof value === "string" && value.trim() ? value : null;
const number = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value : null;

export function MessageItem({
  message,
  author,
  local,
}: {
  message: MessageView;
  /** The member who wrote it (outgoing messages and notes). */
  author: string | null;
  /** Times in the reader's zone (after hydration). */
  local: boolean;
}) {
  const time = clockTime(message.sentAt, local);
  if (message.private) {
    return (
      <li className="flex justify-end" data-testid="message" data-kind="note">
        <div className="max-w-[85%] min-w-0 rounded-lg bg-amber-50 px-3 py-2 text-sm text-slate-900 ring-1 ring-amber-200 ring-inset sm:max-w-[75%]">
          <p className="mb-1 text-xs font-semibold text-amber-800">
            Private note{author ? ` · ${author}` : ""}
          </p>
          <p className="break-words whitespace-pre-wrap">
            <LinkedText text={message.body ?? ""} />
          </p>
          <p className="mt-1 text-right text-[11px] text-amber-800/80">{time}</p>
        </div>
      </li>
    );
  }
  const outgoing = message.direction === "outgoing";
  return (
    <li
      className={cx("flex", outgoing ? "justify-end" : "justify-start")}
      data-testid="message"
      data-kind={message.kind}
      data-status={message.status}
    >
      <div className="flex max-w-[85%] min-w-0 flex-col sm:max-w-[75%]">
        <div
          className={cx(
            "min-w-0 rounded-lg px-3 py-2 text-sm text-slate-900 ring-1 ring-inset",
            outgoing ? "bg-indigo-50 ring-indigo-100" : "bg-white ring-slate-200",
            message.status === "failed" && "ring-red-300",
          )}
        >
          <MessageBody message={message} />
          <p className="mt-1 flex items-center justify-end gap-1 text-[11px] text-slate-500">
            {outgoing && author ? <span className="truncate">{author} ·</span> : null}
            <span>{time}</span>
            {outgoing ? <DeliveryTicks status={message.status} /> : null}
          </p>
        </div>
        {message.status === "failed" ? (
          <p className="mt-1 text-right text-xs text-red-700" data-testid="delivery-error">
            Not delivered{message.error ? `: ${message.error.title}` : ""}
            {message.error?.message && message.error.message !== message.error.title ? (
              <span className="block text-red-700/90">{message.error.message}</span>
            ) : null}
          </p>
        ) : null}
      </div>
    </li>
  );
}

export function DeliveryTicks({ status }: { status: MessageView["status"] }) {
  const label = DELIVERY_LABELS[status];
  let icon: ReactNode;
  switch (status) {
    case "pending":
      icon = <ClockIcon className="size-3.5 text-slate-400" />;
      break;
    case "accepted":
    case "sent":
      icon = <TickIcon className="size-3.5 text-slate-500" />;
      break;
    case "delivered":
      icon = <DoubleTickIcon className="size-3.5 text-slate-500" />;
      break;
    case "read":
      icon = <DoubleTickIcon className="size-3.5 text-sky-500" />;
      break;
    case "failed":
      icon = <AlertIcon className="size-3.5 text-red-600" />;
      break;
    default:
      return null;
  }
  return (
    <span title={label} className="inline-flex" data-testid="delivery" data-status={status}>
      {icon}
      <span className="sr-only">{label}</span>
    </span>
  );
}

function MediaLabel({
  icon,
  label,
  children,
}: {
  icon: ReactNode;
  label: string;
  children?: ReactNode;
}) {
  return (
    <div>
      <p className="flex items-center gap-1.5 rounded-md bg-slate-900/5 px-2 py-1.5 text-xs font-medium text-slate-700">
        <span className="shrink-0 text-slate-500">{icon}</span>
        <span className="min-w-0 break-words">{label}</span>
      </p>
      {children}
    </div>
  );
}

function Caption({ body }: { body: string | null }) {
  return body ? (
    <p className="break-words whitespace-pre-wrap">
      <LinkedText text={body ?? ""} />
    </p>
  ) : null;
}

/** What the message says, by its kind. */
function MessageBody({ message }: { message: MessageView }) {
  const { content, body } = message;
  switch (message.kind) {
    case "text":
      return (
        <p className="break-words whitespace-pre-wrap">
          <LinkedText text={body ?? ""} />
        </p>
      );
    case "image":
    case "sticker":
    case "video":
    case "audio":
    case "document":
      return <Media message={message} />;
    case "location": {
      const latitude = number(content.latitude);
      const longitude = number(content.longitude);
      const name = text(content.name);
      const address = text(content.address);
      return (
        <MediaLabel icon={<PinIcon />} label={name ?? "Location"}>
          {address ? <p className="mt-1.5 break-words">{address}</p> : null}
          {latitude !== null && longitude !== null ? (
            <a
              href={mapLink(latitude, longitude)}
              target="_blank"
              rel="noreferrer noopener"
              className="mt-1 inline-block text-xs font-medium text-indigo-700 underline underline-offset-2"
            >
              Open in map ({latitude.toFixed(4)}, {longitude.toFixed(4)})
            </a>
          ) : null}
        </MediaLabel>
      );
    }
    case "contacts":
      return <ContactCards content={content} fallback={body} />;
    case "reaction": {
      const emoji = text(content.emoji) ?? body;
      return (
        <p className="text-slate-700">
          {emoji ? (
            <>
              Reacted <span className="text-base">{emoji}</span> to a message
            </>
          ) : (
            "Removed a reaction"
          )}
        </p>
      );
    }
    case "interactive":
    case "button":
      return (
        <p className="text-slate-700">
          Tapped <span className="font-medium text-slate-900">“{body ?? "a button"}”</span>
        </p>
      );
    case "template":
      return (
        <div>
          <p className="text-xs font-medium text-indigo-800">Template</p>
          <p className="break-words whitespace-pre-wrap">
            <LinkedText text={body ?? ""} />
          </p>
        </div>
      );
    case "unsupported": {
      const error = content.error as { title?: unknown } | null | undefined;
      return (
        <p className="text-slate-600 italic">
          A message WhatsApp cannot show here
          {text(error?.title) ? ` (${text(error?.title)})` : ""}.
        </p>
      );
    }
    default:
      return (
        <p className="break-words whitespace-pre-wrap">
          <LinkedText text={body ?? ""} />
        </p>
      );
  }
}

const MEDIA_LABELS = {
  image: "Photo",
  sticker: "Sticker",
  video: "Video",
  audio: "Audio",
  document: "Document",
} as const;

/**
 * A photo, sticker, video, sound or document: once its file is kept (the media job fetched
 * it from Meta), pictures, sound and video play in place and documents download; until then,
 * or when it cannot be had, a labelled preview.
 */
function Media({ message }: { message: MessageView }) {
  const { content, body } = message;
  const [broken, setBroken] = useState(false);
  const kind = message.kind as keyof typeof MEDIA_LABELS;
  const mime = text(content.mimeType) ?? "";
  const filename = text(content.filename);
  const voice = kind === "audio" && (mime.includes("ogg") || mime.includes("opus"));
  const label =
    kind === "document" ? (filename ?? "Document") : voice ? "Voice message" : MEDIA_LABELS[kind];
  const src = `/api/v1/messages/${message.id}/media`;
  const stored = content.stored === true && !broken;
  const icon = kind === "audio" ? <MicIcon /> : kind === "document" ? <FileIcon /> : <PhotoIcon />;
  let file: ReactNode = null;
  if (stored && (kind === "image" || kind === "sticker") && /^image\//.test(mime)) {
    file = (
      <a href={src} target="_blank" rel="noreferrer" className="block">
        <img
          src={src}
          alt={body ? `${label}: ${body}` : label}
          loading="lazy"
          onError={() => setBroken(true)}
          className={cx(
            "rounded-md bg-slate-100 object-contain",
            kind === "sticker" ? "max-h-32" : "max-h-72 w-full",
          )}
        />
      </a>
    );
  } else if (stored && kind === "audio") {
    file = (
      <audio
        controls
        preload="none"
        src={src}
        className="w-64 max-w-full"
        onError={() => setBroken(true)}
      >
        <track kind="captions" />
      </audio>
    );
  } else if (stored && kind === "video") {
    file = (
      <video
        controls
        preload="metadata"
        src={src}
        className="max-h-72 w-full rounded-md"
        onError={() => setBroken(true)}
      >
        <track kind="captions" />
      </video>
    );
  }
  return (
    <div className="space-y-1.5">
      {file && kind !== "audio" ? (
        <>
          <span className="sr-only">{label}</span>
          {file}
        </>
      ) : file ? (
        <>
          <p className="flex items-center gap-1.5 text-xs font-medium text-slate-700">
            <MicIcon className="size-3.5 text-slate-500" />
            {label}
          </p>
          {file}
        </>
      ) : (
        <MediaLabel icon={icon} label={label}>
          {stored && kind === "document" ? (
            <a
              href={src}
              className="mt-1 inline-block text-xs font-medium text-indigo-700 underline underline-offset-2"
            >
              Download{filename ? ` ${filename}` : ""}
            </a>
          ) : null}
        </MediaLabel>
      )}
      <Caption body={body} />
    </div>
  );
}

function ContactCards({
  content,
  fallback,
}: {
  content: Record<string, unknown>;
  fallback: string | null;
}) {
  const cards = Array.isArray(content.contacts) ? (content.contacts as unknown[]) : [];
  if (cards.length === 0)
    return <MediaLabel icon={<CardIcon />} label={fallback ?? "Contact card"} />;
  return (
    <div className="space-y-1.5">
      {cards.map((raw, index) => {
        const card = (raw ?? {}) as {
          name?: { formatted_name?: unknown };
          phones?: { phone?: unknown }[];
          emails?: { email?: unknown }[];
        };
        const name = text(card.name?.formatted_name) ?? "A contact";
        const phones = (card.phones ?? []).map((phone) => text(phone.phone)).filter(Boolean);
        const emails = (card.emails ?? []).map((email) => text(email.email)).filter(Boolean);
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: cards have no ids and never reorder
          <MediaLabel key={index} icon={<CardIcon />} label={`Contact card: ${name}`}>
            {[...phones, ...emails].length > 0 ? (
              <p className="mt-1 text-xs break-words text-slate-700">
                {[...phones, ...emails].join(" · ")}
              </p>
            ) : null}
          </MediaLabel>
        );
      })}
    </div>
  );
}
