import { describe, expect, it } from "vitest";
import { credentialAad, isSealed, SecretBox, SecretBoxError } from "./secret-box.js";

const SENTINEL = "sentinel-secret-6f1d2c";

function box(fill: number, source = "test key"): SecretBox {
  return new SecretBox(Buffer.alloc(32, fill), { source });
}

function failure(run: () => unknown): SecretBoxError {
  try {
    run();
  } catch (error) {
    if (error instanceof SecretBoxError) return error;
    throw error;
  }
  throw new Error("expected a SecretBoxError");
}

describe("SecretBox", () => {
  it("seals to a versioned token naming the key, with a fresh IV each time, and opens it again", () => {
    const b = box(1);
    const aad = credentialAad("connector:demo", "clientSecret");
    const first = b.seal(SENTINEL, aad);
    const second = b.seal(SENTINEL, aad);
    expect(first).toMatch(new RegExp(`^wb1:${b.keyId}:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$`));
    expect(b.keyId).toMatch(/^[0-9a-f]{8}$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain(SENTINEL);
    expect(isSealed(first)).toBe(true);
    expect(b.open(first, aad)).toBe(SENTINEL);
    expect(b.open(second, aad)).toBe(SENTINEL);
    expect(b.open(b.seal("", aad), aad)).toBe("");
    expect(b.open(b.seal("ünïcødé ✓", aad), aad)).toBe("ünïcødé ✓");
  });

  it("refuses a value moved to another owner or field (AAD mismatch)", () => {
    const b = box(1);
    const sealed = b.seal(SENTINEL, credentialAad("connector:a", "clientSecret"));
    const error = failure(() => b.open(sealed, credentialAad("connector:b", "clientSecret")));
    expect(error.reason).toBe("tampered");
    expect(error.message).toMatch(/another owner or field/);
    expect(failure(() => b.open(sealed, credentialAad("connector:a", "token"))).reason).toBe("tampered");
  });

  it("says which master key sealed a value when the current key is another one, never returning garbage", () => {
    const sealed = box(1).seal(SENTINEL, "aad");
    const other = box(2, "WIZBRIDGE_MASTER_KEY");
    const error = failure(() => other.open(sealed, "aad"));
    expect(error.reason).toBe("wrong-key");
    expect(error.message).toContain(`sealed under master key ${box(1).keyId}`);
    expect(error.message).toContain(`the master key from WIZBRIDGE_MASTER_KEY is ${other.keyId}`);
    expect(error.message).toMatch(/master\.key/);
    expect(error.message).not.toContain(SENTINEL);
    expect(error.message).not.toContain(sealed);
  });

  it("refuses a tampered ciphertext, tag or IV, and a damaged token", () => {
    const b = box(3);
    const sealed = b.seal(SENTINEL, "aad");
    const parts = sealed.split(":");
    const flip = (text: string): string => (text[0] === "A" ? `B${text.slice(1)}` : `A${text.slice(1)}`);
    for (const index of [2, 3, 4]) {
      const altered = parts.map((p, i) => (i === index ? flip(p) : p)).join(":");
      expect(failure(() => b.open(altered, "aad")).reason).toBe("tampered");
    }
    expect(failure(() => b.open(sealed.slice(0, 30), "aad")).reason).toBe("corrupt");
    expect(failure(() => b.open(SENTINEL, "aad")).message).toMatch(/is not a sealed value/);
  });

  it("opens values sealed under a previous key when given one (an interrupted rotation), and seals only under its own", () => {
    const old = box(4);
    const current = box(5).withPrevious([old]);
    const sealed = old.seal(SENTINEL, "aad");
    expect(current.open(sealed, "aad")).toBe(SENTINEL);
    expect(SecretBox.keyIdOf(current.seal(SENTINEL, "aad"))).toBe(current.keyId);
  });

  it("refuses a key that is not 32 bytes", () => {
    expect(failure(() => new SecretBox(Buffer.alloc(16))).message).toMatch(/32 bytes, got 16/);
  });
});
