import type { Kysely, Migration } from "kysely";

/** 0003_runtime_intake: every accepted runtime alert, written before the sender gets its 2xx. */
export const runtimeIntakeMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("runtime_alerts")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("source", "text", (c) => c.notNull())
      .addColumn("rule_id", "text", (c) => c.notNull())
      .addColumn("severity", "text", (c) => c.notNull())
      .addColumn("occurred_at", "integer", (c) => c.notNull())
      .addColumn("received_at", "integer", (c) => c.notNull())
      .addColumn("alert_json", "text", (c) => c.notNull())
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("state_detail", "text")
      .addColumn("updated_at", "integer", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("runtime_alerts_by_state").on("runtime_alerts").columns(["state", "received_at"]).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("runtime_alerts").ifExists().execute();
  },
};
