import { ownerFilterOptions } from "../../lib/record-fields";
import { PageBody, PageHeader } from "../page";
import { sharedRecordColumns } from "../record-columns";
import { RecordList, type RecordListProps } from "./record-list";
import type { RecordListConfig } from "./types";

/*
 * The page of every record list route (contacts, companies, leads, deals): the header, then
 * the list with the entity's own columns and filters between the ones every record has
 * (owner first; tags last; owner, tags, created and updated columns at the end).
 */

/** The list routes' config: `/app/<many>`, newest first. */
export function recordListConfig(
  entity: RecordListConfig["entity"],
  many: string,
): RecordListConfig {
  return { entity, path: `/app/${many}`, one: entity, many, defaultSort: "-createdAt" };
}

export function RecordListPage<
  Row extends {
    id: string;
    custom: Record<string, unknown>;
    ownerId: string | null;
    tags: string[];
    createdAt: string;
    updatedAt: string;
  },
>({
  title,
  description,
  data,
  columns,
  filters,
  ...list
}: RecordListProps<Row> & { title: string; description: string }) {
  return (
    <>
      <PageHeader title={title} description={description} />
      <PageBody>
        <RecordList
          data={data}
          columns={[...columns, ...sharedRecordColumns<Row>(data.members)]}
          filters={[
            {
              name: "filter.ownerId",
              label: "Owner",
              options: ownerFilterOptions(data.members, data.me),
            },
            ...filters,
            { name: "filter.tags", label: "Tag", placeholder: "Any tag" },
          ]}
          {...list}
        />
      </PageBody>
    </>
  );
}
