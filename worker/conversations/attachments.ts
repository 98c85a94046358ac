import {
  checkOutgoingMedia,
  MEDIA_CAPTION_MAX,
  OUTGOING_MEDIA_MAX_BYTES,
} from "../../shared/inbox-media";
import { ApiError } from "../lib/errors";
import { unstorableText } from "../lib/validation";
import type { MediaReply } from "./service";

/*
 * A file the team sends from the inbox (`POST /conversations/:id/messages` as
 * multipart/form-data, or the inbox page's form): read and checked before any storage, put in
 * R2 by the unit of work that stores its message (worker/conversations/service.ts
 * `sendMessage`), and removed again if that unit of work fails, so a refused or rolled-back
 * send leaves no file behind. See docs/decisions/040-inbox-outgoing-media.md.
 */

/** The multipart body's own ceiling: the largest file plus room for the caption and headers. */
export const MAX_MEDIA_BODY_BYTES = OUTGOING_MEDIA_MAX_BYTES + 64 * 1024;

export interface PostedAttachment {
  file: File;
  caption: string | null;
}

/** The file and caption of a posted form, or the field errors (422) saying what is wrong. */
export function readPostedAttachment(file: unknown, caption: unknown): PostedAttachment {
  if (!(file instanceof File)) throw ApiError.validation({ file: ["Attach a file."] });
  const text = typeof caption === "string" ? caption.trim() : "";
  if (text.length > MEDIA_CAPTION_MAX) {
    throw ApiError.validation({
      body: [`A caption is at most ${MEDIA_CAPTION_MAX} characters.`],
    });
  }
  const problem = unstorableText(text) ?? unstorableText(file.name);
  if (problem) throw ApiError.validation({ [unstorableText(text) ? "body" : "file"]: [problem] });
  return { file, caption: text || null };
}

/** A file name we keep: no path, no control characters, at most 200 characters. */
function cleanFilename(name: string, mimeType: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we drop
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, "").trim();
  return clean.slice(-200) || `file.${mimeType.split("/")[1] ?? "bin"}`;
}

/**
 * Checks the file (type, size: a 422 before anything is stored), then runs `send` (the unit
 * of work storing the message) with it as a `MediaReply`. The R2 object is written inside
 * that unit of work and deleted if it throws, its commit included.
 */
export async function sendWithAttachment<T>(
  bucket: R2Bucket,
  posted: PostedAttachment,
  send: (reply: MediaReply) => Promise<T>,
): Promise<T> {
  const check = checkOutgoingMedia(posted.file);
  if (!check.ok) throw ApiError.validation({ file: [check.error] }, check.error);
  const written: string[] = [];
  const bytes = await posted.file.arrayBuffer();
  try {
    return await send({
      body: posted.caption,
      attachment: {
        kind: check.kind,
        mimeType: check.mimeType,
        size: bytes.byteLength,
        filename: cleanFilename(posted.file.name, check.mimeType),
        store: async (key) => {
          written.push(key);
          await bucket.put(key, bytes, { httpMetadata: { contentType: check.mimeType } });
        },
      },
    });
  } catch (error) {
    await Promise.all(written.map((key) => bucket.delete(key).catch(() => undefined)));
    throw error;
  }
}
