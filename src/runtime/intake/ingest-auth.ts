import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { SourceAuth } from "../runtime-config.js";

export type AuthVerdict = { ok: true } | { ok: false; status: 401; problem: string; fix: string };

// Hashing both sides first makes the comparison constant-time whatever the lengths.
function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

function headerText(value: string | string[] | undefined): string | null {
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}

/** Bearer check, done before the body is read. HMAC sources pass here and are checked on the raw body. */
export function verifyBearer(auth: SourceAuth, authorization: string | string[] | undefined, source: string): AuthVerdict {
  if (auth.type !== "bearer") return { ok: true };
  const header = headerText(authorization);
  const m = header ? /^Bearer\s+(\S+)\s*$/iu.exec(header) : null;
  if (!m?.[1]) {
    return { ok: false, status: 401, problem: `no bearer token for source ${source}`, fix: "Send Authorization: Bearer <token> with the token configured in runtime.sources." + source + ".auth.token." };
  }
  if (!sameSecret(m[1], auth.token)) {
    return { ok: false, status: 401, problem: `the bearer token for source ${source} is wrong`, fix: "Check the sensor's token against runtime.sources." + source + ".auth.token (the token itself is never logged)." };
  }
  return { ok: true };
}

/** HMAC-SHA256 over the exact body bytes, hex, optionally prefixed `sha256=` (GitHub-style). */
export function verifyHmac(auth: SourceAuth, headers: Record<string, string | string[] | undefined>, body: Buffer, source: string): AuthVerdict {
  if (auth.type !== "hmac") return { ok: true };
  const given = headerText(headers[auth.header.toLowerCase()]);
  if (!given) {
    return { ok: false, status: 401, problem: `no ${auth.header} signature header for source ${source}`, fix: `Sign the raw body with HMAC-SHA256 using runtime.sources.${source}.auth.secret and send the hex digest in ${auth.header}.` };
  }
  const hex = given.trim().replace(/^sha256=/iu, "").toLowerCase();
  const expected = createHmac("sha256", auth.secret).update(body).digest("hex");
  if (!sameSecret(hex, expected)) {
    return { ok: false, status: 401, problem: `the ${auth.header} signature does not match the body for source ${source}`, fix: "Sign the exact bytes sent (no re-serialisation) with the configured secret, HMAC-SHA256, hex-encoded." };
  }
  return { ok: true };
}

/** The signature a sender computes (tests, docs, the bench). */
export function hmacSignature(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}
