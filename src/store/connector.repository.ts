import type { StoreDb } from "./store-database.js";
import type { ConnectorState, ConnectorTable } from "./store-schema.js";

export interface ConnectorStateChange {
  detail?: string | null;
  errorCode?: string | null;
  errorFix?: string | null;
  nextRunAt?: number | null;
}

export class ConnectorRepository {
  constructor(private readonly db: StoreDb) {}

  /** Records a connector from the config; a known one keeps its state unless it is now disabled or re-enabled. */
  async register(id: string, tenant: string, enabled: boolean, now: number): Promise<ConnectorTable> {
    const existing = await this.get(id);
    if (!existing) {
      const row: ConnectorTable = { id, tenant, state: enabled ? "registered" : "disabled", state_detail: null, error_code: null, error_fix: null, next_run_at: null, registered_at: now, updated_at: now };
      await this.db.insertInto("connectors").values(row).execute();
      return row;
    }
    let state: ConnectorState = existing.state;
    if (!enabled) state = "disabled";
    else if (existing.state === "disabled" || existing.state === "processing") state = "registered";
    await this.db.updateTable("connectors").set({ tenant, state, updated_at: now }).where("id", "=", id).execute();
    return { ...existing, tenant, state, updated_at: now };
  }

  async setState(id: string, state: ConnectorState, change: ConnectorStateChange, now: number): Promise<void> {
    await this.db
      .updateTable("connectors")
      .set({
        state,
        state_detail: change.detail ?? null,
        error_code: change.errorCode ?? null,
        error_fix: change.errorFix ?? null,
        ...(change.nextRunAt === undefined ? {} : { next_run_at: change.nextRunAt }),
        updated_at: now,
      })
      .where("id", "=", id)
      .execute();
  }

  async get(id: string): Promise<ConnectorTable | undefined> {
    return this.db.selectFrom("connectors").selectAll().where("id", "=", id).executeTakeFirst();
  }

  async list(): Promise<ConnectorTable[]> {
    return this.db.selectFrom("connectors").selectAll().orderBy("id").execute();
  }
}
