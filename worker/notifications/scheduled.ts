import { and, eq, inArray, isNotNull, isNull, lt, lte, sql } from "drizzle-orm";
import { linkedRecordOf, recordPath } from "../../shared/crm";
import type { Database } from "../db/client";
import { activities } from "../db/crm-schema";
import { notifications } from "../db/notification-schema";
import { users } from "../db/schema";
import { queueEmail } from "../email/send";
import { appLink, type Config } from "../env";
import { type AfterCommit, runUnitOfWork } from "../lib/unit-of-work";
import { notify } from "./service";

/*
 * Notifications the clock sends, run as queue jobs from the cron:
 * - every minute, task reminders: each open task whose due time has come reminds its assignee
 *   once (`reminded_at`; changing the due time or the assignee re-arms it). Due times are
 *   instants, so the reminder comes at the due time wherever the assignee is;
 * - every 15 minutes, the email digest: what a person wanted by email and has left unread for
 *   an hour, one email per person, each notification emailed once.
 */

const DIGEST_AFTER = "1 hour";
const DIGEST_MAX_ITEMS = 20;

async function organizationsFrom(database: Database, fn: "tasks" | "digest"): Promise<string[]> {
  const statement =
    fn === "tasks"
      ? sql`select org_id from organizations_with_due_tasks()`
      : sql`select org_id from organizations_with_unread_digest(${DIGEST_AFTER}::interval)`;
  return database.global(async (tx) => {
    const { rows } = await tx.execute<{ org_id: string }>(statement);
    return rows.map((row) => row.org_id);
  });
}

export async function sendTaskReminders(database: Database, afterCommit: AfterCommit) {
  let reminded = 0;
  for (const orgId of await organizationsFrom(database, "tasks")) {
    reminded += await runUnitOfWork(
      database,
      { orgId, userId: null },
      afterCommit,
      async (unit) => {
        const due = await unit.tx
          .update(activities)
          .set({ remindedAt: new Date() })
          .where(
            and(
              eq(activities.type, "task"),
              lte(activities.dueAt, new Date()),
              isNull(activities.doneAt),
              isNull(activities.remindedAt),
              isNotNull(activities.assigneeId),
              isNull(activities.deletedAt),
            ),
          )
          .returning();
        for (const task of due) {
          const record = linkedRecordOf(task);
          await notify(unit, [task.assigneeId], {
            kind: "task_due",
            title: `Task due: ${task.subject}`,
            body: task.body,
            link: record ? recordPath(record.entity, record.id) : "/app/tasks",
          });
        }
        return due.length;
      },
    );
  }
  return { reminded };
}

export async function sendNotificationDigests(
  database: Database,
  afterCommit: AfterCommit,
  config: Pick<Config, "APP_URL" | "EMAIL_FROM">,
) {
  let emails = 0;
  for (const orgId of await organizationsFrom(database, "digest")) {
    emails += await runUnitOfWork(database, { orgId, userId: null }, afterCommit, async (unit) => {
      const unread = await unit.tx
        .select({ notification: notifications, email: users.email, name: users.name })
        .from(notifications)
        .innerJoin(users, eq(users.id, notifications.userId))
        .where(
          and(
            eq(notifications.email, true),
            isNull(notifications.readAt),
            isNull(notifications.emailedAt),
            lt(notifications.createdAt, sql`now() - ${DIGEST_AFTER}::interval`),
          ),
        )
        .orderBy(notifications.createdAt)
        .for("update", { of: notifications, skipLocked: true });
      const byUser = new Map<string, typeof unread>();
      for (const row of unread) {
        const list = byUser.get(row.notification.userId) ?? [];
        list.push(row);
        byUser.set(row.notification.userId, list);
      }
      for (const rows of byUser.values()) {
        const first = rows[0];
        if (!first) continue;
        await queueEmail(unit, config, {
          to: first.email,
          request: {
            template: "notification_digest",
            data: {
              name: first.name,
              items: rows.slice(0, DIGEST_MAX_ITEMS).map((row) => ({
                title: row.notification.title,
                link: appLink(config, row.notification.link),
              })),
              link: appLink(config, "/app"),
            },
          },
        });
      }
      if (unread.length > 0) {
        await unit.tx
          .update(notifications)
          .set({ emailedAt: new Date() })
          .where(
            inArray(
              notifications.id,
              unread.map((row) => row.notification.id),
            ),
          );
      }
      return byUser.size;
    });
  }
  return { emails };
}
