import type { MetaFunction } from "@remix-run/cloudflare";
import {
  Form,
  Link,
  type ShouldRevalidateFunction,
  useFetcher,
  useLoaderData,
} from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { ArticleBody } from "../../components/article-body";
import { RouteError } from "../../components/route-error";
import {
  Alert,
  Badge,
  Button,
  buttonClass,
  SelectField,
  TextAreaField,
  TextField,
} from "../../components/ui";
import { isFailure } from "../../lib/forms";
import { useActionResult } from "../../lib/use-action-result";
import { useSubmitting } from "../../lib/use-pending";
import type { action, loader } from "./article.server";

export { action, loader } from "./article.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.article?.title ?? "New article"} · Knowledge base · Switchboard` },
];

/*
 * The article editor: title, category, the Markdown with its preview as the help page will
 * show it (rendered by the server as you type), save as draft, publish / unpublish, delete,
 * and the article on the help page.
 */

/** The preview's posts change nothing: the page's data stays as it is. */
export const shouldRevalidate: ShouldRevalidateFunction = ({
  formData,
  defaultShouldRevalidate,
}) => (formData?.get("intent") === "preview" ? false : defaultShouldRevalidate);

export default function ArticleEditorPage() {
  const { article, categories, canWrite, canManage } = useLoaderData<typeof loader>();
  const result = useActionResult<typeof action>();
  const failure = isFailure(result) ? result : undefined;
  const saved = result && !isFailure(result) && "message" in result ? result : undefined;
  const saving = useSubmitting("save");
  const publishing = useSubmitting("publish");
  const unpublishing = useSubmitting("unpublish");
  const published = article?.status === "published";
  // Agents write drafts; what customers read is changed by managers and up.
  const editable = canWrite && (!published || canManage);
  const values = failure?.values;
  const [body, setBody] = useState(values?.body ?? article?.body ?? "");
  const preview = usePreview(body, article?.html ?? "");
  const version =
    saved && "version" in saved && typeof saved.version === "number"
      ? saved.version
      : article?.version;
  return (
    <div className="min-h-dvh bg-white">
      <div className="border-b border-slate-200 px-4 py-4 sm:px-6">
        <nav aria-label="Breadcrumb" className="text-sm">
          <Link to="/app/kb" className="text-indigo-700 hover:underline">
            Knowledge base
          </Link>
        </nav>
        <div className="mt-1 flex flex-wrap items-center gap-3">
          <h1 className="min-w-0 flex-1 truncate text-lg font-semibold tracking-tight text-slate-900">
            {article?.title ?? "New article"}
          </h1>
          {article ? (
            <Badge tone={published ? "success" : "neutral"}>
              {published ? "Published" : "Draft"}
            </Badge>
          ) : null}
          {article && published ? (
            <a
              href={article.helpPath}
              target="_blank"
              rel="noreferrer"
              className={buttonClass("secondary", "sm")}
            >
              View on help page
            </a>
          ) : null}
        </div>
      </div>
      <Form method="post" className="space-y-4 px-4 py-4 sm:px-6" key={article?.id ?? "new"}>
        {failure ? <Alert>{failure.message}</Alert> : null}
        {saved ? <Alert tone="success">{saved.message}</Alert> : null}
        {!editable ? (
          <Alert tone="info">
            {canWrite
              ? "This article is published: managers and admins change it. Ask one to unpublish it, or to make your change."
              : "You can read the knowledge base; writing needs an agent's role."}
          </Alert>
        ) : null}
        {version ? <input type="hidden" name="version" value={version} /> : null}
        <div className="grid gap-4 sm:grid-cols-[1fr_16rem]">
          <TextField
            label="Title"
            name="title"
            required
            maxLength={200}
            defaultValue={values?.title ?? article?.title ?? ""}
            errors={failure?.fieldErrors.title}
            disabled={!editable}
          />
          <SelectField
            label="Category"
            name="categoryId"
            defaultValue={values?.categoryId ?? article?.categoryId ?? ""}
            options={[
              { value: "", label: "No category" },
              ...categories.map((category) => ({ value: category.id, label: category.name })),
            ]}
            errors={failure?.fieldErrors.categoryId}
            disabled={!editable}
          />
        </div>
        <div className="grid gap-4 lg:grid-cols-2">
          <TextAreaField
            label="Article (Markdown)"
            name="body"
            rows={18}
            value={body}
            onChange={(event) => setBody(event.currentTarget.value)}
            errors={failure?.fieldErrors.body}
            hint="**bold**, *italic*, # headings, - lists, [links](https://…), ![images](https://…)"
            disabled={!editable}
            className="[&_textarea]:font-mono [&_textarea]:text-[13px]"
          />
          <section aria-labelledby="kb-preview" className="min-w-0">
            <h2 id="kb-preview" className="mb-1.5 text-sm font-medium text-slate-900">
              Preview
            </h2>
            <div
              className="min-h-[10rem] rounded-md p-4 ring-1 ring-slate-200"
              data-testid="kb-preview"
            >
              {preview ? (
                <ArticleBody html={preview} />
              ) : (
                <p className="text-sm text-slate-400">The article as the help page shows it.</p>
              )}
            </div>
          </section>
        </div>
        {editable ? (
          <div className="flex flex-wrap items-center gap-2">
            <Button name="intent" value="save" pending={saving}>
              {published ? "Save changes" : "Save draft"}
            </Button>
            {canManage && !published ? (
              <Button name="intent" value="publish" variant="secondary" pending={publishing}>
                Publish
              </Button>
            ) : null}
            {canManage && published ? (
              <Button name="intent" value="unpublish" variant="secondary" pending={unpublishing}>
                Unpublish
              </Button>
            ) : null}
            {!canManage && !published ? (
              <span className="text-xs text-slate-500">A manager publishes it.</span>
            ) : null}
          </div>
        ) : null}
      </Form>
      {article && canManage ? (
        <Form
          method="post"
          className="px-4 pb-8 sm:px-6"
          onSubmit={(event) => {
            if (!window.confirm(`Delete “${article.title}”? It leaves the help page at once.`)) {
              event.preventDefault();
            }
          }}
        >
          <Button name="intent" value="delete" variant="danger" size="sm">
            Delete article
          </Button>
        </Form>
      ) : null}
    </div>
  );
}

/** The server's rendering of `body`, asked for a moment after typing stops. */
function usePreview(body: string, initial: string): string {
  const fetcher = useFetcher<{ html?: string }>();
  const first = useRef(true);
  const { submit } = fetcher;
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const timer = setTimeout(() => submit({ intent: "preview", body }, { method: "post" }), 400);
    return () => clearTimeout(timer);
  }, [body, submit]);
  return fetcher.data?.html ?? initial;
}

export function ErrorBoundary() {
  return <RouteError home="/app/kb" />;
}
