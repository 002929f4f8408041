import { useState, type FormEvent } from "react";
import { apiPath } from "../api/api-client";
import { roleAllows } from "../api/roles";
import { Link, navigate } from "../app/router";
import { useSession } from "../app/session-context";
import { useApiMutation, useApiQuery } from "../app/use-api";
import { ErrorNotice } from "../components/error-notice";
import { Loading } from "../components/loading";
import { PageHeading } from "../components/page-heading";

interface MapSummary {
  name: string;
  builtIn: boolean;
  recordTypes: string[];
  description: string;
  updatedAt?: string;
}

/** Maps: the built-in maps (read-only) and the saved ones; an admin clones one to edit it. */
export function MapsPage() {
  const { role } = useSession();
  const list = useApiQuery<{ maps: MapSummary[] }>("/api/maps");
  return (
    <section>
      <PageHeading>Transform maps</PageHeading>
      <p className="muted">A map shapes each record for a destination. Built-in maps are read-only: clone one, edit the copy, and watch the preview.</p>
      {list.isPending ? <Loading what="the maps" /> : null}
      <ErrorNotice error={list.error} title="Could not list the maps" />
      {list.data ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Map</th>
              <th scope="col">Kind</th>
              <th scope="col">Records</th>
              <th scope="col">Description</th>
              {roleAllows(role, "admin") ? <th scope="col">Clone as</th> : null}
            </tr>
          </thead>
          <tbody>
            {list.data.maps.map((m) => (
              <tr key={m.name} data-map={m.name}>
                <td>
                  <Link to={apiPath`/maps/${m.name}`}>{m.name}</Link>
                </td>
                <td>{m.builtIn ? "built-in (read-only)" : `saved${m.updatedAt ? ` ${m.updatedAt}` : ""}`}</td>
                <td>{m.recordTypes.join(", ")}</td>
                <td>{m.description}</td>
                {roleAllows(role, "admin") ? (
                  <td>
                    <CloneForm from={m.name} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function CloneForm({ from }: { from: string }) {
  const [name, setName] = useState(`my-${from}`);
  const clone = useApiMutation<{ name: string }, string>("POST", () => apiPath`/api/maps/${from}/clone`, { bodyOf: (as) => ({ as }), invalidate: ["/api/maps"] });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    clone.mutate(name.trim(), { onSuccess: (answer) => navigate(apiPath`/maps/${answer.name}`) });
  };
  const id = `clone-${from}`;
  return (
    <form onSubmit={submit} className="inline-form">
      <label htmlFor={id} className="visually-hidden">
        New name for the copy of {from}
      </label>
      <input id={id} value={name} onChange={(e) => setName(e.target.value)} size={18} />
      <button type="submit" disabled={clone.isPending || name.trim() === ""}>
        Clone {from}
      </button>
      <ErrorNotice error={clone.error} title="Not cloned" />
    </form>
  );
}
