import { Migrator, type Kysely, type Migration, type MigrationProvider } from "kysely";
import { runtimeIntakeMigration } from "./runtime-intake.migration.js";
import { runtimeDeliveryMigration } from "./runtime-delivery.migration.js";
import { workflowHandledMigration } from "./workflow-handled.repository.js";
import { managedConfigMigration } from "./managed-config.migration.js";

/** Ordered by name; append new ones, never edit one that has shipped. */
const MIGRATIONS: Readonly<Record<string, Migration>> = {
  "0001_pull_engine": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("connectors")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("tenant", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("state_detail", "text")
        .addColumn("error_code", "text")
        .addColumn("error_fix", "text")
        .addColumn("next_run_at", "integer")
        .addColumn("registered_at", "integer", (c) => c.notNull())
        .addColumn("updated_at", "integer", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("stream_states")
        .addColumn("connector_id", "text", (c) => c.notNull())
        .addColumn("stream", "text", (c) => c.notNull())
        .addColumn("cursor_us", "integer")
        .addColumn("full_completed_at", "integer")
        .addColumn("resync_requested", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("updated_at", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("stream_states_pk", ["connector_id", "stream"])
        .execute();
      await db.schema
        .createTable("stream_runs")
        .addColumn("connector_id", "text", (c) => c.notNull())
        .addColumn("stream", "text", (c) => c.notNull())
        .addColumn("run_key", "text", (c) => c.notNull())
        .addColumn("mode", "text", (c) => c.notNull())
        .addColumn("lower_us", "integer")
        .addColumn("upper_us", "integer")
        .addColumn("started_at", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("stream_runs_pk", ["connector_id", "stream"])
        .execute();
      await db.schema
        .createTable("slices")
        .addColumn("connector_id", "text", (c) => c.notNull())
        .addColumn("stream", "text", (c) => c.notNull())
        .addColumn("slice_id", "integer", (c) => c.notNull())
        .addColumn("lo_us", "integer")
        .addColumn("hi_us", "integer")
        .addColumn("filter_lo_us", "integer")
        .addColumn("filter_hi_us", "integer")
        .addColumn("scope_json", "text")
        .addColumn("end_cursor", "text")
        .addColumn("high_water_us", "integer")
        .addColumn("pages", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("records", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("total_estimate", "integer")
        .addColumn("done", "integer", (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint("slices_pk", ["connector_id", "stream", "slice_id"])
        .execute();
      await db.schema
        .createTable("event_keys")
        .addColumn("connector_id", "text", (c) => c.notNull())
        .addColumn("stream", "text", (c) => c.notNull())
        .addColumn("event_id", "text", (c) => c.notNull())
        .addColumn("updated_us", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("event_keys_pk", ["connector_id", "stream", "event_id"])
        .execute();
      await db.schema.createIndex("event_keys_by_time").on("event_keys").columns(["connector_id", "stream", "updated_us"]).execute();
      await db.schema
        .createTable("snapshot_members")
        .addColumn("connector_id", "text", (c) => c.notNull())
        .addColumn("stream", "text", (c) => c.notNull())
        .addColumn("record_id", "text", (c) => c.notNull())
        .addColumn("version", "text", (c) => c.notNull())
        .addColumn("seen_run", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("snapshot_members_pk", ["connector_id", "stream", "record_id"])
        .execute();
      await db.schema
        .createTable("outbox")
        .addColumn("seq", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("connector_id", "text", (c) => c.notNull())
        .addColumn("stream", "text", (c) => c.notNull())
        .addColumn("event_id", "text", (c) => c.notNull())
        .addColumn("payload", "text", (c) => c.notNull())
        .addColumn("created_at", "integer", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("outbox_by_connector").on("outbox").columns(["connector_id", "seq"]).execute();
      await db.schema
        .createTable("sink_offsets")
        .addColumn("connector_id", "text", (c) => c.notNull())
        .addColumn("sink_id", "text", (c) => c.notNull())
        .addColumn("delivered_seq", "integer", (c) => c.notNull())
        .addColumn("updated_at", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("sink_offsets_pk", ["connector_id", "sink_id"])
        .execute();
      await db.schema
        .createTable("dead_letters")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("connector_id", "text", (c) => c.notNull())
        .addColumn("sink_id", "text", (c) => c.notNull())
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("event_id", "text", (c) => c.notNull())
        .addColumn("stream", "text", (c) => c.notNull())
        .addColumn("payload", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("failed_at", "integer", (c) => c.notNull())
        .addColumn("replayed_at", "integer")
        .execute();
      await db.schema
        .createTable("runs")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("connector_id", "text", (c) => c.notNull())
        .addColumn("trigger", "text", (c) => c.notNull())
        .addColumn("started_at", "integer", (c) => c.notNull())
        .addColumn("ended_at", "integer")
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("error_code", "text")
        .addColumn("error_message", "text")
        .addColumn("error_fix", "text")
        .execute();
      await db.schema.createIndex("runs_by_connector").on("runs").columns(["connector_id", "id"]).execute();
      await db.schema
        .createTable("run_streams")
        .addColumn("run_id", "integer", (c) => c.notNull())
        .addColumn("stream", "text", (c) => c.notNull())
        .addColumn("started_at", "integer", (c) => c.notNull())
        .addColumn("ended_at", "integer")
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("pages", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("records", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("emitted", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("requests", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("error_code", "text")
        .addColumn("error_message", "text")
        .addPrimaryKeyConstraint("run_streams_pk", ["run_id", "stream"])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ["run_streams", "runs", "dead_letters", "sink_offsets", "outbox", "snapshot_members", "event_keys", "slices", "stream_runs", "stream_states", "connectors"]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  },
  "0003_runtime_intake": runtimeIntakeMigration,
  "0004_runtime_delivery": runtimeDeliveryMigration,
  "0005_transform_maps": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("transform_maps")
        .addColumn("name", "text", (c) => c.primaryKey())
        .addColumn("definition", "text", (c) => c.notNull())
        .addColumn("created_at", "integer", (c) => c.notNull())
        .addColumn("updated_at", "integer", (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable("transform_maps").ifExists().execute();
    },
  },
  "0007_api_tokens": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("api_tokens")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("secret_hash", "text", (c) => c.notNull())
        .addColumn("created_at", "integer", (c) => c.notNull())
        .addColumn("last_used_at", "integer")
        .addColumn("revoked_at", "integer")
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable("api_tokens").ifExists().execute();
    },
  },
  // Why a sink is failing, and since when, so `status` (another process) can say so.
  "0006_sink_health": {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("sink_offsets").addColumn("failures", "integer", (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable("sink_offsets").addColumn("failing_since", "integer").execute();
      await db.schema.alterTable("sink_offsets").addColumn("last_error", "text").execute();
      await db.schema.alterTable("sink_offsets").addColumn("last_delivered_at", "integer").execute();
    },
    async down(db: Kysely<unknown>) {
      for (const column of ["failures", "failing_since", "last_error", "last_delivered_at"]) await db.schema.alterTable("sink_offsets").dropColumn(column).execute();
    },
  },
  // Secrets entered through the API or CLI, sealed with the master key (CredentialRepository); never in clear.
  "0008_credentials": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("credentials")
        .addColumn("owner", "text", (c) => c.notNull())
        .addColumn("field", "text", (c) => c.notNull())
        .addColumn("sealed", "text", (c) => c.notNull())
        .addColumn("key_id", "text", (c) => c.notNull())
        .addColumn("updated_at", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("credentials_pk", ["owner", "field"])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable("credentials").ifExists().execute();
    },
  },
  // Connectors and sinks created through the API (definitions without secrets), so they survive restarts.
  "0009_managed_config": managedConfigMigration,
  // What threat-response (and forensics) acted on, so nothing is done twice, also across a restart.
  "0010_workflow_handled": workflowHandledMigration,
};

const provider: MigrationProvider = { getMigrations: async () => ({ ...MIGRATIONS }) };

/** Brings the store to the latest schema; throws naming the migration that failed. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    const name = failed?.migrationName ?? "(unknown)";
    throw new Error(`The store migration ${name} failed: ${error instanceof Error ? error.message : String(error)}. Restore the data directory from a backup or point --data-dir at an empty directory.`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
