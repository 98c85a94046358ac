import { Form, Link } from "@remix-run/react";
import type { CrmEntity } from "../../shared/crm";
import { useSubmitting } from "../lib/use-pending";
import { CRM_ENTITY_TEXT } from "./import-parts";
import { Alert, Button, buttonClass, cx, SelectField } from "./ui";

export type DuplicateStrategy = "skip" | "update" | "create";

export interface ImportPreviewData {
  headers: string[];
  rows: string[][];
  suggestedMapping: Record<string, string>;
  fields: { key: string; label: string; required: boolean; multiple: boolean }[];
}

/** What the wizard carries from step to step (the file travels as text in a hidden field). */
export interface WizardFile {
  entity: CrmEntity;
  fileName: string;
  csv: string;
  mapping: Record<string, string>;
  duplicates: DuplicateStrategy;
}

const MATCHED_BY: Record<CrmEntity, string> = {
  contact: "the same email address or phone number",
  company: "the same domain",
  lead: "the same title",
  deal: "the same title",
};

/** Hidden fields that carry the file and its mapping into the next step's form. */
export function WizardFileFields({ file, headers }: { file: WizardFile; headers?: string[] }) {
  return (
    <>
      <input type="hidden" name="entity" value={file.entity} />
      <input type="hidden" name="fileName" value={file.fileName} />
      <input type="hidden" name="csv" value={file.csv} />
      {headers
        ?.map((header, position) => ({ header, position }))
        .map(({ header, position }) => (
          <input
            key={`map-${position}`}
            type="hidden"
            name={`map.${position}`}
            value={file.mapping[header] ?? ""}
          />
        ))}
      {headers ? <input type="hidden" name="duplicates" value={file.duplicates} /> : null}
    </>
  );
}

function samplesOf(rows: string[][], index: number) {
  const values = rows.map((row) => row[index]?.trim() ?? "").filter(Boolean);
  return values.slice(0, 3);
}

/** Step 2: one row per CSV column with a field picker, plus the duplicates rule. */
export function MappingStep({
  file,
  preview,
  message,
  fieldErrors = {},
}: {
  file: WizardFile;
  preview: ImportPreviewData;
  message?: string | undefined;
  fieldErrors?: Record<string, string[]> | undefined;
}) {
  const text = CRM_ENTITY_TEXT[file.entity];
  const validating = useSubmitting("validate");
  const fieldOptions = [
    { value: "", label: "Don't import" },
    ...preview.fields.map((field) => ({
      value: field.key,
      label: field.required ? `${field.label} (required)` : field.label,
    })),
  ];
  const general = fieldErrors.mapping ?? fieldErrors.csv ?? fieldErrors.entity;
  return (
    <Form method="post" className="space-y-6" noValidate>
      <input type="hidden" name="intent" value="validate" />
      <WizardFileFields file={file} />
      {message || general ? (
        <Alert title="Check the mapping">
          {general ? (
            <ul className="list-disc pl-5">
              {general.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          ) : (
            message
          )}
        </Alert>
      ) : null}
      <section
        aria-labelledby="mapping-title"
        className="rounded-lg bg-white ring-1 ring-slate-200"
      >
        <header className="border-b border-slate-200 px-5 py-4">
          <h2 id="mapping-title" className="text-base font-semibold text-slate-900">
            Map columns to {text.one} fields
          </h2>
          <p className="mt-1 text-sm text-slate-600">
            {file.fileName ? <span className="font-medium">{file.fileName}</span> : "Your file"} has{" "}
            {preview.headers.length} columns. We matched the ones we recognised; choose “Don't
            import” to leave a column out.
          </p>
        </header>
        <div className="relative overflow-x-auto">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">Columns of the file and the field each one fills</caption>
            <thead className="border-b border-slate-200 text-xs text-slate-600">
              <tr>
                <th scope="col" className="px-5 py-2.5 font-medium">
                  Column in file
                </th>
                <th scope="col" className="px-3 py-2.5 font-medium">
                  Sample values
                </th>
                <th scope="col" className="px-5 py-2.5 font-medium">
                  Import as
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {preview.headers
                .map((header, position) => ({ header, position }))
                .map(({ header, position: index }) => {
                  const samples = samplesOf(preview.rows, index);
                  return (
                    <tr key={`column-${index}`}>
                      <th scope="row" className="px-5 py-3 font-medium text-slate-900">
                        {header || <span className="text-slate-500">(no name)</span>}
                      </th>
                      <td className="max-w-xs px-3 py-3 text-slate-600">
                        {samples.length ? (
                          <span className="line-clamp-2 break-words">{samples.join(", ")}</span>
                        ) : (
                          <span className="text-slate-500">Empty in the first rows</span>
                        )}
                      </td>
                      <td className="px-5 py-3">
                        <SelectField
                          label={`Field for column “${header}”`}
                          hideLabel
                          name={`map.${index}`}
                          defaultValue={file.mapping[header] ?? ""}
                          options={fieldOptions}
                          errors={fieldErrors[`mapping.${header}`]}
                          className="w-56"
                        />
                      </td>
                    </tr>
                  );
                })}
            </tbody>
          </table>
        </div>
      </section>
      <fieldset className="rounded-lg bg-white p-5 ring-1 ring-slate-200">
        <legend className="float-left w-full text-base font-semibold text-slate-900">
          Duplicates
        </legend>
        <p className="clear-both pt-1 text-sm text-slate-600">
          A row is a duplicate when an existing {text.one} has {MATCHED_BY[file.entity]}.
        </p>
        <div className="mt-3 grid gap-3 sm:grid-cols-3">
          {(
            [
              ["skip", "Skip them", "Leave the existing record as it is."],
              [
                "update",
                "Update them",
                "Fill the existing record with the row's non-empty values.",
              ],
              ["create", "Create anyway", `Add another ${text.one} even if one matches.`],
            ] as const
          ).map(([value, label, hint]) => (
            <label
              key={value}
              className="flex cursor-pointer gap-3 rounded-md p-3 ring-1 ring-slate-200 has-checked:bg-indigo-50 has-checked:ring-indigo-300"
            >
              <input
                type="radio"
                name="duplicates"
                value={value}
                defaultChecked={file.duplicates === value}
                className="mt-0.5 size-4 accent-indigo-600"
              />
              <span>
                <span className="block text-sm font-medium text-slate-900">{label}</span>
                <span className="block text-xs text-slate-600">{hint}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <Link to={`/app/import?entity=${file.entity}`} className={buttonClass("secondary")}>
          Choose another file
        </Link>
        <Button pending={validating} className={cx(validating && "cursor-wait")}>
          Check the file
        </Button>
      </div>
    </Form>
  );
}
