import type { TenantScope } from "../../worker/lib/scope";
import { listMembers, type Member } from "../../worker/members/service";

/*
 * The member directory pages build their owner, assignee, author, team and queue pickers from:
 * one read of the organization's members, in one place.
 */

/** Members read per query; the directory stops after `MAX_PAGES` of them. */
const PAGE_SIZE = 1000;
const MAX_PAGES = 2;

/** Every member of the organization, deactivated ones too (at most 2,000), by name. */
export async function memberDirectory(scope: TenantScope): Promise<Member[]> {
  const members: Member[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const result = await listMembers(scope, { limit: PAGE_SIZE, cursor });
    members.push(...result.rows);
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return members.sort((a, b) => a.name.localeCompare(b.name));
}

export interface MemberSummary {
  userId: string;
  name: string;
  active: boolean;
}

/** Everyone in the organization (owners, assignees and authors are shown by name). */
export async function memberSummaries(scope: TenantScope): Promise<MemberSummary[]> {
  return (await memberDirectory(scope)).map((member) => ({
    userId: member.userId,
    name: member.name,
    active: member.status === "active",
  }));
}
