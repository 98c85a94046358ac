import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/cloudflare";
import { Form, Link, useLoaderData, useRevalidator, useSearchParams } from "@remix-run/react";
import { type ReactNode, useEffect, useState } from "react";
import { z } from "zod";
import { deliverLocalEmail } from "../../worker/email/local-delivery";
import { hasLocalMailbox, listLocalMailbox, type MailboxEmail } from "../../worker/email/mailbox";
import { ArrowRightIcon, MailIcon } from "../components/icons";
import { Badge, Button, cx, focusRing, Logo } from "../components/ui";
import { useActionResult } from "../lib/use-action-result";

/*
 * The local mailbox (/dev/mailbox): what the product sent, newest first, for a person working
 * on it locally or in a test environment, as a mail catcher shows it. Anyone who reaches the
 * server may look (there is no sign-in: it is how a newcomer opens the sign-up, invitation or
 * reset link); in production it does not exist. An email's HTML is shown in a sandboxed frame
 * (no scripts, no forms, no same-origin access), and the links of its text version are plain
 * links a person can follow.
 */

export const meta: MetaFunction = () => [{ title: "Local mailbox · Switchboard" }];

const LIMIT = 100;
const REFRESH_SECONDS = 5;

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (!hasLocalMailbox(context.config)) throw new Response("Not found", { status: 404 });
  const id = new URL(request.url).searchParams.get("id");
  const emails = await listLocalMailbox(context.database, LIMIT);
  const selected = id ? (emails.find((email) => email.id === id) ?? null) : null;
  return json({
    // The list carries no bodies: the page refreshes every few seconds.
    emails: emails.map(({ text: _text, html: _html, ...summary }) => summary),
    selected,
    missing: Boolean(id && !selected),
    supportDomain: context.config.INBOUND_EMAIL_DOMAIN,
  });
}

const inboundFormSchema = z.object({
  from: z.string().trim().toLowerCase().email(),
  fromName: z.string().trim().max(120).optional(),
  to: z.string().trim().toLowerCase().email(),
  subject: z.string().trim().min(1).max(250),
  text: z.string().trim().min(1).max(20_000),
});

/** Writes in: a test email into the inbound handler, as Email Routing delivers one. */
export async function action({ request, context }: ActionFunctionArgs) {
  if (!hasLocalMailbox(context.config)) throw new Response("Not found", { status: 404 });
  const parsed = inboundFormSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    return json({
      ok: false as const,
      message: "Fill in a sender address, a support address, a subject and a message.",
    });
  }
  const { rejected } = await deliverLocalEmail(context.env, context.ctx, parsed.data);
  return json(
    rejected
      ? { ok: false as const, message: `Refused: ${rejected}` }
      : { ok: true as const, message: `Delivered to ${parsed.data.to}. See it under Tickets.` },
  );
}

type Summary = Omit<MailboxEmail, "text" | "html">;

const statusTone = { sent: "success", pending: "warning", failed: "danger" } as const;

/** An instant: UTC on the server, then the reader's own time zone (with seconds) once hydrated. */
function SentAt({ iso }: { iso: string }) {
  const [text, setText] = useState(() => `${iso.slice(0, 19).replace("T", " ")} UTC`);
  useEffect(() => {
    setText(
      new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" }).format(
        new Date(iso),
      ),
    );
  }, [iso]);
  return <time dateTime={iso}>{text}</time>;
}

/** Reloads the list every few seconds while the tab is in view. */
function useAutoRefresh() {
  const revalidator = useRevalidator();
  useEffect(() => {
    const timer = window.setInterval(() => {
      if (document.visibilityState === "visible" && revalidator.state === "idle") {
        revalidator.revalidate();
      }
    }, REFRESH_SECONDS * 1000);
    return () => window.clearInterval(timer);
  }, [revalidator]);
}

