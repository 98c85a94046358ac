import { bodyParameterCount, type MessageTemplate } from "./whatsapp-fixtures";
import { type GraphErrorBody, graphError, type PricingCategory } from "./whatsapp-payloads";

/*
 * The checks Meta's `POST /{phone-number-id}/messages` makes on a request body before it
 * accepts a message (Cloud API "Messages" reference): `messaging_product: "whatsapp"`, a `to`,
 * a `type` it sends (text by default) with that type's object, the documented limits (text
 * 4096 characters, captions 1024, at most 3 reply buttons of 20 characters, 10 list rows…),
 * and for templates an approved template of that name and language with as many body
 * parameters as it takes. Bad bodies answer code 100 "Invalid parameter"; templates 132001
 * (not found) or 132000 (parameter count), as Meta's error-code reference lists them.
 * Also recognises the "mark as read" request (`status: "read"`, `message_id`).
 */

export const SEND_TYPES = [
  "text",
  "template",
  "image",
  "audio",
  "video",
  "document",
  "sticker",
  "location",
  "contacts",
  "interactive",
  "reaction",
] as const;
export type SendType = (typeof SEND_TYPES)[number];

const INTERACTIVE_TYPES = [
  "button",
  "list",
  "cta_url",
  "flow",
  "location_request_message",
  "product",
  "product_list",
];

export type SendCheck =
  | {
      ok: true;
      kind: "message";
      to: string;
      waId: string;
      type: SendType;
      /** How Meta prices the message: the template's category, else "service". */
      category: PricingCategory;
      bizOpaqueCallbackData?: string;
    }
  | { ok: true; kind: "read"; messageId: string }
  | { ok: false; status: number; body: GraphErrorBody };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === "string" && value.length > 0;

class Invalid extends Error {
  constructor(
    readonly code: number,
    readonly details: string,
  ) {
    super(details);
  }
}

function ensure(condition: unknown, details: string): asserts condition {
  if (!condition) throw new Invalid(100, details);
}

function maxLength(value: unknown, limit: number, name: string) {
  if (typeof value === "string") {
    ensure(value.length <= limit, `Param ${name} must be at most ${limit} characters long.`);
  }
}

function checkText(text: unknown) {
  ensure(isObject(text), "The parameter text is required.");
  ensure(isText(text.body), "The parameter text['body'] is required.");
  maxLength(text.body, 4096, "text['body']");
}

function checkMedia(type: string, media: unknown) {
  ensure(isObject(media), `The parameter ${type} is required.`);
  ensure(isText(media.id) || isText(media.link), `Param ${type} must have either id or link.`);
  if (media.caption !== undefined) {
    ensure(
      type === "image" || type === "video" || type === "document",
      `Param ${type}['caption'] is not supported for ${type} messages.`,
    );
    maxLength(media.caption, 1024, `${type}['caption']`);
  }
}

const isCoordinate = (value: unknown) =>
  (typeof value === "number" || (typeof value === "string" && value.trim() !== "")) &&
  Number.isFinite(Number(value));

function checkLocation(location: unknown) {
  ensure(isObject(location), "The parameter location is required.");
  ensure(isCoordinate(location.latitude), "The parameter location['latitude'] is required.");
  ensure(isCoordinate(location.longitude), "The parameter location['longitude'] is required.");
}

function checkContacts(contacts: unknown) {
  ensure(Array.isArray(contacts) && contacts.length > 0, "The parameter contacts is required.");
  for (const contact of contacts) {
    ensure(
      isObject(contact) && isObject(contact.name) && isText(contact.name.formatted_name),
      "The parameter contacts[0]['name']['formatted_name'] is required.",
    );
  }
}

function checkInteractive(interactive: unknown) {
  ensure(isObject(interactive), "The parameter interactive is required.");
  ensure(
    INTERACTIVE_TYPES.includes(String(interactive.type)),
    `Param interactive['type'] must be one of {${INTERACTIVE_TYPES.join(", ")}}.`,
  );
  const { action, body } = interactive;
  if (interactive.type !== "product") {
    ensure(isObject(body) && isText(body.text), "The parameter interactive['body'] is required.");
    maxLength(body.text, 1024, "interactive['body']['text']");
  }
  ensure(isObject(action), "The parameter interactive['action'] is required.");
  if (interactive.type === "button") {
    const buttons = action.buttons;
    ensure(
      Array.isArray(buttons) && buttons.length >= 1 && buttons.length <= 3,
      "Param interactive['action']['buttons'] must have between 1 and 3 buttons.",
    );
    for (const button of buttons) {
      const reply = isObject(button) ? button.reply : undefined;
      ensure(
        isObject(button) && button.type === "reply" && isObject(reply),
        "Param interactive['action']['buttons'][]['type'] must be reply.",
      );
      ensure(
        isText(reply.id),
        "The parameter interactive['action']['buttons'][]['reply']['id'] is required.",
      );
      ensure(
        isText(reply.title),
        "The parameter interactive['action']['buttons'][]['reply']['title'] is required.",
      );
      maxLength(reply.title, 20, "interactive['action']['buttons'][]['reply']['title']");
    }
  }
  if (interactive.type === "list") {
    ensure(isText(action.button), "The parameter interactive['action']['button'] is required.");
    maxLength(action.button, 20, "interactive['action']['button']");
    const sections = action.sections;
    ensure(
      Array.isArray(sections) && sections.length >= 1 && sections.length <= 10,
      "Param interactive['action']['sections'] must have between 1 and 10 sections.",
    );
    const rows = sections.flatMap((section) =>
      isObject(section) && Array.isArray(section.rows) ? section.rows : [],
    );
    ensure(
      rows.length >= 1 && rows.length <= 10,
      "Param interactive['action']['sections'] must have between 1 and 10 rows in total.",
    );
    for (const row of rows) {
      ensure(
        isObject(row) && isText(row.id) && isText(row.title),
        "The parameters interactive['action']['sections'][]['rows'][]['id'] and ['title'] are required.",
      );
      maxLength(row.title, 24, "interactive['action']['sections'][]['rows'][]['title']");
      maxLength(
        row.description,
        72,
        "interactive['action']['sections'][]['rows'][]['description']",
      );
    }
  }
}

