import { lookup as dnsLookup } from "node:dns/promises";
import { isIP, Socket } from "node:net";
import { connect as tlsConnect, rootCertificates, type PeerCertificate } from "node:tls";
import type { Logger } from "pino";
import type { Dispatcher } from "undici";
import type { ResolvedConnectionSettings } from "./connection-settings.js";
import { WizClientCore } from "./wiz-client-core.js";
import { WizError, WizPermissionError, WizSchemaError } from "./wiz-errors.js";

export type CheckStatus = "pass" | "fail" | "skip";
export type CheckKind = "network" | "tls" | "authentication" | "authorization" | "data";

/** One line of the report: what was checked, how it went, and what to do about a failure. */
export interface ConnectionCheckResult {
  check: CheckKind;
  /** A host for network and TLS checks, a feature for authorization and data checks. */
  subject: string;
  status: CheckStatus;
  /** What was found (or, for a skip, why it was not checked). */
  detail: string;
  /** What to do; set on failures. */
  fix?: string;
  /** Scopes that grant the feature (authorization checks). */
  scopes?: readonly string[];
  durationMs: number;
}

export interface ConnectionCheckReport {
  ok: boolean;
  endpoint: string;
  tokenUrl: string;
  checks: ConnectionCheckResult[];
}

/** What a feature of wizbridge reads from Wiz: the root field to probe and the scopes that allow it. */
export interface FeatureProbe {
  feature: string;
  rootField: string;
  /** Any one of these suffices. */
  scopes: readonly string[];
  /** Asks the root field for one row's page info: proves access without reading data. */
  accessDocument: string;
  /** Reads one row (first: 1), or undefined when the feature has no data stream. */
  dataDocument?: string;
  /** An answer to the access probe that still proves the scope (a refused dummy argument). */
  acceptsCode?: string;
}

/** The pull streams and the push path, with the scope each needs (as Wiz's service-account scopes name them). */
export const FEATURE_PROBES: readonly FeatureProbe[] = Object.freeze([
  {
    feature: "issues",
    rootField: "issuesV2",
    scopes: ["read:issues"],
    accessDocument: /* GraphQL */ `query CheckIssuesAccess { issuesV2(first: 1) { pageInfo { hasNextPage } } }`,
    dataDocument: /* GraphQL */ `query CheckIssuesData { issuesV2(first: 1) { nodes { id } } }`,
  },
  {
    feature: "vulnerabilityFindings",
    rootField: "vulnerabilityFindings",
    scopes: ["read:vulnerabilities"],
    accessDocument: /* GraphQL */ `query CheckVulnerabilityFindingsAccess { vulnerabilityFindings(first: 1) { pageInfo { hasNextPage } } }`,
    dataDocument: /* GraphQL */ `query CheckVulnerabilityFindingsData { vulnerabilityFindings(first: 1) { nodes { id } } }`,
  },
  {
    feature: "cloudResources",
    rootField: "cloudResources",
    scopes: ["read:resources"],
    accessDocument: /* GraphQL */ `query CheckCloudResourcesAccess { cloudResources(first: 1) { pageInfo { hasNextPage } } }`,
    dataDocument: /* GraphQL */ `query CheckCloudResourcesData { cloudResources(first: 1) { nodes { id } } }`,
  },
  {
    feature: "detections",
    rootField: "detections",
    scopes: ["read:detections"],
    accessDocument: /* GraphQL */ `query CheckDetectionsAccess { detections(first: 1) { pageInfo { hasNextPage } } }`,
    dataDocument: /* GraphQL */ `query CheckDetectionsData { detections(first: 1) { nodes { id } } }`,
  },
  {
    feature: "projects",
    rootField: "projects",
    scopes: ["read:projects"],
    accessDocument: /* GraphQL */ `query CheckProjectsAccess { projects(first: 1) { pageInfo { hasNextPage } } }`,
    dataDocument: /* GraphQL */ `query CheckProjectsData { projects(first: 1) { nodes { id } } }`,
  },
  {
    feature: "configurationFindings",
    rootField: "configurationFindings",
    scopes: ["read:cloud_configuration"],
    accessDocument: /* GraphQL */ `query CheckConfigurationFindingsAccess { configurationFindings(first: 1) { pageInfo { hasNextPage } } }`,
    dataDocument: /* GraphQL */ `query CheckConfigurationFindingsData { configurationFindings(first: 1) { nodes { id } } }`,
  },
  {
    // Threats are THREAT_DETECTION issues: the issues root field, with Wiz Defend's issue type.
    feature: "threats",
    rootField: "issuesV2",
    scopes: ["read:issues"],
    accessDocument: /* GraphQL */ `query CheckThreatsAccess { issuesV2(first: 1, filterBy: { type: [THREAT_DETECTION] }) { pageInfo { hasNextPage } } }`,
    dataDocument: /* GraphQL */ `query CheckThreatsData { issuesV2(first: 1, filterBy: { type: [THREAT_DETECTION] }) { nodes { id } } }`,
  },
  {
    feature: "auditLogEntries",
    rootField: "auditLogEntries",
    scopes: ["admin:audit"],
    accessDocument: /* GraphQL */ `query CheckAuditLogEntriesAccess { auditLogEntries(first: 1) { pageInfo { hasNextPage } } }`,
    dataDocument: /* GraphQL */ `query CheckAuditLogEntriesData { auditLogEntries(first: 1) { nodes { id } } }`,
  },
  {
    feature: "versionControlResources",
    rootField: "versionControlResources",
    scopes: ["read:resources"],
    accessDocument: /* GraphQL */ `query CheckVersionControlResourcesAccess { versionControlResources(first: 1) { pageInfo { hasNextPage } } }`,
    dataDocument: /* GraphQL */ `query CheckVersionControlResourcesData { versionControlResources(first: 1) { nodes { id } } }`,
  },
  {
    feature: "push",
    rootField: "requestSecurityScanUpload",
    scopes: ["create:external_data_ingestion"],
    // An empty filename is refused after the scope check and before a slot is reserved: no side effect.
    accessDocument: /* GraphQL */ `
      query CheckPushAccess {
        requestSecurityScanUpload(filename: "") { upload { id } }
      }
    `,
    acceptsCode: "BAD_USER_INPUT",
  },
]);

