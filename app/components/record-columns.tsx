import { memberName } from "../lib/record-fields";
import { formatDay } from "../lib/record-format";
import type { Column } from "./data-table";
import { EmptyValue, TagList } from "./record-fields";

/** What every CRM record row carries for the columns all record lists share. */
interface CrmRecordRow {
  ownerId: string | null;
  tags: string[];
  createdAt: string;
  updatedAt: string;
}

function dayColumn<Row extends CrmRecordRow>(
  key: "createdAt" | "updatedAt",
  label: string,
): Column<Row> {
  return {
    key,
    label,
    sort: key,
    firstDirection: "descending",
    wide: true,
    render: (row) => formatDay(row[key]),
  };
}

/** The owner, tags, created and updated columns that end every record list. */
export function sharedRecordColumns<Row extends CrmRecordRow>(
  members: readonly { userId: string; name: string }[],
): Column<Row>[] {
  return [
    {
      key: "owner",
      label: "Owner",
      wide: true,
      render: (row) => memberName(members, row.ownerId) ?? <EmptyValue />,
    },
    { key: "tags", label: "Tags", wide: true, render: (row) => <TagList tags={row.tags} /> },
    dayColumn("createdAt", "Created"),
    dayColumn("updatedAt", "Updated"),
  ];
}
