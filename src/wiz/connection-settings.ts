import { readFileSync } from "node:fs";
import { z } from "zod";
import { DEFAULT_TIMEOUTS, type TransportTimeouts } from "./transport.js";
import { redactUrl, WizSettingsError } from "./wiz-errors.js";

export type TenantType = "commercial" | "gov" | "govcloud";
export type AuthFlavor = "cognito" | "auth0";

/** What a user (config file, env, CLI flags, UI form) gives to reach a Wiz tenant. */
export const connectionSettingsSchema = z.strictObject({
  clientId: z.string().min(1, "clientId is required: the service account's Client ID from Wiz."),
  clientSecret: z.string().min(1, "clientSecret is required: the service account's Client Secret from Wiz."),
  /** Wiz data center, e.g. `us17` or `eu2` (Wiz console: User Settings > Tenant Info). */
  region: z.string().optional(),
  /** Full API endpoint, e.g. `https://api.us17.app.wiz.io/graphql`; wins over region. */
  endpoint: z.string().optional(),
  /** commercial (app.wiz.io), gov (Wiz for Gov, app.wiz.us) or govcloud (gov.wiz.io). Inferred from endpoint when omitted. */
  tenantType: z.enum(["commercial", "gov", "govcloud"]).optional(),
  /** cognito (current, default) or auth0 (legacy tenants). */
  authFlavor: z.enum(["cognito", "auth0"]).optional(),
  tokenUrl: z.string().optional(),
  audience: z.string().optional(),
  /** Allow endpoint and token hosts outside *.wiz.io and *.wiz.us (the simulator, tests). */
  allowNonWizHosts: z.boolean().optional(),
  /** Outbound proxy, e.g. `http://proxy.corp:3128`. */
  proxyUrl: z.string().optional(),
  /** Extra trusted CA chain: PEM text or the path of a PEM file (TLS-inspecting proxies). */
  caCertificates: z.string().optional(),
  timeouts: z
    .strictObject({
      connectMs: z.number().int().positive().optional(),
      requestMs: z.number().int().positive().optional(),
    })
    .optional(),
});

export type ConnectionSettingsInput = z.input<typeof connectionSettingsSchema>;

/** Settings ready for the pipeline. The client secret is a non-enumerable property: it never prints or serialises. */
export interface ResolvedConnectionSettings {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly endpoint: string;
  readonly tokenUrl: string;
  readonly audience: string;
  readonly tenantType: TenantType;
  readonly authFlavor: AuthFlavor;
  readonly region: string | undefined;
  readonly allowNonWizHosts: boolean;
  readonly proxyUrl: string | undefined;
  readonly ca: string | undefined;
  readonly timeouts: TransportTimeouts;
}

export interface ResolveOptions {
  /** Told about values that were fixed up (trimmed secret, appended /graphql); never given a secret. */
  onWarning?: (message: string) => void;
  /** Reads a CA file; injectable for tests. */
  readFile?: (path: string) => string;
}

interface AuthService {
  tokenUrl: string;
  audience: string;
}

/** Wiz environments (REFERENCE 1.1, 1.3): API domain and token services per auth flavour. */
const ENVIRONMENTS: Readonly<Record<TenantType, { apiDomain: string; label: string; auth: Partial<Record<AuthFlavor, AuthService>> }>> = {
  commercial: {
    apiDomain: "app.wiz.io",
    label: "commercial (app.wiz.io)",
    auth: {
      cognito: { tokenUrl: "https://auth.app.wiz.io/oauth/token", audience: "wiz-api" },
      auth0: { tokenUrl: "https://auth.wiz.io/oauth/token", audience: "beyond-api" },
    },
  },
  gov: {
    apiDomain: "app.wiz.us",
    label: "Wiz for Gov (app.wiz.us)",
    auth: { cognito: { tokenUrl: "https://auth.app.wiz.us/oauth/token", audience: "wiz-api" } },
  },
  govcloud: {
    apiDomain: "gov.wiz.io",
    label: "GovCloud (gov.wiz.io)",
    auth: {
      cognito: { tokenUrl: "https://auth.gov.wiz.io/oauth/token", audience: "wiz-api" },
      auth0: { tokenUrl: "https://auth0.gov.wiz.io/oauth/token", audience: "beyond-api" },
    },
  },
};

