import type { Kysely, Migration } from "kysely";

/**
 * 0009_managed_config: connectors and sinks created through the API, so they survive restarts. Each row holds
 * the entry as the config file would (JSON) WITHOUT its secrets: those are sealed in `credentials`.
 */
export const managedConfigMigration: Migration = {
  async up(db: Kysely<unknown>) {
    for (const table of ["managed_connectors", "managed_sinks"]) {
      await db.schema
        .createTable(table)
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("definition", "text", (c) => c.notNull())
        .addColumn("created_at", "integer", (c) => c.notNull())
        .addColumn("updated_at", "integer", (c) => c.notNull())
        .execute();
    }
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("managed_sinks").ifExists().execute();
    await db.schema.dropTable("managed_connectors").ifExists().execute();
  },
};

/** A stored connector or sink: its id and its definition without secrets. */
export interface ManagedEntryTable {
  id: string;
  /** The config-file entry as JSON, secrets removed. */
  definition: string;
  created_at: number;
  updated_at: number;
}

// Type aliases (not interfaces) so Kysely's withTables accepts them.
export type ManagedConfigSchema = { managed_connectors: ManagedEntryTable; managed_sinks: ManagedEntryTable };
