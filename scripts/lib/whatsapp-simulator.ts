import type { FakeIncomingMessage, FakeMeta } from "./fake-meta";
import type { ContactCard } from "./whatsapp-payloads";

/*
 * Customers writing in on WhatsApp, for demos and load: every `intervalMs` (± half, at
 * random) one of a small cast messages a number on the fake Meta (scripts/lib/fake-meta.ts),
 * which signs Meta's messages webhook and posts it to the app. Each customer follows a short
 * script of their own (an order running late, a price question, an appointment…) one step per
 * turn: mostly text, sometimes a photo with a caption, a document, a location, a contact card,
 * a voice note, a tap on a reply button or list row, or a reaction to the business's last
 * message. Taps answer the business's last interactive message or template to that customer
 * (or are typed out when it sent none); reactions point at its last message.
 */

type Step =
  | { kind: "text"; body: string }
  | { kind: "image"; caption: string }
  | { kind: "document"; filename: string; caption?: string }
  | { kind: "voice" }
  | { kind: "sticker" }
  | { kind: "location"; latitude: number; longitude: number; name?: string; address?: string }
  | { kind: "contact"; card: ContactCard }
  /** A reply button or a list row the business offered (interactive message). */
  | { kind: "button"; id: string; title: string }
  | { kind: "list"; id: string; title: string; description?: string }
  /** A template's quick-reply button. */
  | { kind: "quickReply"; text: string }
  /** Reacts to the business's last message; says `otherwise` if it has sent none. */
  | { kind: "reaction"; emoji: string; otherwise: string };

export interface DemoCustomer {
  name: string;
  /** E.164; the wa_id is its digits. */
  phone: string;
  script: readonly Step[];
}

