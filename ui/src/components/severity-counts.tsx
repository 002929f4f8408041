import { useQuery } from "@tanstack/react-query";
import type { ApiError } from "../api/api-error";
import { useSession } from "../app/session-context";
import { ErrorNotice } from "./error-notice";
import { Loading } from "./loading";

interface SeverityCountsResult {
  totalCount: number;
  criticalSeverityCount: number;
  highSeverityCount: number;
  mediumSeverityCount: number;
  lowSeverityCount: number;
  informationalSeverityCount: number;
}

const ROWS: ReadonlyArray<[keyof SeverityCountsResult, string]> = [
  ["criticalSeverityCount", "Critical"],
  ["highSeverityCount", "High"],
  ["mediumSeverityCount", "Medium"],
  ["lowSeverityCount", "Low"],
  ["informationalSeverityCount", "Informational"],
];

/** Open issues by severity, asked from Wiz through the operations route (issue.severityCounts) on this connector's tenant. */
export function SeverityCounts({ connector }: { connector: string }) {
  const { api } = useSession();
  const path = `/api/operations?connector=${encodeURIComponent(connector)}`;
  const query = useQuery<{ result: SeverityCountsResult }, ApiError>({
    queryKey: ["operation", connector, "issue.severityCounts"],
    queryFn: () => api.post(path, { resource: "issue", operation: "severityCounts", parameters: {} }),
    refetchInterval: 30_000,
  });
  return (
    <section className="panel" aria-labelledby="severity-heading">
      <h2 id="severity-heading">Open issues by severity (from Wiz)</h2>
      {query.isPending ? <Loading what="the issue counts" /> : null}
      <ErrorNotice error={query.error} title="Could not count the issues" />
      {query.data ? (
        <table className="compact">
          <tbody>
            {ROWS.map(([key, label]) => (
              <tr key={key}>
                <th scope="row">{label}</th>
                <td className="number" data-testid={`severity-${label.toLowerCase()}`}>
                  {query.data.result[key]}
                </td>
              </tr>
            ))}
            <tr>
              <th scope="row">Total open</th>
              <td className="number">{query.data.result.totalCount}</td>
            </tr>
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
