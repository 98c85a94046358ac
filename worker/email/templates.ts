import { CSAT_WORDS } from "../../shared/csat";

/*
 * Every email the product writes, in one place: a template is its words per language
 * (`EmailText`) and the data it needs; `renderEmail` makes the subject, a plain-text body and
 * an HTML body with the organization's name on it. Data is escaped into the HTML; links are
 * the only thing a reader clicks and are always built on APP_URL by the caller.
 */

export type EmailLocale = "en" | "es";
export const EMAIL_LOCALES: readonly EmailLocale[] = ["en", "es"];

interface TemplateData {
  verify_email: { name: string; link: string };
  password_reset: { name: string; link: string; minutes: number };
  /** `kept`: the session that changed it stays signed in (a change, not a reset). */
  password_changed: { name: string; kept?: boolean };
  /** To the new address: the link that makes it the account's sign-in address. */
  email_change_confirm: { name: string; link: string; hours: number };
  /** To the current address: a change to `masked` (n***@domain) was asked for. */
  email_change_requested: { name: string; masked: string };
  /** To an address another account already uses: someone tried to move their sign-in to it. */
  email_change_taken: Record<string, never>;
  /** To the old address, once the change is confirmed. */
  email_changed: { name: string; email: string };
  /** Someone tried to sign up with an address that already has an account. */
  account_exists: { name: string; signInLink: string; resetLink: string };
  invitation: { inviterName: string | null; role: string; link: string; days: number };
  /** A public reply on a ticket, to its requester. */
  ticket_reply: { number: number; subject: string; body: string; authorName: string };
  /** The automatic answer to an email that opened a ticket. */
  ticket_received: { number: number; subject: string; name: string };
  /** A solved ticket's satisfaction survey: five links, rating 1 (bad) to 5 (great). */
  csat_survey: { number: number; subject: string; name: string; links: string[]; days: number };
  /** What a person has not read for an hour (their email preference). */
  notification_digest: { name: string; items: { title: string; link: string }[]; link: string };
}

export type EmailTemplate = keyof TemplateData;
export type EmailRequest = {
  [T in EmailTemplate]: { template: T; data: TemplateData[T] };
}[EmailTemplate];

/** A template's words: a subject, paragraphs, and the button (with the link it opens). */
interface EmailText {
  subject: string;
  paragraphs: string[];
  action?: { label: string; link: string };
  /** A row of choices (a survey's ratings), each its own link. */
  choices?: { label: string; link: string }[];
  /** After the button: why the reader got this, what to do if it was not them. */
  footnote: string;
}

type Wording = { [T in EmailTemplate]: (data: TemplateData[T], org: string) => EmailText };