export default function LocalMailbox() {
  const { emails, selected, missing, supportDomain } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const id = searchParams.get("id");
  useAutoRefresh();
  const open = Boolean(id);

  return (
    <div className="flex min-h-full flex-col bg-slate-50 lg:h-dvh">
      <header className="border-b border-slate-200 bg-white">
        <div className="flex items-center justify-between gap-3 px-4 py-3 sm:px-6">
          <div className="flex min-w-0 items-center gap-2.5">
            <Logo className="size-6" />
            <div className="min-w-0">
              <h1 className="text-base font-semibold text-slate-900">Local mailbox</h1>
              <p className="text-xs text-slate-600">
                Emails sent in this environment, newest first. Not available in production.
              </p>
            </div>
          </div>
          <Form method="get" className="flex shrink-0 items-center gap-3">
            {id ? <input type="hidden" name="id" value={id} /> : null}
            <span className="hidden text-xs text-slate-500 sm:inline">
              Updates every {REFRESH_SECONDS} seconds
            </span>
            <Button variant="secondary" size="sm">
              Refresh
            </Button>
          </Form>
        </div>
      </header>
      <div className="flex min-h-0 flex-1">
        <nav
          aria-label="Emails"
          className={cx(
            "w-full shrink-0 overflow-y-auto border-slate-200 bg-white lg:flex lg:w-[26rem] lg:flex-col lg:border-r",
            open ? "hidden" : "block",
          )}
        >
          <WriteIn supportDomain={supportDomain} />
          <EmailList emails={emails} selectedId={id} />
        </nav>
        <main className={cx("min-w-0 flex-1 overflow-y-auto", open ? "block" : "hidden lg:block")}>
          {selected ? (
            <EmailView email={selected} />
          ) : (
            <Placeholder>
              {missing
                ? `This email is not among the ${LIMIT} newest.`
                : "Select an email to read it."}
            </Placeholder>
          )}
        </main>
      </div>
    </div>
  );
}

/** A customer's email into a support mailbox (opens or continues a ticket). */
function WriteIn({ supportDomain }: { supportDomain: string }) {
  const result = useActionResult<typeof action>();
  const field =
    "mt-1 block w-full rounded-md border border-slate-300 px-2.5 py-1.5 text-sm text-slate-900";
  return (
    <details className="border-b border-slate-200 px-4 py-3 sm:px-6" open={Boolean(result)}>
      <summary className="cursor-pointer text-sm font-medium text-slate-900">
        Write to a support mailbox
      </summary>
      <Form method="post" className="mt-3 grid gap-2">
        <label className="text-xs font-medium text-slate-700">
          From (address)
          <input
            name="from"
            type="email"
            required
            defaultValue="dana@example.com"
            className={field}
          />
        </label>
        <label className="text-xs font-medium text-slate-700">
          From (name)
          <input name="fromName" defaultValue="Dana Customer" className={field} />
        </label>
        <label className="text-xs font-medium text-slate-700">
          To
          <input
            name="to"
            type="email"
            required
            defaultValue={`demo@${supportDomain}`}
            className={field}
          />
        </label>
        <label className="text-xs font-medium text-slate-700">
          Subject
          <input
            name="subject"
            required
            defaultValue="My order has not arrived"
            className={field}
          />
        </label>
        <label className="text-xs font-medium text-slate-700">
          Message
          <textarea
            name="text"
            required
            rows={3}
            defaultValue={"Hello, I ordered last week and nothing came. Can you check?"}
            className={field}
          />
        </label>
        <div className="flex items-center gap-3">
          <Button size="sm">Send</Button>
          {result ? (
            <p
              role="status"
              className={cx("text-xs", result.ok ? "text-emerald-700" : "text-red-700")}
            >
              {result.message}
            </p>
          ) : null}
        </div>
      </Form>
    </details>
  );
}

