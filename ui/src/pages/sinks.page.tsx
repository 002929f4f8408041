import { useState, type FormEvent } from "react";
import { apiPath } from "../api/api-client";
import { roleAllows } from "../api/roles";
import { useSession } from "../app/session-context";
import { useApiMutation, useApiQuery } from "../app/use-api";
import { useApiRoutes } from "../app/use-api-routes";
import { ConfirmButton } from "../components/confirm-button";
import { ErrorNotice } from "../components/error-notice";
import { Loading } from "../components/loading";
import { PageHeading } from "../components/page-heading";
import { StatusBadge } from "../components/state-badge";

interface SinkRow {
  sink: string;
  type: string;
  target: string;
  source?: string;
  readOnly?: boolean;
  connectors: Array<{ connector: string; backlog: number; state: string; down: boolean; lastError: string | null; failingSince: string | null; delivered?: number; deadLettered?: number }>;
}

/** What POST /api/sinks/:id/test answers: the sink's self-test steps (src/sinks/sink.ts SinkTestStep). */
interface SinkTestAnswer {
  ok?: boolean;
  steps?: Array<{ step: string; ok: boolean; detail: string; fix?: string }>;
  message?: string;
}

const EXAMPLE = '{"type": "jsonl", "directory": "./data/more-events"}';

/** Sinks: each sink's target, health and backlog per connector; test (operator); add, change and remove (admin). */
export function SinksPage() {
  const { role } = useSession();
  const routes = useApiRoutes();
  const list = useApiQuery<{ sinks: SinkRow[] }>("/api/sinks", { refreshMs: 3000 });
  const [tested, setTested] = useState<Record<string, SinkTestAnswer>>({});
  const test = useApiMutation<SinkTestAnswer, string>("POST", (id) => apiPath`/api/sinks/${id}/test`);
  const remove = useApiMutation<unknown, string>("DELETE", (id) => apiPath`/api/sinks/${id}`, { invalidate: ["/api/sinks"] });
  return (
    <section>
      <PageHeading>Sinks</PageHeading>
      {list.isPending ? <Loading what="the sinks" /> : null}
      <ErrorNotice error={list.error ?? test.error ?? remove.error} />
      {list.data?.sinks.map((s) => {
        const readOnly = s.readOnly === true || s.source === "config" || s.source === undefined;
        const answer = tested[s.sink];
        return (
          <article key={s.sink} className="panel" aria-labelledby={`sink-${s.sink}`} data-sink={s.sink}>
            <h2 id={`sink-${s.sink}`}>
              {s.sink} <span className="muted">({s.type})</span>
            </h2>
            <p>{s.target}</p>
            <table>
              <thead>
                <tr>
                  <th scope="col">Connector</th>
                  <th scope="col">Health</th>
                  <th scope="col">Backlog</th>
                  <th scope="col">Circuit</th>
                  <th scope="col">Failing since</th>
                  <th scope="col">Last error</th>
                </tr>
              </thead>
              <tbody>
                {s.connectors.length === 0 ? (
                  <tr>
                    <td colSpan={6}>No connector feeds this sink.</td>
                  </tr>
                ) : (
                  s.connectors.map((c) => (
                    <tr key={c.connector}>
                      <td>{c.connector}</td>
                      <td>
                        <StatusBadge status={c.down ? "failing" : "ok"} />
                      </td>
                      <td className="number">{c.backlog}</td>
                      <td>{c.state}</td>
                      <td>{c.failingSince ?? ""}</td>
                      <td>{c.lastError ?? ""}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
            <div className="actions">
              {roleAllows(role, "operator") && routes.has("POST", "/api/sinks/{id}/test") ? (
                <button type="button" onClick={() => test.mutate(s.sink, { onSuccess: (a) => setTested((t) => ({ ...t, [s.sink]: a })) })}>
                  Test {s.sink}
                </button>
              ) : null}
              {roleAllows(role, "admin") && !readOnly && routes.has("DELETE", "/api/sinks/{id}") ? <ConfirmButton label={`Remove ${s.sink}`} question={`Remove sink ${s.sink}? Refused while a connector feeds it.`} confirmLabel="Yes, remove" onConfirm={() => remove.mutate(s.sink)} /> : null}
              {readOnly ? <span className="muted">From the config file: edit the file to change it.</span> : null}
            </div>
            {answer ? <SinkTestResult answer={answer} /> : null}
          </article>
        );
      })}
      {roleAllows(role, "admin") && routes.has("POST", "/api/sinks") ? <AddSinkForm /> : null}
    </section>
  );
}

function SinkTestResult({ answer }: { answer: SinkTestAnswer }) {
  const steps = answer.steps ?? [];
  const ok = answer.ok ?? steps.every((s) => s.ok);
  return (
    <div role="status">
      <p className={ok ? "notice notice-ok" : "notice notice-bad"}>{ok ? "PASS: the sink accepted a marked test event." : "FAIL: see the failed step and its fix."}</p>
      <ul>
        {steps.map((s) => (
          <li key={s.step}>
            <StatusBadge status={s.ok ? "pass" : "fail"} /> {s.step}: {s.detail}
            {s.fix ? ` Fix: ${s.fix}` : ""}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A new sink: its id and its settings as the config file's `sinks:` entry takes them (secrets are stored encrypted). */
function AddSinkForm() {
  const [id, setId] = useState("");
  const [settings, setSettings] = useState(EXAMPLE);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const add = useApiMutation<unknown, Record<string, unknown>>("POST", () => "/api/sinks", { bodyOf: (body) => body, invalidate: ["/api/sinks"] });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    let parsed: unknown;
    try {
      parsed = JSON.parse(settings);
    } catch (error) {
      setProblem(`Settings are not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return setProblem('Settings must be a JSON object with a "type".');
    setProblem(undefined);
    add.mutate({ id: id.trim(), ...(parsed as Record<string, unknown>) }, { onSuccess: () => setId("") });
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="add-sink">
      <h2 id="add-sink">Add a sink</h2>
      <div className="field">
        <label htmlFor="sink-id">Sink id</label>
        <input id="sink-id" value={id} onChange={(e) => setId(e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor="sink-settings">Settings (JSON, as a `sinks:` entry of the config file)</label>
        <textarea id="sink-settings" rows={5} value={settings} onChange={(e) => setSettings(e.target.value)} aria-describedby="sink-settings-help" />
        <span id="sink-settings-help" className="help">
          e.g. {'{"type": "splunk-hec", "url": "https://splunk:8088", "token": "..."}'}; docs/sinks.md lists every type and key.
        </span>
      </div>
      {problem ? (
        <p className="problem" role="alert">
          {problem}
        </p>
      ) : null}
      <button type="submit" className="button-primary" disabled={add.isPending || id.trim() === ""}>
        Add sink
      </button>
      <ErrorNotice error={add.error} title="Not added" />
    </form>
  );
}