const WORDING: Record<EmailLocale, Wording> = {
  en: {
    verify_email: (d, org) => ({
      subject: `Confirm your email address for ${org}`,
      paragraphs: [
        `Hi ${d.name},`,
        `Welcome to ${org} on Switchboard. Confirm that this address is yours so that we can reach you about your account.`,
      ],
      action: { label: "Confirm my email", link: d.link },
      footnote: "If you did not create this account, you can ignore this email.",
    }),
    password_reset: (d) => ({
      subject: "Reset your Switchboard password",
      paragraphs: [
        `Hi ${d.name},`,
        `Someone asked to reset the password of your account. The link works once, for ${d.minutes} minutes. Setting a new password signs you out everywhere.`,
      ],
      action: { label: "Choose a new password", link: d.link },
      footnote: "If you did not ask for this, ignore this email: your password stays as it is.",
    }),
    password_changed: (d) => ({
      subject: "Your Switchboard password was changed",
      paragraphs: [
        `Hi ${d.name},`,
        d.kept
          ? "The password of your account was just changed, and every other session was signed out."
          : "The password of your account was just changed, and every session was signed out.",
      ],
      footnote:
        "If this was not you, reset your password now and tell your organization's administrator.",
    }),
    account_exists: (d) => ({
      subject: "You already have a Switchboard account",
      paragraphs: [
        `Hi ${d.name},`,
        "Someone, maybe you, tried to create a new Switchboard account with this address. It already has one, so nothing was created.",
        `To get in, sign in with this address. If you forgot your password, choose a new one here: ${d.resetLink}`,
      ],
      action: { label: "Sign in", link: d.signInLink },
      footnote: "If this was not you, you can ignore this email: your account is unchanged.",
    }),
    email_change_confirm: (d) => ({
      subject: "Confirm your new Switchboard sign-in address",
      paragraphs: [
        `Hi ${d.name},`,
        `You asked to sign in to Switchboard with this address from now on. The link works once, for ${d.hours} hours.`,
      ],
      action: { label: "Use this address", link: d.link },
      footnote: "If you did not ask for this, ignore this email: nothing changes.",
    }),
    email_change_requested: (d) => ({
      subject: "Your Switchboard sign-in address is about to change",
      paragraphs: [
        `Hi ${d.name},`,
        `Someone signed in to your account asked to change its sign-in address to ${d.masked}. It changes once the link sent there is opened.`,
      ],
      footnote:
        "If this was not you, reset your password now (Forgot password on the sign-in page): that signs everyone out and cancels the change.",
    }),
    email_change_taken: () => ({
      subject: "Someone tried to use this address on Switchboard",
      paragraphs: [
        "Someone signed in to another Switchboard account asked to change its sign-in address to this one. This address already belongs to your account, so nothing changed.",
      ],
      footnote: "You do not need to do anything. Your account and password stay as they are.",
    }),
    email_changed: (d) => ({
      subject: "Your Switchboard sign-in address was changed",
      paragraphs: [
        `Hi ${d.name},`,
        `Your account now signs in with ${d.email}. This address no longer gets its emails.`,
      ],
      footnote:
        "If this was not you, tell your organization's administrator now: they can deactivate the account.",
    }),
    invitation: (d, org) => ({
      subject: `${d.inviterName ?? "Your team"} invited you to ${org} on Switchboard`,
      paragraphs: [
        `${d.inviterName ?? "Your team"} invited you to join ${org} on Switchboard as ${article(d.role)} ${d.role}.`,
        `The invitation is valid for ${d.days} days.`,
      ],
      action: { label: `Join ${org}`, link: d.link },
      footnote: "If you did not expect this invitation, you can ignore this email.",
    }),
    ticket_reply: (d, org) => ({
      subject: `Re: [#${d.number}] ${d.subject}`,
      paragraphs: [...paragraphsOf(d.body), `${d.authorName}, ${org}`],
      footnote: `Reply to this email to add to request #${d.number}.`,
    }),
    notification_digest: (d, org) => ({
      subject: `${d.items.length} unread notification${d.items.length === 1 ? "" : "s"} in ${org}`,
      paragraphs: [
        `Hi ${d.name}, this is what you have not seen yet:`,
        ...d.items.map((item) => `• ${item.title}\n${item.link}`),
      ],
      action: { label: "Open Switchboard", link: d.link },
      footnote: "Choose what reaches you by email in your notification preferences.",
    }),
    csat_survey: (d, org) => ({
      subject: `How did we do? [#${d.number}] ${d.subject}`,
      paragraphs: [
        `Hi ${d.name},`,
        `${org} solved your request #${d.number}, "${d.subject}". How would you rate the help you got, from 1 (bad) to 5 (great)? Choose a number; you can add a comment on the next page.`,
      ],
      choices: ratingChoices(d.links, [...CSAT_WORDS]),
      footnote: `You can change your answer for ${d.days} days. Reply to this email if you still need help with request #${d.number}.`,
    }),
    ticket_received: (d, org) => ({
      subject: `[#${d.number}] ${d.subject}`,
      paragraphs: [
        `Hi ${d.name},`,
        `${org} received your request and gave it the number #${d.number}. Someone will answer you by email.`,
      ],
      footnote: `Reply to this email to add to request #${d.number}.`,
    }),
  },
  es: {
    verify_email: (d, org) => ({
      subject: `Confirma tu correo para ${org}`,
      paragraphs: [
        `Hola ${d.name}:`,
        `Te damos la bienvenida a ${org} en Switchboard. Confirma que esta dirección es tuya para que podamos escribirte sobre tu cuenta.`,
      ],
      action: { label: "Confirmar mi correo", link: d.link },
      footnote: "Si no creaste esta cuenta, puedes ignorar este correo.",
    }),
    password_reset: (d) => ({
      subject: "Restablece tu contraseña de Switchboard",
      paragraphs: [
        `Hola ${d.name}:`,
        `Alguien pidió restablecer la contraseña de tu cuenta. El enlace sirve una vez, durante ${d.minutes} minutos. Al elegir una nueva contraseña se cierran todas tus sesiones.`,
      ],
      action: { label: "Elegir una nueva contraseña", link: d.link },
      footnote: "Si no lo pediste tú, ignora este correo: tu contraseña no cambia.",
    }),
    password_changed: (d) => ({
      subject: "Tu contraseña de Switchboard ha cambiado",
      paragraphs: [
        `Hola ${d.name}:`,
        d.kept
          ? "La contraseña de tu cuenta acaba de cambiar y se cerraron todas las demás sesiones."
          : "La contraseña de tu cuenta acaba de cambiar y se cerraron todas las sesiones.",
      ],
      footnote:
        "Si no fuiste tú, restablece tu contraseña ahora y avisa al administrador de tu organización.",
    }),
    account_exists: (d) => ({
      subject: "Ya tienes una cuenta de Switchboard",
      paragraphs: [
        `Hola ${d.name}:`,
        "Alguien, quizá tú, intentó crear una cuenta nueva de Switchboard con esta dirección. Ya tiene una, así que no se creó nada.",
        `Para entrar, inicia sesión con esta dirección. Si olvidaste tu contraseña, elige una nueva aquí: ${d.resetLink}`,
      ],
      action: { label: "Iniciar sesión", link: d.signInLink },
      footnote: "Si no fuiste tú, puedes ignorar este correo: tu cuenta no cambia.",
    }),
    email_change_confirm: (d) => ({
      subject: "Confirma tu nueva dirección de acceso a Switchboard",
      paragraphs: [
        `Hola ${d.name}:`,
        `Pediste entrar en Switchboard con esta dirección a partir de ahora. El enlace sirve una vez, durante ${d.hours} horas.`,
      ],
      action: { label: "Usar esta dirección", link: d.link },
      footnote: "Si no lo pediste tú, ignora este correo: nada cambia.",
    }),
    email_change_requested: (d) => ({
      subject: "Tu dirección de acceso a Switchboard va a cambiar",
      paragraphs: [
        `Hola ${d.name}:`,
        `Alguien con sesión en tu cuenta pidió cambiar su dirección de acceso a ${d.masked}. Cambiará cuando se abra el enlace enviado allí.`,
      ],
      footnote:
        "Si no fuiste tú, restablece tu contraseña ahora (¿Olvidaste tu contraseña? en la página de acceso): se cierran todas las sesiones y se cancela el cambio.",
    }),
    email_change_taken: () => ({
      subject: "Alguien intentó usar esta dirección en Switchboard",
      paragraphs: [
        "Alguien con sesión en otra cuenta de Switchboard pidió cambiar su dirección de acceso a esta. Esta dirección ya pertenece a tu cuenta, así que nada cambió.",
      ],
      footnote: "No tienes que hacer nada. Tu cuenta y tu contraseña siguen igual.",
    }),
    email_changed: (d) => ({
      subject: "Tu dirección de acceso a Switchboard cambió",
      paragraphs: [
        `Hola ${d.name}:`,
        `Tu cuenta ahora entra con ${d.email}. Esta dirección ya no recibe sus correos.`,
      ],
      footnote:
        "Si no fuiste tú, avisa ahora al administrador de tu organización: puede desactivar la cuenta.",
    }),
    invitation: (d, org) => ({
      subject: `${d.inviterName ?? "Tu equipo"} te invitó a ${org} en Switchboard`,
      paragraphs: [
        `${d.inviterName ?? "Tu equipo"} te invitó a unirte a ${org} en Switchboard con el rol ${d.role}.`,
        `La invitación es válida durante ${d.days} días.`,
      ],
      action: { label: `Unirme a ${org}`, link: d.link },
      footnote: "Si no esperabas esta invitación, puedes ignorar este correo.",
    }),
    ticket_reply: (d, org) => ({
      subject: `Re: [#${d.number}] ${d.subject}`,
      paragraphs: [...paragraphsOf(d.body), `${d.authorName}, ${org}`],
      footnote: `Responde a este correo para añadir a la solicitud #${d.number}.`,
    }),
    notification_digest: (d, org) => ({
      subject: `${d.items.length} notificaciones sin leer en ${org}`,
      paragraphs: [
        `Hola ${d.name}, esto es lo que aún no has visto:`,
        ...d.items.map((item) => `• ${item.title}\n${item.link}`),
      ],
      action: { label: "Abrir Switchboard", link: d.link },
      footnote: "Elige qué te llega por correo en tus preferencias de notificaciones.",
    }),
    csat_survey: (d, org) => ({
      subject: `¿Qué tal lo hicimos? [#${d.number}] ${d.subject}`,
      paragraphs: [
        `Hola ${d.name}:`,
        `${org} resolvió tu solicitud #${d.number}, "${d.subject}". ¿Cómo valoras la ayuda que recibiste, de 1 (mala) a 5 (excelente)? Elige un número; en la página siguiente puedes añadir un comentario.`,
      ],
      choices: ratingChoices(d.links, ["Mala", "Regular", "Aceptable", "Buena", "Excelente"]),
      footnote: `Puedes cambiar tu respuesta durante ${d.days} días. Responde a este correo si aún necesitas ayuda con la solicitud #${d.number}.`,
    }),
    ticket_received: (d, org) => ({
      subject: `[#${d.number}] ${d.subject}`,
      paragraphs: [
        `Hola ${d.name}:`,
        `${org} recibió tu solicitud con el número #${d.number}. Te responderán por correo.`,
      ],
      footnote: `Responde a este correo para añadir a la solicitud #${d.number}.`,
    }),
  },
};