function EmailList({ emails, selectedId }: { emails: Summary[]; selectedId: string | null }) {
  if (emails.length === 0) {
    return (
      <div className="px-4 py-10 text-center text-sm text-slate-600 sm:px-6">
        <MailIcon className="mx-auto mb-3 size-6 text-slate-400" />
        <p className="font-medium text-slate-800">No emails yet</p>
        <p className="mt-1">
          Sign up, invite someone or ask for a password reset: what is sent shows up here.
        </p>
      </div>
    );
  }
  return (
    <ul className="divide-y divide-slate-200">
      {emails.map((email) => {
        const current = email.id === selectedId;
        return (
          <li key={email.id}>
            <Link
              to={`?id=${encodeURIComponent(email.id)}`}
              aria-current={current ? "true" : undefined}
              preventScrollReset
              className={cx(
                "block border-l-[3px] px-4 py-3 sm:px-6 lg:pl-[13px]",
                focusRing,
                "focus-visible:-outline-offset-2",
                current ? "border-indigo-600 bg-indigo-50" : "border-transparent hover:bg-slate-50",
              )}
            >
              <span className="flex items-baseline justify-between gap-3">
                <span className="min-w-0 truncate text-sm font-medium text-slate-900">
                  {email.to}
                </span>
                <span className="shrink-0 text-xs text-slate-500">
                  <SentAt iso={email.sentAt ?? email.createdAt} />
                </span>
              </span>
              <span className="mt-0.5 block truncate text-sm text-slate-700">{email.subject}</span>
              <span className="mt-1.5 flex flex-wrap items-center gap-1.5">
                <Badge>{email.template}</Badge>
                <Badge tone={statusTone[email.status]}>{email.status}</Badge>
              </span>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

function Placeholder({ children }: { children: ReactNode }) {
  return (
    <div className="flex h-full min-h-48 items-center justify-center px-6 py-16 text-sm text-slate-600">
      {children}
    </div>
  );
}

/** The email's text with its web addresses as plain links (only http and https ones). */
function LinkedText({ text }: { text: string }) {
  const parts: ReactNode[] = [];
  const pattern = /https?:\/\/[^\s<>"']+/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    // A sentence's closing punctuation is not part of the address.
    const url = match[0].replace(/[.,;:!?)\]]+$/, "");
    const start = match.index;
    parts.push(text.slice(last, start));
    parts.push(
      <a
        key={start}
        href={url}
        className="break-all text-indigo-700 underline underline-offset-2 hover:text-indigo-900"
      >
        {url}
      </a>,
    );
    last = start + url.length;
  }
  parts.push(text.slice(last));
  return <>{parts}</>;
}

/** The email's HTML with `<base target="_blank">` in its head (after any doctype). */
function withBlankTarget(html: string): string {
  const base = '<base target="_blank">';
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (head) return html.replace(head[0], (tag) => `${tag}${base}`);
  return `${base}${html}`;
}

function EmailView({ email }: { email: MailboxEmail }) {
  // Links inside the frame cannot open anything (the sandbox allows nothing); `_blank` keeps a
  // click from loading our own pages into the frame, which they refuse.
  const srcDoc = withBlankTarget(email.html);
  return (
    <article aria-labelledby="email-subject" className="mx-auto max-w-3xl px-4 py-5 sm:px-6">
      <Link
        to="."
        preventScrollReset
        className={cx(
          "mb-4 inline-flex items-center gap-1 rounded-sm text-sm font-medium text-indigo-700 hover:underline lg:hidden",
          focusRing,
        )}
      >
        <ArrowRightIcon className="size-4 rotate-180" />
        All emails
      </Link>
      <h2 id="email-subject" className="text-lg font-semibold tracking-tight text-slate-900">
        {email.subject}
      </h2>
      <dl className="mt-3 grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-500">From</dt>
        <dd className="break-words text-slate-800">{email.from}</dd>
        <dt className="text-slate-500">To</dt>
        <dd className="break-words text-slate-800">{email.to}</dd>
        {email.replyTo ? (
          <>
            <dt className="text-slate-500">Reply to</dt>
            <dd className="break-words text-slate-800">{email.replyTo}</dd>
          </>
        ) : null}
        <dt className="text-slate-500">Sent</dt>
        <dd className="text-slate-800">
          {email.sentAt ? <SentAt iso={email.sentAt} /> : "Not yet"}{" "}
          <span className="ml-1 inline-flex gap-1.5 align-middle">
            <Badge>{email.template}</Badge>
            <Badge tone={statusTone[email.status]}>{email.status}</Badge>
          </span>
        </dd>
      </dl>

      <section aria-labelledby="email-text" className="mt-6">
        <h3 id="email-text" className="text-xs font-medium tracking-wide text-slate-500 uppercase">
          Text
        </h3>
        <div className="mt-2 rounded-lg bg-white p-4 text-sm leading-6 whitespace-pre-wrap break-words text-slate-800 ring-1 ring-slate-200">
          <LinkedText text={email.text} />
        </div>
      </section>

      <section aria-labelledby="email-html" className="mt-6">
        <h3 id="email-html" className="text-xs font-medium tracking-wide text-slate-500 uppercase">
          HTML
        </h3>
        <iframe
          title={`HTML of “${email.subject}”`}
          sandbox=""
          srcDoc={srcDoc}
          className="mt-2 h-[34rem] w-full rounded-lg bg-white ring-1 ring-slate-200"
        />
        <p className="mt-2 text-xs text-slate-500">
          Shown as sent, without scripts. Follow links from the text version above.
        </p>
      </section>
    </article>
  );
}
