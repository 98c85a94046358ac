import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import type { ReactNode } from "react";
import type { CrmEntity } from "../../shared/crm";
import { type CustomFieldDefinition, customFieldSpecs, type FieldSpec } from "../lib/record-fields";
import { PageBody, PageHeader } from "./page";
import { RecordEditProvider } from "./record-edit";
import { InlineField } from "./record-fields";
import { DeleteRecordButton, RecordTopBar } from "./record-header";
import {
  ActivityComposer,
  RecordTimeline,
  type TimelinePage,
  type TimelineType,
} from "./record-timeline";
import { RouteError } from "./route-error";
import { buttonClass, Section } from "./ui";

/*
 * The layout every record page shares: title block, live edit context, the details column
 * (inline-editable fields and whatever the entity adds) and the activity column.
 */

interface Member {
  userId: string;
  name: string;
  active: boolean;
}

export interface RecordPageData {
  record: { id: string; version: number; custom: Record<string, unknown> };
  timeline: TimelinePage;
  timelinePaged: boolean;
  timelineType: TimelineType | null;
  changeableActivities: string[];
  customFields: CustomFieldDefinition[];
  members: Member[];
  me: string;
  canWrite: boolean;
  canEdit: boolean;
  canReassign: boolean;
}

export function RecordPage({
  entity,
  noun,
  listPath,
  listLabel,
  data,
  title,
  description,
  label,
  actions,
  details,
  aside,
}: {
  entity: CrmEntity;
  /** "contact" */
  noun: string;
  listPath: string;
  listLabel: string;
  data: RecordPageData;
  title: string;
  description?: ReactNode;
  /** How the record is named in messages ("Ann Lee"). */
  label: string;
  actions?: ReactNode;
  /** The "Details" card's rows (InlineFields). */
  details: ReactNode;
  /** More cards under the details (related records, stage history). */
  aside?: ReactNode;
}) {
  const { record } = data;
  return (
    <>
      <PageHeader
        eyebrow={noun.charAt(0).toUpperCase() + noun.slice(1)}
        title={title}
        description={description}
      />
      <PageBody>
        <RecordEditProvider
          // Another record on the same route starts with closed editors and a fresh timeline.
          key={record.id}
          entity={entity}
          id={record.id}
          version={record.version}
          canEdit={data.canEdit}
          me={data.me}
          members={data.members}
          noun={noun}
        >
          <RecordTopBar
            backTo={listPath}
            backLabel={listLabel}
            entity={entity}
            id={record.id}
            me={data.me}
            actions={
              <>
                {actions}
                {data.canEdit ? <DeleteRecordButton label={label} noun={noun} /> : null}
              </>
            }
          />
          <div className="mt-6 grid gap-6 lg:grid-cols-5">
            <div className="space-y-6 lg:col-span-2">
              <Section id="details" title="Details">
                <dl className="divide-y divide-slate-100 px-5 py-1">{details}</dl>
              </Section>
              <CustomFieldsCard data={data} />
              {aside}
            </div>
            <div className="lg:col-span-3">
              <Section id="activity" title="Activity">
                {data.canWrite ? (
                  <div className="border-b border-slate-200 px-5 py-4">
                    <ActivityComposer members={data.members} me={data.me} />
                  </div>
                ) : null}
                <div className="px-5 py-4">
                  <RecordTimeline
                    timeline={data.timeline}
                    paged={data.timelinePaged}
                    noun={noun}
                    members={data.members}
                    canWrite={data.canWrite}
                    type={data.timelineType}
                    changeable={data.changeableActivities}
                  />
                </div>
              </Section>
            </div>
          </div>
        </RecordEditProvider>
      </PageBody>
    </>
  );
}

function CustomFieldsCard({ data }: { data: RecordPageData }) {
  if (data.customFields.length === 0) return null;
  const specs: FieldSpec[] = customFieldSpecs(data.customFields);
  return (
    <Section id="custom-fields" title="More fields">
      <dl className="divide-y divide-slate-100 px-5 py-1">
        {specs.map((spec) => (
          <InlineField key={spec.name} spec={spec} record={data.record} />
        ))}
      </dl>
    </Section>
  );
}

/** A compact list of related records (a company's contacts, a contact's deals). */
export function RelatedList({
  id,
  title,
  items,
  empty,
  more,
}: {
  id: string;
  title: string;
  items: { id: string; to: string; title: string; detail?: ReactNode }[];
  empty: string;
  more?: { to: string; label: string } | undefined;
}) {
  return (
    <Section id={id} title={title}>
      {items.length === 0 ? (
        <p className="px-5 py-4 text-sm text-slate-600">{empty}</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {items.map((item) => (
            <li key={item.id} className="flex items-center justify-between gap-3 px-5 py-2.5">
              <Link
                to={item.to}
                prefetch="intent"
                className="truncate text-sm font-medium text-slate-900 hover:text-indigo-700"
              >
                {item.title}
              </Link>
              {item.detail ? (
                <span className="shrink-0 text-sm text-slate-600">{item.detail}</span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {more ? (
        <div className="border-t border-slate-200 px-5 py-2.5">
          <Link to={more.to} className="text-sm font-medium text-indigo-700 hover:text-indigo-600">
            {more.label}
          </Link>
        </div>
      ) : null}
    </Section>
  );
}

/** A record page's error panel: a missing record may have been deleted (and be restorable). */
export function RecordPageError({ noun, listPath }: { noun: string; listPath: string }) {
  const error = useRouteError();
  if (!isRouteErrorResponse(error) || error.status !== 404) return <RouteError />;
  return (
    <div className="mx-auto max-w-lg px-4 py-16 text-center sm:px-6">
      <h1 className="text-xl font-semibold tracking-tight text-slate-900">
        This {noun} is not here
      </h1>
      <p className="mt-2 text-sm text-slate-600">
        It may have been deleted. Deleted records can be restored for 30 days.
      </p>
      <div className="mt-6 flex justify-center gap-3">
        <Link to={`${listPath}?deleted=true`} className={buttonClass("secondary")}>
          See deleted {noun === "company" ? "companies" : `${noun}s`}
        </Link>
        <Link to={listPath} className={buttonClass("primary")}>
          Back to the list
        </Link>
      </div>
    </div>
  );
}
