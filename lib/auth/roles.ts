// Who may do what in the back office. Pure functions: every server action and route asks them
// itself (issue 6); check-in staff are further limited to the editions they are assigned to.
export const ROLES = ["ADMIN", "ORGANISER", "CHECKIN_STAFF"] as const;
export type Role = (typeof ROLES)[number];

export type Permission =
  "users:manage" | "invoicing:manage" | "editions:manage" | "orders:manage" | "exports:read" | "checkin:scan";

const GRANTS: Record<Role, readonly Permission[]> = {
  ADMIN: ["users:manage", "invoicing:manage", "editions:manage", "orders:manage", "exports:read", "checkin:scan"],
  ORGANISER: ["editions:manage", "orders:manage", "exports:read", "checkin:scan"],
  CHECKIN_STAFF: ["checkin:scan"],
};

export function can(role: Role | null | undefined, permission: Permission): boolean {
  return role ? GRANTS[role].includes(permission) : false;
}
