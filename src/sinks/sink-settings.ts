import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import type { ConnectionOptions } from "node:tls";
import type { Logger } from "pino";
import { z } from "zod";

/**
 * Keys every sink variant takes besides its own (spread into each variant's strict object): how the
 * dispatcher batches, paces and protects the destination. Defaults in SINK_DELIVERY_DEFAULTS.
 */
export const sinkDeliveryShape = {
  batch: z
    .strictObject({
      /** Events per batch at most. */
      maxEvents: z.number().int().min(1).max(50_000).optional(),
      /** Payload bytes per batch at most (one larger event still goes alone). */
      maxBytes: z.number().int().min(1024).optional(),
      /** How long a batch that is not full may wait for more events before it is sent. */
      maxWaitMs: z.number().int().min(0).max(60_000).optional(),
    })
    .optional(),
  /** Batches written at once (acknowledged in order). */
  maxInFlight: z.number().int().min(1).max(64).optional(),
  retry: z.strictObject({ initialMs: z.number().int().positive().optional(), maxMs: z.number().int().positive().optional() }).optional(),
  /** After this many failed batches in a row the circuit opens: no write for cooldownMs, then one probe batch. */
  circuitBreaker: z.strictObject({ failureThreshold: z.number().int().min(1).optional(), cooldownMs: z.number().int().min(0).optional() }).optional(),
} as const;

/** One HTTP timeout in milliseconds: 100 ms to 10 minutes. */
const httpTimeoutMs = z.number().int().min(100, "must be at least 100 (milliseconds)").max(600_000, "must be at most 600000 (10 minutes)");

/** `timeoutMs` of an HTTP sink: one number for connect, headers and body, or each on its own (milliseconds). */
export const httpTimeoutsSchema = z.union(
  [httpTimeoutMs, z.strictObject({ connect: httpTimeoutMs.optional(), headers: httpTimeoutMs.optional(), body: httpTimeoutMs.optional() })],
  "must be milliseconds, or {connect, headers, body} in milliseconds",
);

/** Whether a sink's url setting is an http:// or https:// URL. */
export function isHttpUrl(url: string): boolean {
  return URL.canParse(url) && /^https?:$/.test(new URL(url).protocol);
}

/** Whether a sink's url setting holds no user:password@ (an unparsable one is reported by isHttpUrl). */
export function hasNoUrlCredentials(url: string): boolean {
  return !URL.canParse(url) || (new URL(url).username === "" && new URL(url).password === "");
}

export const SINK_DELIVERY_DEFAULTS = Object.freeze({ maxBytes: 8 * 1024 * 1024, maxWaitMs: 0, maxInFlight: 1, failureThreshold: 5, cooldownMs: 30_000 });

export type SinkDeliverySettings = z.output<z.ZodObject<typeof sinkDeliveryShape>>;

/** TLS of a network sink: CA and client certificate files; `insecureSkipVerify` only with a loud warning. */
export const sinkTlsSchema = z.strictObject({
  /** PEM file of the CA(s) that signed the server's certificate (default: Node's trusted roots). */
  caFile: z.string().min(1).optional(),
  /** PEM client certificate and key, for mutual TLS. */
  certFile: z.string().min(1).optional(),
  keyFile: z.string().min(1).optional(),
  keyPassphrase: z.string().optional(),
  /** Name to check the certificate against when it differs from the host (SNI too). */
  serverName: z.string().min(1).optional(),
  /** Accept any certificate. Never in production: anyone on the path can read and change the events. */
  insecureSkipVerify: z.boolean().optional(),
});

export type SinkTlsSettings = z.output<typeof sinkTlsSchema>;

/**
 * Node TLS options from the settings: files read now, so a wrong path fails at start with the key named.
 * `baseDir` resolves relative paths (the config file's directory).
 */
export function tlsConnectionOptions(sinkId: string, tls: SinkTlsSettings | undefined, logger: Logger, baseDir = process.cwd()): ConnectionOptions | undefined {
  if (!tls) return undefined;
  const read = (key: "caFile" | "certFile" | "keyFile"): Buffer | undefined => {
    const file = tls[key];
    if (file === undefined) return undefined;
    const path = isAbsolute(file) ? file : resolve(baseDir, file);
    try {
      return readFileSync(path);
    } catch (error) {
      throw new Error(`sinks.${sinkId}.tls.${key}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}); point it at a PEM file.`, { cause: error });
    }
  };
  if ((tls.certFile === undefined) !== (tls.keyFile === undefined)) throw new Error(`sinks.${sinkId}.tls: set both certFile and keyFile for a client certificate, or neither.`);
  if (tls.insecureSkipVerify) {
    logger.warn(
      { sink: sinkId },
      `TLS VERIFICATION IS OFF for sink ${sinkId} (tls.insecureSkipVerify: true): anyone on the network path can read and alter the events. Set tls.caFile to the server's CA instead.`,
    );
  }
  const ca = read("caFile");
  const cert = read("certFile");
  const key = read("keyFile");
  return {
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(tls.keyPassphrase !== undefined ? { passphrase: tls.keyPassphrase } : {}),
    ...(tls.serverName !== undefined ? { servername: tls.serverName } : {}),
    rejectUnauthorized: !tls.insecureSkipVerify,
  };
}

/** Milliseconds an HTTP Retry-After value (seconds or an HTTP date) asks to wait; undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | null | undefined, now: number = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text === null || text.trim() === "") return undefined;
  const seconds = Number(text.trim());
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A marked event for `wizbridge sink test`: recognisable at the destination, never mistaken for Wiz data. */
export function sinkTestRecord(sinkId: string, now: number = Date.now()): { seq: number; eventId: string; connectorId: string; stream: string; payload: string } {
  const eventId = `wizbridge-sink-test-${sinkId}-${now}`;
  const payload = JSON.stringify({ id: eventId, source: "wiz", kind: "test", connector: "wizbridge-sink-test", stream: "issues", observedAt: new Date(now).toISOString(), profile: "canonical", record: { test: true, message: "wizbridge sink test event; safe to delete" }, raw: null });
  return { seq: 0, eventId, connectorId: "wizbridge-sink-test", stream: "issues", payload };
}
