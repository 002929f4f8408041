import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/** Why a sealed value could not be opened (or a key could not be used); the message says what to do. */
export type SecretBoxFailure = "wrong-key" | "tampered" | "corrupt" | "missing-key" | "bad-key";

/** A secret that cannot be opened or sealed; never carries the secret, the key or the sealed text. */
export class SecretBoxError extends Error {
  override readonly name = "SecretBoxError";

  constructor(
    message: string,
    readonly reason: SecretBoxFailure,
  ) {
    super(message);
  }
}

/** Bytes in a master key: AES-256. */
export const MASTER_KEY_BYTES = 32;

const VERSION = "wb1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SEALED_PATTERN = /^wb1:([0-9a-f]{8}):([A-Za-z0-9_-]{16}):([A-Za-z0-9_-]{22}):([A-Za-z0-9_-]*)$/;

/** True when a value looks like a sealed token (so a plain-text secret is told apart from an encrypted one). */
export function isSealed(value: string): boolean {
  return value.startsWith(`${VERSION}:`);
}

/** The AAD that binds a stored secret to its owner and field, so a value copied to another row does not open. */
export function credentialAad(owner: string, field: string): string {
  return JSON.stringify([owner, field]);
}

/** The short public id of a key: the first 8 hex of its SHA-256 (safe to print; says which key sealed a value). */
export function masterKeyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}

export interface SecretBoxOptions {
  /** Where the key came from, for messages: "WIZBRIDGE_MASTER_KEY" or the key file's path. */
  source?: string;
  /** Older keys that still open values (never seal): used to finish an interrupted `keys rotate`. */
  previous?: readonly SecretBox[];
}

/**
 * Seals secrets at rest with AES-256-GCM under one master key: a random 12-byte IV per value, and an AAD
 * that binds the value to its owner and field. The output is a versioned text token
 * `wb1:<keyId>:<iv>:<tag>:<ciphertext>` (base64url), so a store or a YAML file can hold it as a string,
 * and a value sealed under another key is named as such instead of failing as "corrupt".
 */
export class SecretBox {
  readonly keyId: string;
  readonly source: string;
  private readonly key: Buffer;
  private readonly previous: readonly SecretBox[];

  constructor(key: Buffer, options: SecretBoxOptions = {}) {
    if (key.length !== MASTER_KEY_BYTES) {
      throw new SecretBoxError(`a master key must be ${MASTER_KEY_BYTES} bytes, got ${key.length}; generate one with \`openssl rand -base64 32\`.`, "bad-key");
    }
    this.key = Buffer.from(key);
    this.keyId = masterKeyId(key);
    this.source = options.source ?? "the master key";
    this.previous = options.previous ?? [];
  }

  /** A fresh random key (to create a key file or rotate). */
  static generateKey(random: (size: number) => Buffer = randomBytes): Buffer {
    return random(MASTER_KEY_BYTES);
  }

  /** The same key with older keys that may still open values (for rotation). */
  withPrevious(previous: readonly SecretBox[]): SecretBox {
    return new SecretBox(this.key, { source: this.source, previous: previous.filter((p) => p.keyId !== this.keyId) });
  }

  /** The key as base64, for writing a key file. Never log it. */
  exportKey(): string {
    return this.key.toString("base64");
  }

  seal(plaintext: string, aad: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(aad, "utf8"));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return [VERSION, this.keyId, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(":");
  }

  /** The key id a sealed value names, or undefined when it is not a sealed value. */
  static keyIdOf(sealed: string): string | undefined {
    return SEALED_PATTERN.exec(sealed)?.[1];
  }

  open(sealed: string, aad: string): string {
    const match = SEALED_PATTERN.exec(sealed);
    if (!match) {
      const what = isSealed(sealed) ? "is damaged (not wb1:<keyId>:<iv>:<tag>:<ciphertext>)" : `is not a sealed value (expected it to start with "${VERSION}:")`;
      throw new SecretBoxError(`the stored secret for ${aad} ${what}; set it again (the store or profile file was edited or truncated).`, "corrupt");
    }
    const [, keyId, iv, tag, body] = match as unknown as [string, string, string, string, string];
    const box = keyId === this.keyId ? this : this.previous.find((p) => p.keyId === keyId);
    if (!box) {
      throw new SecretBoxError(
        `the stored secret for ${aad} was sealed under master key ${keyId}, but the master key from ${this.source} is ${this.keyId}. ` +
          "Use the key it was sealed with (WIZBRIDGE_MASTER_KEY, or the master.key file beside the store / profile file), or set the secret again; " +
          "if master.key.new is there, a `wizbridge keys rotate` was interrupted: run it again to finish.",
        "wrong-key",
      );
    }
    try {
      const decipher = createDecipheriv("aes-256-gcm", box.key, Buffer.from(iv, "base64url"), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(aad, "utf8"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
    } catch {
      throw new SecretBoxError(
        `the stored secret for ${aad} does not open with master key ${keyId} (from ${box.source}): it was altered, or copied from another owner or field. Set the secret again.`,
        "tampered",
      );
    }
  }
}
