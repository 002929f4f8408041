import { ApiError } from "./api-error";
import type { ApiClient } from "./api-client";
import { isRole, type Role } from "./roles";

export interface WhoAmI {
  name: string;
  role: Role;
}

/**
 * Checks a token and learns its name and role from GET /api/whoami. A server without that route still
 * proves the token with GET /api/openapi.json; the console then assumes the least role (viewer), so it
 * never shows a button the token may not press.
 */
export async function whoAmI(api: ApiClient): Promise<WhoAmI> {
  try {
    const me = await api.get<{ name?: unknown; role?: unknown }>("/api/whoami");
    return { name: typeof me.name === "string" ? me.name : "token", role: isRole(me.role) ? me.role : "viewer" };
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    await api.get("/api/openapi.json");
    return { name: "token", role: "viewer" };
  }
}