/** Every pull stream: a connector config narrows this to the streams it syncs. */
export const DEFAULT_FEATURES: readonly string[] = Object.freeze(["issues", "vulnerabilityFindings", "cloudResources", "configurationFindings", "detections", "threats", "auditLogEntries", "projects", "versionControlResources"]);

export interface ConnectionCheckOptions {
  /** Features whose scopes and data to check. Default: every pull stream. */
  features?: readonly string[];
  logger?: Logger;
  dispatcher?: Dispatcher;
  /** Epoch ms, for token lifetimes. */
  now?: () => number;
  /** Name resolution; injectable for tests. */
  lookup?: (host: string) => Promise<string[]>;
  /** Per network and TLS probe. Default: the settings' connect timeout. */
  probeTimeoutMs?: number;
  /** Pacing of the GraphQL probes. Default 3 requests/s, Wiz's public guidance. */
  requestsPerSecond?: number;
}

/**
 * The five checks Wiz connectors show: network reachability, TLS handshake, authentication, authorization
 * per feature scope, and a one-row read per stream. Each failure says what to do; a failed step skips the
 * steps that depend on it rather than piling up consequences of one cause.
 */
export async function checkConnection(settings: ResolvedConnectionSettings, options: ConnectionCheckOptions = {}): Promise<ConnectionCheckReport> {
  const features = options.features ?? DEFAULT_FEATURES;
  const probes = features.map((feature) => {
    const probe = FEATURE_PROBES.find((p) => p.feature === feature);
    if (!probe) throw new Error(`Unknown feature "${feature}"; known: ${FEATURE_PROBES.map((p) => p.feature).join(", ")}.`);
    return probe;
  });
  const timeoutMs = options.probeTimeoutMs ?? settings.timeouts.connectMs;
  const lookup = options.lookup ?? (async (host: string) => (await dnsLookup(host, { all: true })).map((a) => a.address));
  const checks: ConnectionCheckResult[] = [];
  const targets = distinctTargets(settings);

  // 1. Network: DNS and TCP to each host we will talk to (the proxy instead, when one is set).
  const reachable = new Map<string, string>();
  for (const target of targets) {
    const result = await timed(() => checkReachable(target, lookup, timeoutMs, settings.proxyUrl !== undefined));
    checks.push(result.check);
    if (result.address) reachable.set(target.label, result.address);
  }
  const networkOk = reachable.size === targets.length;

  // 2. TLS handshake to each https host, with the trust the transport will use.
  let tlsOk = networkOk;
  for (const target of targets) {
    if (!networkOk) {
      checks.push(skip("tls", target.label, "needs network reachability first."));
      continue;
    }
    if (settings.proxyUrl) {
      checks.push(skip("tls", target.label, "traffic goes through the proxy (CONNECT); the authentication check below proves TLS through the tunnel."));
      continue;
    }
    if (target.protocol !== "https:") {
      checks.push(skip("tls", target.label, `${target.label} is plain http (a simulator or a local relay), there is no TLS to check; real Wiz endpoints are https.`));
      continue;
    }
    const result = await timed(() => checkTls(target, reachable.get(target.label) ?? target.host, settings.ca, timeoutMs));
    checks.push(result.check);
    if (result.check.status === "fail") tlsOk = false;
  }

  const core = new WizClientCore({
    settings,
    logger: options.logger,
    dispatcher: options.dispatcher,
    now: options.now,
    rateLimit: { requestsPerSecond: options.requestsPerSecond ?? 3, maxConcurrency: 1 },
    // A check reports the first answer; long backoff would only hide what is wrong.
    retry: { maxAttempts: 2, baseDelayMs: 200, throttleBaseDelayMs: 1000, maxDelayMs: 2000, maxRetryAfterMs: 5000 },
  });
  try {
    // 3. Authentication: one token request.
    let authOk = false;
    if (!tlsOk) {
      checks.push(skip("authentication", hostOf(settings.tokenUrl), "needs a working network path and TLS first."));
    } else {
      const started = performance.now();
      try {
        await core.tokenProvider.getToken({ tokenUrl: settings.tokenUrl, clientId: settings.clientId, clientSecret: settings.clientSecret, audience: settings.audience });
        authOk = true;
        checks.push({ check: "authentication", subject: hostOf(settings.tokenUrl), status: "pass", detail: `token issued for audience ${settings.audience}.`, durationMs: since(started) });
      } catch (error) {
        checks.push({ check: "authentication", subject: hostOf(settings.tokenUrl), ...failure(error), durationMs: since(started) });
      }
    }

    // 4. Authorization per feature, then 5. one row per stream the account may read.
    const allowed = new Set<string>();
    for (const probe of probes) {
      if (!authOk) {
        checks.push({ ...skip("authorization", probe.feature, "needs authentication first."), scopes: probe.scopes });
        continue;
      }
      const started = performance.now();
      try {
        await core.graphql(probe.accessDocument, {}, { mutating: false });
        allowed.add(probe.feature);
        checks.push({ check: "authorization", subject: probe.feature, status: "pass", detail: `${probe.rootField} is allowed (${probe.scopes.join(" or ")}).`, scopes: probe.scopes, durationMs: since(started) });
      } catch (error) {
        if (probe.acceptsCode && error instanceof WizError && error.code === probe.acceptsCode) {
          allowed.add(probe.feature);
          checks.push({ check: "authorization", subject: probe.feature, status: "pass", detail: `${probe.rootField} is allowed (${probe.scopes.join(" or ")}); the probe's dummy argument was refused as intended.`, scopes: probe.scopes, durationMs: since(started) });
        } else {
          checks.push({ check: "authorization", subject: probe.feature, ...authorizationFailure(error, probe), scopes: probe.scopes, durationMs: since(started) });
        }
      }
    }
    for (const probe of probes) {
      if (!probe.dataDocument) continue;
      if (!allowed.has(probe.feature)) {
        checks.push(skip("data", probe.feature, authOk ? `needs ${probe.scopes.join(" or ")} first.` : "needs authentication first."));
        continue;
      }
      const started = performance.now();
      try {
        const data = await core.graphql<Record<string, { nodes?: Array<{ id?: unknown }> | null } | null>>(probe.dataDocument, {}, { mutating: false });
        const nodes = data[probe.rootField]?.nodes;
        if (!Array.isArray(nodes)) throw new Error(`the answer has no ${probe.rootField}.nodes list`);
        const first = nodes[0];
        const detail = first === undefined ? `no ${probe.feature} in the tenant yet (the query works; there is nothing to read).` : `read 1 record (id ${String(first.id)}).`;
        checks.push({ check: "data", subject: probe.feature, status: "pass", detail, durationMs: since(started) });
      } catch (error) {
        checks.push({ check: "data", subject: probe.feature, ...failure(error), durationMs: since(started) });
      }
    }
  } finally {
    await core.close();
  }
  return { ok: checks.every((c) => c.status !== "fail"), endpoint: settings.endpoint, tokenUrl: settings.tokenUrl, checks };
}

