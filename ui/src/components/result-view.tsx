import { useState } from "react";
import { resultTable } from "../logic/result-table";
import { JsonView } from "./json-view";

/** An operation's (or any API) result, as a table or as JSON, the user's choice. */
export function ResultView({ result, label }: { result: unknown; label: string }) {
  const [view, setView] = useState<"table" | "json">("table");
  const table = resultTable(result);
  return (
    <section className="result-view" aria-label={label}>
      <fieldset className="inline">
        <legend>Show the result as</legend>
        <label>
          <input type="radio" name={`${label}-view`} checked={view === "table"} onChange={() => setView("table")} /> Table
        </label>
        <label>
          <input type="radio" name={`${label}-view`} checked={view === "json"} onChange={() => setView("json")} /> JSON
        </label>
      </fieldset>
      {view === "json" ? (
        <JsonView value={result} label={`${label} as JSON`} />
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={`${label} as a table`}>
          <table>
            <thead>
              <tr>
                {table.columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.length === 0 ? (
                <tr>
                  <td colSpan={table.columns.length}>No rows.</td>
                </tr>
              ) : (
                table.rows.map((row, i) => (
                  <tr key={i}>
                    {row.map((value, j) => (
                      <td key={j}>{value}</td>
                    ))}
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
