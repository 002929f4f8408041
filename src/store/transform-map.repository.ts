import type { StoreDb } from "./store-database.js";

export interface StoredTransformMap {
  name: string;
  /** The map as saved (JSON text); the caller validates it. */
  definition: string;
  createdAt: number;
  updatedAt: number;
}

/** User transform maps by name. Validation happens before `save`; this only stores. */
export class TransformMapRepository {
  constructor(private readonly db: StoreDb) {}

  async save(name: string, definition: string, now: number): Promise<void> {
    await this.db
      .insertInto("transform_maps")
      .values({ name, definition, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column("name").doUpdateSet({ definition, updated_at: now }))
      .execute();
  }

  async get(name: string): Promise<StoredTransformMap | undefined> {
    const row = await this.db.selectFrom("transform_maps").selectAll().where("name", "=", name).executeTakeFirst();
    return row ? { name: row.name, definition: row.definition, createdAt: row.created_at, updatedAt: row.updated_at } : undefined;
  }

  async list(): Promise<StoredTransformMap[]> {
    const rows = await this.db.selectFrom("transform_maps").selectAll().orderBy("name").execute();
    return rows.map((row) => ({ name: row.name, definition: row.definition, createdAt: row.created_at, updatedAt: row.updated_at }));
  }

  async remove(name: string): Promise<boolean> {
    const result = await this.db.deleteFrom("transform_maps").where("name", "=", name).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