interface Target {
  label: string;
  host: string;
  port: number;
  protocol: string;
}

/** The endpoint and token hosts (once each), or the proxy that carries both. */
function distinctTargets(settings: ResolvedConnectionSettings): Target[] {
  const urls = settings.proxyUrl ? [settings.proxyUrl] : [settings.endpoint, settings.tokenUrl];
  const targets = new Map<string, Target>();
  for (const raw of urls) {
    const url = new URL(raw);
    const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
    const host = url.hostname.replace(/^\[|\]$/g, "");
    targets.set(`${host}:${port}`, { label: `${host}:${port}`, host, port, protocol: url.protocol });
  }
  return [...targets.values()];
}

async function checkReachable(target: Target, lookup: (host: string) => Promise<string[]>, timeoutMs: number, viaProxy: boolean): Promise<{ check: Omit<ConnectionCheckResult, "durationMs">; address?: string }> {
  const role = viaProxy ? "proxy" : "host";
  let addresses: string[];
  if (isIP(target.host)) {
    addresses = [target.host];
  } else {
    try {
      addresses = await lookup(target.host);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "";
      return {
        check: {
          check: "network",
          subject: target.label,
          status: "fail",
          detail: `DNS cannot resolve the ${role} ${target.host} (${code || (error as Error).message}).`,
          fix: viaProxy
            ? "check the proxy host name in --proxy / HTTPS_PROXY."
            : "check region or endpoint against the Wiz console (User Settings > Tenant Info: api.<region>.app.wiz.io); if this network resolves external names only through a proxy, set --proxy.",
        },
      };
    }
  }
  const address = addresses[0];
  if (address === undefined) return { check: { check: "network", subject: target.label, status: "fail", detail: `DNS returned no address for ${target.host}.`, fix: "check the host name and this machine's DNS." } };
  try {
    await openTcp(address, target.port, timeoutMs);
    return { check: { check: "network", subject: target.label, status: "pass", detail: `${isIP(target.host) ? target.host : `${target.host} resolves to ${address}`}; TCP port ${target.port} accepts connections${viaProxy ? " (proxy)" : ""}.` }, address };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "ERROR";
    const timedOut = code === "ETIMEDOUT";
    return {
      check: {
        check: "network",
        subject: target.label,
        status: "fail",
        detail: `TCP to ${address}:${target.port} ${timedOut ? `timed out after ${timeoutMs} ms` : `failed (${code})`}.`,
        fix: timedOut
          ? "a firewall probably drops outbound traffic: allow HTTPS (443) to *.wiz.io / *.wiz.us, or set --proxy."
          : viaProxy
            ? "check that the proxy is running and the port in --proxy / HTTPS_PROXY is right."
            : "nothing accepts connections there: check the endpoint's host and port, and the firewall's egress rules (or set --proxy).",
      },
    };
  }
}

