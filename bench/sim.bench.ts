/**
 * npm run bench:sim — how fast the simulator serves pages of 500 vulnerability findings, and its memory,
 * for a 1,000,000-finding tenant. The simulator runs in its own process (as `wizbridge sim`), so the
 * client doing the paging does not share its CPU time.
 *
 * Options (env): BENCH_FINDINGS (default 1000000), BENCH_SLICES (parallel cursor chains, default 5),
 * BENCH_MAX_PAGES (per pass, default all).
 */
import { availableParallelism } from "node:os";
import { Agent, request } from "undici";
import { startSimulatorProcess } from "./simulator-process.js";

const FINDINGS = Number(process.env.BENCH_FINDINGS ?? 1_000_000);
const SLICES = Number(process.env.BENCH_SLICES ?? 5);
const MAX_PAGES = Number(process.env.BENCH_MAX_PAGES ?? Infinity);

const QUERY = /* GraphQL */ `
  query BenchFindings($first: Int, $after: String, $filterBy: VulnerabilityFindingFilters) {
    vulnerabilityFindings(first: $first, after: $after, filterBy: $filterBy) {
      nodes {
        id name status CVSSSeverity vendorSeverity score firstDetectedAt lastDetectedAt updatedAt fixedVersion version detailedName
        hasExploit hasCisaKevExploit remediation
        vulnerableAsset { ... on VulnerableAssetBase { id type name providerUniqueId cloudPlatform region subscriptionExternalId } }
        projects { id name }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

async function main(): Promise<void> {
  const started = performance.now();
  const { info, stop } = await startSimulatorProcess(["--size", "small", "--findings", String(FINDINGS), "--rate-limit", "0"]);
  const startupMs = performance.now() - started;
  const dispatcher = new Agent({ connections: SLICES * 2, keepAliveTimeout: 30_000 });
  try {
    const tokenResponse = await request(info.tokenUrl, {
      method: "POST",
      dispatcher,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: info.clientId, client_secret: info.clientSecret, audience: info.audience }).toString(),
    });
    const token = ((await tokenResponse.body.json()) as { access_token: string }).access_token;
    const atStart = await processOf(info.url, dispatcher);

    const runChain = async (filterBy: Record<string, unknown> | undefined): Promise<{ findings: number; pages: number; bytes: number }> => {
      let after: string | null = null;
      let findings = 0;
      let pages = 0;
      let bytes = 0;
      while (pages < MAX_PAGES) {
        const response = await request(info.graphqlUrl, {
          method: "POST",
          dispatcher,
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: QUERY, variables: { first: 500, after, filterBy } }),
        });
        const text = await response.body.text();
        bytes += text.length;
        const body = JSON.parse(text) as { data?: { vulnerabilityFindings: { nodes: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }; errors?: unknown };
        if (!body.data) throw new Error(`query failed: ${JSON.stringify(body.errors)}`);
        findings += body.data.vulnerabilityFindings.nodes.length;
        pages += 1;
        if (!body.data.vulnerabilityFindings.pageInfo.hasNextPage) break;
        after = body.data.vulnerabilityFindings.pageInfo.endCursor;
      }
      return { findings, pages, bytes };
    };

    const measure = async (label: string, filters: Array<Record<string, unknown> | undefined>) => {
      const before = await processOf(info.url, dispatcher);
      const t0 = performance.now();
      const results = await Promise.all(filters.map(runChain));
      const seconds = (performance.now() - t0) / 1000;
      // The client shares this machine's cores; the simulator's own CPU time says what it can serve per core.
      const serverCpuSeconds = (await processOf(info.url, dispatcher)).cpuSeconds - before.cpuSeconds;
      const findings = results.reduce((n, r) => n + r.findings, 0);
      const pages = results.reduce((n, r) => n + r.pages, 0);
      const mb = results.reduce((n, r) => n + r.bytes, 0) / 1e6;
      return { label, chains: filters.length, findings, pages, seconds: round(seconds), findingsPerSecond: Math.round(findings / seconds), pagesPerSecond: round(pages / seconds), mbPerSecond: round(mb / seconds), serverCpuSeconds: round(serverCpuSeconds), findingsPerServerCpuSecond: Math.round(findings / serverCpuSeconds) };
    };

    const severities = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL"].slice(0, SLICES);
    const parallel = await measure(`${severities.length} parallel slices (by severity)`, severities.map((s) => ({ severity: [s] })));
    const sequential = await measure("1 cursor chain", [undefined]);
    const rssAfter = (await processOf(info.url, dispatcher)).rssMb;
    const report = {
      tenantFindings: (info.tenant.vulnerabilityFindings ?? 0),
      startupSeconds: round(startupMs / 1000),
      rssMbAtStart: atStart.rssMb,
      cores: availableParallelism(),
      rssMbAfterPaging: rssAfter,
      runs: [parallel, sequential],
      target: ">= 50,000 findings/s served, RSS < 300 MB",
    };
    console.log(JSON.stringify(report, null, 2));
    const best = Math.max(parallel.findingsPerSecond, sequential.findingsPerSecond);
    const perCore = Math.max(parallel.findingsPerServerCpuSecond, sequential.findingsPerServerCpuSecond);
    console.log(
      `\nbench:sim  ${best.toLocaleString("en")} findings/s wall clock (client on the same ${availableParallelism()} cores), ${perCore.toLocaleString("en")} findings per simulator CPU-second, RSS ${rssAfter} MB, startup ${report.startupSeconds} s for ${(info.tenant.vulnerabilityFindings ?? 0).toLocaleString("en")} findings`,
    );
  } finally {
    await stop();
    await dispatcher.close();
  }
}

async function processOf(url: string, dispatcher: Agent): Promise<{ rssMb: number; cpuSeconds: number }> {
  const response = await request(`${url}/_sim/info`, { dispatcher });
  const info = (await response.body.json()) as { process: { rssBytes: number; cpuMicros: number } };
  return { rssMb: Math.round(info.process.rssBytes / 1e6), cpuSeconds: info.process.cpuMicros / 1e6 };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
