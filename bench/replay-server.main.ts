/**
 * A Wiz endpoint that only replays recorded pages, for the engine's ceiling in bench:sync: answers the token
 * request, the walk's probe (the newest recorded node) and the pages in order by cursor, `rounds` times over,
 * at the cost of a string concatenation per page. Started by bench/sync-replay.ts: `node replay-server.main.js <pages.json> <rounds>`.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

interface Recorded {
  /** The `nodes` array of each recorded page, as JSON text. */
  nodes: string[];
  counts: number[];
  /** The newest recorded node, as JSON text. */
  newest: string;
}

const [file, roundsArg] = process.argv.slice(2);
const recorded = JSON.parse(readFileSync(String(file), "utf8")) as Recorded;
const rounds = Number(roundsArg ?? 1);
const total = recorded.nodes.length * rounds;
const totalCount = recorded.counts.reduce((a, b) => a + b, 0) * rounds;

function pageBody(k: number): string {
  const i = k % recorded.nodes.length;
  const next = k + 1 < total;
  return `{"data":{"connection":{"nodes":${String(recorded.nodes[i])},"pageInfo":{"hasNextPage":${String(next)},"endCursor":${next ? `"replay-${k + 1}"` : "null"}},"totalCount":${totalCount}}}}`;
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    res.setHeader("content-type", "application/json");
    if (req.url?.endsWith("/token")) {
      res.end(JSON.stringify({ access_token: "replay-token", token_type: "Bearer", expires_in: 86_400 }));
      return;
    }
    const { variables } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { variables?: { after?: string | null; orderBy?: { direction?: string } } };
    // The walk's probe asks for the newest record first.
    if (variables?.orderBy?.direction === "DESC") {
      res.end(`{"data":{"connection":{"nodes":[${recorded.newest}],"pageInfo":{"hasNextPage":false,"endCursor":null},"totalCount":${totalCount}}}}`);
      return;
    }
    const after = variables?.after;
    res.end(pageBody(typeof after === "string" ? Number(after.slice("replay-".length)) : 0));
  });
});
// A slow client (a profiled or valgrind-run engine) must not see its idle connection reset between pages.
server.keepAliveTimeout = 120_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  process.stdout.write(`listening http://127.0.0.1:${port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