function openTcp(address: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const done = (error?: Error): void => {
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    socket.setTimeout(timeoutMs, () => done(Object.assign(new Error("connect timed out"), { code: "ETIMEDOUT" })));
    socket.once("error", done);
    socket.connect(port, address, () => done());
  });
}

async function checkTls(target: Target, address: string, ca: string | undefined, timeoutMs: number): Promise<{ check: Omit<ConnectionCheckResult, "durationMs"> }> {
  try {
    const { protocol, certificate } = await handshake(target, address, ca, timeoutMs);
    const issuer = certificate.issuer?.O ?? certificate.issuer?.CN ?? "unknown issuer";
    return {
      check: {
        check: "tls",
        subject: target.label,
        status: "pass",
        detail: `${protocol ?? "TLS"} handshake; certificate for ${certificate.subject?.CN ?? target.host} issued by ${issuer}, valid until ${certificate.valid_to}${ca ? " (custom CA chain trusted)" : ""}.`,
      },
    };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    const intercepted = /SELF_SIGNED|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY_LEAF|DEPTH_ZERO/.test(code);
    const fix = intercepted
      ? "a TLS-inspecting proxy or firewall re-signs the traffic with a CA this process does not trust: export that CA chain as PEM and pass --ca-file (or WIZ_CA_FILE). Never disable certificate checks."
      : /EXPIRED|NOT_YET_VALID/.test(code)
        ? "check this machine's clock; if it is right, something between here and Wiz presents an outdated certificate (an inspecting proxy): ask its owners."
        : /ALTNAME/.test(code)
          ? "the certificate does not name this host: the endpoint points at the wrong host, or a proxy intercepts it; use the API URL from the Wiz console."
          : "check that the endpoint speaks HTTPS on that port and nothing in between interferes.";
    return { check: { check: "tls", subject: target.label, status: "fail", detail: `TLS handshake with ${target.host} failed: ${(error as Error).message}${code ? ` (${code})` : ""}.`, fix } };
  }
}

