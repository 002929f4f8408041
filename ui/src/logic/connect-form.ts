/**
 * The Connect page's form as data: what the user entered, the checks made as they type (the config file's
 * rules for ids, schedules and filters' shape), and the connector body POST /api/connectors takes (the same
 * shape as a connector entry of the config file). The server validates everything again; its 400 names the field.
 */
export type TenantType = "commercial" | "gov" | "govcloud";
export type AuthFlavor = "cognito" | "auth0";

export interface StreamChoice {
  selected: boolean;
  /** `5m`, `1h`, a five-field cron expression, or `once`; empty: the stream's default. */
  schedule: string;
  /** A JSON object of Wiz filters (as `filters:` in the config file); empty: none. */
  filters: string;
  mode: "" | "incremental" | "snapshot";
}

export interface ConnectForm {
  id: string;
  enabled: boolean;
  tenantType: TenantType;
  locate: "region" | "endpoint";
  region: string;
  endpoint: string;
  authFlavor: AuthFlavor;
  clientId: string;
  clientSecret: string;
  /** Advanced: a token service and audience other than the tenant type's (a proxy, the simulator). */
  tokenUrl: string;
  audience: string;
  allowNonWizHosts: boolean;
  streams: Record<string, StreamChoice>;
  sampling: boolean;
  samplingAssets: string;
  /** canonical | ocsf | ecs | map:<name> */
  output: string;
  severityLadder: string;
  sinks: string[];
}

/** The streams wizbridge pulls (src/model/stream-name.ts); the page prefers the list the API's schema gives. */
export const DEFAULT_STREAM_NAMES = ["issues", "vulnerabilityFindings", "cloudResources", "configurationFindings", "detections", "threats", "auditLogEntries", "projects", "versionControlResources"] as const;

