import type { SinkRecord } from "../sink.js";

export type WebhookFormat = "json-array" | "ndjson";

export const WEBHOOK_CONTENT_TYPE: Readonly<Record<WebhookFormat, string>> = Object.freeze({
  "json-array": "application/json",
  ndjson: "application/x-ndjson",
});

/**
 * A batch as one request body in UTF-8: `[e1,e2,...]` or one event per line, each line ending in `\n`.
 * Payloads are already serialised WizEvents (JSON.stringify never emits a raw newline), so they are
 * copied as they are, never parsed again. A fresh buffer per call: writes may run concurrently.
 */
export function encodeWebhookBody(batch: readonly SinkRecord[], format: WebhookFormat): Buffer {
  // Sized for mostly-ASCII JSON (what WizEvents are); grown when multi-byte text needs more.
  let chars = 2;
  for (const r of batch) chars += r.payload.length + 1;
  let out = Buffer.allocUnsafe(Math.ceil(chars * 1.05) + 64);
  let at = 0;
  const append = (payload: string, separator: number): void => {
    // A UTF-16 code unit never takes more than 3 bytes; only near the end is the exact size worth counting.
    if (out.length - at < payload.length * 3 + 2) {
      const needed = at + Buffer.byteLength(payload, "utf8") + 2;
      if (needed > out.length) {
        const grown = Buffer.allocUnsafe(Math.max(needed, Math.ceil(out.length * 1.5)));
        out.copy(grown, 0, 0, at);
        out = grown;
      }
    }
    if (separator >= 0 && format === "json-array") out[at++] = separator;
    at += out.write(payload, at, "utf8");
    if (format === "ndjson") out[at++] = 0x0a;
  };
  if (format === "json-array") out[at++] = 0x5b; // [
  for (let i = 0; i < batch.length; i += 1) append((batch[i] as SinkRecord).payload, i > 0 ? 0x2c : -1); // ,
  if (format === "json-array") out[at++] = 0x5d; // ]
  return out.subarray(0, at);
}