const REGION_PATTERN = /^(us|eu|ap|ca|uk|au|me|sa|in|jp|kr|gov|fedramp)?\d{1,3}$/;
// Zero-width and soft-hyphen characters, plus C0 controls (a pasted newline or tab); built from code points, as lint forbids control characters in regex literals.
const HIDDEN_CHARACTERS = new RegExp(`[\u200B-\u200D\u2060\uFEFF\u00AD${String.fromCharCode(0)}-${String.fromCharCode(0x1f)}${String.fromCharCode(0x7f)}]`, "gu");
const WIZ_HOST = /(^|\.)wiz\.(io|us)$/;
const HOST_POLICY =
  "wizbridge sends the client secret to the token URL and the access token to the endpoint, so it only talks to Wiz's own domains (*.wiz.io, *.wiz.us); a mistyped or injected URL must not be able to collect the credentials.";

/** Validates and completes connection settings; throws WizSettingsError saying what to change. */
export function resolveConnectionSettings(input: unknown, options: ResolveOptions = {}): ResolvedConnectionSettings {
  const parsed = connectionSettingsSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(settings)"}: ${i.message}`);
    throw new WizSettingsError(
      {
        what: `The Wiz connection settings are invalid: ${issues.join("; ")}.`,
        cause: "a missing, misspelt or wrongly typed setting.",
        fix: "give clientId, clientSecret and either region (e.g. us17) or endpoint (e.g. https://api.us17.app.wiz.io/graphql); see the settings reference for the optional fields.",
      },
      parsed.error.issues[0]?.path.join(".") || "settings",
    );
  }
  const settings = parsed.data;
  const warn = options.onWarning ?? (() => undefined);
  const allowNonWizHosts = settings.allowNonWizHosts ?? false;
  const clientId = cleanCredential(settings.clientId, "clientId", warn);
  const clientSecret = cleanCredential(settings.clientSecret, "clientSecret", warn);

  const region = settings.region === undefined || settings.region.trim() === "" ? undefined : checkRegion(settings.region);
  const explicitEndpoint = settings.endpoint === undefined || settings.endpoint.trim() === "" ? undefined : settings.endpoint;
  if (!region && !explicitEndpoint) {
    throw new WizSettingsError(
      {
        what: "Neither region nor endpoint is set.",
        cause: "wizbridge needs to know which Wiz data center holds the tenant.",
        fix: "set region (e.g. us17) or endpoint (e.g. https://api.us17.app.wiz.io/graphql), as shown in the Wiz console under User Settings > Tenant Info > API Endpoint URL.",
      },
      "region",
    );
  }

  let tenantType: TenantType;
  let endpoint: string;
  if (explicitEndpoint) {
    endpoint = checkEndpoint(explicitEndpoint, allowNonWizHosts, warn);
    const host = new URL(endpoint).hostname;
    const inferred = tenantTypeOfHost(host);
    if (settings.tenantType && inferred && settings.tenantType !== inferred) {
      throw new WizSettingsError(
        {
          what: `tenantType is ${settings.tenantType} but the endpoint ${host} belongs to a ${ENVIRONMENTS[inferred].label} tenant.`,
          cause: "the endpoint was copied from another environment, or tenantType was set by mistake.",
          fix: `set tenantType to ${inferred}, or leave it out to infer it from the endpoint.`,
        },
        "tenantType",
      );
    }
    tenantType = settings.tenantType ?? inferred ?? "commercial";
    const endpointRegion = /^api\.([^.]+)\./.exec(host)?.[1];
    if (region && endpointRegion && region !== endpointRegion && WIZ_HOST.test(host)) {
      throw new WizSettingsError(
        {
          what: `region is ${region} but the endpoint ${host} is in ${endpointRegion}.`,
          cause: "two settings disagree about the data center; a token from one region is refused by another.",
          fix: "set only one of region and endpoint, as shown under User Settings > Tenant Info.",
        },
        "region",
      );
    }
  } else {
    tenantType = settings.tenantType ?? "commercial";
    endpoint = `https://api.${region}.${ENVIRONMENTS[tenantType].apiDomain}/graphql`;
  }

  const authFlavor = settings.authFlavor ?? "cognito";
  const service = resolveAuthService(settings.tokenUrl, settings.audience, tenantType, authFlavor, allowNonWizHosts, warn);
  const timeouts: TransportTimeouts = { ...DEFAULT_TIMEOUTS, ...settings.timeouts };
  const proxyUrl = settings.proxyUrl?.trim() ? checkProxy(settings.proxyUrl.trim()) : undefined;
  const ca = settings.caCertificates?.trim() ? loadCertificates(settings.caCertificates.trim(), options.readFile ?? ((p) => readFileSync(p, "utf8"))) : undefined;

  const resolved = {
    clientId,
    endpoint,
    tokenUrl: service.tokenUrl,
    audience: service.audience,
    tenantType,
    authFlavor,
    region: region ?? /^api\.([^.]+)\./.exec(new URL(endpoint).hostname)?.[1],
    allowNonWizHosts,
    proxyUrl,
    ca,
    timeouts,
  };
  // Non-enumerable: a settings object that is logged, spread or JSON-serialised never carries the secret.
  Object.defineProperty(resolved, "clientSecret", { value: clientSecret, enumerable: false });
  return Object.freeze(resolved) as ResolvedConnectionSettings;
}

