import { SinkConfigError } from "../sink.js";

/**
 * RabbitMQ is not set up for this sink (the exchange is missing, no queue is bound for the routing key,
 * the credentials or permissions are refused). A SinkConfigError under RabbitMQ's name, which tests check for.
 */
export class RabbitmqConfigError extends SinkConfigError {}

/** AMQP reply codes the sink tells apart (AMQP 0-9-1 spec, section 1.2). */
export const AMQP = {
  noRoute: 312,
  contentTooLarge: 311,
  connectionForced: 320,
  accessRefused: 403,
  notFound: 404,
  resourceLocked: 405,
  preconditionFailed: 406,
  notAllowed: 530,
} as const;

/** Replaces every occurrence of the secrets in a text with `***`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 3) continue;
    out = out.split(secret).join("***");
  }
  return out;
}

export interface RabbitmqProblem {
  message: string;
  fix: string;
  /** Credentials, vhost, TLS or permissions: retrying does not help. */
  config: boolean;
}

/** What a failed connect means and what to change (the text is already scrubbed of secrets by the caller). */
export function explainConnectError(text: string, code: string, where: string): RabbitmqProblem {
  // OpenSSL's "80CC...:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/..." says its reason in one field.
  const said = text.replace(/^[0-9A-F]+:error:[0-9A-F]+:SSL routines:[^:]*:([^:]+):[\s\S]*$/, "TLS: $1").trim();
  if (/ACCESS.REFUSED|403|authentication|login was refused/i.test(said)) {
    return { message: `RabbitMQ at ${where} refused the login (${said}).`, fix: "Check the user name and password in url (percent-encode special characters) and that the user exists (rabbitmqctl list_users).", config: true };
  }
  if (/NOT.ALLOWED|530|vhost|Expected ConnectionOpenOk; got <ConnectionClose/i.test(said)) {
    return { message: `RabbitMQ at ${where} closed the connection while opening the virtual host (${said}): the vhost does not exist or the user has no permissions on it.`, fix: "Check the vhost in url (the path: /%2F for the default vhost) and the user's permissions on it (rabbitmqctl set_permissions -p <vhost> <user> ...).", config: true };
  }
  if (/certificate|CERT_|SELF_SIGNED|ssl|tls|wrong version number|handshake/i.test(`${said} ${code}`) && !/Handshake terminated by server/i.test(said)) {
    return {
      message: `TLS with RabbitMQ at ${where} failed (${said}).`,
      fix: /wrong version number|packet length too long/i.test(said)
        ? "The port does not speak TLS: use amqp:// for a plain listener, or the TLS listener's port (5671 by default) with amqps://."
        : "Set tls.caFile to the CA that signed the broker's certificate and tls.serverName to a name in it; for mutual TLS set certFile and keyFile.",
      config: true,
    };
  }
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ETIMEDOUT|ECONNRESET|socket hang up|closed/i.test(`${said} ${code}`)) {
    return { message: `cannot reach RabbitMQ at ${where} (${said}).`, fix: "Check that RabbitMQ is running and listening there (rabbitmqctl status), and that no firewall is in the way.", config: false };
  }
  return { message: `connecting to RabbitMQ at ${where} failed (${said}).`, fix: "Check the url (host, port, vhost, credentials) and the TLS settings against the broker's configuration.", config: false };
}
