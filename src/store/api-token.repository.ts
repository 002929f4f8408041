import { randomBytes, scrypt, timingSafeEqual, createHash, type ScryptOptions } from "node:crypto";
import type { StoreDb } from "./store-database.js";
import type { ApiTokenTable } from "./store-schema.js";

export type ApiRole = ApiTokenTable["role"];

export const API_ROLES: readonly ApiRole[] = ["viewer", "operator", "admin"];

/** viewer: read; operator: also sync, test, replay; admin: also connectors, credentials, tokens, mutating Wiz operations. */
export function roleAllows(held: ApiRole, needed: ApiRole): boolean {
  return API_ROLES.indexOf(held) >= API_ROLES.indexOf(needed);
}

export interface ApiTokenInfo {
  id: string;
  name: string;
  role: ApiRole;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

/** A token as created: `secret` is the whole bearer value, shown once and never stored. */
export interface CreatedApiToken extends ApiTokenInfo {
  secret: string;
}

// Node's scrypt at its documented default cost; the secret itself has 256 random bits.
const SCRYPT = { N: 16_384, r: 8, p: 1, keyLength: 32 } as const;
const TOKEN_PATTERN = /^wzb_([a-f0-9]{12})_([A-Za-z0-9_-]{43})$/;

function scryptAsync(secret: string, salt: Buffer, options: ScryptOptions & { keyLength: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(secret, salt, options.keyLength, { N: options.N, r: options.r, p: options.p }, (error, key) => (error ? reject(error) : resolve(key))));
}

/**
 * API tokens: created with a role, stored as a salted scrypt hash, revocable. Verification costs one scrypt
 * per token per process (about 50 ms); after that a SHA-256 of the presented value is compared in constant
 * time, so a busy API does not spend its CPU on hashing.
 */
export class ApiTokenRepository {
  private readonly verified = new Map<string, Buffer>();

  constructor(
    private readonly db: StoreDb,
    private readonly now: () => number = Date.now,
  ) {}

  async create(name: string, role: ApiRole): Promise<CreatedApiToken> {
    const id = randomBytes(6).toString("hex");
    const secret = `wzb_${id}_${randomBytes(32).toString("base64url")}`;
    const salt = randomBytes(16);
    const hash = await scryptAsync(secret, salt, SCRYPT);
    const createdAt = this.now();
    await this.db
      .insertInto("api_tokens")
      .values({ id, name, role, secret_hash: `scrypt$${SCRYPT.N}$${salt.toString("base64url")}$${hash.toString("base64url")}`, created_at: createdAt, last_used_at: null, revoked_at: null })
      .execute();
    return { id, name, role, createdAt, lastUsedAt: null, revokedAt: null, secret };
  }

  async list(): Promise<ApiTokenInfo[]> {
    const rows = await this.db.selectFrom("api_tokens").selectAll().orderBy("created_at").execute();
    return rows.map((r) => ({ id: r.id, name: r.name, role: r.role, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at }));
  }

  /** Tokens that still work. */
  async activeCount(): Promise<number> {
    const row = await this.db.selectFrom("api_tokens").select((eb) => eb.fn.countAll<number>().as("n")).where("revoked_at", "is", null).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Revokes a token by id; false when there is no such active token. */
  async revoke(id: string): Promise<boolean> {
    this.verified.delete(id);
    const result = await this.db.updateTable("api_tokens").set({ revoked_at: this.now() }).where("id", "=", id).where("revoked_at", "is", null).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** The token's id and role when the presented bearer value is a live token; undefined otherwise. */
  async verify(presented: string): Promise<{ id: string; name: string; role: ApiRole } | undefined> {
    const match = TOKEN_PATTERN.exec(presented);
    if (!match) return undefined;
    const id = match[1] as string;
    const row = await this.db.selectFrom("api_tokens").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row || row.revoked_at !== null) {
      this.verified.delete(id);
      return undefined;
    }
    const digest = createHash("sha256").update(presented).digest();
    const known = this.verified.get(id);
    if (known) return timingSafeEqual(known, digest) ? { id, name: row.name, role: row.role } : undefined;
    const [scheme, n, salt, hash] = row.secret_hash.split("$");
    if (scheme !== "scrypt" || !n || !salt || !hash) return undefined;
    const expected = Buffer.from(hash, "base64url");
    const actual = await scryptAsync(presented, Buffer.from(salt, "base64url"), { ...SCRYPT, N: Number(n), keyLength: expected.length });
    if (!timingSafeEqual(expected, actual)) return undefined;
    this.verified.set(id, digest);
    // Last use is for `token list`; a minute's precision is enough and spares a write per request.
    if (row.last_used_at === null || this.now() - row.last_used_at > 60_000) await this.db.updateTable("api_tokens").set({ last_used_at: this.now() }).where("id", "=", id).execute();
    return { id, name: row.name, role: row.role };
  }
}
