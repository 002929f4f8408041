import { useState, type FormEvent, type ReactNode } from "react";
import { ApiError } from "../api/api-error";
import { roleAllows } from "../api/roles";
import { navigate } from "../app/router";
import { useSession } from "../app/session-context";
import { useApiMutation, useApiQuery } from "../app/use-api";
import { useApiRoutes } from "../app/use-api-routes";
import { CheckResults, type CheckReport } from "../components/check-results";
import { ErrorNotice } from "../components/error-notice";
import { PageHeading } from "../components/page-heading";
import { connectFormProblems, connectorBodyOf, emptyConnectForm, formFieldOfIssue, testBodyOf, type ConnectForm, type StreamChoice } from "../logic/connect-form";

/** A labelled input with its help and its problem tied to it (aria-describedby), as every field of this form. */
function Field({ id, label, help, problem, children }: { id: string; label: string; help?: string; problem?: string | undefined; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {help ? (
        <span id={`${id}-help`} className="help">
          {help}
        </span>
      ) : null}
      {problem ? (
        <span id={`${id}-problem`} className="problem">
          {problem}
        </span>
      ) : null}
    </div>
  );
}

const describedBy = (id: string, help: boolean, problem: string | undefined) => [help ? `${id}-help` : "", problem ? `${id}-problem` : ""].filter(Boolean).join(" ") || undefined;

/**
 * Connect: the guided form for a new connector. "Test connection" runs the five checks on what is entered
 * (nothing saved); "Connect" saves it (secret encrypted at rest) and starts it.
 */