/** A new, empty form: commercial tenant by region, issues every 5 minutes, canonical output. */
export function emptyConnectForm(streamNames: readonly string[] = DEFAULT_STREAM_NAMES): ConnectForm {
  return {
    id: "",
    enabled: true,
    tenantType: "commercial",
    locate: "region",
    region: "",
    endpoint: "",
    authFlavor: "cognito",
    clientId: "",
    clientSecret: "",
    tokenUrl: "",
    audience: "",
    allowNonWizHosts: false,
    streams: Object.fromEntries(streamNames.map((name) => [name, { selected: name === "issues", schedule: name === "issues" ? "5m" : "", filters: "", mode: "" }])),
    sampling: false,
    samplingAssets: "1000",
    output: "canonical",
    severityLadder: "",
    sinks: [],
  };
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const REGION = /^(us|eu|ap|ca|uk|au|me|sa|in|jp|kr|gov|fedramp)?\d{1,3}$/;

/** The config file's schedule rule (src/sync/stream-schedule.ts): undefined when the text is a schedule. */
export function scheduleProblem(text: string): string | undefined {
  const source = text.trim();
  if (source === "" || source === "once") return undefined;
  const interval = /^(\d+)\s*(s|m|h|d)$/.exec(source);
  if (interval) return Number(interval[1]) === 0 ? "use at least 1s" : undefined;
  if (source.split(/\s+/).length === 5) return undefined;
  return `"${source}" is not a schedule: use an interval (30s, 5m, 1h, 1d), a cron expression ("*/15 * * * *") or "once"`;
}

/** A filters text must be a JSON object of filter fields (the server checks each field against Wiz's schema). */
export function filtersProblem(text: string): string | undefined {
  if (text.trim() === "") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return `not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return 'must be a JSON object such as {"severity": ["HIGH", "CRITICAL"]}';
  return undefined;
}

/** The connection settings (`connection:` of a config connector); only what the user filled in. */
export function connectionOf(form: ConnectForm): Record<string, unknown> {
  return {
    clientId: form.clientId.trim(),
    clientSecret: form.clientSecret,
    tenantType: form.tenantType,
    authFlavor: form.authFlavor,
    ...(form.locate === "region" ? { region: form.region.trim() } : { endpoint: form.endpoint.trim() }),
    ...(form.tokenUrl.trim() ? { tokenUrl: form.tokenUrl.trim() } : {}),
    ...(form.audience.trim() ? { audience: form.audience.trim() } : {}),
    ...(form.allowNonWizHosts ? { allowNonWizHosts: true } : {}),
  };
}

/** The chosen streams with their settings (`streams:` of a config connector). */
export function streamsOf(form: ConnectForm): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, s] of Object.entries(form.streams)) {
    if (!s.selected) continue;
    const filters = s.filters.trim() && !filtersProblem(s.filters) ? (JSON.parse(s.filters) as Record<string, unknown>) : undefined;
    out[name] = { ...(s.schedule.trim() ? { schedule: s.schedule.trim() } : {}), ...(filters ? { filters } : {}), ...(s.mode ? { mode: s.mode } : {}) };
  }
  return out;
}

/** Per form field (`id`, `clientSecret`, `streams.issues.filters`...), what is wrong; empty when the form can be sent. */
export function connectFormProblems(form: ConnectForm, purpose: "test" | "connect"): Record<string, string> {
  const problems: Record<string, string> = {};
  if (purpose === "connect" && !ID.test(form.id.trim())) problems.id = form.id.trim() ? "letters, digits, '.', '_' or '-', starting with a letter or digit" : "required: a name for this connector (it names log fields and files)";
  if (!form.clientId.trim()) problems.clientId = "required: the service account's Client ID from Wiz";
  if (!form.clientSecret) problems.clientSecret = "required: the service account's Client Secret from Wiz";
  if (form.locate === "region") {
    if (!form.region.trim()) problems.region = "required: the Wiz data center, e.g. us17 (Wiz: User Settings > Tenant Info)";
    else if (!REGION.test(form.region.trim())) problems.region = `"${form.region.trim()}" is not a Wiz region such as us17 or eu2`;
  } else if (!/^https?:\/\//.test(form.endpoint.trim())) problems.endpoint = "required: the full API endpoint, e.g. https://api.us17.app.wiz.io/graphql";
  if (form.tokenUrl.trim() && !/^https?:\/\//.test(form.tokenUrl.trim())) problems.tokenUrl = "must be a URL such as https://auth.app.wiz.io/oauth/token";
  const selected = Object.entries(form.streams).filter(([, s]) => s.selected);
  if (selected.length === 0) problems.streams = "pick at least one stream";
  for (const [name, s] of selected) {
    const schedule = scheduleProblem(s.schedule);
    if (schedule) problems[`streams.${name}.schedule`] = schedule;
    const filters = filtersProblem(s.filters);
    if (filters) problems[`streams.${name}.filters`] = filters;
  }
  if (form.sampling && !(Number.isInteger(Number(form.samplingAssets)) && Number(form.samplingAssets) > 0)) problems.samplingAssets = "a whole number of assets above 0";
  if (purpose === "connect" && form.sinks.length === 0) problems.sinks = "pick at least one sink (add one on the Sinks page)";
  return problems;
}

/** The body of POST /api/connectors: a connector entry as in the config file. */
export function connectorBodyOf(form: ConnectForm): Record<string, unknown> {
  return {
    id: form.id.trim(),
    enabled: form.enabled,
    connection: connectionOf(form),
    streams: streamsOf(form),
    sinks: form.sinks,
    output: { profile: form.output, ...(form.severityLadder ? { severityLadder: form.severityLadder } : {}) },
    ...(form.sampling ? { sampling: { assets: Number(form.samplingAssets) } } : {}),
  };
}

/** The body of POST /api/connectors/test: the connection, and the streams so their features are checked. */
export function testBodyOf(form: ConnectForm): Record<string, unknown> {
  return { connection: connectionOf(form), streams: streamsOf(form) };
}

/**
 * Where a server-side 400 issue belongs on the form: `body.connection.region` -> `region`,
 * `body.streams.issues.filters.x` -> `streams.issues.filters`, so the message shows beside its field.
 */
export function formFieldOfIssue(path: string): string {
  const parts = path.split(".");
  if (parts[0] === "body") parts.shift();
  if (parts[0] === "connection") parts.shift();
  if (parts[0] === "streams" && parts.length >= 3) return parts.slice(0, 3).join(".");
  if (parts[0] === "output") return "output";
  if (parts[0] === "sampling") return "samplingAssets";
  return parts[0] ?? "";
}
