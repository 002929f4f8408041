import { Option, InvalidArgumentError, type Command } from "commander";
import { pino } from "pino";
import { parseFaultRule, type FaultRule } from "../sim/faults/fault-plan.js";
import { startSimulator, type Simulator, type SimulatorOptions } from "../sim/index.js";

const SIZES = ["tiny", "small", "medium", "large", "xl"] as const;

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number >= 0, got ${JSON.stringify(value)}.`);
    return n;
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export interface SimCommandOptions {
  seed: number;
  size: (typeof SIZES)[number];
  findings?: number;
  issues?: number;
  tenantDir?: string;
  host: string;
  port: number;
  authFlavor: "cognito" | "auth0";
  tenantType: "commercial" | "gov" | "fedramp";
  tokenTtl?: number;
  rateLimit: number;
  rateLimitMode: "http429" | "graphql200";
  activity: number;
  realtime: boolean;
  speed: number;
  start?: number | "now";
  uploadDelay: number;
  replaceOnUpload: boolean;
  staleDays: number;
  webhook: string[];
  webhookHeader?: string;
  fault: string[];
  admin: boolean;
  json: boolean;
}

export function simOptionsFrom(opts: SimCommandOptions): SimulatorOptions {
  const faults: FaultRule[] = opts.fault.map(parseFaultRule);
  let authHeader: { name: string; value: string } | undefined;
  if (opts.webhookHeader) {
    const at = opts.webhookHeader.indexOf(":");
    if (at <= 0) throw new InvalidArgumentError(`--webhook-header must look like "Authorization: Bearer xyz", got ${JSON.stringify(opts.webhookHeader)}.`);
    authHeader = { name: opts.webhookHeader.slice(0, at).trim(), value: opts.webhookHeader.slice(at + 1).trim() };
  }
  return {
    seed: opts.seed,
    size: opts.size,
    counts: {
      ...(opts.findings === undefined ? {} : { vulnerabilityFindings: opts.findings }),
      ...(opts.issues === undefined ? {} : { issues: opts.issues }),
    },
    tenantDir: opts.tenantDir,
    host: opts.host,
    port: opts.port,
    authFlavor: opts.authFlavor,
    tenantType: opts.tenantType,
    tokenTtlSeconds: opts.tokenTtl,
    rateLimit: { requestsPerSecond: opts.rateLimit, mode: opts.rateLimitMode },
    activityPerHour: opts.activity,
    clock: { realtime: opts.realtime, speed: opts.speed, start: simStartOf(opts.start, opts.realtime) },
    upload: { processingDelayMs: opts.uploadDelay * 1000, replaceOnNewUpload: opts.replaceOnUpload, staleAfterDays: opts.staleDays > 0 ? opts.staleDays : null },
    webhooks: opts.webhook.map((url) => ({ url, events: ["issue.created", "issue.updated", "issue.resolved", "detection.created"], ...(authHeader ? { authHeader } : {}) })),
    faults,
    admin: opts.admin,
  };
}

/** `--start`: `now`, or an RFC 3339 timestamp; a clear error otherwise. */
function parseSimStart(value: string): number | "now" {
  if (value.trim().toLowerCase() === "now") return "now";
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new InvalidArgumentError(`--start takes "now" or an RFC 3339 timestamp such as 2026-01-01T00:00:00Z, got ${JSON.stringify(value)}.`);
  return ms;
}

/**
 * Where simulated time starts. A realtime simulator starts at the wall clock, so its records are dated in the
 * recent past and a connector's `backfillDays` (counted back from the wall clock) finds them; a stepped one
 * starts at the fixed default, so a seed gives byte-identical data.
 */
export function simStartOf(start: number | "now" | undefined, realtime: boolean, wallNow: () => number = Date.now): number | undefined {
  if (start === "now") return wallNow();
  if (start !== undefined) return start;
  return realtime ? wallNow() : undefined;
}

/** Not 8787: `wizbridge start` serves there, and both run side by side in the README's walk-throughs. */
export const DEFAULT_SIM_PORT = 8790;

export function addSimOptions(command: Command): Command {
  return command
    .option("--seed <n>", "tenant seed: the same seed always gives the same data", positiveInt("--seed"), 1)
    .addOption(new Option("--size <size>", "tenant size").choices(SIZES).default("medium"))
    .option("--findings <n>", "number of vulnerability findings (overrides the size)", positiveInt("--findings"))
    .option("--issues <n>", "number of issues (overrides the size)", positiveInt("--issues"))
    .option("--tenant-dir <dir>", "load the tenant from recorded Wiz JSON (issues.json, vulnerabilityFindings.json, ...) instead of generating it")
    .option("--host <host>", "address to bind", "127.0.0.1")
    .option("--port <port>", "port to listen on (0 picks a free one; the default stays clear of the main job's 8787)", positiveInt("--port"), DEFAULT_SIM_PORT)
    .addOption(new Option("--auth-flavor <flavor>", "token service: cognito (audience wiz-api) or auth0 (legacy, audience beyond-api)").choices(["cognito", "auth0"]).default("cognito"))
    .addOption(new Option("--tenant-type <type>", "commercial (app.wiz.io), gov (gov.wiz.io) or fedramp (app.wiz.us); gov types default to 900 s tokens").choices(["commercial", "gov", "fedramp"]).default("commercial"))
    .option("--token-ttl <seconds>", "access token lifetime (expires_in)", positiveInt("--token-ttl"))
    .option("--rate-limit <rps>", "requests per second per tenant, 0 for none", positiveInt("--rate-limit"), 5)
    .addOption(new Option("--rate-limit-mode <mode>", "how excess requests are refused").choices(["http429", "graphql200"]).default("http429"))
    .option("--activity <per-hour>", "tenant activity: records created/updated/resolved per simulated hour (0 = off)", positiveInt("--activity"), 0)
    .option("--realtime", "simulated time follows the wall clock (needed for --activity without an external driver)", false)
    .option("--start <time>", "simulated start time: an RFC 3339 timestamp or `now` (default: now with --realtime, else 2026-01-01T00:00:00Z so a seed always gives the same data); records are dated up to a year before it", parseSimStart)
    .option("--speed <x>", "simulated seconds per real second with --realtime", positiveInt("--speed"), 1)
    .option("--upload-delay <seconds>", "simulated seconds an uploaded document stays IN_PROGRESS", positiveInt("--upload-delay"), 30)
    .option("--no-replace-on-upload", "keep a data source's earlier upload content when a newer one arrives")
    .option("--stale-days <days>", "simulated days after which upload content not refreshed goes stale (0 = never)", positiveInt("--stale-days"), 7)
    .option("--webhook <url>", "send Wiz automation-rule webhooks (issues, Defend detections) to this URL; repeatable", collect, [])
    .option("--webhook-header <header>", 'auth header sent with webhooks, e.g. "Authorization: Bearer xyz"')
    .option("--fault <spec>", "inject a fault, e.g. latency:fixed=200 | http-error:status=503,times=3 | repeat-cursor:root=issuesV2; repeatable", collect, [])
    .option("--no-admin", "disable the unauthenticated /_sim admin API (clock, faults, request log)")
    .option("--json", "print the connection details as JSON", false);
}

export function printSimulatorBanner(sim: Simulator, json: boolean): void {
  const info = sim.info();
  if (json) {
    // One line, so a supervising process can read it as soon as it appears; the secret is for this local tenant only.
    console.log(JSON.stringify({ ...info, clientSecret: sim.clientSecret }));
    return;
  }
  const t = info.tenant;
  console.log(
    [
      `Wiz simulator ready (seed ${info.seed}, ${t.issues} issues, ${t.vulnerabilityFindings} findings, ${t.cloudResources} resources, ${t.detections} detections)`,
      ``,
      `  GraphQL endpoint  ${sim.graphqlUrl}`,
      `  Token URL         ${sim.tokenUrl}   (audience ${sim.audience}, tokens last ${info.tokenTtlSeconds} s)`,
      `  Client ID         ${sim.clientId}`,
      `  Client secret     ${sim.clientSecret}`,
      `  Rate limit        ${info.rateLimit.requestsPerSecond || "no"} req/s (${info.rateLimit.mode})`,
      ...(info.admin ? [`  Admin API         ${sim.url}/_sim/info  (clock, faults, request log)`] : []),
      ``,
      `Try it:`,
      `  TOKEN=$(curl -s ${sim.tokenUrl} -d grant_type=client_credentials -d audience=${sim.audience} \\`,
      `    -d client_id=${sim.clientId} -d client_secret=${sim.clientSecret} | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')`,
      `  curl -s ${sim.graphqlUrl} -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\`,
      `    -d '{"query":"{ issues: issuesV2(first: 2) { totalCount nodes { id type status severity } } }"}'`,
      ``,
      `Point a connector at it (wizbridge.yaml):`,
      `  connectors:`,
      `    - id: sim`,
      `      connection: {clientId: ${sim.clientId}, clientSecret: "\${WIZ_CLIENT_SECRET}", endpoint: ${sim.graphqlUrl}, tokenUrl: ${sim.tokenUrl}, allowNonWizHosts: true}`,
      `      rateLimit: {requestsPerSecond: ${info.rateLimit.requestsPerSecond || 0}}`,
      `      sinks: [events]`,
      `      streams: all`,
      `  sinks:`,
      `    events: {type: jsonl, directory: ./data/events}`,
      `then: WIZ_CLIENT_SECRET=${sim.clientSecret} npx wizbridge start --config wizbridge.yaml`,
      ``,
      `Press Ctrl+C to stop.`,
    ].join("\n"),
  );
}

export function registerSimCommand(program: Command): void {
  addSimOptions(program.command("sim").description("Run the local Wiz simulator: OAuth, GraphQL, upload flow, webhooks, fault injection")).action(async (opts: SimCommandOptions) => {
    await runSimulatorUntilStopped(opts);
  });
}

async function runSimulatorUntilStopped(opts: SimCommandOptions): Promise<void> {
  const logger = pino({ level: process.env.LOG_LEVEL ?? "warn", redact: ["*.clientSecret", "*.client_secret", "*.access_token", "*.authorization", "*.headers.authorization"] }, pino.destination(2));
  const sim = await startSimulator({ ...simOptionsFrom(opts), logger });
  printSimulatorBanner(sim, opts.json);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      void sim.close().then(resolve);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
