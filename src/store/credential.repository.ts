import type { Kysely } from "kysely";
import { credentialAad, type SecretBox } from "./secret-box.js";
import type { StoreDb } from "./store-database.js";
import type { StoreSchema } from "./store-schema.js";

/** One encrypted secret (migration 0008_credentials): only the sealed token is stored, never the value. */
export interface CredentialTable {
  /** Who the secret belongs to, e.g. "connector:demo" or "sink:siem". */
  owner: string;
  /** Which setting, e.g. "clientSecret" or "token". */
  field: string;
  /** `wb1:<keyId>:<iv>:<tag>:<ciphertext>`, sealed with AAD [owner, field]. */
  sealed: string;
  /** The master key id that sealed it, so `keys status` can count values per key without opening them. */
  key_id: string;
  updated_at: number;
}

// A type alias (not an interface) so Kysely's withTables accepts it.
export type CredentialSchema = { credentials: CredentialTable };

/**
 * Secrets entered through the API or CLI (client secrets, sink credentials), encrypted at rest with the
 * master key. Values are write-only for callers that only need to know whether one is set (`has`, `fields`).
 */
export class CredentialRepository {
  private readonly db: Kysely<StoreSchema & CredentialSchema>;

  constructor(
    private readonly storeDb: StoreDb,
    private readonly box: SecretBox,
  ) {
    this.db = storeDb.withTables<CredentialSchema>();
  }

  /** Stores (or replaces) a secret, sealed under the current master key. */
  async set(owner: string, field: string, value: string, now: number): Promise<void> {
    const sealed = this.box.seal(value, credentialAad(owner, field));
    await this.db
      .insertInto("credentials")
      .values({ owner, field, sealed, key_id: this.box.keyId, updated_at: now })
      .onConflict((oc) => oc.columns(["owner", "field"]).doUpdateSet({ sealed, key_id: this.box.keyId, updated_at: now }))
      .execute();
  }

  /** The secret in clear, or undefined when none is set; a SecretBoxError (with the fix) when it does not open. */
  async get(owner: string, field: string): Promise<string | undefined> {
    const row = await this.db.selectFrom("credentials").select("sealed").where("owner", "=", owner).where("field", "=", field).executeTakeFirst();
    return row === undefined ? undefined : this.box.open(row.sealed, credentialAad(owner, field));
  }

  async has(owner: string, field: string): Promise<boolean> {
    const row = await this.db.selectFrom("credentials").select("field").where("owner", "=", owner).where("field", "=", field).executeTakeFirst();
    return row !== undefined;
  }

  /** The fields an owner has a secret for (shown as "set"), sorted. */
  async fields(owner: string): Promise<string[]> {
    const rows = await this.db.selectFrom("credentials").select("field").where("owner", "=", owner).orderBy("field").execute();
    return rows.map((r) => r.field);
  }

  /** Deletes every secret of an owner (disconnect); returns how many. */
  async deleteOwner(owner: string): Promise<number> {
    const result = await this.db.deleteFrom("credentials").where("owner", "=", owner).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** How many secrets are stored, per key id that sealed them. */
  async countByKey(): Promise<Record<string, number>> {
    return countStoredSecrets(this.storeDb);
  }

  /**
   * Re-encrypts every secret under `newBox` in one transaction; returns how many. Every row is opened
   * first: one that does not open (wrong current key, altered row) fails the whole rotation and changes nothing.
   */
  async rotate(newBox: SecretBox, now: number): Promise<number> {
    return this.db.transaction().execute(async (tx) => {
      const rows = await tx.selectFrom("credentials").select(["owner", "field", "sealed"]).orderBy("owner").orderBy("field").execute();
      const resealed = rows.map((row) => {
        const aad = credentialAad(row.owner, row.field);
        return { owner: row.owner, field: row.field, sealed: newBox.seal(this.box.open(row.sealed, aad), aad) };
      });
      for (const row of resealed) {
        await tx.updateTable("credentials").set({ sealed: row.sealed, key_id: newBox.keyId, updated_at: now }).where("owner", "=", row.owner).where("field", "=", row.field).execute();
      }
      return resealed.length;
    });
  }
}

/** How many secrets the store holds, per key id that sealed them; needs no key (for `keys status`). */
export async function countStoredSecrets(db: StoreDb): Promise<Record<string, number>> {
  const rows = await db
    .withTables<CredentialSchema>()
    .selectFrom("credentials")
    .select(["key_id", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy("key_id")
    .execute();
  return Object.fromEntries(rows.map((r) => [r.key_id, Number(r.n)]));
}
