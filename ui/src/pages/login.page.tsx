import { useState, type FormEvent } from "react";
import { createApiClient } from "../api/api-client";
import { ErrorNotice } from "../components/error-notice";
import { PageHeading } from "../components/page-heading";
import { whoAmI, type WhoAmI } from "../api/whoami";

/** Sign-in with an API token: checked against the server (GET /api/whoami) before the console opens. */
export function LoginPage({ onSignedIn, fetchImpl, notice }: { onSignedIn(token: string, me: WhoAmI): void; fetchImpl?: typeof fetch; notice?: string }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const trimmed = token.trim();
      const me = await whoAmI(createApiClient({ token: trimmed, ...(fetchImpl ? { fetch: fetchImpl } : {}) }));
      onSignedIn(trimmed, me);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="login" id="main">
      <PageHeading>Sign in to wizbridge</PageHeading>
      {notice ? (
        <p className="notice notice-info" role="status">
          {notice}
        </p>
      ) : null}
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor="api-token">API token</label>
          <input id="api-token" name="token" type="password" autoComplete="off" spellCheck={false} required value={token} onChange={(e) => setToken(e.target.value)} aria-describedby="api-token-help" />
          <span id="api-token-help" className="help">
            `wizbridge start` prints the admin token once at its first start; `wizbridge token create --role viewer|operator|admin` makes more. The token is kept in this tab only (sessionStorage).
          </span>
        </div>
        <button type="submit" className="button-primary" disabled={busy || token.trim() === ""}>
          {busy ? "Checking…" : "Sign in"}
        </button>
      </form>
      <ErrorNotice error={error} title="Not signed in" />
    </main>
  );
}
