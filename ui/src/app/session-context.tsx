import { createContext, useContext } from "react";
import type { ApiClient } from "../api/api-client";
import type { Role } from "../api/roles";

/** Who is signed in (GET /api/whoami) and the API client carrying their token. */
export interface ConsoleSession {
  api: ApiClient;
  name: string;
  role: Role;
  signOut(): void;
}

export const SessionContext = createContext<ConsoleSession | undefined>(undefined);

/** The signed-in session; pages render only inside the signed-in shell, so it is always there. */
export function useSession(): ConsoleSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession: rendered outside the signed-in console (SessionContext.Provider is missing).");
  return session;
}
