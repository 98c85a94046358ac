/** Roles from most to least powerful. */
export const ROLES = ["owner", "admin", "manager", "agent", "viewer"] as const;
export type Role = (typeof ROLES)[number];

/**
 * The one permission table. Every route names the permission it needs; nothing checks a
 * role by name. Later domains add their own rows here.
 */
export const PERMISSIONS = {
  "org:read": ["owner", "admin", "manager", "agent", "viewer"],
  /** The organization's name and defaults (country, time zone, currency). */
  "org:manage": ["owner", "admin"],
  "members:read": ["owner", "admin", "manager", "agent", "viewer"],
  "members:manage": ["owner", "admin"],
  "invitations:manage": ["owner", "admin"],
  "api_keys:manage": ["owner", "admin"],
  "audit:read": ["owner", "admin"],
  /** The organization's background jobs (Settings -> Jobs): see them, retry failed ones. */
  "jobs:manage": ["owner", "admin"],
  /** Read every CRM record of the organization. */
  "crm:read": ["owner", "admin", "manager", "agent", "viewer"],
  /** Create records, and edit or delete those the ownership rule allows (worker/crm/access.ts). */
  "crm:write": ["owner", "admin", "manager", "agent"],
  /** Share a saved view with the organization (everyone may keep personal ones). */
  "views:share": ["owner", "admin", "manager", "agent"],
  /** Reassign owners and run bulk actions (assign, tag, delete). */
  "crm:bulk": ["owner", "admin", "manager"],
  "crm:import": ["owner", "admin", "manager"],
  "crm:export": ["owner", "admin", "manager"],
  /** Custom fields, pipelines and stages. */
  "crm:configure": ["owner", "admin"],
  /** The call log, live calls and queue views. */
  "calls:read": ["owner", "admin", "manager", "agent", "viewer"],
  /** Place calls, act on one's own calls, set one's own agent status. */
  "calls:write": ["owner", "admin", "manager", "agent"],
  /** Act on anyone's calls (hang up, transfer) and read every agent's statistics. */
  "calls:supervise": ["owner", "admin", "manager"],
  /** Bridge tokens, agents' extensions, call queues. */
  "pbx:configure": ["owner", "admin"],
  /** The inbox's channels (WhatsApp numbers, website chats) and their secrets. */
  "channels:manage": ["owner", "admin"],
  /** Read the inbox: conversations and their messages. */
  "inbox:read": ["owner", "admin", "manager", "agent", "viewer"],
  /** Reply, write notes, assign, label, snooze, resolve and merge conversations. */
  "inbox:write": ["owner", "admin", "manager", "agent"],
  /** Read the support desk's tickets and their comments. */
  "tickets:read": ["owner", "admin", "manager", "agent", "viewer"],
  /** Open tickets, reply, write notes, assign, change status, merge. */
  "tickets:write": ["owner", "admin", "manager", "agent"],
  /** Delete tickets. */
  "tickets:delete": ["owner", "admin", "manager"],
  /** SLA policies and the business-hours calendar. */
  "desk:configure": ["owner", "admin"],
  /** Read the knowledge base, drafts included. */
  "kb:read": ["owner", "admin", "manager", "agent", "viewer"],
  /** Write articles and edit drafts (what customers see is not changed by it). */
  "kb:write": ["owner", "admin", "manager", "agent"],
  /** Publish and unpublish, edit published articles, delete articles, manage categories. */
  "kb:manage": ["owner", "admin", "manager"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export function permissionsOf(role: Role): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((permission) => can(role, permission));
}

export function roleRank(role: Role): number {
  return ROLES.length - ROLES.indexOf(role);
}

/** The less powerful of two roles. */
export function lesserRole(a: Role, b: Role): Role {
  return roleRank(a) <= roleRank(b) ? a : b;
}

/** A member may hand out roles up to their own, and only an owner can make an owner. */
export function canGrantRole(granter: Role, role: Role): boolean {
  if (role === "owner") return granter === "owner";
  return roleRank(granter) >= roleRank(role);
}
