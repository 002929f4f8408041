/** A JetStream API error as it arrives in a PubAck. */
export interface JetStreamApiErrorBody {
  code: number;
  err_code?: number;
  description?: string;
}

/** JetStream error codes of a PubAck (server/errors.json in nats-server). */
export const JS_ERR = {
  /** The stream named in Nats-Expected-Stream is not the one that captured the subject. */
  streamMismatch: 10060,
  streamNotFound: 10059,
  jetStreamNotEnabledForAccount: 10039,
  jetStreamNotEnabled: 10076,
  /** The message is larger than the stream's max_msg_size. */
  messageTooLarge: 10054,
  /** The headers are larger than the stream allows. */
  headersTooLarge: 10097,
} as const;

export type PubAckVerdict = "reject" | "config" | "retry";

/**
 * What a PubAck error means for the event: `reject` (this event can never be stored: dead-letter it),
 * `config` (the stream setup is wrong: every event would fail the same way), `retry` (anything else:
 * storage full, leader election, a limit that may clear).
 */
export function pubAckVerdict(error: JetStreamApiErrorBody): PubAckVerdict {
  switch (error.err_code) {
    case JS_ERR.messageTooLarge:
    case JS_ERR.headersTooLarge:
      return "reject";
    case JS_ERR.streamMismatch:
    case JS_ERR.streamNotFound:
    case JS_ERR.jetStreamNotEnabledForAccount:
    case JS_ERR.jetStreamNotEnabled:
      return "config";
    default:
      return "retry";
  }
}

/** Replaces every occurrence of the secrets in a text (an error from the client or the server) with `***`. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === undefined || secret.length < 3) continue;
    out = out.split(secret).join("***");
  }
  return out;
}
