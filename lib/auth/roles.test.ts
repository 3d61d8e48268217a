import { describe, expect, it } from "vitest";
import { can, type Permission, type Role } from "./roles";

const matrix: [Role | null, Permission, boolean][] = [
  ["ADMIN", "users:manage", true],
  ["ADMIN", "exports:read", true],
  ["ORGANISER", "users:manage", false],
  ["ADMIN", "invoicing:manage", true],
  ["ORGANISER", "invoicing:manage", false],
  ["CHECKIN_STAFF", "invoicing:manage", false],
  ["ORGANISER", "editions:manage", true],
  ["ORGANISER", "exports:read", true],
  ["CHECKIN_STAFF", "checkin:scan", true],
  ["CHECKIN_STAFF", "orders:manage", false],
  ["CHECKIN_STAFF", "exports:read", false],
  [null, "checkin:scan", false],
];

describe("roles", () => {
  it.each(matrix)("%s may %s: %s", (role, permission, allowed) => {
    expect(can(role, permission)).toBe(allowed);
  });
});
