import { sql, type Kysely, type Migration } from "kysely";

/** 0004_runtime_delivery: the delivery tables of the push path (see runtime-delivery.tables.ts). */
export const runtimeDeliveryMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("runtime_delivery_alerts")
      .addColumn("alert_id", "text", (c) => c.primaryKey())
      .addColumn("event_id", "text")
      .addColumn("event_version", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("rung", "text")
      .addColumn("entity_id", "text")
      .addColumn("provider_id", "text")
      .addColumn("tried_json", "text", (c) => c.notNull().defaultTo("[]"))
      .addColumn("refused_json", "text", (c) => c.notNull().defaultTo("[]"))
      .addColumn("resolve_attempts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("next_resolve_at", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("updated_at", "integer", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("runtime_delivery_alerts_by_event").on("runtime_delivery_alerts").column("event_id").execute();
    await db.schema
      .createTable("runtime_delivery_events")
      .addColumn("event_id", "text", (c) => c.primaryKey())
      .addColumn("fingerprint", "text", (c) => c.notNull())
      .addColumn("data_source_id", "text", (c) => c.notNull())
      .addColumn("source", "text", (c) => c.notNull())
      .addColumn("entity_id", "text", (c) => c.notNull())
      .addColumn("provider_id", "text", (c) => c.notNull())
      .addColumn("cloud_platform", "text", (c) => c.notNull())
      .addColumn("rung", "text", (c) => c.notNull())
      .addColumn("exact", "integer", (c) => c.notNull())
      .addColumn("matched_by", "text", (c) => c.notNull())
      .addColumn("alert_json", "text", (c) => c.notNull())
      .addColumn("severity", "text", (c) => c.notNull())
      .addColumn("count", "integer", (c) => c.notNull())
      .addColumn("first_seen", "integer", (c) => c.notNull())
      .addColumn("last_seen", "integer", (c) => c.notNull())
      .addColumn("last_received_at", "integer", (c) => c.notNull())
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
      .addColumn("confirmed_version", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("last_error", "text")
      .addColumn("upload_id", "integer")
      .addColumn("system_activity_id", "text")
      .addColumn("issue_id", "text")
      .addColumn("issue_url", "text")
      .addColumn("note_id", "text")
      .addColumn("enrich_attempts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("next_enrich_at", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("updated_at", "integer", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("runtime_delivery_events_by_fingerprint").on("runtime_delivery_events").columns(["fingerprint", "last_seen"]).execute();
    await db.schema.createIndex("runtime_delivery_events_by_source").on("runtime_delivery_events").columns(["data_source_id", "state"]).execute();
    await db.schema
      .createTable("runtime_delivery_uploads")
      .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
      .addColumn("data_source_id", "text", (c) => c.notNull())
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("attempt", "integer", (c) => c.notNull())
      .addColumn("slot_id", "text")
      .addColumn("system_activity_id", "text")
      .addColumn("status", "text")
      .addColumn("events_json", "text", (c) => c.notNull())
      .addColumn("events_incoming", "integer")
      .addColumn("events_handled", "integer")
      .addColumn("unresolved_json", "text")
      .addColumn("error", "text")
      .addColumn("bytes", "integer")
      .addColumn("created_at", "integer", (c) => c.notNull())
      .addColumn("updated_at", "integer", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("runtime_delivery_uploads_by_state").on("runtime_delivery_uploads").columns(["state", "data_source_id"]).execute();
    await db.schema
      .createTable("runtime_delivery_sources")
      .addColumn("data_source_id", "text", (c) => c.primaryKey())
      .addColumn("consecutive_failures", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("next_attempt_at", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("last_error", "text")
      .addColumn("last_upload_id", "integer")
      .addColumn("updated_at", "integer", (c) => c.notNull())
      .execute();
    // Keeps the planner honest on the first run, when the tables are empty.
    await sql`ANALYZE`.execute(db);
  },
};
