import { once } from "node:events";
import type { Server } from "node:http";
import { pino, type Logger } from "pino";
import { createSimClock, type SimClock, type SimClockOptions } from "./clock.js";
import { FaultPlan, type FaultRule } from "./faults/fault-plan.js";
import { ListCache } from "./graphql/connection.js";
import { DocumentCache } from "./graphql/document-cache.js";
import { attachRootResolvers } from "./graphql/execute-request.js";
import { attachRecordedDefaults } from "./graphql/recorded-defaults.js";
import { attachFieldResolvers } from "./graphql/resolvers/field-resolvers.js";
import { createRootResolvers } from "./graphql/resolvers/root-resolvers.js";
import { RelationIndex } from "./graphql/relation-index.js";
import { buildWizSchema, hasRequiredScope, PAGE_SIZE_CAPS, ROOT_FIELD_SCOPES } from "./graphql/schema.js";
import type { SimContext } from "./graphql/sim-context.js";
import { createAdminRoutes } from "./http/admin-routes.js";
import { TenantRateLimiter, type RateLimitOptions } from "./http/rate-limiter.js";
import { RequestLog } from "./http/request-log.js";
import { createSimServer, serverAddress } from "./http/sim-server.js";
import { ALL_SCOPES, createServiceAccount, createSigningKey, type ServiceAccount } from "./oauth/service-accounts.js";
import { AUDIENCE_BY_FLAVOR, TokenIssuer, type AuthFlavor } from "./oauth/token-issuer.js";
import { generateTenant } from "./tenant/generate-tenant.js";
import { loadTenantFromJson } from "./tenant/load-tenant.js";
import { SeededRandom, streamKey } from "./tenant/seeded-random.js";
import type { SimTenantState } from "./tenant/tenant-state.js";
import type { Tenant, TenantCounts, TenantSize } from "./tenant/types.js";
import { createUploadService, type UploadOptions, type UploadService, type UploadServiceState } from "./upload/upload-service.js";
import { createWebhookEmitter, type WebhookEmitter, type WebhookTarget } from "./webhooks/webhook-emitter.js";

export type TenantType = "commercial" | "gov" | "fedramp";

export interface SimulatorOptions {
  /** Tenant seed; the same seed gives the same data. Default 1. */
  seed?: number;
  size?: TenantSize;
  counts?: Partial<TenantCounts>;
  /** Load recorded Wiz JSON from this directory instead of generating the tenant. */
  tenantDir?: string;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  authFlavor?: AuthFlavor;
  /** Gov tenants default to 900 s tokens (seen on a live gov tenant), commercial to 86400 s. */
  tenantType?: TenantType;
  tokenTtlSeconds?: number;
  /** Service accounts; default one with every scope. Each may omit credentials (derived from the seed). */
  serviceAccounts?: Array<{ name: string; scopes: readonly string[]; clientId?: string; clientSecret?: string }>;
  rateLimit?: Partial<RateLimitOptions>;
  clock?: SimClockOptions;
  /** Records created, updated or resolved per simulated hour as time passes; 0 = a still tenant. */
  activityPerHour?: number;
  upload?: UploadOptions;
  webhooks?: WebhookTarget[];
  faults?: FaultRule[];
  /** Serve the unauthenticated /_sim admin API. Default true. */
  admin?: boolean;
  logger?: Logger;
  /** Page size caps per root field, to override Wiz's. */
  pageCaps?: Record<string, number>;
  /**
   * Resume from a saved state (Simulator.snapshot()): the tenant is rebuilt as it was created and its
   * changes re-applied; without `clock.start`/`clock.offset` the clock resumes at the saved instant, and
   * activity catches up from where it stopped. The seed, size/counts or tenantDir must be the saved ones.
   */
  state?: SimState;
}

/** Everything a simulator changed since it started, as JSON: write it out, pass it back as `state`. */
export interface SimState {
  format: 1;
  /** Simulated time when saved (epoch ms). */
  now: number;
  /** Wall-clock time when saved (epoch ms): `now - savedAt` is the offset to resume with `clock.offset`. */
  savedAt: number;
  /** Generated activity (new, updated, resolved records) has been applied up to this simulated time. */
  activityThrough: number;
  tenant: SimTenantState;
  uploads: UploadServiceState;
}

export interface SimulatorInfo {
  seed: number;
  url: string;
  graphqlUrl: string;
  tokenUrl: string;
  audience: string;
  authFlavor: AuthFlavor;
  tenantType: TenantType;
  tokenTtlSeconds: number;
  clientId: string;
  rateLimit: RateLimitOptions;
  admin: boolean;
  now: string;
  tenant: Record<keyof TenantCounts, number>;
  /** This process's memory and CPU time (user + system, µs), for benchmarks and /metrics. */
  process: { rssBytes: number; heapUsedBytes: number; cpuMicros: number };
}

