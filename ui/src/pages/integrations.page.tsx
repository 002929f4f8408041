import { useState } from "react";
import { roleAllows } from "../api/roles";
import { Link } from "../app/router";
import { useSession } from "../app/session-context";
import { useApiQuery } from "../app/use-api";
import { ConnectorTile } from "../components/connector-tile";
import { ErrorNotice } from "../components/error-notice";
import { Loading } from "../components/loading";
import { PageHeading } from "../components/page-heading";
import type { ConnectorView } from "../logic/connector-view";

/** Integrations: one tile per connector, refreshed every few seconds so states move as runs go. */
export function IntegrationsPage() {
  const { role } = useSession();
  const query = useApiQuery<{ connectors: ConnectorView[] }>("/api/connectors", { refreshMs: 2000 });
  const [notice, setNotice] = useState<string | undefined>(undefined);
  return (
    <section>
      <PageHeading actions={roleAllows(role, "admin") ? <Link to="/connect" className="button-link">Connect a Wiz tenant</Link> : null}>Integrations</PageHeading>
      {notice ? (
        <p className="notice notice-ok" role="status" data-testid="page-notice">
          {notice}
        </p>
      ) : null}
      {query.isPending ? <Loading what="the connectors" /> : null}
      <ErrorNotice error={query.error} title="Could not list the connectors" />
      {query.data && query.data.connectors.length === 0 ? <p>No connectors yet. {roleAllows(role, "admin") ? <Link to="/connect">Connect a Wiz tenant</Link> : "An admin can connect one."}</p> : null}
      <div className="tiles">
        {query.data?.connectors.map((c) => (
          <ConnectorTile key={c.id} connector={c} onNotice={setNotice} />
        ))}
      </div>
    </section>
  );
}
