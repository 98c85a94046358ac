import { LEAD_STATUSES, labelOf } from "../lib/record-format";
import { Badge } from "./ui";

const STATUS_TONES = {
  new: "accent",
  contacted: "neutral",
  qualified: "success",
  unqualified: "warning",
} as const;

/** A lead's status, or "Converted" once it became a deal. */
export function LeadStatus({
  lead,
}: {
  lead: { status: keyof typeof STATUS_TONES; convertedAt: string | null };
}) {
  if (lead.convertedAt) return <Badge tone="success">Converted</Badge>;
  return <Badge tone={STATUS_TONES[lead.status]}>{labelOf(LEAD_STATUSES, lead.status)}</Badge>;
}

/** A deal's stage, green when won and red when lost. */
export function StageBadge({
  stage,
}: {
  stage: { label: string; isWon: boolean; isLost: boolean } | undefined;
}) {
  if (!stage) return <Badge>Unknown stage</Badge>;
  return (
    <Badge tone={stage.isWon ? "success" : stage.isLost ? "danger" : "neutral"}>
      {stage.label}
    </Badge>
  );
}
