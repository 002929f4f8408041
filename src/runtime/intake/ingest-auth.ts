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

/**
 * HMAC-SHA256 over `<timestamp>.<exact body bytes>`, hex, optionally prefixed `sha256=`. The timestamp must be
 * within the replay window and a signature is accepted once: a captured request cannot be sent again.
 * With `requireTimestamp: false`, a request without the timestamp header may sign the body alone.
 */
const MAX_REMEMBERED_SIGNATURES = 500_000;

export class HmacVerifier {
  /** Signatures accepted inside the window, with when they stop mattering (epoch ms). */
  private readonly seen = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  verify(auth: SourceAuth, headers: Record<string, string | string[] | undefined>, body: Buffer, source: string): AuthVerdict {
    if (auth.type !== "hmac") return { ok: true };
    const given = headerText(headers[auth.header.toLowerCase()]);
    const signHow = `HMAC-SHA256 of "<unix seconds>.<raw body>" with runtime.sources.${source}.auth.secret, hex in ${auth.header}, the seconds in ${auth.timestampHeader}`;
    if (!given) return { ok: false, status: 401, problem: `no ${auth.header} signature header for source ${source}`, fix: `Send ${signHow}.` };
    const hex = given.trim().replace(/^sha256=/iu, "").toLowerCase();
    const stamp = headerText(headers[auth.timestampHeader.toLowerCase()]);
    const now = this.now();
    if (stamp === null) {
      if (auth.requireTimestamp) return { ok: false, status: 401, problem: `no ${auth.timestampHeader} header for source ${source}`, fix: `Send ${signHow} (it stops replays), or set runtime.sources.${source}.auth.requireTimestamp: false for a sender that can only sign the body.` };
      const expected = createHmac("sha256", auth.secret).update(body).digest("hex");
      if (!sameSecret(hex, expected)) return { ok: false, status: 401, problem: `the ${auth.header} signature does not match the body for source ${source}`, fix: "Sign the exact bytes sent (no re-serialisation) with the configured secret, HMAC-SHA256, hex-encoded." };
      return { ok: true };
    }
    const seconds = Number(stamp);
    const windowMs = auth.replayWindowSeconds * 1000;
    if (!Number.isInteger(seconds) || Math.abs(now - seconds * 1000) > windowMs) {
      return { ok: false, status: 401, problem: `the ${auth.timestampHeader} of source ${source} is missing, malformed or outside the ${auth.replayWindowSeconds} s window`, fix: "Send the current Unix time in seconds and sign it with the body; check the sender's clock (NTP)." };
    }
    const expected = createHmac("sha256", auth.secret).update(`${stamp}.`).update(body).digest("hex");
    if (!sameSecret(hex, expected)) {
      return { ok: false, status: 401, problem: `the ${auth.header} signature does not match the timestamp and body for source ${source}`, fix: `Sign "<timestamp>.<exact body bytes>" (no re-serialisation) with the configured secret: ${signHow}.` };
    }
    this.forgetExpired(now);
    if (this.seen.has(expected.slice(0, 16))) return { ok: false, status: 401, problem: `this signed request for source ${source} was already received (a replay)`, fix: "Sign every request afresh with its own timestamp; a retry of a refused request needs a new signature." };
    // 64 bits of the signature identify it well enough, at a quarter of the memory.
    this.seen.set(expected.slice(0, 16), seconds * 1000 + windowMs);
    // Bounded memory at very high request rates: the oldest are forgotten first (batch alerts per request).
    if (this.seen.size > MAX_REMEMBERED_SIGNATURES) this.seen.delete(this.seen.keys().next().value as string);
    return { ok: true };
  }

  private forgetExpired(now: number): void {
    for (const [signature, until] of this.seen) {
      if (until >= now) break;
      this.seen.delete(signature);
    }
  }
}

/** The signature a sender computes (tests, docs, the bench): over `<timestamp>.<body>`, or the body alone without one. */
export function hmacSignature(secret: string, body: string | Buffer, timestampSeconds?: number): string {
  const hmac = createHmac("sha256", secret);
  if (timestampSeconds !== undefined) hmac.update(`${timestampSeconds}.`);
  return `sha256=${hmac.update(body).digest("hex")}`;
}
