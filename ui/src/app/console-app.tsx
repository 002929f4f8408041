import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { createApiClient } from "../api/api-client";
import type { TokenStore } from "../api/token-store";
import { whoAmI, type WhoAmI } from "../api/whoami";
import { LoginPage } from "../pages/login.page";
import { AppShell } from "./app-shell";
import { ConsolePage } from "./console-routes";
import { useLocation } from "./router";
import { SessionContext, type ConsoleSession } from "./session-context";

interface SignedIn {
  token: string;
  me: WhoAmI;
}

/**
 * The whole console: the sign-in page until a token is proven, then the pages. A token found in
 * sessionStorage (a reload) is checked again first; a 401 later (revoked token) signs out with a note.
 */
export function ConsoleApp({ tokens, fetchImpl }: { tokens: TokenStore; fetchImpl?: typeof fetch }) {
  const [signedIn, setSignedIn] = useState<SignedIn | undefined>(undefined);
  const [checking, setChecking] = useState(() => tokens.read() !== undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const { path } = useLocation();
  const queryClient = useMemo(() => new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } } }), []);

  useEffect(() => {
    const saved = tokens.read();
    if (!saved) return;
    let cancelled = false;
    whoAmI(createApiClient({ token: saved, ...(fetchImpl ? { fetch: fetchImpl } : {}) }))
      .then((me) => !cancelled && setSignedIn({ token: saved, me }))
      .catch(() => {
        tokens.clear();
        if (!cancelled) setNotice("The saved token is no longer accepted; sign in again.");
      })
      .finally(() => !cancelled && setChecking(false));
    return () => {
      cancelled = true;
    };
  }, [tokens, fetchImpl]);

  const session = useMemo<ConsoleSession | undefined>(() => {
    if (!signedIn) return undefined;
    const signOut = (reason?: string) => {
      tokens.clear();
      queryClient.clear();
      setSignedIn(undefined);
      setNotice(reason);
    };
    return {
      api: createApiClient({ token: signedIn.token, ...(fetchImpl ? { fetch: fetchImpl } : {}), onUnauthorized: () => signOut("The server no longer accepts this token (revoked?); sign in again.") }),
      name: signedIn.me.name,
      role: signedIn.me.role,
      signOut: () => signOut(),
    };
  }, [signedIn, tokens, fetchImpl, queryClient]);

  if (checking && !signedIn) {
    return (
      <p className="muted" role="status">
        Checking the saved token…
      </p>
    );
  }
  if (!session) {
    return (
      <LoginPage
        {...(fetchImpl ? { fetchImpl } : {})}
        {...(notice ? { notice } : {})}
        onSignedIn={(token, me) => {
          tokens.write(token);
          setNotice(undefined);
          setSignedIn({ token, me });
        }}
      />
    );
  }
  return (
    <QueryClientProvider client={queryClient}>
      <SessionContext.Provider value={session}>
        <AppShell>
          <ConsolePage key={path} path={path} />
        </AppShell>
      </SessionContext.Provider>
    </QueryClientProvider>
  );
}
