import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import type { ConversationView } from "../../../worker/conversations/conversation-view";
import { LocalTime } from "../../components/local-time";
import { Avatar, Badge, cx, focusRing } from "../../components/ui";
import { STATUS_LABELS as CALL_STATUS_LABELS, formatDuration } from "../../lib/call-format";
import { formatMoney } from "../../lib/record-format";
import type { ContactPanelData } from "./inbox.server";
import { CHANNEL_LABELS, conversationTitle, STATUS_LABELS } from "./inbox-format";
import { BackIcon } from "./inbox-icons";

/*
 * Who the customer is: the contact (a link to their page), how to reach them, their other
 * conversations, their deals and their latest calls.
 */

function Block({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="border-b border-slate-200 px-4 py-3 last:border-b-0">
      <h3 className="text-xs font-medium text-slate-500">{title}</h3>
      <div className="mt-1.5">{children}</div>
    </section>
  );
}

const rowLink = cx("block rounded-md px-2 py-1.5 -mx-2 text-sm hover:bg-slate-50", focusRing);

export function ContactPanel({
  conversation,
  panel,
  conversationHref,
  onClose,
  className,
}: {
  conversation: ConversationView;
  panel: ContactPanelData | null;
  conversationHref: (id: string) => string;
  onClose: () => void;
  className?: string;
}) {
  const contact = panel?.contact ?? null;
  const title = contact?.name ?? conversationTitle(conversation);
  return (
    <aside
      aria-label="Contact"
      className={cx("min-h-0 flex-col overflow-y-auto bg-white", className)}
      data-testid="contact-panel"
    >
      <div className="flex items-center gap-2 border-b border-slate-200 px-4 py-3 xl:hidden">
        <button
          type="button"
          onClick={onClose}
          className={cx(
            "-ml-1 inline-flex items-center gap-1 rounded-md p-1 text-sm font-medium text-slate-700 hover:bg-slate-100",
            focusRing,
          )}
        >
          <BackIcon className="size-4" />
          Back to the conversation
        </button>
      </div>
      <Block title="Contact">
        <div className="flex items-center gap-2.5">
          <Avatar name={title} />
          <div className="min-w-0">
            {conversation.contact && contact ? (
              <Link
                to={`/app/contacts/${conversation.contact.id}`}
                className={cx(
                  "block truncate rounded-sm text-sm font-semibold text-indigo-700 hover:underline",
                  focusRing,
                )}
              >
                {title}
              </Link>
            ) : (
              <p className="truncate text-sm font-semibold text-slate-900">{title}</p>
            )}
            {contact?.title || contact?.company ? (
              <p className="truncate text-xs text-slate-600">
                {[contact.title, contact.company?.name].filter(Boolean).join(" at ")}
              </p>
            ) : null}
          </div>
        </div>
        <dl className="mt-3 space-y-1.5 text-sm">
          {(contact?.phones.length ? contact.phones : [conversation.contact?.phone]).map((phone) =>
            phone ? (
              <div key={phone} className="flex gap-2">
                <dt className="w-14 shrink-0 text-xs leading-5 text-slate-500">Phone</dt>
                <dd className="min-w-0 break-words tabular-nums">
                  <a href={`tel:${phone}`} className="text-slate-900 hover:underline">
                    {phone}
                  </a>
                </dd>
              </div>
            ) : null,
          )}
          {contact?.emails.map((email) => (
            <div key={email} className="flex gap-2">
              <dt className="w-14 shrink-0 text-xs leading-5 text-slate-500">E-mail</dt>
              <dd className="min-w-0 break-all">
                <a href={`mailto:${email}`} className="text-slate-900 hover:underline">
                  {email}
                </a>
              </dd>
            </div>
          ))}
          <div className="flex gap-2">
            <dt className="w-14 shrink-0 text-xs leading-5 text-slate-500">
              {CHANNEL_LABELS[conversation.channel.type]}
            </dt>
            <dd className="min-w-0 break-all text-slate-700">{conversation.externalId}</dd>
          </div>
        </dl>
        {!conversation.contact ? (
          <p className="mt-2 text-xs text-slate-600">Not linked to a contact yet.</p>
        ) : !contact ? (
          <p className="mt-2 text-xs text-slate-600">The contact was deleted.</p>
        ) : null}
      </Block>
      {panel ? (
        <>
          <Block title="Other conversations">
            {panel.conversations.length === 0 ? (
              <p className="text-sm text-slate-600">None.</p>
            ) : (
              <ul data-testid="other-conversations">
                {panel.conversations.map((other) => (
                  <li key={other.id}>
                    <Link to={conversationHref(other.id)} className={rowLink}>
                      <span className="flex items-center justify-between gap-2 text-xs text-slate-600">
                        <span>
                          {CHANNEL_LABELS[other.channel.type]} · {STATUS_LABELS[other.status]}
                          {other.mergedIntoId ? " · merged" : ""}
                        </span>
                        <LocalDate iso={other.lastMessageAt} />
                      </span>
                      <span className="block truncate text-slate-900">
                        {other.lastMessagePreview ?? "No messages"}
                      </span>
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </Block>
          <Block title="Deals">
            {panel.deals.length === 0 ? (
              <p className="text-sm text-slate-600">None.</p>
            ) : (
              <ul>
                {panel.deals.map((deal) => (
                  <li key={deal.id}>
                    <Link to={`/app/deals/${deal.id}`} className={rowLink}>
                      <span className="flex items-center justify-between gap-2">
                        <span className="min-w-0 truncate text-slate-900">{deal.title}</span>
                        <span className="shrink-0 text-xs text-slate-600 tabular-nums">
                          {formatMoney(deal.amount, deal.currency)}
                        </span>
                      </span>
                      {deal.closedAt ? <Badge>Closed</Badge> : null}
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </Block>
          <Block title="Recent calls">
            {panel.calls.length === 0 ? (
              <p className="text-sm text-slate-600">None.</p>
            ) : (
              <ul>
                {panel.calls.map((call) => (
                  <li key={call.id}>
                    <Link to={`/app/calls/${call.id}`} className={rowLink}>
                      <span className="flex items-center justify-between gap-2 text-slate-900">
                        <span>
                          {call.direction === "inbound" ? "Incoming" : "Outgoing"} ·{" "}
                          {CALL_STATUS_LABELS[call.status]}
                        </span>
                        <span className="text-xs text-slate-600 tabular-nums">
                          {formatDuration(call.durationSeconds)}
                        </span>
                      </span>
                      <span className="block text-xs text-slate-600">
                        <LocalTime iso={call.startedAt} />
                        {call.agent ? ` · ${call.agent}` : ""}
                      </span>
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </Block>
        </>
      ) : null}
    </aside>
  );
}

function LocalDate({ iso }: { iso: string }) {
  return <time dateTime={iso}>{iso.slice(0, 10)}</time>;
}