/** A log-safe view of resolved settings. */
export function describeSettings(settings: ResolvedConnectionSettings): Record<string, unknown> {
  return {
    endpoint: settings.endpoint,
    tokenUrl: settings.tokenUrl,
    audience: settings.audience,
    tenantType: settings.tenantType,
    authFlavor: settings.authFlavor,
    region: settings.region,
    proxy: settings.proxyUrl ? redactUrl(settings.proxyUrl) : undefined,
    customCa: settings.ca !== undefined,
  };
}

/** Strips what copy-paste leaves around a credential (zero-width characters, newlines, spaces, quotes). */
export function cleanCredential(value: string, name: string, warn: (message: string) => void): string {
  let cleaned = value.replace(HIDDEN_CHARACTERS, "").trim();
  const quoted = /^(["'])(.*)\1$/s.exec(cleaned);
  if (quoted?.[2] !== undefined) cleaned = quoted[2].trim();
  const removed = value.length - cleaned.length;
  if (removed > 0) {
    // Counts only: the value itself never reaches a warning.
    warn(`${name}: removed ${removed} hidden, whitespace or quote character${removed === 1 ? "" : "s"} (typical of copy-paste or a file with a trailing newline); check the value if authentication fails.`);
  }
  if (cleaned === "") {
    throw new WizSettingsError(
      { what: `${name} is empty once whitespace and hidden characters are removed.`, cause: "an empty or whitespace-only value.", fix: `copy ${name} again from Wiz (Settings > Access Management > Service Accounts).` },
      name,
    );
  }
  return cleaned;
}

function checkRegion(raw: string): string {
  const region = raw.trim().toLowerCase();
  if (REGION_PATTERN.test(region)) return region;
  const hint = /^https?:\/\//.test(region)
    ? "that is a URL: put it in endpoint instead."
    : /^[a-z]{2}-[a-z]+-\d$/.test(region)
      ? "that is a cloud provider region (like us-east-1), not a Wiz data center."
      : /wiz\.(io|us)/.test(region)
        ? "that is a host name: give the data center only (us17 for api.us17.app.wiz.io), or the full URL in endpoint."
        : "it does not look like a Wiz data center id.";
  throw new WizSettingsError(
    {
      what: `region "${raw.trim()}" is not a Wiz data center: ${hint}`,
      cause: "Wiz data centers are named like us1..us28, eu1..eu9 (a prefix and a number), taken from the API endpoint URL.",
      fix: "open the Wiz console, User Settings > Tenant Info, and take the part after api. in the API Endpoint URL (api.us17.app.wiz.io means region us17), or set endpoint to the whole URL.",
    },
    "region",
  );
}

function checkEndpoint(raw: string, allowNonWizHosts: boolean, warn: (message: string) => void): string {
  let text = raw.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text) && /^[\w.-]+\.[a-z]{2,}(:\d+)?(\/|$)/i.test(text)) {
    warn(`endpoint "${text}" has no scheme; using https://${text}.`);
    text = `https://${text}`;
  }
  const url = parseUrl(text, "endpoint", "https://api.us17.app.wiz.io/graphql");
  const host = url.hostname.toLowerCase();
  if (url.username || url.password) {
    throw new WizSettingsError(
      { what: "The endpoint URL contains a user name or password.", cause: "credentials were pasted into the URL.", fix: "remove them; Wiz authenticates with clientId and clientSecret only." },
      "endpoint",
    );
  }
  if (WIZ_HOST.test(host)) {
    if (/^auth0?\./.test(host)) {
      throw new WizSettingsError(
        {
          what: `The endpoint ${host} is a Wiz token service, not the GraphQL API.`,
          cause: "the token URL was put in the endpoint setting.",
          fix: "set tokenUrl to it if you need to override the token service, and set endpoint to the API URL (e.g. https://api.us17.app.wiz.io/graphql) or region.",
        },
        "endpoint",
      );
    }
    if (!host.startsWith("api.")) {
      const type = tenantTypeOfHost(host) ?? "commercial";
      throw new WizSettingsError(
        {
          what: `The endpoint ${url.origin}${url.pathname === "/" ? "" : url.pathname} is the Wiz console (the web UI), not the API.`,
          cause: "the browser's address was copied instead of the API Endpoint URL.",
          fix: `in the console open User Settings > Tenant Info and copy the API Endpoint URL, which looks like https://api.<region>.${ENVIRONMENTS[type].apiDomain}/graphql, or set region only.`,
        },
        "endpoint",
      );
    }
    if (url.protocol !== "https:") {
      throw new WizSettingsError(
        { what: `The endpoint uses ${url.protocol.replace(":", "")}; Wiz's API is served over HTTPS only.`, cause: "a URL typed by hand.", fix: `use https://${url.host}${url.pathname}.` },
        "endpoint",
      );
    }
  } else if (!allowNonWizHosts) {
    throw new WizSettingsError(
      {
        what: `The endpoint host ${host} is not a Wiz host.`,
        cause: HOST_POLICY,
        fix: "use the API Endpoint URL from User Settings > Tenant Info (https://api.<region>.app.wiz.io/graphql); for the local simulator or an approved relay set allowNonWizHosts: true.",
      },
      "endpoint",
    );
  }
  const path = url.pathname.replace(/\/+$/, "");
  if (!path.endsWith("/graphql")) {
    url.pathname = `${path}/graphql`;
    warn(`endpoint had no /graphql path; using ${url.origin}${url.pathname}.`);
  } else {
    url.pathname = path;
  }
  url.hash = "";
  return url.toString();
}

