import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/cloudflare";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { CRM_ENTITIES, type CrmEntity } from "../../shared/crm";
import { can } from "../../worker/auth/permissions";
import { importEntitySchema } from "../../worker/imports/schemas";
import {
  createImport,
  listImports,
  previewImport,
  startImport,
} from "../../worker/imports/service";
import { ApiError } from "../../worker/lib/errors";
import type { TenantScope } from "../../worker/lib/scope";
import { formatCount } from "../components/charts";
import {
  type DuplicateStrategy,
  type ImportPreviewData,
  MappingStep,
  type WizardFile,
  WizardFileFields,
} from "../components/import-mapping";
import {
  CRM_ENTITY_TEXT,
  capitalized,
  ImportSteps,
  RowErrorsTable,
} from "../components/import-parts";
import { PageBody, PageHeader } from "../components/page";
import { RouteError } from "../components/route-error";
import { Alert, Badge, Button, buttonClass, Section, SelectField } from "../components/ui";
import { formFailure, parseForm } from "../lib/actions.server";
import { type FormFailure, failureFor } from "../lib/forms";
import { requireUser, runAsUser, type UserSession } from "../lib/session.server";
import { useActionResult } from "../lib/use-action-result";
import { useSubmitting } from "../lib/use-pending";

export const meta: MetaFunction = () => [{ title: "Import · Switchboard" }];

/** The file travels back in the next step's form, so pages stay reasonable below this size. */
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const RECENT_IMPORTS = 10;

function requireImportPermission(session: UserSession) {
  if (!can(session.me.role, "crm:import")) {
    throw new Response("Imports need a manager role or higher.", {
      status: 403,
      headers: session.headers,
    });
  }
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  requireImportPermission(session);
  const recent = await runAsUser(context, session, (scope) =>
    listImports(scope, { limit: RECENT_IMPORTS }),
  );
  return json({ recent: recent.rows }, { headers: session.headers });
}

type Preview = Awaited<ReturnType<typeof previewImport>>;
type Report = Awaited<ReturnType<typeof createImport>>;

type ActionResult =
  | { ok: true; intent: "preview" | "remap"; file: WizardFile; preview: ImportPreviewData }
  | {
      ok: false;
      intent: "validate";
      file: WizardFile;
      preview: ImportPreviewData;
      message: string;
      fieldErrors: Record<string, string[]>;
    }
  | { ok: true; intent: "validate"; file: WizardFile; headers: string[]; report: Report };

interface Submitted {
  intent: string;
  values: Record<string, string>;
  file: File | null;
}

async function readSubmission(request: Request): Promise<Submitted> {
  const values: Record<string, string> = {};
  let file: File | null = null;
  for (const [name, value] of await request.formData()) {
    if (typeof value === "string") values[name] = value;
    else if (name === "file") file = value;
  }
  const { intent = "", ...rest } = values;
  return { intent, values: rest, file };
}

const duplicatesSchema = z.enum(["skip", "update", "create"]).catch("skip");

/** The wizard's carried state from a posted form: entity, file text and the column choices. */
function wizardFile(values: Record<string, string>, headers: string[]): WizardFile {
  const entity = parseForm(z.object({ entity: importEntitySchema }), values).entity;
  const mapping: Record<string, string> = {};
  headers.forEach((header, index) => {
    const target = values[`map.${index}`];
    if (target) mapping[header] = target;
  });
  return {
    entity,
    fileName: values.fileName ?? "",
    csv: values.csv ?? "",
    mapping,
    duplicates: duplicatesSchema.parse(values.duplicates) as DuplicateStrategy,
  };
}

async function uploadedText(file: File | null): Promise<{ fileName: string; csv: string }> {
  if (!file || file.size === 0) throw ApiError.validation({ file: ["Choose a CSV file."] });
  if (file.size > MAX_UPLOAD_BYTES) {
    throw ApiError.validation({
      file: ["This file is over 10 MB. Split it, or send it to POST /api/v1/imports."],
    });
  }
  return { fileName: file.name, csv: await file.text() };
}

