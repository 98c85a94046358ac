import type { CrmEntity } from "../../../shared/crm";
import { useRevalidateOnEvents } from "../../lib/use-live";

/** Refreshes the list (once, shortly) when a record of this kind changes anywhere. */
export function useLiveList(entity: CrmEntity) {
  useRevalidateOnEvents(
    (event) =>
      event.type.startsWith(`${entity}.`) || (entity === "deal" && event.type === "deal.moved"),
    { delayMs: 250, maxWaitMs: Number.POSITIVE_INFINITY, whileReloading: "skip" },
  );
}
