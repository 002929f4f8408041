import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { apiPath } from "../api/api-client";
import type { ApiError } from "../api/api-error";
import { roleAllows } from "../api/roles";
import { Link } from "../app/router";
import { useSession } from "../app/session-context";
import { useApiMutation, useApiQuery } from "../app/use-api";
import { ErrorNotice } from "../components/error-notice";
import { JsonView } from "../components/json-view";
import { Loading } from "../components/loading";
import { PageHeading } from "../components/page-heading";
import { useDebouncedValue } from "../logic/debounced-value";
import { parseJsonText, previewBodyOf, previewRows, type MapTestAnswer } from "../logic/map-preview";

/**
 * One map: its definition in an editor (read-only for built-ins), checked and previewed as you type on
 * sample records (raw on the left, output on the right), saved by an admin.
 */
export function MapEditorPage({ name }: { name: string }) {
  const { role, api } = useSession();
  const map = useApiQuery<{ name: string; builtIn: boolean; map: Record<string, unknown> }>(apiPath`/api/maps/${name}`);
  const [text, setText] = useState<string | undefined>(undefined);
  const [rawText, setRawText] = useState("");
  const [saved, setSaved] = useState<string | undefined>(undefined);
  const save = useApiMutation<unknown, unknown>("PUT", () => apiPath`/api/maps/${name}`, { bodyOf: (body) => body, invalidate: ["/api/maps"] });

  useEffect(() => {
    if (map.data && text === undefined) setText(JSON.stringify(map.data.map, null, 2));
  }, [map.data, text]);

  const settledText = useDebouncedValue(text ?? "", 400);
  const settledRaw = useDebouncedValue(rawText, 400);
  const parsedMap = parseJsonText(settledText, "The map");
  const parsedRaw = parseJsonText(settledRaw, "The raw records");
  const previewable = text !== undefined && parsedMap.value !== undefined && !parsedRaw.problem;
  const preview = useQuery<MapTestAnswer, ApiError>({
    queryKey: ["map-preview", name, settledText, settledRaw],
    queryFn: () => api.post<MapTestAnswer>("/api/maps/test", previewBodyOf(parsedMap.value, parsedRaw.value)),
    enabled: previewable,
    placeholderData: (previous) => previous,
  });

  if (map.isPending) return <Loading what={`map ${name}`} />;
  if (!map.data) return <ErrorNotice error={map.error} title={`No map ${name}`} />;
  const editable = !map.data.builtIn && roleAllows(role, "admin");
  const rows = preview.data ? previewRows(preview.data, parsedRaw.value) : [];

  return (
    <section>
      <PageHeading>Map {name}</PageHeading>
      <p>
        <Link to="/maps">Back to the maps</Link>
        {map.data.builtIn ? " — built-in and read-only: clone it on the maps page to edit a copy. The preview still follows your edits." : ""}
      </p>
      <div className="field">
        <label htmlFor="map-text">Map definition (JSON)</label>
        <textarea id="map-text" className="code" rows={18} spellCheck={false} value={text ?? ""} onChange={(e) => setText(e.target.value)} aria-describedby="map-text-help" />
        <span id="map-text-help" className="help">
          Each field takes exactly one of from (a path or a list of paths), const or expr (JSONata); then apply, values, type, default. docs/output-profiles.md has the details.
        </span>
      </div>
      {editable ? (
        <div className="actions">
          <button
            type="button"
            className="button-primary"
            disabled={save.isPending || !parsedMap.value}
            onClick={() => {
              const current = parseJsonText(text ?? "", "The map");
              if (current.value !== undefined) save.mutate(current.value, { onSuccess: () => setSaved(`Saved ${name}.`) });
            }}
          >
            Save map
          </button>
        </div>
      ) : null}
      {saved && !save.error ? (
        <p className="notice notice-ok" role="status">
          {saved}
        </p>
      ) : null}
      <ErrorNotice error={save.error} title="Not saved" />

      <h2>Live preview</h2>
      <p className="muted" role="status" aria-live="polite">
        {parsedMap.problem ?? parsedRaw.problem ?? (preview.isFetching ? "Updating the preview…" : preview.error ? "The map does not validate:" : preview.data ? `Valid: ${preview.data.outputs.length} record(s) through ${preview.data.profile} (${preview.data.stream}).` : "")}
      </p>
      <ErrorNotice error={preview.error} title="Invalid map" />
      <div className="preview">
        <div className="field">
          <label htmlFor="raw-records">Raw records (JSON; empty: the built-in sample)</label>
          <textarea id="raw-records" className="code" rows={6} spellCheck={false} value={rawText} onChange={(e) => setRawText(e.target.value)} placeholder="[{ ...a Wiz node... }]" />
        </div>
        {rows.map((row) => (
          <div key={row.index} className="preview-pair">
            <div>
              <h3>Raw record {row.index + 1}</h3>
              <JsonView value={row.raw} label={`Raw record ${row.index + 1}`} />
            </div>
            <div>
              <h3>Output {row.index + 1}</h3>
              {row.refused ? (
                <p className="problem">Refused: {row.refused}</p>
              ) : (
                <div data-testid={`preview-output-${row.index}`}>
                  <JsonView value={row.output} label={`Output ${row.index + 1}`} />
                </div>
              )}
            </div>
          </div>
        ))}
      </div>
    </section>
  );
}