/** The upload's problems belong to the file field. */
function asFileError(error: unknown): unknown {
  if (error instanceof ApiError && error.fieldErrors?.csv) {
    return ApiError.validation({ file: error.fieldErrors.csv }, error.message);
  }
  return error;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireUser(request, context);
  requireImportPermission(session);
  const submitted = await readSubmission(request);
  const { intent, values } = submitted;
  const run = <T,>(work: (scope: TenantScope) => Promise<T>) => runAsUser(context, session, work);
  const reply = (result: ActionResult, status = 200) =>
    json(result, { status, headers: session.headers });
  const previewOf = (entity: CrmEntity, csv: string) =>
    run((scope) => previewImport(scope, { entity, csv }));
  try {
    switch (intent) {
      case "preview": {
        const { entity } = parseForm(z.object({ entity: importEntitySchema }), values);
        const upload = await uploadedText(submitted.file);
        const preview: Preview = await previewOf(entity, upload.csv).catch((error: unknown) => {
          throw asFileError(error);
        });
        const file: WizardFile = {
          entity,
          ...upload,
          mapping: preview.suggestedMapping,
          duplicates: "skip",
        };
        return reply({ ok: true, intent, file, preview });
      }
      case "remap": {
        const entity = parseForm(z.object({ entity: importEntitySchema }), values).entity;
        const preview = await previewOf(entity, values.csv ?? "");
        return reply({ ok: true, intent, file: wizardFile(values, preview.headers), preview });
      }
      case "validate": {
        const entity = parseForm(z.object({ entity: importEntitySchema }), values).entity;
        const preview = await previewOf(entity, values.csv ?? "");
        const file = wizardFile(values, preview.headers);
        try {
          const report = await run((scope) =>
            createImport(scope, {
              entity: file.entity,
              csv: file.csv,
              mapping: file.mapping,
              duplicates: file.duplicates,
            }),
          );
          return reply({ ok: true, intent, file, headers: preview.headers, report });
        } catch (error) {
          if (!(error instanceof ApiError) || error.status !== 422) throw error;
          return reply(
            {
              ok: false,
              intent,
              file,
              preview,
              message: error.message,
              fieldErrors: error.fieldErrors ?? {},
            },
            422,
          );
        }
      }
      case "start": {
        const { jobId } = parseForm(
          z.object({ jobId: z.string().uuid("Unknown import.") }),
          values,
        );
        await run((scope) => startImport(scope, jobId));
        return redirect(`/app/import/${jobId}`, { headers: session.headers });
      }
      default:
        throw ApiError.badRequest("That action is not available on this page.");
    }
  } catch (error) {
    // Never echo the file back in a failure.
    const { csv: _csv, ...small } = values;
    return formFailure(error, { intent, values: small }, session.headers);
  }
}

export default function ImportWizard() {
  const data = useLoaderData<typeof loader>();
  const result = useActionResult<typeof action>() as ActionResult | FormFailure | undefined;
  const [params] = useSearchParams();
  const step = result && "file" in result ? result : null;
  const current = !step ? 0 : step.intent === "validate" && step.ok ? 2 : 1;
  return (
    <>
      <PageHeader
        eyebrow="CRM"
        title="Import from CSV"
        description="Bring contacts, companies, leads or deals in from a spreadsheet: upload, map the columns, check, import."
      />
      <PageBody>
        <ImportSteps current={current} />
        {!step ? (
          <UploadStep
            failure={failureFor(result, "preview") ?? failureFor(result, "start")}
            entity={params.get("entity")}
          />
        ) : step.intent === "validate" && step.ok ? (
          <ReviewStep file={step.file} headers={step.headers} report={step.report} />
        ) : (
          <MappingStep
            file={step.file}
            preview={step.preview}
            message={step.ok ? undefined : step.message}
            fieldErrors={step.ok ? undefined : step.fieldErrors}
          />
        )}
        {!step ? <RecentImports imports={data.recent} /> : null}
      </PageBody>
    </>
  );
}

function UploadStep({
  failure,
  entity,
}: {
  failure: ReturnType<typeof failureFor>;
  entity: string | null;
}) {
  const uploading = useSubmitting("preview");
  const chosen = (CRM_ENTITIES as readonly string[]).includes(entity ?? "")
    ? (entity as CrmEntity)
    : "contact";
  return (
    <Section
      id="upload"
      title="Upload a file"
      description="A CSV file whose first row names the columns (UTF-8; commas, semicolons or tabs)."
    >
      <Form
        method="post"
        encType="multipart/form-data"
        className="grid gap-4 px-5 py-5 sm:grid-cols-[12rem_1fr_auto] sm:items-start"
        noValidate
      >
        <input type="hidden" name="intent" value="preview" />
        {failure && !failure.fieldErrors.file && !failure.fieldErrors.entity ? (
          <div className="sm:col-span-3">
            <Alert>{failure.message}</Alert>
          </div>
        ) : null}
        <SelectField
          label="Import as"
          name="entity"
          defaultValue={failure?.values.entity ?? chosen}
          options={CRM_ENTITIES.map((value) => ({
            value,
            label: capitalized(CRM_ENTITY_TEXT[value].many),
          }))}
          errors={failure?.fieldErrors.entity}
        />
        <FileField errors={failure?.fieldErrors.file} />
        <Button className="sm:mt-[1.625rem]" pending={uploading}>
          Upload and preview
        </Button>
      </Form>
    </Section>
  );
}

