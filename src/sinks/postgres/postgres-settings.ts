import type { ConnectionOptions } from "node:tls";
import type { Logger } from "pino";
import type { PoolConfig } from "pg";
import { z } from "zod";
import { sinkDeliveryShape, sinkTlsSchema, tlsConnectionOptions } from "../sink-settings.js";
import type { PostgresTarget } from "./postgres-errors.js";

const SSL_MODES = ["disable", "require", "verify-ca", "verify-full"] as const;
const URL_PARAMETERS = new Set(["sslmode", "application_name"]);

/** Problems of a connection string, worded without its text: the password may be in it. */
export function connectionStringProblems(value: string): string[] {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return ["must be a URL like postgresql://user:password@host:5432/database (the value is not shown: it may hold a password)"];
  }
  const problems: string[] = [];
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") problems.push("must start with postgresql:// or postgres://");
  if (url.hostname === "") problems.push("must name a host (postgresql://user@host:5432/database); a Unix socket is not supported");
  if (url.pathname.replace(/^\//, "") === "") problems.push("must name the database after the host (postgresql://user@host:5432/database)");
  if (url.username === "") problems.push("must name the user (postgresql://user@host:5432/database)");
  for (const [key, v] of url.searchParams) {
    if (!URL_PARAMETERS.has(key)) problems.push(`has the parameter ${key}, which the sink does not take; use the sink's own keys (tls, statementTimeoutMs...) instead`);
    else if (key === "sslmode" && !(SSL_MODES as readonly string[]).includes(v))
      problems.push(`sslmode must be ${SSL_MODES.join(", ")}; to skip certificate checks use tls.insecureSkipVerify (it warns loudly)`);
  }
  return problems;
}

const identifier = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, "must be a lower-case PostgreSQL identifier: letters, digits and '_', starting with a letter or '_', at most 63 characters");

export const postgresSinkSchema = z
  .strictObject({
    type: z.literal("postgres"),
    /** postgresql://user:password@host:5432/database[?sslmode=verify-full]; secret (holds the password). */
    connectionString: z
      .string()
      .min(1, "must not be empty")
      .superRefine((value, ctx) => {
        for (const message of connectionStringProblems(value)) ctx.addIssue({ code: "custom", message });
      })
      .optional(),
    host: z.string().min(1, "must name the PostgreSQL host").optional(),
    port: z.number().int("must be a whole port number").min(1, "must be a port number (1-65535)").max(65535, "must be a port number (1-65535)").optional(),
    database: z.string().min(1, "must name the database").optional(),
    user: z.string().min(1, "must name the user").optional(),
    password: z.string().optional(),
    /** Schema holding the tables; created by the first migration. */
    schema: identifier.optional(),
    /** Connections at most (each in-flight batch holds one). */
    pool: z.strictObject({ max: z.number().int("must be a whole number").min(1, "must be at least 1").max(100, "must be at most 100").optional() }).optional(),
    /** Server-side limit of one statement; a write past it is cancelled and retried. */
    statementTimeoutMs: z.number().int("must be whole milliseconds").min(1000, "must be at least 1000 ms").max(3_600_000, "must be at most an hour").optional(),
    /** Create or update the tables on the first write (as `wizbridge sink setup` does). */
    migrate: z.boolean().optional(),
    tls: sinkTlsSchema.optional(),
    ...sinkDeliveryShape,
  })
  .superRefine((s, ctx) => {
    const discrete = (["host", "port", "database", "user", "password"] as const).filter((k) => s[k] !== undefined);
    if (s.connectionString !== undefined && discrete.length > 0) {
      ctx.addIssue({ code: "custom", path: [], message: `sets connectionString and ${discrete.join(", ")}; use one or the other.` });
    }
    if (s.connectionString === undefined) {
      for (const key of ["host", "database", "user"] as const) {
        if (s[key] === undefined) ctx.addIssue({ code: "custom", path: [key], message: `is required (or give a connectionString instead of host/port/database/user/password).` });
      }
    }
    if (s.connectionString !== undefined && s.tls !== undefined && /[?&]sslmode=disable(&|$)/.test(s.connectionString)) {
      ctx.addIssue({ code: "custom", path: ["tls"], message: "is set while the connectionString says sslmode=disable; remove one of them." });
    }
  });

export type PostgresSinkSettings = z.output<typeof postgresSinkSchema>;

