import { useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useListActionData } from "./action-data";

/* Which rows are ticked for a bulk action. */

export function useSelection<Row extends { id: string }>(rows: Row[]) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const navigation = useNavigation();
  const { success } = useListActionData();
  // A finished bulk action clears the selection.
  useEffect(() => {
    if (navigation.state === "idle" && success?.intent.startsWith("bulk-")) setSelected(new Set());
  }, [navigation.state, success]);
  // Rows that left the list (deleted, filtered out) leave the selection.
  const ids = rows.map((row) => row.id).join(",");
  useEffect(() => {
    const present = new Set(ids.split(","));
    setSelected((current) => new Set([...current].filter((id) => present.has(id))));
  }, [ids]);
  return {
    selected,
    toggle(id: string, checked: boolean) {
      setSelected((current) => {
        const next = new Set(current);
        if (checked) next.add(id);
        else next.delete(id);
        return next;
      });
    },
    toggleAll(all: Row[], checked: boolean) {
      setSelected(checked ? new Set(all.map((row) => row.id)) : new Set());
    },
  };
}