export function ConnectPage() {
  const { role } = useSession();
  const routes = useApiRoutes();
  const [form, setForm] = useState<ConnectForm>(() => emptyConnectForm());
  const [touched, setTouched] = useState(false);
  const sinks = useApiQuery<{ sinks: Array<{ sink: string; type: string; target: string }> }>("/api/sinks");
  const maps = useApiQuery<{ maps: Array<{ name: string; recordTypes: string[] }> }>("/api/maps");
  const test = useApiMutation<CheckReport, Record<string, unknown>>("POST", () => "/api/connectors/test", { bodyOf: (body) => body });
  const save = useApiMutation<{ id?: string }, Record<string, unknown>>("POST", () => "/api/connectors", { bodyOf: (body) => body, invalidate: ["/api/connectors"] });

  const local = touched ? connectFormProblems(form, "connect") : {};
  const serverError = save.error ?? test.error;
  const serverProblems: Record<string, string> = {};
  if (serverError instanceof ApiError) for (const issue of serverError.body.issues ?? []) serverProblems[formFieldOfIssue(issue.path)] ??= issue.message;
  const problem = (field: string) => local[field] ?? serverProblems[field];
  const set = <K extends keyof ConnectForm>(key: K, value: ConnectForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const setStream = (name: string, patch: Partial<StreamChoice>) => setForm((f) => ({ ...f, streams: { ...f.streams, [name]: { ...(f.streams[name] as StreamChoice), ...patch } } }));

  if (!roleAllows(role, "admin")) {
    return (
      <section>
        <PageHeading>Connect a Wiz tenant</PageHeading>
        <p>Connecting a tenant stores credentials, which needs an admin token. You are signed in as {role}.</p>
      </section>
    );
  }

  if (routes.known && !routes.has("POST", "/api/connectors")) {
    return (
      <section>
        <PageHeading>Connect a Wiz tenant</PageHeading>
        <p>This wizbridge server cannot add connectors over its API (it has no POST /api/connectors). Add the connector to the config file and restart, or update wizbridge.</p>
      </section>
    );
  }
  const canTest = routes.has("POST", "/api/connectors/test");

  const runTest = () => {
    setTouched(true);
    const problems = connectFormProblems(form, "test");
    if (Object.keys(problems).length > 0) return;
    test.mutate(testBodyOf(form));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (Object.keys(connectFormProblems(form, "connect")).length > 0) return;
    save.mutate(connectorBodyOf(form), { onSuccess: () => navigate("/") });
  };
  const text = (id: keyof ConnectForm & string, label: string, options: { help?: string; type?: string; autoComplete?: string } = {}) => (
    <Field id={`connect-${id}`} label={label} {...(options.help ? { help: options.help } : {})} problem={problem(id)}>
      <input
        id={`connect-${id}`}
        type={options.type ?? "text"}
        autoComplete={options.autoComplete ?? "off"}
        spellCheck={false}
        value={String(form[id])}
        aria-invalid={problem(id) ? true : undefined}
        aria-describedby={describedBy(`connect-${id}`, Boolean(options.help), problem(id))}
        onChange={(e) => set(id, e.target.value as never)}
      />
    </Field>
  );

  return (
    <section>
      <PageHeading>Connect a Wiz tenant</PageHeading>
      <p className="muted">Create a service account in Wiz (Settings &gt; Service Accounts) with the read scopes of the streams you pick, then enter its Client ID and Secret. Test first: nothing is saved until you press Connect.</p>
      <form onSubmit={submit} noValidate>
        <fieldset>
          <legend>1. Tenant</legend>
          {text("id", "Connector name", { help: "Names this connector in logs, files and the API, e.g. prod." })}
          <Field id="connect-tenantType" label="Tenant type" help="Where the tenant lives: commercial (app.wiz.io), Wiz for Gov (app.wiz.us), or GovCloud (gov.wiz.io).">
            <select id="connect-tenantType" aria-describedby="connect-tenantType-help" value={form.tenantType} onChange={(e) => set("tenantType", e.target.value as ConnectForm["tenantType"])}>
              <option value="commercial">commercial</option>
              <option value="gov">gov</option>
              <option value="govcloud">govcloud</option>
            </select>
          </Field>
          <fieldset className="inline">
            <legend>Locate the API by</legend>
            <label>
              <input type="radio" name="locate" checked={form.locate === "region"} onChange={() => set("locate", "region")} /> Region
            </label>
            <label>
              <input type="radio" name="locate" checked={form.locate === "endpoint"} onChange={() => set("locate", "endpoint")} /> Endpoint URL
            </label>
          </fieldset>
          {form.locate === "region"
            ? text("region", "Region", { help: "The Wiz data center, e.g. us17 (Wiz: User Settings > Tenant Info)." })
            : text("endpoint", "API endpoint", { help: "The full GraphQL endpoint, e.g. https://api.us17.app.wiz.io/graphql." })}
        </fieldset>
        <fieldset>
          <legend>2. Authentication</legend>
          <Field id="connect-authFlavor" label="Auth flavour" help="cognito for current tenants; auth0 only for legacy tenants that still use auth.wiz.io.">
            <select id="connect-authFlavor" aria-describedby="connect-authFlavor-help" value={form.authFlavor} onChange={(e) => set("authFlavor", e.target.value as ConnectForm["authFlavor"])}>
              <option value="cognito">cognito</option>
              <option value="auth0">auth0</option>
            </select>
          </Field>
          {text("clientId", "Client ID")}
          {text("clientSecret", "Client secret", { type: "password", autoComplete: "new-password", help: "Stored encrypted; never shown again, never logged." })}
          <details>
            <summary>Advanced: token service, audience, non-Wiz hosts</summary>
            {text("tokenUrl", "Token URL", { help: "Only when it differs from the tenant type's (a proxy, a simulator)." })}
            {text("audience", "Audience", { help: "wiz-api (cognito) or beyond-api (auth0) unless told otherwise." })}
            <div className="field checkbox">
              <label>
                <input type="checkbox" checked={form.allowNonWizHosts} onChange={(e) => set("allowNonWizHosts", e.target.checked)} /> Allow hosts outside *.wiz.io and *.wiz.us (the local simulator only)
              </label>
            </div>
          </details>
        </fieldset>
        <fieldset>
          <legend>3. Streams</legend>
          {problem("streams") ? <p className="problem">{problem("streams")}</p> : null}
          <table className="streams">
            <thead>
              <tr>
                <th scope="col">Stream</th>
                <th scope="col">Schedule</th>
                <th scope="col">Filters (JSON)</th>
                <th scope="col">Mode</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(form.streams).map(([name, s]) => {
                const scheduleProblem = problem(`streams.${name}.schedule`);
                const filtersProblem = problem(`streams.${name}.filters`);
                return (
                  <tr key={name}>
                    <td>
                      <label>
                        <input type="checkbox" checked={s.selected} onChange={(e) => setStream(name, { selected: e.target.checked })} /> {name}
                      </label>
                    </td>
                    <td>
                      <input
                        aria-label={`${name} schedule`}
                        placeholder="default"
                        disabled={!s.selected}
                        value={s.schedule}
                        aria-invalid={scheduleProblem ? true : undefined}
                        aria-describedby={scheduleProblem ? `stream-${name}-schedule-problem` : undefined}
                        onChange={(e) => setStream(name, { schedule: e.target.value })}
                      />
                      {scheduleProblem ? (
                        <span id={`stream-${name}-schedule-problem`} className="problem">
                          {scheduleProblem}
                        </span>
                      ) : null}
                    </td>
                    <td>
                      <textarea
                        aria-label={`${name} filters`}
                        rows={1}
                        placeholder='{"status": ["OPEN"]}'
                        disabled={!s.selected}
                        value={s.filters}
                        aria-invalid={filtersProblem ? true : undefined}
                        aria-describedby={filtersProblem ? `stream-${name}-filters-problem` : undefined}
                        onChange={(e) => {
                          setTouched(true);
                          setStream(name, { filters: e.target.value });
                        }}
                      />
                      {filtersProblem ? (
                        <span id={`stream-${name}-filters-problem`} className="problem">
                          {filtersProblem}
                        </span>
                      ) : null}
                    </td>
                    <td>
                      <select aria-label={`${name} mode`} disabled={!s.selected} value={s.mode} onChange={(e) => setStream(name, { mode: e.target.value as StreamChoice["mode"] })}>
                        <option value="">default</option>
                        <option value="incremental">incremental</option>
                        <option value="snapshot">snapshot</option>
                      </select>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="help">Schedules: 30s, 5m, 1h, 1d, a cron expression such as */15 * * * *, or once. Filters are Wiz filters as in the config file; the server checks each field against Wiz's schema.</p>
          <div className="field checkbox">
            <label>
              <input type="checkbox" checked={form.sampling} onChange={(e) => set("sampling", e.target.checked)} /> Sample: only the top assets by risk
            </label>
          </div>
          {form.sampling ? text("samplingAssets", "Assets to sample") : null}
        </fieldset>
        <fieldset>
          <legend>4. Output and sinks</legend>
          <Field id="connect-output" label="Output profile or transform map" problem={problem("output")}>
            <select id="connect-output" value={form.output} onChange={(e) => set("output", e.target.value)}>
              <option value="canonical">canonical</option>
              <option value="ocsf">ocsf</option>
              <option value="ecs">ecs</option>
              {maps.data?.maps.map((m) => (
                <option key={m.name} value={`map:${m.name}`}>
                  map:{m.name}
                </option>
              ))}
            </select>
          </Field>
          <Field id="connect-ladder" label="Severity ladder">
            <select id="connect-ladder" value={form.severityLadder} onChange={(e) => set("severityLadder", e.target.value)}>
              <option value="">Wiz's own five severities</option>
              <option value="four-tier">four-tier</option>
            </select>
          </Field>
          <fieldset className="choices">
            <legend>Sinks</legend>
            {sinks.data?.sinks.map((s) => (
              <label key={s.sink}>
                <input type="checkbox" checked={form.sinks.includes(s.sink)} onChange={(e) => set("sinks", e.target.checked ? [...form.sinks, s.sink] : form.sinks.filter((x) => x !== s.sink))} /> {s.sink} <span className="muted">({s.target})</span>
              </label>
            ))}
            {sinks.data && sinks.data.sinks.length === 0 ? <p>No sinks yet: add one on the Sinks page first.</p> : null}
            {problem("sinks") ? <p className="problem">{problem("sinks")}</p> : null}
          </fieldset>
          <div className="field checkbox">
            <label>
              <input type="checkbox" checked={form.enabled} onChange={(e) => set("enabled", e.target.checked)} /> Start syncing once saved
            </label>
          </div>
        </fieldset>
        <div className="actions">
          {canTest ? (
            <button type="button" onClick={runTest} disabled={test.isPending}>
              {test.isPending ? "Testing…" : "Test connection"}
            </button>
          ) : null}
          <button type="submit" className="button-primary" disabled={save.isPending}>
            {save.isPending ? "Connecting…" : "Connect"}
          </button>
        </div>
        {touched && Object.keys(local).length > 0 ? (
          <p className="problem" role="alert">
            Fix the {Object.keys(local).length} marked field(s) first.
          </p>
        ) : null}
      </form>
      <ErrorNotice error={serverError} title={save.error ? "Not connected" : "The test could not run"} />
      {test.data ? <CheckResults report={test.data} /> : null}
    </section>
  );
}
