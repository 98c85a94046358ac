import { Form } from "@remix-run/react";
import {
  type CustomFieldDefinition,
  customFieldSpecs,
  type FieldSpec,
} from "../../lib/record-fields";
import type { Column } from "../data-table";
import { FieldDisplay } from "../record-fields";
import { Button } from "../ui";

/* The columns a list adds to its own: custom fields, and "Restore" in the "Deleted" list. */

export function customColumns<Row extends { custom: Record<string, unknown> }>(
  definitions: CustomFieldDefinition[],
): Column<Row>[] {
  const specs = customFieldSpecs(definitions);
  return definitions.map((definition, index) => {
    const spec = specs[index] as FieldSpec;
    return {
      key: `cf.${definition.key}`,
      label: definition.label,
      wide: true,
      render: (row: Row) => <FieldDisplay spec={spec} value={row.custom[definition.key]} />,
    };
  });
}

export function restoreColumn<Row extends { id: string }>(
  rowLabel: (row: Row) => string,
): Column<Row> {
  return {
    key: "restore",
    label: "Restore",
    align: "right",
    render: (row) => (
      <Form method="post">
        <input type="hidden" name="intent" value="restore" />
        <input type="hidden" name="id" value={row.id} />
        <Button variant="secondary" size="sm">
          Restore<span className="sr-only"> {rowLabel(row)}</span>
        </Button>
      </Form>
    ),
  };
}
