import type BetterSqlite3 from "better-sqlite3";
import type { StoreDb } from "./store-database.js";
import type { RuntimeAlertTable } from "./store-schema.js";

/** Writes runtime intake's accepted alerts, all of one group commit in one transaction. */
export interface RuntimeAlertWriter {
  insert(rows: readonly RuntimeAlertTable[]): Promise<void>;
}

/**
 * Runtime intake's group commit on SQLite: every alert a 2xx acknowledges passes here, so, like the page
 * writer, it runs one prepared INSERT per row in one synchronous better-sqlite3 transaction while holding
 * Kysely's connection (no other Kysely transaction can be open around it). Building Kysely multi-row
 * INSERTs instead (a new SQL text, compiled and prepared, per row count) was 12% of the receiver's CPU.
 */
export class SqliteRuntimeAlertWriter implements RuntimeAlertWriter {
  private readonly write: (rows: readonly RuntimeAlertTable[]) => void;

  constructor(
    private readonly db: StoreDb,
    sqlite: BetterSqlite3.Database,
  ) {
    const insert = sqlite.prepare(
      "INSERT INTO runtime_alerts (id, source, rule_id, severity, occurred_at, received_at, alert_json, state, state_detail, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    this.write = sqlite.transaction((rows: readonly RuntimeAlertTable[]) => {
      for (const r of rows) insert.run(r.id, r.source, r.rule_id, r.severity, r.occurred_at, r.received_at, r.alert_json, r.state, r.state_detail, r.updated_at);
    });
  }

  async insert(rows: readonly RuntimeAlertTable[]): Promise<void> {
    await this.db.connection().execute(async () => {
      this.write(rows);
    });
  }
}