function checkReaction(reaction: unknown) {
  ensure(isObject(reaction), "The parameter reaction is required.");
  ensure(isText(reaction.message_id), "The parameter reaction['message_id'] is required.");
  ensure(typeof reaction.emoji === "string", "The parameter reaction['emoji'] is required.");
}

/** Returns the pricing category of the approved template the body names. */
function checkTemplate(template: unknown, templates: readonly MessageTemplate[]): PricingCategory {
  ensure(isObject(template), "The parameter template is required.");
  ensure(isText(template.name), "The parameter template['name'] is required.");
  const language = template.language;
  ensure(
    isObject(language) && isText(language.code),
    "The parameter template['language']['code'] is required.",
  );
  const found = templates.find(
    (candidate) =>
      candidate.name === template.name &&
      candidate.language === language.code &&
      candidate.status === "APPROVED",
  );
  if (!found) {
    throw new Invalid(
      132001,
      `template name (${template.name}) does not exist in ${language.code}`,
    );
  }
  const components = Array.isArray(template.components) ? template.components : [];
  const body = components.find(
    (component) => isObject(component) && String(component.type).toLowerCase() === "body",
  );
  const given = isObject(body) && Array.isArray(body.parameters) ? body.parameters.length : 0;
  const expected = bodyParameterCount(found);
  if (given !== expected) {
    throw new Invalid(
      132000,
      `body: number of localizable_params (${given}) does not match the expected number of params (${expected})`,
    );
  }
  return found.category.toLowerCase() as PricingCategory;
}

/**
 * Checks a send request body as Meta would; `templates` are the approved and other templates
 * of the sending number's WhatsApp Business Account.
 */
export function checkSendBody(body: unknown, templates: readonly MessageTemplate[]): SendCheck {
  try {
    ensure(isObject(body), "The request body must be a JSON object.");
    ensure(
      body.messaging_product === "whatsapp",
      "The parameter messaging_product is required and must be whatsapp.",
    );
    if (body.status === "read") {
      ensure(isText(body.message_id), "The parameter message_id is required.");
      return { ok: true, kind: "read", messageId: body.message_id };
    }
    ensure(isText(body.to), "The parameter to is required.");
    const waId = body.to.replace(/\D/g, "");
    ensure(waId.length >= 6 && waId.length <= 15, "Param to must be a valid phone number.");
    const type = body.type ?? "text";
    ensure(
      SEND_TYPES.includes(type as SendType),
      `Param type must be one of {${SEND_TYPES.join(", ")}}.`,
    );
    if (body.context !== undefined) {
      ensure(
        isObject(body.context) && isText(body.context.message_id),
        "The parameter context['message_id'] is required.",
      );
    }
    if (body.biz_opaque_callback_data !== undefined) {
      ensure(
        typeof body.biz_opaque_callback_data === "string",
        "Param biz_opaque_callback_data must be a string.",
      );
      maxLength(body.biz_opaque_callback_data, 512, "biz_opaque_callback_data");
    }
    let category: PricingCategory = "service";
    const content = body[type as string];
    switch (type as SendType) {
      case "text":
        checkText(content);
        break;
      case "template":
        category = checkTemplate(content, templates);
        break;
      case "image":
      case "audio":
      case "video":
      case "document":
      case "sticker":
        checkMedia(type as string, content);
        break;
      case "location":
        checkLocation(content);
        break;
      case "contacts":
        checkContacts(content);
        break;
      case "interactive":
        checkInteractive(content);
        break;
      case "reaction":
        checkReaction(content);
        break;
    }
    return {
      ok: true,
      kind: "message",
      to: body.to,
      waId,
      type: type as SendType,
      category,
      ...(typeof body.biz_opaque_callback_data === "string"
        ? { bizOpaqueCallbackData: body.biz_opaque_callback_data }
        : {}),
    };
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    const { status, body: errorBody } = graphError(error.code, { details: error.details });
    return { ok: false, status, body: errorBody };
  }
}
