import { z } from "zod";
import type { ProviderError } from "./payload";

/*
 * Meta's Graph API for WhatsApp Cloud API, the calls Switchboard makes with a channel's
 * access token: send a message (`POST /{phone-number-id}/messages`), and upload the file of
 * a media message first (`POST /{phone-number-id}/media`, multipart: `messaging_product`,
 * `type`, `file`; Meta answers the media id the message then names). Meta's errors come back
 * as `{ error: { message, type, code, error_data: { details }, fbtrace_id } }`; throttling
 * (130429 throughput, 131056 pair rate, 80007 account rate), Meta's own trouble (5xx, 131000,
 * 131016) and network failures are worth another attempt later, anything else is the
 * message's final answer (its reason shown on the message).
 */

const RETRYABLE_CODES = new Set([4, 80007, 130429, 131000, 131016, 131056, 133004]);

const sentSchema = z.looseObject({
  messages: z.array(z.looseObject({ id: z.string().min(1) })).min(1),
});

const graphErrorSchema = z.looseObject({
  error: z.looseObject({
    message: z.string().optional(),
    code: z.number().optional(),
    error_subcode: z.number().optional(),
    error_data: z.looseObject({ details: z.string().optional() }).optional(),
  }),
});

export type GraphSendResult =
  | { ok: true; wamid: string }
  | { ok: false; retryable: boolean; error: ProviderError };

export type OutgoingContent =
  | { type: "text"; body: string }
  | { type: "template"; name: string; language: string; parameters: string[] }
  | {
      type: "media";
      kind: "image" | "document" | "audio" | "video";
      /** Meta's media id, from `graphUploadMedia`. */
      mediaId: string;
      caption: string | null;
      filename: string | null;
    };

const uploadedSchema = z.looseObject({ id: z.string().min(1) });

/** Meta's body for one outgoing message to a customer's WhatsApp id. */
export function sendBody(to: string, content: OutgoingContent) {
  const base = { messaging_product: "whatsapp", recipient_type: "individual", to };
  if (content.type === "text") {
    return { ...base, type: "text", text: { preview_url: false, body: content.body } };
  }
  if (content.type === "media") {
    const media: Record<string, string> = { id: content.mediaId };
    // Captions go with photos, videos and documents; a file name with documents only.
    if (content.caption && content.kind !== "audio") media.caption = content.caption;
    if (content.filename && content.kind === "document") media.filename = content.filename;
    return { ...base, type: content.kind, [content.kind]: media };
  }
  const components =
    content.parameters.length > 0
      ? [
          {
            type: "body",
            parameters: content.parameters.map((text) => ({ type: "text", text })),
          },
        ]
      : [];
  return {
    ...base,
    type: "template",
    template: { name: content.name, language: { code: content.language }, components },
  };
}

export async function graphSendMessage(
  graphUrl: string,
  accessToken: string,
  phoneNumberId: string,
  to: string,
  content: OutgoingContent,
): Promise<GraphSendResult> {
  let response: Response;
  try {
    response = await fetch(`${graphUrl}/${encodeURIComponent(phoneNumberId)}/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
      body: JSON.stringify(sendBody(to, content)),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    return {
      ok: false,
      retryable: true,
      error: { code: null, title: "Meta could not be reached", message: String(error) },
    };
  }
  const json: unknown = await response.json().catch(() => null);
  if (response.ok) {
    const sent = sentSchema.safeParse(json);
    if (sent.success) return { ok: true, wamid: sent.data.messages[0]?.id ?? "" };
    return {
      ok: false,
      retryable: true,
      error: { code: null, title: "Meta answered without a message id", message: null },
    };
  }
  return graphFailure(response, json);
}

export type GraphUploadResult =
  | { ok: true; mediaId: string }
  | { ok: false; retryable: boolean; error: ProviderError };

/** Uploads a file for a media message from the phone number; Meta keeps it 30 days. */
export async function graphUploadMedia(
  graphUrl: string,
  accessToken: string,
  phoneNumberId: string,
  file: { bytes: ArrayBuffer; mimeType: string; filename: string },
): Promise<GraphUploadResult> {
  const form = new FormData();
  form.set("messaging_product", "whatsapp");
  form.set("type", file.mimeType);
  form.set("file", new File([file.bytes], file.filename, { type: file.mimeType }));
  let response: Response;
  try {
    response = await fetch(`${graphUrl}/${encodeURIComponent(phoneNumberId)}/media`, {
      method: "POST",
      headers: { authorization: `Bearer ${accessToken}` },
      body: form,
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    return {
      ok: false,
      retryable: true,
      error: { code: null, title: "Meta could not be reached", message: String(error) },
    };
  }
  const json: unknown = await response.json().catch(() => null);
  if (response.ok) {
    const uploaded = uploadedSchema.safeParse(json);
    if (uploaded.success) return { ok: true, mediaId: uploaded.data.id };
    return {
      ok: false,
      retryable: true,
      error: { code: null, title: "Meta answered without a media id", message: null },
    };
  }
  return graphFailure(response, json);
}

/** Meta's error answer: its code and words, and whether another attempt later may work. */
function graphFailure(
  response: Response,
  json: unknown,
): { ok: false; retryable: boolean; error: ProviderError } {
  const parsed = graphErrorSchema.safeParse(json);
  const code = parsed.success ? (parsed.data.error.code ?? null) : null;
  return {
    ok: false,
    retryable: response.status >= 500 || (code !== null && RETRYABLE_CODES.has(code)),
    error: {
      code,
      title: parsed.success
        ? (parsed.data.error.message ?? `Meta answered ${response.status}`)
        : `Meta answered ${response.status}`,
      message: parsed.success ? (parsed.data.error.error_data?.details ?? null) : null,
    },
  };
}
