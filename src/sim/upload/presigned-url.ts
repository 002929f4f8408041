import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * S3-style presigned PUT URLs for the simulator's upload slots. Real Wiz hands out SigV4 URLs on an
 * S3 bucket (`X-Amz-Date`, `X-Amz-Expires`, `X-Amz-Signature`...); clients treat them as opaque, so
 * the simulator keeps the parameter names and signs id + date + lifetime with its own HMAC key. A
 * client that edits or rebuilds the URL gets S3's answer: 403 SignatureDoesNotMatch.
 */

/** 20221003T104010Z, the X-Amz-Date format. */
export function toAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** Inverse of toAmzDate; NaN when malformed. */
export function parseAmzDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

export interface PresignInput {
  baseUrl: string;
  uploadId: string;
  /** Simulator time of signing, epoch ms. */
  signedAt: number;
  expiresSeconds: number;
  key: Buffer;
}

// Fixed, obviously fake access key: it keeps the URL S3-shaped without looking like a credential.
const ACCESS_KEY_ID = "SIMULATEDWIZUPLOADS";
const REGION = "us-east-2";

function signature(key: Buffer, uploadId: string, amzDate: string, expires: string): string {
  return createHmac("sha256", key).update(`PUT\n/upload/${uploadId}\n${amzDate}\n${expires}`).digest("hex");
}

/** Builds the presigned URL for an upload slot. */
export function presignUploadUrl(input: PresignInput): string {
  const amzDate = toAmzDate(input.signedAt);
  const expires = String(input.expiresSeconds);
  const params = new URLSearchParams({
    "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
    "X-Amz-Credential": `${ACCESS_KEY_ID}/${amzDate.slice(0, 8)}/${REGION}/s3/aws4_request`,
    "X-Amz-Date": amzDate,
    "X-Amz-Expires": expires,
    "X-Amz-SignedHeaders": "host",
    "X-Amz-Signature": signature(input.key, input.uploadId, amzDate, expires),
  });
  return `${input.baseUrl.replace(/\/+$/, "")}/upload/${encodeURIComponent(input.uploadId)}?${params.toString()}`;
}

export type UrlCheck =
  | { ok: true }
  | { ok: false; reason: "missing-parameters" | "bad-signature" }
  | { ok: false; reason: "expired"; expiredAt: number };

/** Checks a PUT's query string the way S3 does: signature first, then the expiry window. */
export function verifyPresignedQuery(uploadId: string, query: URLSearchParams, key: Buffer, now: number): UrlCheck {
  const amzDate = query.get("X-Amz-Date");
  const expires = query.get("X-Amz-Expires");
  const given = query.get("X-Amz-Signature");
  if (amzDate === null || expires === null || given === null) return { ok: false, reason: "missing-parameters" };
  const expected = Buffer.from(signature(key, uploadId, amzDate, expires), "utf8");
  const actual = Buffer.from(given.toLowerCase(), "utf8");
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return { ok: false, reason: "bad-signature" };
  const signedAt = parseAmzDate(amzDate);
  const expiresAt = signedAt + Number(expires) * 1000;
  if (!Number.isFinite(expiresAt) || now > expiresAt) return { ok: false, reason: "expired", expiredAt: expiresAt };
  return { ok: true };
}

function xmlEscape(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** An S3 error document: `<Error><Code>…</Code><Message>…</Message>…<RequestId>…</RequestId></Error>`. */
export function s3ErrorXml(code: string, message: string, requestId: string, extra: Record<string, string> = {}): string {
  const fields = Object.entries(extra)
    .map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
    .join("");
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<Error><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message>${fields}` +
    `<RequestId>${xmlEscape(requestId)}</RequestId><HostId>${xmlEscape(requestId)}</HostId></Error>`
  );
}
