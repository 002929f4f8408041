import { ConnectPage } from "../pages/connect.page";
import { ConnectorDetailPage } from "../pages/connector-detail.page";
import { IntegrationsPage } from "../pages/integrations.page";
import { MapEditorPage } from "../pages/map-editor.page";
import { MapsPage } from "../pages/maps.page";
import { OperationsPage } from "../pages/operations.page";
import { RuntimeAlertPage } from "../pages/runtime-alert.page";
import { RuntimePage } from "../pages/runtime.page";
import { SinksPage } from "../pages/sinks.page";
import { Link, matchPath } from "./router";

/**
 * The console's pages by path. The server answers these paths with index.html (src/server/console.routes.ts
 * CONSOLE_PAGE_PATHS), so a reload or a bookmark lands on the same page.
 */
export function ConsolePage({ path }: { path: string }) {
  if (path === "/" || path === "/integrations") return <IntegrationsPage />;
  if (path === "/connect") return <ConnectPage />;
  let params = matchPath("/connectors/:id", path);
  if (params?.id) return <ConnectorDetailPage id={params.id} />;
  if (path === "/sinks") return <SinksPage />;
  if (path === "/runtime") return <RuntimePage />;
  params = matchPath("/runtime/alerts/:id", path);
  if (params?.id) return <RuntimeAlertPage id={params.id} />;
  if (path === "/maps") return <MapsPage />;
  params = matchPath("/maps/:name", path);
  if (params?.name) return <MapEditorPage name={params.name} />;
  if (path === "/operations") return <OperationsPage />;
  return (
    <section>
      <h1>Not a console page</h1>
      <p>
        Nothing is shown at <code>{path}</code>. <Link to="/">Go to the integrations</Link>.
      </p>
    </section>
  );
}
