import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import {
  Form,
  Link,
  useLoaderData,
  useLocation,
  useNavigate,
  useSearchParams,
} from "@remix-run/react";
import { type ReactNode, useEffect, useState } from "react";
import { convertLead } from "../../worker/leads/convert";
import { convertLeadBodySchema, updateLeadBodySchema } from "../../worker/leads/schemas";
import { deleteLead, getLead, restoreLead, updateLead } from "../../worker/leads/service";
import { ApiError } from "../../worker/lib/errors";
import { organizationDefaults } from "../../worker/organization/service";
import { LeadStatus } from "../components/record-badges";
import { errorsFor, InlineField } from "../components/record-fields";
import { RecordPage, RecordPageError } from "../components/record-page";
import { Alert, Button, buttonClass, Modal, SelectField, TextField } from "../components/ui";
import { parseForm } from "../lib/actions.server";
import { failureFor } from "../lib/forms";
import { memberName, ownerOptions } from "../lib/record-fields";
import { currencyDigits, formatDay, moneyInputValue, parseMoney } from "../lib/record-format";
import { postedVersion } from "../lib/record-forms.server";
import { companyChoices, contactChoices } from "../lib/record-options.server";
import type { IntentContext } from "../lib/record-page.server";
import { loadRecordPage, recordPageAction } from "../lib/record-page.server";
import { currencyOptions, leadSpecs } from "../lib/record-specs";
import { useActionResult } from "../lib/use-action-result";
import { useSubmitting } from "../lib/use-pending";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.record.title ?? "Lead"} · Leads · Switchboard` },
];

export const loader = (args: LoaderFunctionArgs) =>
  loadRecordPage(args, { entity: "lead" }, async (scope, id) => {
    const record = await getLead(scope, id);
    return {
      record,
      currency: (await organizationDefaults(scope)).currency,
      contacts: await contactChoices(scope, record.contactId),
      companies: await companyChoices(scope, record.companyId),
    };
  });

/**
 * The convert form's fields as the API's body: new records only when their name is given; a
 * name left blank where the lead had no linked record means none (`null`), not the lead's own.
 */
function conversionBody({ form, id }: IntentContext) {
  const { values } = form;
  const text = (name: string) => values[name]?.trim() || undefined;
  const currency = text("deal.currency") ?? "USD";
  const none = (name: string) => (values[`${name}.unlinked`] === "1" ? null : undefined);
  const amountText = text("deal.amount");
  const amount = amountText === undefined ? undefined : parseMoney(amountText, currency);
  if (amount === null) {
    throw ApiError.validation({ "deal.amount": [`Enter an amount in ${currency}.`] });
  }
  const contactName = text("contact.firstName");
  const companyName = text("company.name");
  return {
    id,
    body: {
      contact: contactName
        ? {
            firstName: contactName,
            lastName: text("contact.lastName"),
            email: text("contact.email"),
            phone: text("contact.phone"),
          }
        : none("contact"),
      company: companyName
        ? { name: companyName, domain: text("company.domain") }
        : none("company"),
      deal: { title: text("deal.title"), amount, currency },
      version: postedVersion(form),
    },
  };
}

export const action = (args: ActionFunctionArgs) =>
  recordPageAction(args, {
    entity: "lead",
    path: "/app/leads",
    one: "lead",
    fields: leadSpecs(),
    update: (scope, id, body) => updateLead(scope, id, parseForm(updateLeadBodySchema, body)),
    remove: deleteLead,
    restore: restoreLead,
    intents: {
      async convert(context) {
        const { id, body } = conversionBody(context);
        const input = parseForm(convertLeadBodySchema, body);
        const result = await convertLead(context.scope, id, input);
        return { redirectTo: `/app/deals/${result.deal.id}` };
      },
    },
  });

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

export default function LeadPage() {
  const data = useLoaderData<typeof loader>();
  const { record } = data;
  const specs = leadSpecs({
    owners: ownerOptions(data.members, data.me),
    contacts: data.contacts,
    companies: data.companies,
  });
  const owner = memberName(data.members, record.ownerId);
  const converted = record.convertedAt !== null;
  return (
    <RecordPage
      entity="lead"
      noun="lead"
      listPath="/app/leads"
      listLabel="Leads"
      data={data}
      title={record.title}
      label={record.title}
      description={
        <span className="inline-flex flex-wrap items-center gap-2">
          <LeadStatus lead={record} />
          {record.source ? <span>{record.source}</span> : null}
          {record.score !== null ? <span>Score {record.score}</span> : null}
          <span>{owner ? `Owner: ${owner}` : "No owner"}</span>
        </span>
      }
      actions={converted || !data.canEdit ? null : <ConvertButton />}
      details={
        <>
          {converted && record.convertedDealId ? (
            <div className="py-3">
              <Alert tone="success" focusOnMount={false}>
                Converted on {formatDay(record.convertedAt)}.{" "}
                <Link to={`/app/deals/${record.convertedDealId}`} className="font-medium underline">
                  Open the deal
                </Link>
              </Alert>
            </div>
          ) : null}
          {specs.map((spec) => (
            <InlineField
              key={spec.name}
              spec={spec}
              record={record}
              readOnly={spec.name === "ownerId" && !data.canReassign && record.ownerId !== null}
              display={referenceLink(spec.name, record, specs)}
            />
          ))}
        </>
      }
      aside={converted || !data.canEdit ? null : <ConvertDialog data={data} />}
    />
  );
}

function referenceLink(name: string, record: Data["record"], specs: ReturnType<typeof leadSpecs>) {
  const id =
    name === "contactId" ? record.contactId : name === "companyId" ? record.companyId : null;
  if (!id) return undefined;
  const label = specs.find((spec) => spec.name === name)?.options?.find((o) => o.value === id);
  const path = name === "contactId" ? "/app/contacts" : "/app/companies";
  return (
    <Link to={`${path}/${id}`} className="font-medium text-indigo-700 hover:text-indigo-600">
      {label?.label ?? "Open"}
    </Link>
  );
}

function ConvertButton() {
  const { pathname } = useLocation();
  return (
    <Link to={`${pathname}?convert=1`} preventScrollReset className={buttonClass("primary", "sm")}>
      Convert to deal
    </Link>
  );
}

/**
 * The contact or company the deal comes with: the linked record (`linkedNote` says which), or
 * a new one made from the fields (`<part>.unlinked` tells the action there is no link).
 */
function ConvertPart({
  legend,
  part,
  linkedNote,
  hint,
  children,
}: {
  legend: string;
  part: "contact" | "company";
  linkedNote: ReactNode;
  hint: string;
  children: ReactNode;
}) {
  return (
    <fieldset className="space-y-3">
      <legend className="text-sm font-semibold text-slate-900">{legend}</legend>
      <p className="text-sm text-slate-700">{linkedNote ?? hint}</p>
      {linkedNote ? null : <input type="hidden" name={`${part}.unlinked`} value="1" />}
      <div className="grid gap-3 sm:grid-cols-2">{children}</div>
    </fieldset>
  );
}

/** Converting: the contact and company (linked, new, or none) and the deal to open. */
function ConvertDialog({ data }: { data: Data }) {
  const { record } = data;
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const failure = failureFor(useActionResult(), "convert");
  const requested = searchParams.has("convert");
  const [open, setOpen] = useState(requested || failure !== undefined);
  useEffect(() => {
    if (requested || failure) setOpen(true);
  }, [requested, failure]);
  const converting = useSubmitting("convert");
  if (!open) return null;
  const close = () => {
    setOpen(false);
    if (requested) navigate(pathname, { replace: true, preventScrollReset: true });
  };
  const values = failure?.values ?? {};
  const errors = (name: string) => errorsFor(failure?.fieldErrors, name);
  const linkedContact = data.contacts.find((option) => option.value === record.contactId);
  const linkedCompany = data.companies.find((option) => option.value === record.companyId);
  // After a failure the form shows what was sent; else, without a linked record, it starts from
  // the person and company the lead names.
  const startValue = (name: string, value: string | null, linked: unknown) =>
    failure ? values[name] : linked ? undefined : (value ?? undefined);
  const currency = record.currency ?? data.currency;
  const general =
    failure && Object.keys(failure.fieldErrors).every((key) => key === "version" || key === "_")
      ? failure.message
      : null;
  return (
    <Modal
      title="Convert lead to deal"
      description="Creates the deal (and a contact and company if you name them), and marks the lead converted."
      onClose={close}
      closeHref={pathname}
      size="lg"
    >
      <Form method="post" action={pathname} noValidate className="space-y-5 px-5 py-4">
        <input type="hidden" name="intent" value="convert" />
        <input type="hidden" name="version" value={record.version} />
        {general ? <Alert>{general}</Alert> : null}
        <fieldset className="space-y-3">
          <legend className="text-sm font-semibold text-slate-900">Deal</legend>
          <div className="grid gap-3 sm:grid-cols-[1fr_9rem_7rem]">
            <TextField
              label="Title"
              name="deal.title"
              defaultValue={values["deal.title"] ?? record.title}
              errors={errors("deal.title")}
            />
            <TextField
              label="Amount"
              name="deal.amount"
              inputMode="decimal"
              placeholder={(0).toFixed(currencyDigits(currency))}
              defaultValue={
                values["deal.amount"] ??
                (record.amount === null ? undefined : moneyInputValue(record.amount, currency))
              }
              errors={errors("deal.amount")}
            />
            <SelectField
              label="Currency"
              name="deal.currency"
              options={
                currencyOptions.some((option) => option.value === currency)
                  ? currencyOptions
                  : [{ value: currency, label: currency }, ...currencyOptions]
              }
              defaultValue={values["deal.currency"] ?? currency}
              errors={errors("deal.currency")}
            />
          </div>
        </fieldset>
        <ConvertPart
          legend="Contact"
          part="contact"
          linkedNote={
            linkedContact ? (
              <>
                The deal goes to <span className="font-medium">{linkedContact.label}</span>, the
                lead's contact. Name someone below to create a new contact instead.
              </>
            ) : null
          }
          hint={
            record.firstName || record.email
              ? "A contact is created from the lead's person; clear the first name for none."
              : "Optional: create a contact for the deal."
          }
        >
          {(
            [
              ["First name", "contact.firstName", "text", record.firstName],
              ["Last name", "contact.lastName", "text", record.lastName],
              ["Email", "contact.email", "email", record.email],
              ["Phone", "contact.phone", "tel", record.phone],
            ] as const
          ).map(([label, name, type, fromLead]) => (
            <TextField
              key={name}
              label={label}
              name={name}
              type={type}
              defaultValue={startValue(name, fromLead, linkedContact)}
              errors={errors(name)}
            />
          ))}
        </ConvertPart>
        <ConvertPart
          legend="Company"
          part="company"
          linkedNote={
            linkedCompany ? (
              <>
                Linked to <span className="font-medium">{linkedCompany.label}</span>. Name a company
                below to create a new one instead.
              </>
            ) : null
          }
          hint={
            record.companyName
              ? "A company is created from the lead's company name; clear it for none."
              : "Optional: create a company for the deal."
          }
        >
          <TextField
            label="Company name"
            name="company.name"
            defaultValue={startValue("company.name", record.companyName, linkedCompany)}
            errors={errors("company.name")}
          />
          <TextField
            label="Domain"
            name="company.domain"
            placeholder="acme.com"
            defaultValue={values["company.domain"]}
            errors={errors("company.domain")}
          />
        </ConvertPart>
        <div className="flex justify-end gap-2 border-t border-slate-200 pt-4">
          <Link
            to={pathname}
            onClick={(event) => {
              event.preventDefault();
              close();
            }}
            className={buttonClass("ghost")}
          >
            Cancel
          </Link>
          <Button pending={converting}>Convert</Button>
        </div>
      </Form>
    </Modal>
  );
}

export function ErrorBoundary() {
  return <RecordPageError noun="lead" listPath="/app/leads" />;
}