export const WHATSAPP_DEMO_CUSTOMERS: readonly DemoCustomer[] = [
  {
    name: "Olivia Bennett",
    phone: "+447700900123",
    script: [
      {
        kind: "text",
        body: "Hi! I ordered a desk lamp last Monday, order #48213. Any idea when it'll arrive?",
      },
      { kind: "text", body: "The tracking page hasn't updated since Thursday." },
      { kind: "quickReply", text: "Track my order" },
      {
        kind: "text",
        body: "Great, thanks for checking. Could the courier leave it with a neighbour if I'm out?",
      },
      { kind: "reaction", emoji: "👍", otherwise: "Perfect, thank you!" },
    ],
  },
  {
    name: "Carlos Mendoza",
    phone: "+5215512345678",
    script: [
      {
        kind: "text",
        body: "Hola, buenas tardes. ¿Cuánto cuesta el plan Pro para un equipo de 5 personas?",
      },
      { kind: "text", body: "¿El precio incluye IVA? Necesitamos factura." },
      { kind: "list", id: "plan_pro_annual", title: "Pro anual", description: "2 meses gratis" },
      { kind: "text", body: "Perfecto. ¿Puedo pagar con transferencia bancaria?" },
      { kind: "reaction", emoji: "🙏", otherwise: "¡Muchas gracias!" },
    ],
  },
  {
    name: "Aisha Bello",
    phone: "+2348031234567",
    script: [
      {
        kind: "text",
        body: "Good morning. I'd like to book a consultation for Thursday, any time after 2pm.",
      },
      { kind: "button", id: "slot_thu_1500", title: "Thu 15:00" },
      { kind: "text", body: "Perfect. Do I need to bring anything with me?" },
      { kind: "text", body: "And is it the office on Adeola Odeku Street? Just to be sure 😊" },
      {
        kind: "location",
        latitude: 6.4281,
        longitude: 3.4219,
        name: "Victoria Island",
        address: "Adeola Odeku St, Victoria Island, Lagos",
      },
      { kind: "quickReply", text: "Confirm" },
    ],
  },
  {
    name: "Lukas Schneider",
    phone: "+4915112345678",
    script: [
      { kind: "text", body: "Hallo, my order arrived today but the box was completely crushed." },
      { kind: "image", caption: "The box arrived like this" },
      { kind: "image", caption: "And the lamp base is cracked" },
      { kind: "text", body: "Can you send a replacement, or should I ask for a refund?" },
      { kind: "reaction", emoji: "🙏", otherwise: "Danke!" },
    ],
  },
  {
    name: "Priya Nair",
    phone: "+919876543210",
    script: [
      {
        kind: "text",
        body: "Hi, could you send me the invoice for March? I need it for reimbursement.",
      },
      {
        kind: "text",
        body: "The billing name should be Nair Design Studio, GSTIN 29ABCDE1234F1Z5.",
      },
      {
        kind: "document",
        filename: "purchase-order-0417.pdf",
        caption: "Here's our PO for reference",
      },
      { kind: "text", body: "Got it, thank you so much!" },
    ],
  },
  {
    name: "Emily Carter",
    phone: "+12025550143",
    script: [
      { kind: "text", body: "Hey there, do you offer discounts for nonprofits?" },
      { kind: "text", body: "We're a small animal shelter, about 12 staff and volunteers." },
      { kind: "button", id: "book_demo", title: "Book a demo" },
      { kind: "text", body: "Our director handles purchasing, here's her contact:" },
      {
        kind: "contact",
        card: {
          name: { formatted_name: "Dana Whitfield", first_name: "Dana", last_name: "Whitfield" },
          org: { company: "Riverside Animal Shelter", title: "Director" },
          phones: [{ phone: "+1 202-555-0178", wa_id: "12025550178", type: "WORK" }],
          emails: [{ email: "dana@riverside-shelter.example", type: "WORK" }],
        },
      },
      { kind: "text", body: "Thanks! Dana will reach out this week." },
    ],
  },
  {
    name: "Mateus Oliveira",
    phone: "+5511987654321",
    script: [
      { kind: "text", body: "Oi! Preciso mudar o endereço de entrega do meu pedido 51877." },
      {
        kind: "location",
        latitude: -23.5614,
        longitude: -46.6559,
        name: "Novo endereço",
        address: "Av. Paulista, 1578 - Bela Vista, São Paulo - SP",
      },
      { kind: "text", body: "É um prédio comercial, pode deixar na portaria." },
      { kind: "voice" },
      { kind: "reaction", emoji: "❤️", otherwise: "Valeu!" },
    ],
  },
  {
    name: "Sophie Martin",
    phone: "+33612345678",
    script: [
      { kind: "text", body: "Bonjour, je dois décaler mon rendez-vous de vendredi." },
      { kind: "text", body: "Lundi matin, ce serait possible ?" },
      { kind: "list", id: "slot_mon_0930", title: "Lun. 09:30", description: "Avec Dr Laurent" },
      { kind: "text", body: "Merci beaucoup, bonne journée !" },
      { kind: "sticker" },
    ],
  },
];

export interface WhatsAppSimulatorOptions {
  fakeMeta: FakeMeta;
  phoneNumberId: string;
  /** Mean time between customers' messages. */
  intervalMs: number;
  log?: (line: string) => void;
  /** Defaults to Math.random (pass a seeded one for repeatable runs). */
  random?: () => number;
}

const digits = (phone: string) => phone.replace(/\D/g, "");

/** What the business last sent the customer: any message, and the last one with buttons. */
interface FromBusiness {
  last?: string;
  /** Its last interactive message (reply buttons, list). */
  interactive?: string;
  /** Its last template (quick-reply buttons). */
  template?: string;
}

/**
 * The message a step sends. Taps answer the business's last interactive message or template
 * (in its context); without one the customer types the choice instead, and a reaction with
 * nothing to react to becomes its `otherwise` text.
 */
