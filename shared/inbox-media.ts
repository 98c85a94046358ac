/*
 * Files the team may send from the inbox (a photo, a document, a sound, a video), one per
 * message, the same rules for every channel so the composer can say them up front: WhatsApp
 * Cloud API's supported types, and its size limits capped at 16 MB (Meta takes documents up
 * to 100 MB; we keep the worker's memory and the customer's data plan in mind). Shared by
 * the Worker (which enforces them) and the composer (which states them).
 * See docs/decisions/040-inbox-outgoing-media.md.
 */

export type OutgoingMediaKind = "image" | "document" | "audio" | "video";

const MB = 1024 * 1024;
/** Every outgoing file's ceiling. */
export const OUTGOING_MEDIA_MAX_BYTES = 16 * MB;
/** A caption (Meta's limit for image, video and document captions). */
export const MEDIA_CAPTION_MAX = 1024;

/** The types we send, by MIME type: their kind and size limit. */
export const OUTGOING_MEDIA_TYPES: Readonly<
  Record<string, { kind: OutgoingMediaKind; maxBytes: number; ext: string }>
> = {
  "image/jpeg": { kind: "image", maxBytes: 5 * MB, ext: "jpg" },
  "image/png": { kind: "image", maxBytes: 5 * MB, ext: "png" },
  "application/pdf": { kind: "document", maxBytes: 16 * MB, ext: "pdf" },
  "text/plain": { kind: "document", maxBytes: 16 * MB, ext: "txt" },
  "application/msword": { kind: "document", maxBytes: 16 * MB, ext: "doc" },
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
    kind: "document",
    maxBytes: 16 * MB,
    ext: "docx",
  },
  "application/vnd.ms-excel": { kind: "document", maxBytes: 16 * MB, ext: "xls" },
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
    kind: "document",
    maxBytes: 16 * MB,
    ext: "xlsx",
  },
  "application/vnd.ms-powerpoint": { kind: "document", maxBytes: 16 * MB, ext: "ppt" },
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": {
    kind: "document",
    maxBytes: 16 * MB,
    ext: "pptx",
  },
  "audio/aac": { kind: "audio", maxBytes: 16 * MB, ext: "aac" },
  "audio/mpeg": { kind: "audio", maxBytes: 16 * MB, ext: "mp3" },
  "audio/ogg": { kind: "audio", maxBytes: 16 * MB, ext: "ogg" },
  "audio/amr": { kind: "audio", maxBytes: 16 * MB, ext: "amr" },
  "audio/mp4": { kind: "audio", maxBytes: 16 * MB, ext: "m4a" },
  "video/mp4": { kind: "video", maxBytes: 16 * MB, ext: "mp4" },
  "video/3gpp": { kind: "video", maxBytes: 16 * MB, ext: "3gp" },
};

/** For the composer's file picker (`accept`). */
export const OUTGOING_MEDIA_ACCEPT = [
  ...Object.keys(OUTGOING_MEDIA_TYPES),
  ...Object.values(OUTGOING_MEDIA_TYPES).map((type) => `.${type.ext}`),
].join(",");

/** What the composer says under the Attach button. */
export const OUTGOING_MEDIA_RULES =
  "One file per message: photos (JPEG, PNG) up to 5 MB; documents (PDF, Word, Excel, PowerPoint, text), audio (AAC, MP3, OGG, AMR, M4A) and video (MP4, 3GP) up to 16 MB.";

const byExtension = new Map(
  Object.entries(OUTGOING_MEDIA_TYPES).map(([mime, type]) => [type.ext, mime]),
);

/** The MIME type we go by: the file's own, else its extension's (some browsers send none). */
export function outgoingMimeType(type: string, name: string): string {
  const own = type.split(";")[0]?.trim().toLowerCase() ?? "";
  if (own && own !== "application/octet-stream") return own;
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? "";
  return byExtension.get(extension === "jpeg" ? "jpg" : extension) ?? own;
}

export type OutgoingMediaCheck =
  | { ok: true; kind: OutgoingMediaKind; mimeType: string }
  | { ok: false; error: string };

/**
 * Whether a file may go out, and as what. (One channel rule more, in the service: WhatsApp's
 * audio messages take no caption.)
 */
export function checkOutgoingMedia(file: {
  type: string;
  name: string;
  size: number;
}): OutgoingMediaCheck {
  const mimeType = outgoingMimeType(file.type, file.name);
  const rule = OUTGOING_MEDIA_TYPES[mimeType];
  if (!rule) {
    return {
      ok: false,
      error: `${mimeType || "This file type"} cannot be sent. ${OUTGOING_MEDIA_RULES}`,
    };
  }
  if (file.size === 0) return { ok: false, error: "The file is empty." };
  if (file.size > rule.maxBytes) {
    return {
      ok: false,
      error: `The file is ${megabytes(file.size)}; ${rule.kind === "image" ? "photos" : "files"} may be up to ${megabytes(rule.maxBytes)}.`,
    };
  }
  return { ok: true, kind: rule.kind, mimeType };
}

/** A file's size as people read it: "640 KB", "3.2 MB". */
export function megabytes(bytes: number): string {
  if (bytes < MB) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  const value = bytes / MB;
  return `${value >= 10 ? Math.round(value) : Math.round(value * 10) / 10} MB`;
}
