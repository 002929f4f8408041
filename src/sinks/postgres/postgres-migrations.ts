import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from "kysely";
import { ENTITY_TABLE_LIST, quoteIdent, type EntityTable } from "./postgres-tables.js";

/** Where the migrator records what it applied, inside the sink's schema. */
export const MIGRATION_TABLE = "wizbridge_migrations";
export const MIGRATION_LOCK_TABLE = "wizbridge_migrations_lock";

// Kysely<any> is what its Migration interface takes: migrations create the tables a typed database would describe.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * lz4 compresses the jsonb columns (every row is over the 2 kB TOAST threshold) for far less CPU than
 * pglz; servers built without it keep their default.
 */
async function jsonbType(db: AnyDb): Promise<string> {
  const { rows } = await sql<{ lz4: boolean }>`SELECT 'lz4' = ANY(enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`.execute(db);
  return rows[0]?.lz4 ? "jsonb COMPRESSION lz4" : "jsonb";
}

async function createEntityTable(db: AnyDb, schema: string, spec: EntityTable, jsonb: string): Promise<void> {
  let table = db.schema
    .withSchema(schema)
    .createTable(spec.table)
    .ifNotExists()
    .addColumn("wiz_id", sql`text COLLATE "C"`, (c) => c.primaryKey())
    // Orders versions: Wiz's change timestamp, or observedAt for streams whose version is a content hash.
    .addColumn("version", "timestamptz", (c) => c.notNull())
    .addColumn("observed_at", "timestamptz")
    .addColumn("created_at", "timestamptz")
    .addColumn("updated_at", "timestamptz");
  for (const column of spec.typed) table = table.addColumn(column.name, sql.raw(column.type), (c) => (column.type === "text[]" ? c.notNull().defaultTo(sql`'{}'`) : c));
  await table
    .addColumn("record", sql.raw(jsonb), (c) => c.notNull())
    .addColumn("raw", sql.raw(jsonb))
    .addColumn("profile", "text", (c) => c.notNull())
    .addColumn("removed_at", "timestamptz")
    .addColumn("event_id", sql`text COLLATE "C"`, (c) => c.notNull())
    .execute();
  for (const index of spec.indexes) {
    await sql.raw(`CREATE INDEX IF NOT EXISTS ${quoteIdent(`${spec.table}_${index.suffix}_idx`)} ON ${quoteIdent(schema)}.${quoteIdent(spec.table)} ${index.definition}`).execute(db);
  }
}

/** The schema's migrations, in order. Each takes the schema name: one sink may write `wiz`, another `wiz_test`. */
export function postgresMigrations(schema: string): Record<string, Migration> {
  return {
    "0001_entities_and_events": {
      async up(db: AnyDb): Promise<void> {
        const jsonb = await jsonbType(db);
        await db.schema.createSchema(schema).ifNotExists().execute();
        await db.schema
          .withSchema(schema)
          .createTable("events")
          .ifNotExists()
          .addColumn("event_id", sql`text COLLATE "C"`, (c) => c.primaryKey())
          .addColumn("seq", "bigint", (c) => c.notNull())
          .addColumn("connector", "text", (c) => c.notNull())
          .addColumn("stream", "text", (c) => c.notNull())
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("wiz_id", sql`text COLLATE "C"`)
          .addColumn("observed_at", "timestamptz")
          .addColumn("written_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
          .addColumn("payload", sql.raw(jsonb), (c) => c.notNull())
          .execute();
        await sql.raw(`CREATE INDEX IF NOT EXISTS events_wiz_id_idx ON ${quoteIdent(schema)}.events (wiz_id)`).execute(db);
        for (const spec of ENTITY_TABLE_LIST) await createEntityTable(db, schema, spec, jsonb);
      },
    },
  };
}

/** The name of the newest migration: the schema is current when the migration table lists it. */
export function latestMigrationName(schema: string): string {
  return Object.keys(postgresMigrations(schema)).sort().at(-1) as string;
}

export function migratorFor(db: AnyDb, schema: string): Migrator {
  const migrations = postgresMigrations(schema);
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };
  return new Migrator({ db, provider, migrationTableSchema: schema, migrationTableName: MIGRATION_TABLE, migrationLockTableName: MIGRATION_LOCK_TABLE });
}

/** Applies what is missing (under Kysely's advisory lock, so two processes never race); returns the names applied. */
export async function migrateToLatest(db: AnyDb, schema: string): Promise<string[]> {
  const { error, results } = await migratorFor(db, schema).migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/** Runs every migration's `up` on `db` (a transaction the caller rolls back): `sink test` proves it could create the tables. */
export async function applyMigrationsIn(db: AnyDb, schema: string): Promise<void> {
  const migrations = postgresMigrations(schema);
  for (const name of Object.keys(migrations).sort()) await (migrations[name] as Migration).up(db);
}
