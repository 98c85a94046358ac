import { Form } from "@remix-run/react";
import type { ComponentType, ReactNode } from "react";
import type { FormFailure } from "../lib/forms";
import { useSubmitting } from "../lib/use-pending";
import { FormOutcome, type FormOutcomeProps, SettingsTable } from "./settings-parts";
import { Alert, Badge, Button, cx } from "./ui";

/** A secret the server just created, shown this once. */
export interface ShownSecret {
  message: string;
  /** New with every creation: it keys the form, so the form starts empty again. */
  secret: string;
  /** The copy fields that show it. */
  fields: ReactNode;
}

/**
 * The "create a secret" part of a settings section: the secret just created (else `idle`), why
 * creating failed, then the form (its fields, then the submit button). Posts without JavaScript.
 */
export function CreateSecretPanel({
  intent,
  shown,
  idle,
  failure,
  failureTitle,
  columns,
  icon: Icon,
  submitLabel,
  children,
}: {
  intent: string;
  shown: ShownSecret | undefined;
  idle?: ReactNode;
  /** The failure to explain above the form (field errors show next to the fields). */
  failure: FormFailure | undefined;
  failureTitle: string;
  /** The grid columns of the fields and the button from `sm` up, e.g. "sm:grid-cols-[1fr_auto]". */
  columns: string;
  icon: ComponentType<{ className?: string }>;
  submitLabel: string;
  children: ReactNode;
}) {
  const creating = useSubmitting(intent);
  return (
    <div className="space-y-4 px-5 py-4">
      {shown ? (
        <Alert tone="success" title={shown.message}>
          {shown.fields}
        </Alert>
      ) : (
        idle
      )}
      <FormOutcome failure={failure} failureTitle={failureTitle} />
      <Form
        method="post"
        key={shown?.secret ?? intent}
        className={cx("grid gap-3", columns, "sm:items-start")}
        noValidate
      >
        <input type="hidden" name="intent" value={intent} />
        {children}
        <Button className="sm:mt-[1.625rem]" pending={creating}>
          <Icon className="size-4" />
          {submitLabel}
        </Button>
      </Form>
    </div>
  );
}

/** A revocable credential (API key, bridge token) as the settings pages list it. */
export interface Credential {
  id: string;
  name: string;
  /** A recognizable start of the secret, shown under the name. */
  hint?: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A column between Name and Created, e.g. Role. */
export interface CredentialColumn<C extends Credential> {
  label: string;
  render(credential: C): ReactNode;
}

interface CredentialRowsProps<C extends Credential> {
  extraColumns?: CredentialColumn<C>[];
  /** How an instant (Created, Last used) reads. */
  time(iso: string): ReactNode;
  /** The control that revokes a credential that is still active. */
  revokeControl(credential: C): ReactNode;
}

function CredentialRow<C extends Credential>({
  credential,
  extraColumns = [],
  time,
  revokeControl,
}: CredentialRowsProps<C> & { credential: C }) {
  return (
    <tr className={credential.revokedAt ? "text-slate-500" : undefined}>
      <td className="px-5 py-3">
        <p className="font-medium text-slate-900">{credential.name}</p>
        {credential.hint ? (
          <p className="font-mono text-xs text-slate-600">{credential.hint}</p>
        ) : null}
      </td>
      {extraColumns.map((column) => (
        <td key={column.label} className="px-3 py-3">
          {column.render(credential)}
        </td>
      ))}
      <td className="px-3 py-3 whitespace-nowrap text-slate-600">{time(credential.createdAt)}</td>
      <td className="px-3 py-3 whitespace-nowrap text-slate-600">
        {credential.lastUsedAt ? time(credential.lastUsedAt) : "Never"}
      </td>
      <td className="px-5 py-3 text-right max-sm:sticky max-sm:right-0 max-sm:bg-white max-sm:shadow-[-8px_0_8px_-8px_rgb(0_0_0/0.15)]">
        {credential.revokedAt ? <Badge tone="danger">Revoked</Badge> : revokeControl(credential)}
      </td>
    </tr>
  );
}

/**
 * The credentials of a settings section below its create form: how the last revocation went,
 * then a table of them (Name, `extraColumns`, Created, Last used, Revoke; revoked rows greyed).
 */
export function CredentialTable<C extends Credential>({
  caption,
  credentials,
  emptyText,
  revokeOutcome,
  ...rows
}: CredentialRowsProps<C> & {
  /** The table's accessible name. */
  caption: string;
  credentials: C[];
  emptyText: string;
  revokeOutcome: Omit<FormOutcomeProps, "className">;
}) {
  return (
    <div className="border-t border-slate-200">
      <FormOutcome className="px-5 pt-4" {...revokeOutcome} />
      {credentials.length === 0 ? (
        <p className="px-5 py-4 text-sm text-slate-600">{emptyText}</p>
      ) : (
        <SettingsTable
          caption={caption}
          columns={[
            "Name",
            ...(rows.extraColumns ?? []).map((column) => column.label),
            "Created",
            "Last used",
          ]}
          actions
        >
          {credentials.map((credential) => (
            <CredentialRow key={credential.id} credential={credential} {...rows} />
          ))}
        </SettingsTable>
      )}
    </div>
  );
}