export interface Simulator {
  url: string;
  graphqlUrl: string;
  tokenUrl: string;
  audience: string;
  /** The default service account (every scope). */
  clientId: string;
  clientSecret: string;
  serviceAccounts: readonly ServiceAccount[];
  clock: SimClock;
  tenant: Tenant;
  faults: FaultPlan;
  requests: RequestLog;
  tokens: TokenIssuer;
  rateLimiter: TenantRateLimiter;
  uploads: UploadService;
  webhooks: WebhookEmitter;
  info(): SimulatorInfo;
  /** The mutable state (tenant changes, uploads, system activities, activity cursor) to resume from later. */
  snapshot(): SimState;
  close(): Promise<void>;
}

/** Starts a local Wiz: OAuth token endpoint, GraphQL API, upload target, webhooks, faults. Binds 127.0.0.1. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const seed = options.seed ?? 1;
  const logger = options.logger ?? pino({ level: "silent" });
  const saved = options.state;
  if (saved !== undefined && saved?.format !== 1) throw new Error(`startSimulator: state has format ${JSON.stringify(saved?.format)}, expected 1; pass what Simulator.snapshot() returned.`);
  const resumeAt = saved && options.clock?.start === undefined && options.clock?.offset === undefined ? { start: saved.now } : {};
  const clock = createSimClock({ ...options.clock, ...resumeAt });
  // Faults with a probability and upload ids draw from their own stream, so they never shift tenant data.
  const rng = new SeededRandom(streamKey(seed, 0x5eed));
  const random = (): number => rng.next();
  // A resumed tenant is rebuilt as of its creation instant, so its generated rows are the ones the state refers to.
  const createdAt = saved?.tenant.createdAt ?? clock.now();
  const tenant = options.tenantDir
    ? loadTenantFromJson(options.tenantDir, { now: createdAt, seed })
    : generateTenant({ seed, size: options.size ?? "small", counts: options.counts, now: createdAt });
  if (saved) tenant.restore(saved.tenant);
  const authFlavor = options.authFlavor ?? "cognito";
  const tenantType = options.tenantType ?? "commercial";
  const tokenTtlSeconds = options.tokenTtlSeconds ?? (tenantType === "commercial" ? 86_400 : 900);
  const accounts = (options.serviceAccounts ?? [{ name: "wizbridge-simulator", scopes: ALL_SCOPES }]).map((spec) => {
    const derived = createServiceAccount(String(seed), spec.name, spec.scopes);
    return { ...derived, clientId: spec.clientId ?? derived.clientId, clientSecret: spec.clientSecret ?? derived.clientSecret };
  });
  const primary = accounts[0];
  if (!primary) throw new Error("startSimulator needs at least one service account.");

  let baseUrl = "";
  const tokens = new TokenIssuer({ accounts, signingKey: createSigningKey(), issuer: "wizbridge-simulator", expiresIn: tokenTtlSeconds, now: () => clock.wallTime() });
  const rateLimitOptions: RateLimitOptions = { requestsPerSecond: 5, mode: "http429", ...options.rateLimit };
  const rateLimiter = new TenantRateLimiter(rateLimitOptions);
  const faults = new FaultPlan(random);
  for (const rule of options.faults ?? []) faults.inject(rule);
  const requests = new RequestLog();
  const webhooks = createWebhookEmitter({ targets: options.webhooks ?? [], clock, logger });
  const notifyIssue = (index: number, kind: "issue.created" | "issue.updated" | "issue.resolved"): void => {
    webhooks.issueEvent(kind, tenant.issues.get(index));
  };
  const uploads = createUploadService({ tenant, clock, publicBaseUrl: () => baseUrl, random, options: options.upload, onIssueChanged: notifyIssue });
  if (saved) uploads.restore(saved.uploads);
  const lists = new ListCache();
  const relations = new RelationIndex(tenant);
  const fieldResolved = attachFieldResolvers(buildWizSchema());
  const schema = attachRootResolvers(options.tenantDir ? attachRecordedDefaults(fieldResolved) : fieldResolved, createRootResolvers(), ROOT_FIELD_SCOPES, hasRequiredScope);
  const documents = new DocumentCache(schema);
  const pageCaps = { ...PAGE_SIZE_CAPS, ...options.pageCaps };

  const activityPerHour = options.activityPerHour ?? 0;
  // Activity is applied over (activityThrough, now]; a resumed simulator first catches up on the time it was stopped.
  let activityThrough = Math.min(saved?.activityThrough ?? clock.now(), clock.now());
  const unsubscribeActivity =
    activityPerHour > 0
      ? clock.onAdvance((now) => {
          const previous = activityThrough;
          activityThrough = Math.max(activityThrough, now);
          const summary = tenant.simulateActivity(now, previous, activityPerHour);
          for (const i of summary.createdIssues) notifyIssue(i, "issue.created");
          for (const i of summary.updatedIssues) notifyIssue(i, "issue.updated");
          for (const i of summary.resolvedIssues) notifyIssue(i, "issue.resolved");
          for (const i of summary.createdDetections) webhooks.detectionEvent(tenant.detections.get(i));
        })
      : () => true;
  // In realtime mode nobody calls advance(); a tick keeps activity and upload processing moving.
  const ticker = options.clock?.realtime ? setInterval(() => void clock.advance(0), 1000) : undefined;
  ticker?.unref();

  const context = (account: { id: string; name: string; scopes: readonly string[] }): SimContext => ({
    tenant,
    clock,
    uploads,
    lists,
    relations,
    scopes: new Set(account.scopes),
    account: { id: account.id, name: account.name },
    pageCaps,
    repeatCursor: false,
    nodes: 0,
    onIssueChanged: notifyIssue,
  });

  const info = (): SimulatorInfo => ({
    seed,
    url: baseUrl,
    graphqlUrl: `${baseUrl}/graphql`,
    tokenUrl: `${baseUrl}/oauth/token`,
    audience: AUDIENCE_BY_FLAVOR[authFlavor],
    authFlavor,
    tenantType,
    tokenTtlSeconds,
    clientId: primary.clientId,
    rateLimit: rateLimitOptions,
    admin: options.admin ?? true,
    now: new Date(clock.now()).toISOString(),
    process: { rssBytes: process.memoryUsage.rss(), heapUsedBytes: process.memoryUsage().heapUsed, cpuMicros: cpuMicros() },
    tenant: {
      projects: tenant.projects.size(),
      cloudAccounts: tenant.cloudAccounts.size(),
      kubernetesClusters: tenant.kubernetesClusters.size(),
      cloudResources: tenant.cloudResources.size(),
      issues: tenant.issues.size(),
      vulnerabilityFindings: tenant.vulnerabilityFindings.size(),
      configurationFindings: tenant.configurationFindings.size(),
      detections: tenant.detections.size(),
      auditLogEntries: tenant.auditLogEntries.size(),
      versionControlResources: tenant.versionControlResources.size(),
      users: tenant.users.size(),
    },
  });

  const server: Server = createSimServer({
    schema,
    documents,
    tokens,
    authFlavor,
    rateLimiter,
    faults,
    log: requests,
    clock,
    uploads,
    context,
    admin: options.admin === false ? undefined : createAdminRoutes({ clock, faults, log: requests, tokens, rateLimiter, uploads, info }),
    logger,
    extraMetrics: () => tenantMetrics(info(), uploads.uploadsInFlight().length),
  });
  server.listen(options.port ?? 0, options.host ?? "127.0.0.1");
  await once(server, "listening");
  const { host, port } = serverAddress(server);
  baseUrl = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  logger.info({ url: baseUrl, seed }, "wiz simulator listening");

  return {
    url: baseUrl,
    graphqlUrl: `${baseUrl}/graphql`,
    tokenUrl: `${baseUrl}/oauth/token`,
    audience: AUDIENCE_BY_FLAVOR[authFlavor],
    clientId: primary.clientId,
    clientSecret: primary.clientSecret,
    serviceAccounts: accounts,
    clock,
    tenant,
    faults,
    requests,
    tokens,
    rateLimiter,
    uploads,
    webhooks,
    info,
    snapshot: () => ({
      format: 1,
      now: clock.now(),
      savedAt: (options.clock?.wallNow ?? Date.now)(),
      activityThrough: activityPerHour > 0 ? activityThrough : clock.now(),
      tenant: tenant.snapshot(),
      uploads: uploads.snapshot(),
    }),
    async close() {
      if (ticker) clearInterval(ticker);
      unsubscribeActivity();
      uploads.close();
      await webhooks.flush();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function tenantMetrics(info: SimulatorInfo, uploadsInFlight: number): string {
  const lines = ["# HELP wizsim_tenant_records Records in the simulated tenant, by kind.", "# TYPE wizsim_tenant_records gauge"];
  for (const [kind, count] of Object.entries(info.tenant)) lines.push(`wizsim_tenant_records{kind="${kind}"} ${count}`);
  lines.push(
    "# HELP wizsim_uploads_in_flight Enrichment uploads not yet processed.",
    "# TYPE wizsim_uploads_in_flight gauge",
    `wizsim_uploads_in_flight ${uploadsInFlight}`,
    "# HELP wizsim_clock_seconds Simulated time.",
    "# TYPE wizsim_clock_seconds gauge",
    `wizsim_clock_seconds ${Date.parse(info.now) / 1000}`,
    "# HELP process_resident_memory_bytes Resident memory of the simulator process.",
    "# TYPE process_resident_memory_bytes gauge",
    `process_resident_memory_bytes ${info.process.rssBytes}`,
  );
  return `${lines.join("\n")}\n`;
}

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

export type { FaultRule, FaultSpec } from "./faults/fault-plan.js";
export type { Tenant } from "./tenant/types.js";
export type { SimTenantState } from "./tenant/tenant-state.js";
export type { UploadServiceState } from "./upload/upload-service.js";
