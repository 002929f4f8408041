import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { RunSummary } from "../logic/connector-view";
import { recordsPerStreamSeries } from "../logic/run-chart-data";

// Distinct, dark enough on white for lines; the legend and the table beside the chart carry the names.
const COLOURS = ["#0b57d0", "#b3261e", "#146c2e", "#8a4b00", "#6a1b9a", "#00695c", "#ad1457", "#37474f", "#4e342e"];

/** Records per stream over the connector's runs (oldest left), one line per stream. */
export function RecordsChart({ runs }: { runs: readonly RunSummary[] }) {
  const { points, streams } = recordsPerStreamSeries(runs);
  if (points.length === 0) return <p className="muted">No runs yet.</p>;
  return (
    <figure className="chart" aria-label="Records per stream per run (the run history table below has the same numbers)">
      <ResponsiveContainer width="100%" height={260}>
        <LineChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" tick={{ fontSize: 12 }} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
          <Tooltip />
          <Legend />
          {streams.map((stream, i) => (
            <Line key={stream} type="monotone" dataKey={stream} stroke={COLOURS[i % COLOURS.length]} dot isAnimationActive={false} connectNulls />
          ))}
        </LineChart>
      </ResponsiveContainer>
      <figcaption className="muted">Records pulled per stream in each run (UTC start times).</figcaption>
    </figure>
  );
}