function FileField({ errors }: { errors: string[] | undefined }) {
  const invalid = Boolean(errors?.length);
  return (
    <div>
      <label htmlFor="import-file" className="mb-1.5 block text-sm font-medium text-slate-800">
        CSV file
      </label>
      <input
        id="import-file"
        type="file"
        name="file"
        accept=".csv,text/csv,text/plain"
        required
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? "import-file-error" : "import-file-hint"}
        className="block w-full rounded-md bg-white text-sm text-slate-700 ring-1 ring-slate-300 ring-inset file:mr-3 file:h-9 file:border-0 file:bg-slate-100 file:px-3 file:text-sm file:font-medium file:text-slate-800 hover:file:bg-slate-200 focus-visible:outline-2 focus-visible:outline-indigo-600"
      />
      {invalid ? (
        <p id="import-file-error" className="mt-1.5 text-xs font-medium text-red-700">
          {errors?.join(" ")}
        </p>
      ) : (
        <p id="import-file-hint" className="mt-1.5 text-xs text-slate-600">
          Up to 10 MB. Nothing is saved until you start the import.
        </p>
      )}
    </div>
  );
}

function ReviewStep({
  file,
  headers,
  report,
}: {
  file: WizardFile;
  headers: string[];
  report: Report;
}) {
  const starting = useSubmitting("start");
  const text = CRM_ENTITY_TEXT[file.entity];
  const invalid = report.totalRows - report.validRows;
  const shownErrors = report.errors.length;
  return (
    <div className="space-y-6">
      <Section
        id="review"
        title="Check before importing"
        description={`${formatCount(report.validRows)} of ${formatCount(report.totalRows)} rows are ready to import as ${text.many}.`}
      >
        <div className="space-y-4 px-5 py-4">
          {invalid === 0 ? (
            <Alert tone="success" focusOnMount={false}>
              Every row is valid.
            </Alert>
          ) : (
            <Alert tone="info" title={`${formatCount(invalid)} rows have problems`}>
              They will be skipped. Fix them in the file and import them later, or go back and
              change the mapping.
              {shownErrors < invalid
                ? ` The first ${formatCount(shownErrors)} problems are listed.`
                : ""}
            </Alert>
          )}
          <p className="text-sm text-slate-700">
            Duplicates: <Badge>{DUPLICATE_LABELS[file.duplicates]}</Badge>
          </p>
        </div>
        {report.errors.length > 0 ? (
          <div className="border-t border-slate-200">
            <RowErrorsTable errors={report.errors} caption="Problems found in the file" />
          </div>
        ) : null}
      </Section>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <Form method="post">
          <input type="hidden" name="intent" value="remap" />
          <WizardFileFields file={file} headers={headers} />
          <Button variant="secondary">Back to mapping</Button>
        </Form>
        <Form method="post">
          <input type="hidden" name="intent" value="start" />
          <input type="hidden" name="jobId" value={report.job.id} />
          <Button pending={starting} disabled={report.validRows === 0}>
            Import {formatCount(report.validRows)} valid {report.validRows === 1 ? "row" : "rows"}
          </Button>
        </Form>
      </div>
    </div>
  );
}

const DUPLICATE_LABELS: Record<DuplicateStrategy, string> = {
  skip: "skip existing",
  update: "update existing",
  create: "create anyway",
};

const dateFormat = new Intl.DateTimeFormat("en-US", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

const STATUS_TONES = {
  pending: "neutral",
  running: "accent",
  completed: "success",
  failed: "danger",
} as const;

function RecentImports({
  imports,
}: {
  imports: ReturnType<typeof useLoaderData<typeof loader>>["recent"];
}) {
  if (imports.length === 0) return null;
  return (
    <Section id="recent" title="Recent imports">
      <div className="relative overflow-x-auto">
        <table className="min-w-full text-left text-sm">
          <caption className="sr-only">Recent imports</caption>
          <thead className="border-b border-slate-200 text-xs text-slate-600">
            <tr>
              <th scope="col" className="px-5 py-2.5 font-medium">
                Started
              </th>
              <th scope="col" className="px-3 py-2.5 font-medium">
                Records
              </th>
              <th scope="col" className="px-3 py-2.5 font-medium">
                Status
              </th>
              <th scope="col" className="px-3 py-2.5 text-right font-medium">
                Rows
              </th>
              <th scope="col" className="px-5 py-2.5 text-right font-medium">
                <span className="sr-only">Details</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {imports.map((job) => (
              <tr key={job.id}>
                <td className="px-5 py-3 whitespace-nowrap text-slate-700">
                  {dateFormat.format(new Date(job.createdAt))} UTC
                </td>
                <td className="px-3 py-3 text-slate-700">
                  {capitalized(CRM_ENTITY_TEXT[job.entity].many)}
                </td>
                <td className="px-3 py-3">
                  <Badge tone={STATUS_TONES[job.status]}>{capitalized(job.status)}</Badge>
                </td>
                <td className="px-3 py-3 text-right text-slate-700 tabular-nums">
                  {formatCount(job.totalRows)}
                </td>
                <td className="px-5 py-3 text-right">
                  <Link to={`/app/import/${job.id}`} className={buttonClass("secondary", "sm")}>
                    {job.status === "pending" ? "Open" : "Details"}
                    <span className="sr-only">
                      {" "}
                      of the import from {dateFormat.format(new Date(job.createdAt))}
                    </span>
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