function resolveAuthService(
  tokenUrl: string | undefined,
  audience: string | undefined,
  tenantType: TenantType,
  authFlavor: AuthFlavor,
  allowNonWizHosts: boolean,
  warn: (message: string) => void,
): AuthService {
  const audienceOverride = audience?.trim() || undefined;
  if (tokenUrl?.trim()) {
    const url = parseUrl(tokenUrl.trim(), "tokenUrl", "https://auth.app.wiz.io/oauth/token");
    const host = url.hostname.toLowerCase();
    if (!WIZ_HOST.test(host) && !allowNonWizHosts) {
      throw new WizSettingsError(
        {
          what: `The token URL host ${host} is not a Wiz host.`,
          cause: HOST_POLICY,
          fix: "leave tokenUrl out (it follows from tenantType and authFlavor) or use a Wiz token service such as https://auth.app.wiz.io/oauth/token; for the simulator set allowNonWizHosts: true.",
        },
        "tokenUrl",
      );
    }
    if (WIZ_HOST.test(host) && url.protocol !== "https:") {
      throw new WizSettingsError({ what: "The token URL must use HTTPS.", cause: "a URL typed by hand.", fix: `use https://${url.host}${url.pathname}.` }, "tokenUrl");
    }
    if (url.pathname === "/" || url.pathname === "") {
      url.pathname = "/oauth/token";
      warn(`tokenUrl had no path; using ${url.origin}/oauth/token.`);
    }
    // Auth0 services (auth.wiz.io, auth0.*) expect the legacy audience; everything else is Cognito.
    const auth0Host = host === "auth.wiz.io" || host.startsWith("auth0.");
    const flavorAudience = auth0Host || authFlavor === "auth0" ? "beyond-api" : "wiz-api";
    return { tokenUrl: url.toString(), audience: audienceOverride ?? flavorAudience };
  }
  const service = ENVIRONMENTS[tenantType].auth[authFlavor];
  if (!service) {
    throw new WizSettingsError(
      {
        what: `There is no known ${authFlavor} token service for ${ENVIRONMENTS[tenantType].label} tenants.`,
        cause: "Wiz for Gov tenants authenticate with Cognito at auth.app.wiz.us.",
        fix: "set authFlavor to cognito, or set tokenUrl (and audience) to the token service Wiz gave you.",
      },
      "authFlavor",
    );
  }
  return { tokenUrl: service.tokenUrl, audience: audienceOverride ?? service.audience };
}