export const POSTGRES_DEFAULTS = Object.freeze({ port: 5432, schema: "wiz", poolMax: 4, statementTimeoutMs: 60_000, migrate: true, connectTimeoutMs: 10_000 });

/** Host, port, database, user and password from either form of the settings. */
export interface PostgresEndpoint extends Omit<PostgresTarget, "schema"> {
  password: string | undefined;
  sslMode: (typeof SSL_MODES)[number] | undefined;
  applicationName: string | undefined;
}

export function endpointOf(s: PostgresSinkSettings): PostgresEndpoint {
  if (s.connectionString === undefined) {
    return { host: s.host ?? "127.0.0.1", port: s.port ?? POSTGRES_DEFAULTS.port, database: s.database ?? "", user: s.user ?? "", password: s.password, sslMode: undefined, applicationName: undefined };
  }
  const url = new URL(s.connectionString);
  const sslMode = url.searchParams.get("sslmode") ?? undefined;
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port === "" ? POSTGRES_DEFAULTS.port : Number(url.port),
    database: decodeURIComponent(url.pathname.replace(/^\//, "")),
    user: decodeURIComponent(url.username),
    password: url.password === "" ? undefined : decodeURIComponent(url.password),
    sslMode: sslMode as PostgresEndpoint["sslMode"],
    applicationName: url.searchParams.get("application_name") ?? undefined,
  };
}

export function targetOf(s: PostgresSinkSettings): PostgresTarget {
  const { host, port, database, user } = endpointOf(s);
  return { host, port, database, user, schema: s.schema ?? POSTGRES_DEFAULTS.schema };
}

/**
 * TLS for pg: the sink's `tls` (CA, client certificate, skip-verify with its loud warning) or, with only
 * sslmode in the connection string, Node's trusted roots with the certificate always verified.
 */
function sslOf(id: string, s: PostgresSinkSettings, endpoint: PostgresEndpoint, logger: Logger, baseDir: string): ConnectionOptions | false {
  if (s.tls !== undefined) return tlsConnectionOptions(id, s.tls, logger, baseDir) ?? false;
  if (endpoint.sslMode !== undefined && endpoint.sslMode !== "disable") return { rejectUnauthorized: true };
  return false;
}

/** pg's pool settings, discrete (never a connection string: pg would let its sslmode override `ssl`). */
export function poolConfigOf(id: string, s: PostgresSinkSettings, logger: Logger, baseDir: string): PoolConfig {
  const endpoint = endpointOf(s);
  const statementTimeoutMs = s.statementTimeoutMs ?? POSTGRES_DEFAULTS.statementTimeoutMs;
  return {
    host: endpoint.host,
    port: endpoint.port,
    database: endpoint.database,
    user: endpoint.user,
    ...(endpoint.password !== undefined ? { password: endpoint.password } : {}),
    ssl: sslOf(id, s, endpoint, logger, baseDir),
    max: s.pool?.max ?? POSTGRES_DEFAULTS.poolMax,
    connectionTimeoutMillis: POSTGRES_DEFAULTS.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    statement_timeout: statementTimeoutMs,
    // Client-side guard for a server that stops answering without closing the socket.
    query_timeout: statementTimeoutMs + 15_000,
    application_name: endpoint.applicationName ?? `wizbridge-${id}`.slice(0, 63),
  };
}

/** Replaces the password (as written and URL-encoded) wherever it appears: errors and logs never carry it. */
export function redactorOf(s: PostgresSinkSettings): (text: string) => string {
  const password = endpointOf(s).password;
  const secrets = [password, password === undefined ? undefined : encodeURIComponent(password), s.connectionString].filter((v): v is string => v !== undefined && v.length >= 3);
  secrets.sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const secret of secrets) out = out.split(secret).join("***");
    return out;
  };
}

/** One line for the banner and `status`: where, which schema, TLS or not; never the password. */
export function describePostgres(id: string, s: PostgresSinkSettings): string {
  const t = targetOf(s);
  const endpoint = endpointOf(s);
  const tls = s.tls !== undefined || (endpoint.sslMode !== undefined && endpoint.sslMode !== "disable") ? ", TLS" : "";
  return `${id}: PostgreSQL at ${t.host}:${t.port}/${t.database} (schema ${t.schema}, user ${t.user}${tls})`;
}
