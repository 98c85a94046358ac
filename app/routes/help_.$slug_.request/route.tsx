import type { HeadersFunction, MetaFunction } from "@remix-run/cloudflare";
import { Form, useLoaderData } from "@remix-run/react";
import { PublicLayout } from "../../components/public-layout";
import { Alert, Button, TextAreaField, TextField } from "../../components/ui";
import { isFailure } from "../../lib/forms";
import { useActionResult } from "../../lib/use-action-result";
import { useSubmitting } from "../../lib/use-pending";
import type { action, loader } from "./request.server";

export { action, loader } from "./request.server";

/** A refused post (429) tells the browser when to try again. */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data?.organization ? `Contact ${data.organization.name} support` : "Page not found",
  },
];

export default function RequestForm() {
  const { organization } = useLoaderData<typeof loader>();
  const result = useActionResult<typeof action>();
  const failure = isFailure(result) ? result : undefined;
  const submitting = useSubmitting();

  if (!organization) {
    return (
      <PublicLayout organization={null} title="Page not found">
        <p className="text-sm text-slate-700">
          There is no support page at this address. Check the link you followed.
        </p>
      </PublicLayout>
    );
  }
  if (result && "email" in result && result.ok) {
    return (
      <PublicLayout
        organization={organization.name}
        home={organization.home}
        title="Thank you, we have your request"
      >
        <div className="space-y-3 text-sm text-slate-700">
          <Alert tone="success" focusOnMount>
            {result.number ? `Your request is #${result.number}. ` : ""}We emailed a confirmation to{" "}
            <span className="break-words font-medium">{result.email}</span>.
          </Alert>
          <p>Someone will answer you by email. Reply to that email to add anything.</p>
        </div>
      </PublicLayout>
    );
  }
  const value = (name: string) => failure?.values[name] ?? "";
  const errors = (name: string) => failure?.fieldErrors[name];
  return (
    <PublicLayout
      organization={organization.name}
      home={organization.home}
      title="Submit a request"
      subtitle={`Tell ${organization.name} what you need; the answer comes to your email.`}
    >
      <Form method="post" className="space-y-4">
        {failure && Object.keys(failure.fieldErrors).length === 0 ? (
          <Alert title="Your request was not sent">{failure.message}</Alert>
        ) : null}
        {failure && Object.keys(failure.fieldErrors).length > 0 ? (
          <Alert title="Your request was not sent">Check the highlighted fields.</Alert>
        ) : null}
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Your name"
            name="name"
            required
            maxLength={200}
            autoComplete="name"
            defaultValue={value("name")}
            errors={errors("name")}
          />
          <TextField
            label="Your email"
            name="email"
            type="email"
            required
            maxLength={254}
            autoComplete="email"
            defaultValue={value("email")}
            errors={errors("email")}
          />
        </div>
        <TextField
          label="Subject"
          name="subject"
          required
          maxLength={250}
          defaultValue={value("subject")}
          errors={errors("subject")}
        />
        <TextAreaField
          label="How can we help?"
          name="description"
          required
          rows={6}
          maxLength={10_000}
          defaultValue={value("description")}
          errors={errors("description")}
        />
        {/* People never see this field; robots fill it in. */}
        <div className="absolute -left-[10000px] size-px overflow-hidden" aria-hidden="true">
          <label>
            Website
            <input type="text" name="website" tabIndex={-1} autoComplete="off" defaultValue="" />
          </label>
        </div>
        <Button className="w-full sm:w-auto" pending={submitting} disabled={submitting}>
          Send request
        </Button>
      </Form>
    </PublicLayout>
  );
}
