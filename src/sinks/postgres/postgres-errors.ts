import { SinkUnavailableError } from "../sink.js";

/** Settings PostgreSQL (or the network to it) refuses until someone changes them: wrong password, missing grant, unknown database, TLS. */
export class PostgresSinkConfigError extends Error {
  override readonly name = "PostgresSinkConfigError";
}

/** How the sink reacts to a failed write. */
export type PostgresFailureKind =
  /** The data of some row: retry row by row and dead-letter the rows PostgreSQL refuses. */
  | "data"
  /** Down, restarting, overloaded, a deadlock: retry the whole batch later. */
  | "transient"
  /** The tables are gone (dropped by hand): create them again, then retry. */
  | "missing-table"
  /** Settings or grants: retried, but nothing changes until someone fixes them. */
  | "config"
  | "other";

interface PgErrorFields {
  code?: string;
  message?: string;
  detail?: string;
  table?: string;
  column?: string;
}

function fieldsOf(error: unknown): PgErrorFields {
  return error !== null && typeof error === "object" ? (error as PgErrorFields) : {};
}

/** SQLSTATE of a server error; undefined for a network or client error. */
export function sqlStateOf(error: unknown): string | undefined {
  const code = fieldsOf(error).code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ECONNABORTED", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "EHOSTDOWN", "EAI_AGAIN", "ENOTFOUND"]);
const TLS_CODE = /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_OSSL)/;

export function failureKindOf(error: unknown): PostgresFailureKind {
  const state = sqlStateOf(error);
  if (state !== undefined) {
    const cls = state.slice(0, 2);
    // 22 data exception, 23 integrity constraint, 54000 a value past a limit (an index row too large).
    if (cls === "22" || cls === "23" || state === "54000") return "data";
    if (cls === "08" || cls === "53" || cls === "40" || state === "57P01" || state === "57P02" || state === "57P03" || state === "57014" || state === "55P03" || state === "55006" || state === "58000" || state === "58030") return "transient";
    if (state === "42P01" || state === "3F000") return "missing-table";
    if (cls === "28" || state === "3D000" || state === "42501") return "config";
    return "other";
  }
  const code = fieldsOf(error).code;
  if (typeof code === "string" && TLS_CODE.test(code)) return "config";
  if (typeof code === "string" && (code === "ENOTFOUND" || code === "EAI_AGAIN")) return "transient";
  if (typeof code === "string" && NETWORK_CODES.has(code)) return "transient";
  const message = fieldsOf(error).message ?? "";
  // pg's own words when the socket closes (TLS or not) or a pooled connect/query times out.
  if (/Connection terminated|closed unexpectedly|connection error|timeout|ECONNRESET|Client has encountered|not queryable|Connection ended/i.test(message)) return "transient";
  if (/does not support SSL|certificate|self[- ]signed|unable to verify|wrong version number|SSL routines/i.test(message)) return "config";
  return "other";
}

/** Where the sink writes, for messages: host, port, database and user, never the password. */
export interface PostgresTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  schema: string;
}

function where(target: PostgresTarget): string {
  return `PostgreSQL at ${target.host}:${target.port} (database ${target.database}, user ${target.user})`;
}

