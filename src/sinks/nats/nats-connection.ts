import { readFileSync } from "node:fs";
import { credsAuthenticator, nkeyAuthenticator, type NodeConnectionOptions } from "@nats-io/transport-node";
import type { Logger } from "pino";
import { tlsConnectionOptions } from "../sink-settings.js";
import { redactSecrets } from "./nats-errors.js";
import { NATS_DEFAULTS, natsServers, type NatsSinkSettings } from "./nats-settings.js";

/** Reconnect delays: from a quarter second, growing with the outage, never more than this apart. */
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5_000;

/**
 * The client's options: reconnect for ever with a growing delay (writes during the outage fail fast in the
 * sink, so nothing piles up in the client), credentials and TLS files read now so a wrong path names its key.
 */
export function natsConnectionOptions(id: string, settings: NatsSinkSettings, logger: Logger, baseDir: string, reconnectDelay: () => number): NodeConnectionOptions {
  const options: NodeConnectionOptions = {
    servers: natsServers(settings),
    name: `wizbridge sink ${id}`,
    timeout: settings.connectTimeoutMs ?? NATS_DEFAULTS.connectTimeoutMs,
    reconnect: true,
    maxReconnectAttempts: -1,
    reconnectDelayHandler: reconnectDelay,
    // A half-open connection (a cable pulled, a NAT timeout) is found within 30 s instead of the default 4 minutes.
    pingInterval: 10_000,
    maxPingOut: 3,
    noEcho: true,
    // The client writes to the socket whenever 32 KiB are pending (its default): a pipelined batch of a
    // couple of megabytes is then ~60 writes; 256 KiB makes it ~8 and saved ~10% of the sink's CPU in the
    // bench. (An option the client reads but does not declare.)
    ...({ pendingLimit: 256 * 1024 } as object),
    ...(settings.inboxPrefix !== undefined ? { inboxPrefix: settings.inboxPrefix } : {}),
  };
  if (settings.token !== undefined) options.token = settings.token;
  if (settings.user !== undefined) {
    options.user = settings.user;
    if (settings.password !== undefined) options.pass = settings.password;
  }
  if (settings.credsFile !== undefined) options.authenticator = credsAuthenticator(readKeyFile(id, "credsFile", settings.credsFile));
  if (settings.nkeySeedFile !== undefined) options.authenticator = nkeyAuthenticator(new TextEncoder().encode(new TextDecoder().decode(readKeyFile(id, "nkeySeedFile", settings.nkeySeedFile)).trim()));
  const tls = tlsConnectionOptions(id, settings.tls, logger, baseDir);
  if (tls) {
    // The Node transport hands these to tls.connect as they are; PEM buffers become the strings its types name.
    const nodeTls: Record<string, unknown> = { ...tls };
    for (const key of ["ca", "cert", "key"] as const) if (Buffer.isBuffer(nodeTls[key])) nodeTls[key] = (nodeTls[key] as Buffer).toString("utf8");
    options.tls = nodeTls as NodeConnectionOptions["tls"];
  }
  return options;
}

function readKeyFile(id: string, key: "credsFile" | "nkeySeedFile", path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new Error(`sinks.${id}.${key}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}); point it at the file your NATS operator issued.`, { cause: error });
  }
}

/** A growing reconnect delay: half the time the outage has lasted, within bounds. */
export function reconnectDelayOf(outageMs: number): number {
  return Math.min(RECONNECT_MAX_MS, Math.max(RECONNECT_MIN_MS, Math.round(outageMs / 2)));
}

export interface ConnectProblem {
  message: string;
  fix: string;
  /** The credentials or TLS are wrong: retrying does not help. */
  config: boolean;
}

/** What a failed connect means and what to change; secrets scrubbed. */
export function explainConnectError(error: unknown, settings: NatsSinkSettings): ConnectProblem {
  const servers = natsServers(settings).join(", ");
  const raw = error instanceof Error ? error.message : String(error);
  const causeText = error instanceof Error && error.cause instanceof Error ? error.cause.message : "";
  const code = (error as { code?: string } | undefined)?.code ?? (error instanceof Error ? (error.cause as { code?: string } | undefined)?.code : undefined) ?? "";
  const said = redactSecrets(causeText && !raw.includes(causeText) ? `${raw} (${causeText})` : raw, [settings.token, settings.password]);
  const name = error instanceof Error ? error.name : "";
  if (name === "AuthorizationError" || /authorization violation|authentication/i.test(raw)) {
    const method = settings.token !== undefined ? "token" : settings.user !== undefined ? "user/password" : settings.credsFile !== undefined ? "credsFile" : settings.nkeySeedFile !== undefined ? "nkeySeedFile" : "no credentials";
    return {
      message: `NATS at ${servers} refused the credentials (${said}).`,
      fix: method === "no credentials" ? "The server requires authentication: set token, user/password, credsFile or nkeySeedFile." : `Check ${method} (it was refused; the server may expect another method or the credentials were rotated).`,
      config: true,
    };
  }
  if (/tls|certificate|CERT_|SELF_SIGNED|ssl|wrong version number/i.test(`${raw} ${causeText} ${code}`)) {
    return {
      message: `TLS with NATS at ${servers} failed (${said}).`,
      fix: /does not support 'tls'|not available/i.test(raw)
        ? "The server has no TLS: remove tls from the sink or enable TLS on nats-server."
        : /required/i.test(raw)
          ? "The server requires TLS: add tls: {} (and tls.caFile when its certificate is not from a public CA)."
          : "Set tls.caFile to the CA that signed the server's certificate and tls.serverName to a name in it; for mutual TLS set certFile and keyFile.",
      config: true,
    };
  }
  if (/refused|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ETIMEDOUT|timeout/i.test(`${raw} ${causeText} ${code}`)) {
    return {
      message: `cannot reach NATS at ${servers} (${said}).`,
      fix: "Check that nats-server is running and listening there (servers: host:port), and that no firewall is in the way.",
      config: false,
    };
  }
  return { message: `connecting to NATS at ${servers} failed (${said}).`, fix: "Check servers, credentials and TLS settings against the server's configuration.", config: false };
}
