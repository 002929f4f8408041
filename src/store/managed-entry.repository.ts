import type { Kysely } from "kysely";
import type { ManagedConfigSchema } from "./managed-config.migration.js";
import type { StoreDb } from "./store-database.js";
import type { StoreSchema } from "./store-schema.js";

/** One stored connector or sink definition (no secrets), parsed. */
export interface ManagedEntry {
  id: string;
  definition: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

/**
 * The rows of one managed table (connectors or sinks created through the API): definitions without secrets,
 * as JSON. ManagedConnectorRepository and ManagedSinkRepository name the table.
 */
export class ManagedEntryRepository {
  private readonly db: Kysely<StoreSchema & ManagedConfigSchema>;

  constructor(
    db: StoreDb,
    private readonly table: keyof ManagedConfigSchema,
  ) {
    this.db = db.withTables<ManagedConfigSchema>();
  }

  async list(): Promise<ManagedEntry[]> {
    const rows = await this.db.selectFrom(this.table).selectAll().orderBy("id").execute();
    return rows.map((r) => ({ id: r.id, definition: JSON.parse(r.definition) as Record<string, unknown>, createdAt: r.created_at, updatedAt: r.updated_at }));
  }

  async get(id: string): Promise<ManagedEntry | undefined> {
    const row = await this.db.selectFrom(this.table).selectAll().where("id", "=", id).executeTakeFirst();
    return row && { id: row.id, definition: JSON.parse(row.definition) as Record<string, unknown>, createdAt: row.created_at, updatedAt: row.updated_at };
  }

  /** Inserts or replaces a definition (keeps the creation time of an existing one). */
  async save(id: string, definition: Record<string, unknown>, now: number): Promise<void> {
    const json = JSON.stringify(definition);
    await this.db
      .insertInto(this.table)
      .values({ id, definition: json, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column("id").doUpdateSet({ definition: json, updated_at: now }))
      .execute();
  }

  /** Returns whether a row was deleted. */
  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom(this.table).where("id", "=", id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
