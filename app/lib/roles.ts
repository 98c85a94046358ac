import { canGrantRole, ROLES, type Role } from "../../worker/auth/permissions";

export const ROLE_LABELS: Record<Role, string> = {
  owner: "Owner",
  admin: "Admin",
  manager: "Manager",
  agent: "Agent",
  viewer: "Viewer",
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: "Full control, including other owners.",
  admin: "Manages members, invitations and API keys.",
  manager: "Leads a team's day-to-day work.",
  agent: "Works contacts, conversations and tickets.",
  viewer: "Can look, not change.",
};

/** The roles `granter` may hand out, as select options (most powerful first). */
export function grantableRoleOptions(granter: Role) {
  return ROLES.filter((role) => canGrantRole(granter, role)).map((role) => ({
    value: role,
    label: ROLE_LABELS[role],
  }));
}
