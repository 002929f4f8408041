import { useMemo, useState, type FormEvent } from "react";
import { roleAllows } from "../api/roles";
import { useSession } from "../app/session-context";
import { useApiMutation, useApiQuery } from "../app/use-api";
import { ErrorNotice } from "../components/error-notice";
import { Loading } from "../components/loading";
import { PageHeading } from "../components/page-heading";
import { ResultView } from "../components/result-view";
import { SchemaFormFields } from "../components/schema-form-fields";
import { buildParameters, fieldsOf, type FormValues, type JsonSchema } from "../logic/schema-form";

interface OperationEntry {
  resource: string;
  operation: string;
  description: string;
  mutating: boolean;
  scopes: string[];
  pageCap?: number;
  parameters: JsonSchema;
}

/**
 * Operations: every Wiz operation of the registry from a browser. Pick a resource and an operation, fill the
 * form generated from its parameters' JSON Schema, run it on a connector's tenant, read the result as a table
 * or JSON. Operations that change data in Wiz can be run only by an admin: for others the button is absent.
 */
export function OperationsPage() {
  const { role } = useSession();
  const registry = useApiQuery<{ operations: OperationEntry[] }>("/api/operations");
  const connectors = useApiQuery<{ connectors: Array<{ id: string }> }>("/api/connectors");
  const [resource, setResource] = useState("");
  const [operationName, setOperationName] = useState("");
  const [connector, setConnector] = useState("");
  const [values, setValues] = useState<FormValues>({});
  const [problems, setProblems] = useState<Record<string, string>>({});
  const run = useApiMutation<{ result: unknown; operation?: string; connector?: string }, { body: Record<string, unknown>; connector: string }>("POST", (v) => `/api/operations${v.connector ? `?connector=${encodeURIComponent(v.connector)}` : ""}`, { bodyOf: (v) => v.body });

  const operations = registry.data?.operations ?? [];
  const resources = [...new Set(operations.map((o) => o.resource))].sort();
  const chosen = operations.find((o) => o.resource === resource && o.operation === operationName);
  const fields = useMemo(() => (chosen ? fieldsOf(chosen.parameters) : []), [chosen]);

  if (registry.isPending) return <Loading what="the operations" />;
  if (!registry.data) return <ErrorNotice error={registry.error} title="Could not list the operations" />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) return;
    const built = buildParameters(fields, values);
    setProblems(built.problems);
    if (Object.keys(built.problems).length > 0) return;
    run.mutate({ connector, body: { resource: chosen.resource, operation: chosen.operation, parameters: built.parameters } });
  };
  const mayRun = chosen ? !chosen.mutating || roleAllows(role, "admin") : false;

  return (
    <section>
      <PageHeading>Wiz operations</PageHeading>
      <form onSubmit={submit}>
        <div className="row">
          <div className="field">
            <label htmlFor="op-resource">Resource</label>
            <select
              id="op-resource"
              value={resource}
              onChange={(e) => {
                setResource(e.target.value);
                setOperationName("");
                setValues({});
                setProblems({});
                run.reset();
              }}
            >
              <option value="">(pick a resource)</option>
              {resources.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="op-operation">Operation</label>
            <select
              id="op-operation"
              value={operationName}
              disabled={!resource}
              onChange={(e) => {
                setOperationName(e.target.value);
                setValues({});
                setProblems({});
                run.reset();
              }}
            >
              <option value="">(pick an operation)</option>
              {operations
                .filter((o) => o.resource === resource)
                .map((o) => (
                  <option key={o.operation} value={o.operation}>
                    {o.operation}
                    {o.mutating ? " (changes data)" : ""}
                  </option>
                ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="op-connector">Tenant of connector</label>
            <select id="op-connector" value={connector} onChange={(e) => setConnector(e.target.value)}>
              <option value="">default</option>
              {connectors.data?.connectors.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.id}
                </option>
              ))}
            </select>
          </div>
        </div>
        {chosen ? (
          <>
            <p>
              {chosen.description} <span className="muted">Scopes: {chosen.scopes.join(" or ")}.</span>
            </p>
            {chosen.mutating ? (
              <p className={roleAllows(role, "admin") ? "notice notice-info" : "notice notice-bad"}>
                {roleAllows(role, "admin") ? "This operation changes data in Wiz." : `This operation changes data in Wiz and needs an admin token; you are signed in as ${role}.`}
              </p>
            ) : null}
            {fields.length === 0 ? <p className="muted">No parameters.</p> : null}
            <SchemaFormFields fields={fields} values={values} problems={problems} onChange={(path, value) => setValues((v) => ({ ...v, [path]: value }))} idPrefix="op" />
            {mayRun ? (
              <button type="submit" className="button-primary" disabled={run.isPending}>
                {run.isPending ? "Running…" : `Run ${chosen.resource}.${chosen.operation}`}
              </button>
            ) : null}
          </>
        ) : null}
      </form>
      <ErrorNotice error={run.error} title="The operation failed" />
      {run.data ? (
        <>
          <h2>Result</h2>
          <p className="notice notice-ok" role="status">
            {run.data.operation ?? `${chosen?.resource}.${chosen?.operation}`} ran{run.data.connector ? ` on ${run.data.connector}` : ""}.
          </p>
          <ResultView result={run.data.result} label="Operation result" />
        </>
      ) : null}
    </section>
  );
}
