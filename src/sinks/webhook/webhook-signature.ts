import { createHmac, timingSafeEqual } from "node:crypto";

/** Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256>` unless `signing.header` names another. */
export const DEFAULT_SIGNATURE_HEADER = "X-Wizbridge-Signature";
/** The signing time on its own, for receivers that log or route on it. */
export const TIMESTAMP_HEADER = "X-Wizbridge-Timestamp";
/** How far the signing time may be from the receiver's clock by default (Stripe's default too). */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * The signature header value for a body: HMAC-SHA256 over `"<t>." + body`, where body is the
 * UNCOMPRESSED request body (the JSON array or NDJSON text). Signing before gzip lets a receiver
 * whose framework inflates transparently verify what it reads, and gzip output is not canonical.
 */
export function webhookSignature(secret: string, body: Uint8Array | string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${signatureHex(secret, unixSeconds, body)}`;
}

export type WebhookSignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: string };

/**
 * Checks a `t=...,v1=...` header against the (decompressed) body as received: the HMAC matches
 * (compared in constant time; any of several `v1` entries may match, for secret rotation) and the
 * timestamp is within `toleranceSeconds` of `nowMs` (epoch milliseconds), so a captured request
 * replayed later is refused. The reason on failure names no secret.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | string[] | undefined,
  body: Uint8Array | string,
  nowMs: number,
  toleranceSeconds: number = DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
): WebhookSignatureCheck {
  const text = Array.isArray(header) ? header[0] : header;
  if (text === undefined || text.trim() === "") return { ok: false, reason: "no signature header" };
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of text.split(",")) {
    const at = part.indexOf("=");
    if (at < 0) continue;
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (key === "t" && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === "v1" && /^[0-9a-f]{64}$/i.test(value)) candidates.push(value.toLowerCase());
  }
  if (timestamp === undefined) return { ok: false, reason: "the signature header has no t=<unix seconds>" };
  if (candidates.length === 0) return { ok: false, reason: "the signature header has no v1=<hex HMAC-SHA256>" };
  const skew = Math.abs(nowMs / 1000 - timestamp);
  if (skew > toleranceSeconds) return { ok: false, reason: `the signature timestamp is ${Math.round(skew)} s from this clock (tolerance ${toleranceSeconds} s): a replayed request, or a clock out of sync` };
  const expected = Buffer.from(signatureHex(secret, timestamp, body), "latin1");
  // Every candidate is compared (no early exit), in constant time for its length (fixed at 64).
  let matched = false;
  for (const candidate of candidates) matched = timingSafeEqual(expected, Buffer.from(candidate, "latin1")) || matched;
  return matched ? { ok: true, timestamp } : { ok: false, reason: "the signature does not match the body (a different signing secret, or the body was changed)" };
}

function signatureHex(secret: string, unixSeconds: number, body: Uint8Array | string): string {
  return createHmac("sha256", secret).update(`${unixSeconds}.`).update(body).digest("hex");
}
