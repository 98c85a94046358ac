/*
 * Notifications: what a person is told about, shared by the Worker and the app.
 */

export const NOTIFICATION_KINDS = [
  "mention",
  "assignment",
  "task_due",
  "sla_warning",
  "sla_breach",
  "missed_call",
  "import_finished",
  "export_finished",
  "invitation_accepted",
  "csat_answered",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Where a kind reaches a person: the bell, the hourly email digest of what is unread, both, or nowhere. */
export const NOTIFICATION_CHANNELS = ["in_app", "email", "both", "off"] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

export const DEFAULT_NOTIFICATION_CHANNEL: NotificationChannel = "both";

export const NOTIFICATION_KIND_LABELS: Record<NotificationKind, string> = {
  mention: "Mentions",
  assignment: "Assigned to me",
  task_due: "Task reminders",
  sla_warning: "SLA breaching soon",
  sla_breach: "SLA breached",
  missed_call: "Missed calls",
  import_finished: "Imports finished",
  export_finished: "Exports finished",
  invitation_accepted: "Invitations accepted",
  csat_answered: "Satisfaction ratings",
};
