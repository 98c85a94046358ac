import { createHash } from "node:crypto";
import { deflateSync } from "node:zlib";
import type { MediaType } from "./whatsapp-payloads";

/*
 * What the fake WhatsApp Cloud API (scripts/lib/fake-meta.ts) serves besides messages:
 * - the message templates of a WhatsApp Business Account, in the shape of Meta's
 *   `GET /{waba-id}/message_templates` (Graph API reference "WhatsApp Business Account
 *   Message Templates": name, parameter_format, components, language, status, category, id);
 * - small generated media files for customers' media messages (a real PNG, PDF and WebP; a
 *   few bytes with the right signature for audio and video), which the media endpoints return.
 */

export type TemplateStatus = "APPROVED" | "PENDING" | "REJECTED" | "PAUSED" | "DISABLED";
export type TemplateCategory = "UTILITY" | "MARKETING" | "AUTHENTICATION";

export interface TemplateComponent {
  type: "HEADER" | "BODY" | "FOOTER" | "BUTTONS";
  format?: "TEXT" | "IMAGE" | "VIDEO" | "DOCUMENT";
  text?: string;
  example?: { body_text?: string[][]; header_text?: string[] };
  buttons?: { type: "QUICK_REPLY" | "URL" | "PHONE_NUMBER"; text: string; url?: string }[];
}

export interface MessageTemplate {
  name: string;
  parameter_format: "POSITIONAL" | "NAMED";
  components: TemplateComponent[];
  language: string;
  status: TemplateStatus;
  category: TemplateCategory;
  id: string;
  rejected_reason?: string;
}

/** Every WhatsApp Business Account the fake knows lists these. */
export const MESSAGE_TEMPLATES: readonly MessageTemplate[] = [
  {
    name: "hello_world",
    parameter_format: "POSITIONAL",
    components: [
      { type: "HEADER", format: "TEXT", text: "Hello World" },
      {
        type: "BODY",
        text: "Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification from the Cloud API, hosted by Meta. Thank you for taking the time to test with us.",
      },
      { type: "FOOTER", text: "WhatsApp Business Platform sample message" },
    ],
    language: "en_US",
    status: "APPROVED",
    category: "UTILITY",
    id: "1192339204654487",
  },
  {
    name: "order_update",
    parameter_format: "POSITIONAL",
    components: [
      {
        type: "BODY",
        text: "Good news! Your order {{1}} is on its way and should arrive within 2-3 working days. Reply here if you have any questions.",
        example: { body_text: [["#48213"]] },
      },
      {
        type: "BUTTONS",
        buttons: [
          { type: "QUICK_REPLY", text: "Track my order" },
          { type: "QUICK_REPLY", text: "Talk to support" },
        ],
      },
    ],
    language: "en",
    status: "APPROVED",
    category: "UTILITY",
    id: "843017526931204",
  },
  {
    name: "appointment_reminder",
    parameter_format: "POSITIONAL",
    components: [
      {
        type: "BODY",
        text: "Hi {{1}}, this is a reminder of your appointment on {{2}}. Please confirm, or let us know if you need another time.",
        example: { body_text: [["Maria", "Tuesday 14 May at 10:30"]] },
      },
      {
        type: "BUTTONS",
        buttons: [
          { type: "QUICK_REPLY", text: "Confirm" },
          { type: "QUICK_REPLY", text: "Reschedule" },
        ],
      },
    ],
    language: "en",
    status: "APPROVED",
    category: "UTILITY",
    id: "1578264019937012",
  },
  {
    name: "appointment_reminder",
    parameter_format: "POSITIONAL",
    components: [
      {
        type: "BODY",
        text: "Hola {{1}}, te recordamos tu cita el {{2}}. Confírmala o dinos si necesitas otro horario.",
        example: { body_text: [["María", "martes 14 de mayo a las 10:30"]] },
      },
      {
        type: "BUTTONS",
        buttons: [
          { type: "QUICK_REPLY", text: "Confirmar" },
          { type: "QUICK_REPLY", text: "Cambiar cita" },
        ],
      },
    ],
    language: "es",
    status: "APPROVED",
    category: "UTILITY",
    id: "1578264019937013",
  },
  {
    name: "spring_sale",
    parameter_format: "POSITIONAL",
    components: [
      {
        type: "BODY",
        text: "Hi {{1}}! Our spring sale starts today: 30% off every plan until Sunday.",
        example: { body_text: [["Sam"]] },
      },
      { type: "FOOTER", text: "Reply STOP to unsubscribe" },
    ],
    language: "en",
    status: "REJECTED",
    category: "MARKETING",
    id: "702915348862110",
    rejected_reason: "PROMOTIONAL",
  },
];

/** How many parameters a template's body takes ({{1}}, {{2}}… counted once each). */
export function bodyParameterCount(template: MessageTemplate): number {
  const body = template.components.find((component) => component.type === "BODY")?.text ?? "";
  return new Set(body.match(/\{\{\s*[\w.]+\s*\}\}/g) ?? []).size;
}

// ---------------------------------------------------------------------------------------------
// Media
// ---------------------------------------------------------------------------------------------

export interface SampleMedia {
  bytes: Buffer;
  mime_type: string;
  sha256: string;
  filename?: string;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid 16×16 PNG filled with one colour (taken from `seed`, so photos differ). */
export function samplePng(seed = "photo"): Buffer {
  const [r = 0, g = 0, b = 0] = createHash("sha256").update(seed).digest();
  const size = 16;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array(size).fill([r, g, b]).flat())]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", deflateSync(Buffer.concat(Array(size).fill(row)))),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A valid one-page PDF showing `text`. */
export function samplePdf(text = "Invoice"): Buffer {
  const safe = text.replace(/[()\\]/g, "");
  const stream = `BT /F1 18 Tf 72 720 Td (${safe}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let pdf = "%PDF-1.4\n";
  const offsets = objects.map((object, index) => {
    const offset = pdf.length;
    pdf += `${index + 1} 0 obj\n${object}\nendobj\n`;
    return offset;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, "0")} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, "latin1");
}

/** A valid 1×1 lossless WebP (WhatsApp stickers are WebP). */
const WEBP_1X1 = "UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==";

/** Files for a customer's media message of `type` (the caption or file name as a seed). */
export function sampleMedia(type: MediaType, seed: string = type): SampleMedia {
  const make = (bytes: Buffer, mime_type: string, filename?: string): SampleMedia => ({
    bytes,
    mime_type,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    ...(filename ? { filename } : {}),
  });
  switch (type) {
    case "image":
      return make(samplePng(seed), "image/png");
    case "document":
      return make(samplePdf(seed), "application/pdf", seed.endsWith(".pdf") ? seed : `${seed}.pdf`);
    case "sticker":
      return make(Buffer.from(WEBP_1X1, "base64"), "image/webp");
    case "audio":
      // An Ogg page header and a few bytes: enough for a client to store and serve.
      return make(
        Buffer.concat([Buffer.from("OggS\0\x02", "latin1"), Buffer.alloc(58, 1)]),
        "audio/ogg; codecs=opus",
      );
    case "video":
      return make(
        Buffer.concat([
          Buffer.from([0, 0, 0, 0x18]),
          Buffer.from("ftypmp42\0\0\0\0isommp42", "latin1"),
          Buffer.alloc(40),
        ]),
        "video/mp4",
      );
  }
}