/** A written reply's paragraphs (blank lines apart; single line breaks kept in the text). */
function paragraphsOf(body: string): string[] {
  return body
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean);
}

/** "5 · Great" ... one link per rating, best first. */
function ratingChoices(links: string[], words: string[]): { label: string; link: string }[] {
  return links
    .map((link, index) => ({ label: `${index + 1} · ${words[index] ?? ""}`, link }))
    .reverse();
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export function renderEmail(
  request: EmailRequest,
  organizationName: string,
  locale: EmailLocale = "en",
): RenderedEmail {
  const wording = WORDING[locale][request.template] as (
    data: EmailRequest["data"],
    org: string,
  ) => EmailText;
  const text = wording(request.data, organizationName);
  return {
    subject: text.subject,
    text: plainText(text, organizationName),
    html: htmlBody(text, organizationName),
  };
}

function plainText(email: EmailText, org: string): string {
  const lines = [...email.paragraphs];
  if (email.action) lines.push(`${email.action.label}: ${email.action.link}`);
  if (email.choices) lines.push(email.choices.map((c) => `${c.label}: ${c.link}`).join("\n"));
  lines.push(email.footnote, `-- \n${org} · sent by Switchboard`);
  return `${lines.join("\n\n")}\n`;
}

function htmlBody(email: EmailText, org: string): string {
  const paragraphs = email.paragraphs
    .map(
      (p) =>
        `<p style="margin:0 0 16px;line-height:1.5">${escapeHtml(p).replace(/\n/g, "<br>")}</p>`,
    )
    .join("");
  const action = email.action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(email.action.link)}" style="background:#4f46e5;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:600;display:inline-block">${escapeHtml(email.action.label)}</a></p><p style="margin:0 0 16px;font-size:13px;color:#6b7280;word-break:break-all">${escapeHtml(email.action.link)}</p>`
    : "";
  const choices = email.choices
    ? `<p style="margin:24px 0">${email.choices
        .map(
          (c) =>
            `<a href="${escapeHtml(c.link)}" style="background:#eef2ff;color:#3730a3;padding:10px 14px;border-radius:6px;text-decoration:none;font-weight:600;display:inline-block;margin:0 8px 8px 0">${escapeHtml(c.label)}</a>`,
        )
        .join("")}</p>`
    : "";
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(email.subject)}</title></head><body style="margin:0;background:#f3f4f6;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#111827"><table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:24px 12px"><table role="presentation" width="100%" style="max-width:560px;background:#ffffff;border-radius:8px" cellpadding="0" cellspacing="0"><tr><td style="padding:20px 28px;border-bottom:1px solid #e5e7eb;font-weight:700;font-size:16px">${escapeHtml(org)}</td></tr><tr><td style="padding:28px">${paragraphs}${action}${choices}<p style="margin:16px 0 0;font-size:13px;color:#6b7280;line-height:1.5">${escapeHtml(email.footnote)}</p></td></tr></table><p style="font-size:12px;color:#9ca3af;margin:16px 0 0">Sent by Switchboard for ${escapeHtml(org)}</p></td></tr></table></body></html>`;
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}
