import { Option, type Command } from "commander";
import type { ConnectionSettingsInput } from "../wiz/index.js";
import { CliInputError } from "./cli-input-error.js";
import { loadConnectionProfile, profileFilePath, type ConnectionProfile } from "./profile-file.js";

/** The connection flags as commander hands them over (camelCase). */
export interface ConnectionFlags {
  clientId?: string;
  clientSecret?: string;
  region?: string;
  endpoint?: string;
  tenantType?: "commercial" | "gov" | "govcloud";
  authFlavor?: "cognito" | "auth0";
  tokenUrl?: string;
  audience?: string;
  proxy?: string;
  caFile?: string;
  allowNonWizHosts?: boolean;
  profile?: string;
}

const GROUP = "Connection (flags > WIZ_* env vars > profile):";

/** Adds the tenant connection flags to a command that talks to Wiz. */
export function addConnectionOptions(command: Command): Command {
  const options = [
    new Option("--profile <name>", "profile from $WIZBRIDGE_CONFIG or ~/.config/wizbridge/profiles.yaml (default: the `default` profile when present)"),
    new Option("--client-id <id>", "service account Client ID [WIZ_CLIENT_ID]"),
    new Option("--client-secret <secret>", "service account Client Secret [WIZ_CLIENT_SECRET]; prefer the env var or a profile, flags show in process lists"),
    new Option("--region <region>", "Wiz data center, e.g. us17 [WIZ_REGION]"),
    new Option("--endpoint <url>", "GraphQL API URL, e.g. https://api.us17.app.wiz.io/graphql [WIZ_ENDPOINT]"),
    new Option("--tenant-type <type>", "commercial (app.wiz.io), gov (app.wiz.us) or govcloud (gov.wiz.io) [WIZ_TENANT_TYPE]").choices(["commercial", "gov", "govcloud"]),
    new Option("--auth-flavor <flavor>", "cognito (default) or auth0 (legacy tenants) [WIZ_AUTH_FLAVOR]").choices(["cognito", "auth0"]),
    new Option("--token-url <url>", "token service override [WIZ_TOKEN_URL]"),
    new Option("--audience <audience>", "token audience override [WIZ_AUDIENCE]"),
    new Option("--proxy <url>", "outbound HTTP(S) proxy [HTTPS_PROXY, honouring NO_PROXY]"),
    new Option("--ca-file <path>", "extra trusted CA chain, PEM (TLS-inspecting proxies) [WIZ_CA_FILE]"),
    new Option("--allow-non-wiz-hosts", "allow endpoint/token hosts outside *.wiz.io and *.wiz.us, e.g. the simulator [WIZ_ALLOW_NON_WIZ_HOSTS=true]"),
  ];
  for (const option of options) command.addOption(option.helpGroup(GROUP));
  return command;
}

/** Reads the profile the flags and env vars point at, then merges: flags > env > profile. */
export function resolveConnectionInput(flags: ConnectionFlags, env: NodeJS.ProcessEnv, readFile?: (path: string) => string, warn?: (line: string) => void): ConnectionSettingsInput {
  const profileName = flags.profile ?? (env.WIZBRIDGE_PROFILE || undefined);
  // A profile secret that flags or env vars override is not used: it is neither decrypted nor hinted about.
  const needSecret = !flags.clientSecret && !env.WIZ_CLIENT_SECRET;
  const profile = loadConnectionProfile(profileFilePath(env), profileName, readFile, { env, needSecret, ...(warn ? { warn } : {}) });
  return mergeConnectionSources(flags, env, profile, profileName);
}

/** Pure precedence: each setting from the first source that has it (flags, then env, then the profile). */
export function mergeConnectionSources(flags: ConnectionFlags, env: NodeJS.ProcessEnv, profile: ConnectionProfile, profileName?: string): ConnectionSettingsInput {
  const pick = <T>(...values: Array<T | undefined>): T | undefined => values.find((v) => v !== undefined && v !== "");
  const clientId = pick(flags.clientId, env.WIZ_CLIENT_ID, profile.clientId);
  const clientSecret = pick(flags.clientSecret, env.WIZ_CLIENT_SECRET, profile.clientSecret);
  const inProfile = (key: string): string => (profileName ? ` or ${key} in profile ${profileName}` : " or use a profile (--profile)");
  if (clientId === undefined) {
    throw new CliInputError("No Wiz client id was given.", `pass --client-id, set WIZ_CLIENT_ID,${inProfile("clientId")}; it is the service account's Client ID (Settings > Access Management > Service Accounts).`);
  }
  if (clientSecret === undefined) {
    throw new CliInputError("No Wiz client secret was given.", `set WIZ_CLIENT_SECRET,${inProfile("clientSecret")} (or pass --client-secret); it is shown once when the service account is created.`);
  }
  const endpoint = pick(flags.endpoint, env.WIZ_ENDPOINT, profile.endpoint);
  const tokenUrl = pick(flags.tokenUrl, env.WIZ_TOKEN_URL, profile.tokenUrl);
  const envProxy = pick(env.HTTPS_PROXY, env.https_proxy);
  // An env proxy is machine-wide; NO_PROXY exempts hosts from it. A proxy given explicitly always applies.
  const proxyFromEnv = envProxy !== undefined && !bypassesProxy(endpoint, pick(env.NO_PROXY, env.no_proxy)) ? envProxy : undefined;
  return {
    clientId,
    clientSecret,
    region: pick(flags.region, env.WIZ_REGION, profile.region),
    endpoint,
    tenantType: pick(flags.tenantType, enumValue(env.WIZ_TENANT_TYPE, ["commercial", "gov", "govcloud"] as const, "WIZ_TENANT_TYPE"), profile.tenantType),
    authFlavor: pick(flags.authFlavor, enumValue(env.WIZ_AUTH_FLAVOR, ["cognito", "auth0"] as const, "WIZ_AUTH_FLAVOR"), profile.authFlavor),
    tokenUrl,
    audience: pick(flags.audience, env.WIZ_AUDIENCE, profile.audience),
    proxyUrl: pick(flags.proxy, proxyFromEnv, profile.proxy),
    caCertificates: pick(flags.caFile, env.WIZ_CA_FILE, profile.caFile),
    allowNonWizHosts: pick(flags.allowNonWizHosts, booleanValue(env.WIZ_ALLOW_NON_WIZ_HOSTS, "WIZ_ALLOW_NON_WIZ_HOSTS"), profile.allowNonWizHosts),
  };
}

function enumValue<T extends string>(value: string | undefined, allowed: readonly T[], name: string): T | undefined {
  if (value === undefined || value === "") return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new CliInputError(`${name} is "${value}", which is not one of ${allowed.join(", ")}.`, `set ${name} to one of ${allowed.join(", ")}, or unset it.`);
}

function booleanValue(value: string | undefined, name: string): boolean | undefined {
  if (value === undefined || value === "") return undefined;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new CliInputError(`${name} is "${value}", which is not a boolean.`, `set ${name} to true or false.`);
}

/** NO_PROXY as curl reads it: comma-separated hosts or domain suffixes, `*` for all. */
function bypassesProxy(endpoint: string | undefined, noProxy: string | undefined): boolean {
  if (!noProxy || !endpoint) return false;
  let host: string;
  try {
    host = new URL(endpoint).hostname.toLowerCase();
  } catch {
    return false;
  }
  return noProxy
    .split(",")
    .map((entry) => entry.trim().toLowerCase().replace(/:\d+$/, ""))
    .filter(Boolean)
    .some((entry) => entry === "*" || host === entry.replace(/^\./, "") || host.endsWith(entry.startsWith(".") ? entry : `.${entry}`));
}
