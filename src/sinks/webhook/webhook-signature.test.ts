import { describe, expect, it } from "vitest";
import { verifyWebhookSignature, webhookSignature } from "./webhook-signature.js";

const body = Buffer.from('[{"id":"e1","title":"Überprüfung 🔒"}]', "utf8");
const t = 1_750_000_000;
const now = t * 1000;

describe("webhook signatures", () => {
  it("signs `<t>.<body>` with HMAC-SHA256 in Stripe's t=,v1= form, and verifies it", () => {
    const header = webhookSignature("s3cret-signing", body, t);
    expect(header).toMatch(/^t=1750000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature("s3cret-signing", header, body, now, 300)).toEqual({ ok: true, timestamp: t });
    // The same text as a string verifies too (a receiver that read the body as UTF-8).
    expect(verifyWebhookSignature("s3cret-signing", header, body.toString("utf8"), now + 299_000, 300).ok).toBe(true);
  });

  it("refuses another secret, a changed body, and a timestamp outside the tolerance (a replay)", () => {
    const header = webhookSignature("s3cret-signing", body, t);
    expect(verifyWebhookSignature("other-secret", header, body, now)).toMatchObject({ ok: false, reason: expect.stringContaining("does not match") });
    expect(verifyWebhookSignature("s3cret-signing", header, Buffer.concat([body, Buffer.from(" ")]), now).ok).toBe(false);
    expect(verifyWebhookSignature("s3cret-signing", header, body, now + 301_000, 300)).toMatchObject({ ok: false, reason: expect.stringContaining("replayed") });
    expect(verifyWebhookSignature("s3cret-signing", header, body, now - 301_000, 300).ok).toBe(false);
    // Re-signing the old body under a new timestamp without the secret is impossible: swapping t breaks the HMAC.
    expect(verifyWebhookSignature("s3cret-signing", header.replace(`t=${t}`, `t=${t + 600}`), body, now + 600_000).ok).toBe(false);
  });

  it("accepts any of several v1 entries (secret rotation) and refuses malformed headers", () => {
    const good = webhookSignature("new-secret-1", body, t).split(",")[1] as string;
    const old = webhookSignature("old-secret-1", body, t).split(",")[1] as string;
    expect(verifyWebhookSignature("new-secret-1", `t=${t},${old},${good}`, body, now).ok).toBe(true);
    expect(verifyWebhookSignature("new-secret-1", undefined, body, now)).toEqual({ ok: false, reason: "no signature header" });
    expect(verifyWebhookSignature("new-secret-1", good, body, now).ok).toBe(false);
    expect(verifyWebhookSignature("new-secret-1", `t=${t}`, body, now).ok).toBe(false);
    expect(verifyWebhookSignature("new-secret-1", `t=${t},v1=abc`, body, now).ok).toBe(false);
    expect(verifyWebhookSignature("new-secret-1", [`t=${t},${good}`], body, now).ok).toBe(true);
  });
});
