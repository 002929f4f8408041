/**
 * npm run bench:sdk — records/second the SDK iterates from a 200,000-issue simulator tenant that answers
 * every request 100 ms late and admits 20 requests/s, sequentially (one cursor chain) and sliced
 * (disjoint filters, chains in parallel under one shared rate limiter). The ceiling is page size x rate.
 *
 * Env: BENCH_ISSUES (default 200000), BENCH_RATE (20), BENCH_LATENCY_MS (100), BENCH_PAGE (500), BENCH_CHAINS (8).
 */
import { pino } from "pino";
import { WizClientCore } from "../src/wiz/index.js";
import { simulatorAdmin, startSimulatorProcess } from "./simulator-process.js";

const ISSUES = Number(process.env.BENCH_ISSUES ?? 200_000);
const RATE = Number(process.env.BENCH_RATE ?? 20);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 100);
const PAGE = Number(process.env.BENCH_PAGE ?? 500);
const CHAINS = Number(process.env.BENCH_CHAINS ?? 8);

const QUERY = /* GraphQL */ `
  query BenchIssues($first: Int, $after: String, $filterBy: IssueFilters) {
    issues: issuesV2(first: $first, after: $after, filterBy: $filterBy) {
      nodes { id type status severity createdAt updatedAt statusChangedAt entitySnapshot { id providerId name type cloudPlatform } projects { id name } sourceRule { __typename id name } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

interface IssuesPage {
  issues: { nodes: Array<{ id: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

interface LoggedRequest {
  status: number;
  rootFields?: string[];
}

async function main(): Promise<void> {
  const { info, stop } = await startSimulatorProcess(["--size", "small", "--issues", String(ISSUES), "--rate-limit", String(RATE), "--fault", `latency:fixed=${LATENCY_MS}`]);
  const logger = pino({ level: "silent" });
  const client = new WizClientCore({
    settings: { clientId: info.clientId, clientSecret: info.clientSecret, endpoint: info.graphqlUrl, tokenUrl: info.tokenUrl, audience: info.audience, allowNonWizHosts: true },
    rateLimit: { requestsPerSecond: RATE, maxConcurrency: CHAINS },
    logger,
  });
  const ceiling = PAGE * RATE;
  try {
    const walk = async (filterBy: Record<string, unknown> | undefined): Promise<number> => {
      let count = 0;
      const pages = client.paginate<{ id: string }, IssuesPage>(QUERY, { filterBy }, (data) => data.issues, { pageSize: PAGE, pageSizeCap: 500, operationName: "BenchIssues" });
      for await (const page of pages) count += page.nodes.length;
      return count;
    };
    const run = async (label: string, slices: Array<Record<string, unknown> | undefined>) => {
      await simulatorAdmin(info, "DELETE", "requests");
      const started = performance.now();
      let next = 0;
      let total = 0;
      // At most CHAINS walks at once: the rate limiter, not the number of slices, bounds the load.
      await Promise.all(
        Array.from({ length: Math.min(CHAINS, slices.length) }, async () => {
          while (next < slices.length) {
            const read = await walk(slices[next++]);
            total += read;
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const log = await simulatorAdmin<{ peakConcurrency: number; requests: LoggedRequest[] }>(info, "GET", "requests?last=100000");
      const served = log.requests.filter((r) => r.rootFields?.includes("issuesV2"));
      const refused = served.filter((r) => r.status === 429).length;
      const perSecond = total / seconds;
      return { label, records: total, seconds: round(seconds), recordsPerSecond: Math.round(perSecond), ratioToLimit: round(perSecond / ceiling), requests: served.length, refusedBySimulator: refused, peakConcurrency: log.peakConcurrency };
    };
    // Disjoint slices whose union is every issue: each status x severity pair.
    const slices = ["OPEN", "IN_PROGRESS", "RESOLVED", "REJECTED"].flatMap((status) => ["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"].map((severity) => ({ status: [status], severity: [severity] })));
    const sequential = await run("sequential (1 cursor chain)", [undefined]);
    const sliced = await run(`sliced (${slices.length} status x severity slices, ${CHAINS} chains)`, slices);
    const report = { issues: info.tenant.issues, injectedLatencyMs: LATENCY_MS, tenantLimitPerSecond: RATE, pageSize: PAGE, limitRecordsPerSecond: ceiling, runs: [sequential, sliced], target: ">= 90% of the limit when slices allow it" };
    console.log(JSON.stringify(report, null, 2));
    console.log(`\nbench:sdk  sequential ${sequential.recordsPerSecond.toLocaleString("en")}/s (${Math.round(sequential.ratioToLimit * 100)}% of ${ceiling.toLocaleString("en")}/s), sliced ${sliced.recordsPerSecond.toLocaleString("en")}/s (${Math.round(sliced.ratioToLimit * 100)}%), ${sliced.refusedBySimulator + sequential.refusedBySimulator} requests refused by the simulator`);
    if (sequential.records !== ISSUES || sliced.records !== ISSUES) throw new Error(`walks read ${sequential.records} and ${sliced.records} issues, expected ${ISSUES}`);
  } finally {
    await client.close();
    await stop();
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