function messageFor(step: Step, business: FromBusiness): FakeIncomingMessage {
  const typed = (body: string): FakeIncomingMessage => ({ type: "text", text: { body } });
  switch (step.kind) {
    case "text":
      return typed(step.body);
    case "image":
      return { type: "image", image: { caption: step.caption } };
    case "document":
      return {
        type: "document",
        document: { filename: step.filename, ...(step.caption ? { caption: step.caption } : {}) },
      };
    case "voice":
      return { type: "audio", audio: { voice: true } };
    case "sticker":
      return { type: "sticker", sticker: {} };
    case "location": {
      const { kind: _kind, ...location } = step;
      return { type: "location", location };
    }
    case "contact":
      return { type: "contacts", contacts: [step.card] };
    case "button":
      if (!business.interactive) return typed(step.title);
      return {
        type: "interactive",
        interactive: { type: "button_reply", button_reply: { id: step.id, title: step.title } },
        context: { id: business.interactive },
      };
    case "list":
      if (!business.interactive) return typed(step.title);
      return {
        type: "interactive",
        interactive: {
          type: "list_reply",
          list_reply: {
            id: step.id,
            title: step.title,
            ...(step.description ? { description: step.description } : {}),
          },
        },
        context: { id: business.interactive },
      };
    case "quickReply":
      if (!business.template) return typed(step.text);
      return {
        type: "button",
        button: { text: step.text, payload: step.text },
        context: { id: business.template },
      };
    case "reaction":
      return business.last
        ? { type: "reaction", reaction: { message_id: business.last, emoji: step.emoji } }
        : typed(step.otherwise);
  }
}

function summary(message: FakeIncomingMessage): string {
  switch (message.type) {
    case "text":
      return message.text.body;
    case "reaction":
      return `reacted ${message.reaction.emoji}`;
    case "interactive":
      return `tapped "${
        message.interactive.type === "button_reply"
          ? message.interactive.button_reply.title
          : message.interactive.list_reply.title
      }"`;
    case "button":
      return `tapped "${message.button.text}"`;
    case "image":
      return `photo: ${message.image.caption ?? ""}`;
    case "document":
      return `document: ${message.document.filename ?? ""}`;
    case "location":
      return `location: ${message.location.address ?? message.location.name ?? ""}`;
    case "contacts":
      return `contact: ${message.contacts.map((card) => card.name.formatted_name).join(", ")}`;
    default:
      return `(${message.type})`;
  }
}

export function startWhatsAppSimulator(options: WhatsAppSimulatorOptions): { stop(): void } {
  const { fakeMeta, phoneNumberId, intervalMs } = options;
  const log = options.log ?? (() => {});
  const random = options.random ?? Math.random;
  const progress = WHATSAPP_DEMO_CUSTOMERS.map(() => 0);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  /** Customers mid-conversation write next most often; those done come back least often. */
  function pickCustomer(): number {
    const weights = WHATSAPP_DEMO_CUSTOMERS.map((customer, index) => {
      const step = progress[index] ?? 0;
      if (step >= customer.script.length) return 0.5;
      return step > 0 ? 3 : 1;
    });
    let roll = random() * weights.reduce((sum, weight) => sum + weight, 0);
    for (const [index, weight] of weights.entries()) {
      roll -= weight;
      if (roll < 0) return index;
    }
    return weights.length - 1;
  }

  async function turn() {
    const index = pickCustomer();
    const customer = WHATSAPP_DEMO_CUSTOMERS[index];
    if (!customer) return;
    // A finished conversation starts again: the customer is back a while later.
    const stepIndex = (progress[index] ?? 0) % customer.script.length;
    const step = customer.script[stepIndex];
    progress[index] = stepIndex + 1;
    if (!step) return;
    const toCustomer = fakeMeta
      .sent(phoneNumberId)
      .filter((record) => digits(record.to) === digits(customer.phone));
    const lastOfType = (type: string) =>
      toCustomer.filter((record) => record.body.type === type).at(-1)?.wamid;
    const message = messageFor(step, {
      last: toCustomer.at(-1)?.wamid,
      interactive: lastOfType("interactive"),
      template: lastOfType("template"),
    });
    const { status } = await fakeMeta.deliverIncoming({
      phoneNumberId,
      from: customer.phone,
      name: customer.name,
      message,
    });
    log(`[whatsapp-sim] ${customer.name}: ${summary(message)} (webhook ${status})`);
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(
      () => {
        turn()
          .catch((error: unknown) => log(`[whatsapp-sim] delivery failed: ${String(error)}`))
          .finally(schedule);
      },
      intervalMs * (0.5 + random()),
    );
  }

  schedule();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
