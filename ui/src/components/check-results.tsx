import { StatusBadge } from "./state-badge";

/** One of the five connection checks (src/wiz/connection-check.ts ConnectionCheckResult). */
export interface CheckResult {
  check: string;
  subject: string;
  status: "pass" | "fail" | "skip" | string;
  detail: string;
  fix?: string;
  scopes?: readonly string[];
  durationMs?: number;
}

export interface CheckReport {
  ok: boolean;
  checks: CheckResult[];
  /** Streams without a probe of their own (a sync checks them end to end). */
  unprobed?: string[];
}

/** The checks of a connection test, each with PASS/FAIL/SKIP, what was found and, for a failure, the fix. */
export function CheckResults({ report, caption }: { report: CheckReport; caption?: string }) {
  return (
    <section className="check-results" aria-live="polite">
      <p className={report.ok ? "notice notice-ok" : "notice notice-bad"} role="status">
        {report.ok ? "Successfully connected: every check passed." : "Not connected: a check failed. Each failure says what to do."}
      </p>
      <table>
        <caption>{caption ?? "Connection checks"}</caption>
        <thead>
          <tr>
            <th scope="col">Check</th>
            <th scope="col">Subject</th>
            <th scope="col">Result</th>
            <th scope="col">Detail and fix</th>
          </tr>
        </thead>
        <tbody>
          {report.checks.map((c, i) => (
            <tr key={`${c.check}-${c.subject}-${i}`} data-check={c.check} data-status={c.status}>
              <td>{c.check}</td>
              <td>{c.subject}</td>
              <td>
                <StatusBadge status={c.status} />
              </td>
              <td>
                {c.detail}
                {c.fix ? (
                  <>
                    <br />
                    <strong>Fix:</strong> {c.fix}
                  </>
                ) : null}
                {c.scopes && c.scopes.length > 0 ? (
                  <>
                    <br />
                    <span className="muted">Scopes: {c.scopes.join(", ")}</span>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.unprobed && report.unprobed.length > 0 ? <p className="muted">Not probed on their own (a sync checks them end to end): {report.unprobed.join(", ")}.</p> : null}
    </section>
  );
}