/** What happened, the likely cause and what to do, for a failure that stops every write. */
export function explainFailure(error: unknown, target: PostgresTarget): { what: string; fix: string } {
  const state = sqlStateOf(error);
  const fields = fieldsOf(error);
  const said = `${state ? `SQLSTATE ${state}: ` : fields.code ? `${fields.code}: ` : ""}${fields.message ?? String(error)}`;
  const at = where(target);
  if (state === "28P01") return { what: `${at} refused the password (${said})`, fix: `the password is wrong for user ${target.user}: fix password (or the one in connectionString) and restart.` };
  if (state === "28000")
    return {
      what: `${at} refused the login (${said})`,
      fix: /no encryption|SSL off/i.test(fields.message ?? "")
        ? "the server only accepts TLS connections from here: add tls: {caFile: <the server's CA>} (or sslmode=verify-full in connectionString)."
        : `pg_hba.conf has no entry that lets user ${target.user} into database ${target.database} from this host: add one (or use another user).`,
    };
  if (state === "3D000") return { what: `${at}: the database does not exist (${said})`, fix: `create it (CREATE DATABASE ${target.database}) or fix database / the path in connectionString.` };
  if (state === "42501")
    return {
      what: `${at}: missing privilege (${said})`,
      fix: `grant user ${target.user} what the sink needs: GRANT CREATE ON DATABASE ${target.database} TO ${target.user} (for the first migration), or create schema ${target.schema} yourself and GRANT USAGE, CREATE ON SCHEMA ${target.schema} TO ${target.user}; GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA ${target.schema} TO ${target.user}.`,
    };
  if (state === "57014") return { what: `${at} cancelled the write after statementTimeoutMs (${said})`, fix: "the server is overloaded or a lock blocks the tables (a long migration, VACUUM FULL, a manual LOCK): it is retried; raise statementTimeoutMs or find the blocker in pg_stat_activity." };
  if (state === "53300") return { what: `${at} has no connection slot left (${said})`, fix: "raise max_connections on the server or lower pool.max on this sink (and other clients'); it is retried." };
  if (state === "42P01" || state === "3F000") return { what: `${at}: the sink's tables in schema ${target.schema} are missing (${said})`, fix: "run `wizbridge sink setup` (or set migrate: true) to create them." };
  if (state === "08001" || state === "08004")
    return { what: `${at} refused the connection (${said})`, fix: "check host/port and that the server (or the pooler in front of it) accepts connections from here; a pooler may be out of server connections. Writes resume on their own." };
  if (fields.code === "ECONNREFUSED") return { what: `nothing accepts connections at ${target.host}:${target.port} (${said})`, fix: "start PostgreSQL, or fix host/port (or connectionString); writes resume on their own once it listens." };
  if (fields.code === "ENOTFOUND" || fields.code === "EAI_AGAIN") return { what: `the host name ${target.host} does not resolve (${said})`, fix: "fix host (or connectionString), or the DNS of this machine." };
  if (failureKindOf(error) === "config")
    return {
      what: `TLS with ${at} failed (${said})`,
      fix: /does not support SSL/i.test(fields.message ?? "")
        ? "the server does not speak TLS: remove tls (and sslmode) or enable ssl on the server."
        : "set tls.caFile to the CA that signed the server's certificate, tls.serverName to the name in it, or fix the client certificate (tls.certFile/keyFile).",
    };
  if (failureKindOf(error) === "transient") return { what: `${at} is unavailable (${said})`, fix: "it is retried with backoff; check that the server is up and reachable." };
  return { what: `${at} failed the write (${said})`, fix: "see the server log around this time; the batch is retried." };
}

/**
 * The error `write` throws for a failure of the whole batch: SinkUnavailableError for transient ones (the
 * dispatcher backs off), PostgresSinkConfigError with the fix for settings and grants, a plain Error otherwise.
 */
export function batchFailure(error: unknown, target: PostgresTarget, redact: (text: string) => string): Error {
  const { what, fix } = explainFailure(error, target);
  const message = redact(`${what}; ${fix}`);
  const kind = failureKindOf(error);
  if (kind === "transient" || kind === "missing-table") return new SinkUnavailableError(message);
  if (kind === "config") return new PostgresSinkConfigError(message);
  return new Error(message);
}

/** The dead-letter reason of one row PostgreSQL refused: its SQLSTATE, its words, and what to do. */
export function rowRejection(error: unknown, redact: (text: string) => string): string {
  const state = sqlStateOf(error) ?? "unknown";
  const fields = fieldsOf(error);
  const detail = fields.detail ? ` (${fields.detail.slice(0, 200)}${fields.detail.length > 200 ? "..." : ""})` : "";
  const column = fields.column ? ` in column ${fields.column}` : "";
  const hint =
    state === "22P05"
      ? "the event holds a NUL character (\\u0000), which PostgreSQL text and jsonb cannot store"
      : state === "54000"
        ? "a value is larger than PostgreSQL allows in an index (a very long id?)"
        : state.startsWith("23")
          ? "a required value is missing (an event without an id?)"
          : "PostgreSQL cannot store a value of this event as it is";
  return redact(`PostgreSQL refused the event (SQLSTATE ${state}${column}: ${fields.message ?? String(error)}${detail}); ${hint}. The rest of its batch was written; fix the record at the source or drop this dead letter.`);
}
