/** The API's roles, lowest first (src/store/api-token.repository.ts). */
export type Role = "viewer" | "operator" | "admin";

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Whether a token of `role` may call a route that needs `needed`: the console shows a button only when it may. */
export function roleAllows(role: Role | undefined, needed: Role): boolean {
  return role !== undefined && RANK[role] >= RANK[needed];
}

/** The role names the server may send, checked so an unexpected one grants nothing. */
export function isRole(value: unknown): value is Role {
  return value === "viewer" || value === "operator" || value === "admin";
}