function handshake(target: Target, address: string, ca: string | undefined, timeoutMs: number): Promise<{ protocol: string | null; certificate: PeerCertificate }> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: address, port: target.port, servername: isIP(target.host) ? undefined : target.host, ...(ca ? { ca: [...rootCertificates, ca] } : {}) });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(Object.assign(new Error(`no handshake within ${timeoutMs} ms`), { code: "ETIMEDOUT" }));
    });
    socket.once("error", (error) => {
      socket.destroy();
      reject(error);
    });
    socket.once("secureConnect", () => {
      const result = { protocol: socket.getProtocol(), certificate: socket.getPeerCertificate() };
      socket.end();
      resolve(result);
    });
  });
}

function authorizationFailure(error: unknown, probe: FeatureProbe): Pick<ConnectionCheckResult, "status" | "detail" | "fix"> {
  if (error instanceof WizPermissionError) {
    const scopes = error.missingScopes.length > 0 ? error.missingScopes : probe.scopes;
    if (error.code === "FORBIDDEN_IP") return failure(error);
    return {
      status: "fail",
      detail: `the service account may not query ${probe.rootField}: it lacks ${scopes.join(" or ")}.`,
      fix: `grant ${scopes.join(" or ")} to the service account (Wiz: Settings > Access Management > Service Accounts), or disable the ${probe.feature} feature.`,
    };
  }
  if (error instanceof WizSchemaError) {
    return { status: "fail", detail: `this tenant's API has no ${probe.rootField} as wizbridge expects it: ${error.what}`, fix: error.fix };
  }
  return failure(error);
}

function failure(error: unknown): Pick<ConnectionCheckResult, "status" | "detail" | "fix"> {
  if (error instanceof WizError) return { status: "fail", detail: error.what, fix: error.fix };
  return { status: "fail", detail: error instanceof Error ? error.message : String(error), fix: "run again with --verbose and report the output." };
}

function skip(check: CheckKind, subject: string, detail: string): ConnectionCheckResult {
  return { check, subject, status: "skip", detail, durationMs: 0 };
}

async function timed<T extends { check: Omit<ConnectionCheckResult, "durationMs"> }>(run: () => Promise<T>): Promise<T & { check: ConnectionCheckResult }> {
  const started = performance.now();
  const result = await run();
  return { ...result, check: { ...result.check, durationMs: since(started) } };
}

function since(started: number): number {
  return Math.round(performance.now() - started);
}

function hostOf(url: string): string {
  return new URL(url).host;
}