function tenantTypeOfHost(host: string): TenantType | undefined {
  if (/(^|\.)wiz\.us$/.test(host)) return "gov";
  if (/(^|\.)gov\.wiz\.io$/.test(host)) return "govcloud";
  if (WIZ_HOST.test(host)) return "commercial";
  return undefined;
}

function checkProxy(raw: string): string {
  const url = parseUrl(raw, "proxyUrl", "http://proxy.example.com:3128");
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new WizSettingsError(
      { what: `proxyUrl uses ${url.protocol}; only http:// and https:// proxies are supported.`, cause: "a SOCKS or other proxy URL.", fix: "give the HTTP(S) proxy address, e.g. http://proxy.corp:3128." },
      "proxyUrl",
    );
  }
  return url.toString();
}

function loadCertificates(value: string, readFile: (path: string) => string): string {
  let pem = value;
  if (!value.includes("-----BEGIN")) {
    try {
      pem = readFile(value);
    } catch (error) {
      throw new WizSettingsError(
        {
          what: `caCertificates is neither PEM text nor a readable file: ${(error as Error).message}.`,
          cause: "a wrong path, or a file this process may not read.",
          fix: "give the path of a PEM file holding the CA chain (-----BEGIN CERTIFICATE----- blocks) or the PEM text itself.",
        },
        "caCertificates",
      );
    }
  }
  if (!/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(pem)) {
    throw new WizSettingsError(
      {
        what: "caCertificates holds no PEM certificate.",
        cause: "a DER (binary) file, a private key, or a truncated copy.",
        fix: "export the CA chain as PEM (openssl x509 -inform der -in ca.cer -out ca.pem) and give that file.",
      },
      "caCertificates",
    );
  }
  return pem;
}

function parseUrl(text: string, setting: string, example: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new WizSettingsError(
      { what: `${setting} "${redactUrl(text) === "[REDACTED]" ? text.slice(0, 80) : redactUrl(text)}" is not a URL.`, cause: "a typo or a missing scheme.", fix: `give a full URL such as ${example}.` },
      setting,
    );
  }
}
