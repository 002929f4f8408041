import type { StoreDb } from "./store-database.js";
import type { RunStatus, RunStreamTable, RunTable } from "./store-schema.js";

export type RunRow = Omit<RunTable, "id"> & { id: number };
export type RunStreamRow = RunStreamTable;

export interface RunError {
  code: string;
  message: string;
  fix?: string;
  /** What kind of failure, for exit codes (not stored): auth, permission, rateLimit, network, notFound, input or other. */
  kind?: "auth" | "permission" | "rateLimit" | "network" | "notFound" | "input" | "other";
}

export interface RunStreamCounts {
  pages: number;
  records: number;
  emitted: number;
  requests: number;
}

/** Run history: one row per connector run, one per stream it touched. */
export class RunRepository {
  constructor(private readonly db: StoreDb) {}

  async start(connectorId: string, trigger: string, now: number): Promise<number> {
    const row = await this.db
      .insertInto("runs")
      .values({ connector_id: connectorId, trigger, started_at: now, ended_at: null, status: "running", error_code: null, error_message: null, error_fix: null })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async finish(id: number, status: RunStatus, error: RunError | undefined, now: number): Promise<void> {
    await this.db
      .updateTable("runs")
      .set({ status, ended_at: now, error_code: error?.code ?? null, error_message: error?.message ?? null, error_fix: error?.fix ?? null })
      .where("id", "=", id)
      .execute();
  }

  /** Runs a crashed process left `running`. */
  async abandonRunning(now: number): Promise<number> {
    const result = await this.db.updateTable("runs").set({ status: "abandoned", ended_at: now }).where("status", "=", "running").executeTakeFirst();
    await this.db.updateTable("run_streams").set({ status: "abandoned", ended_at: now }).where("status", "=", "running").execute();
    return Number(result.numUpdatedRows);
  }

  async startStream(runId: number, stream: string, now: number): Promise<void> {
    await this.db
      .insertInto("run_streams")
      .values({ run_id: runId, stream, started_at: now, ended_at: null, status: "running", pages: 0, records: 0, emitted: 0, requests: 0, error_code: null, error_message: null })
      .execute();
  }

  async finishStream(runId: number, stream: string, status: RunStatus, counts: RunStreamCounts, error: RunError | undefined, now: number): Promise<void> {
    await this.db
      .updateTable("run_streams")
      .set({ status, ended_at: now, ...counts, error_code: error?.code ?? null, error_message: error?.message ?? null })
      .where("run_id", "=", runId)
      .where("stream", "=", stream)
      .execute();
  }

  async list(connectorId: string, limit = 50): Promise<RunRow[]> {
    return this.db.selectFrom("runs").selectAll().where("connector_id", "=", connectorId).orderBy("id", "desc").limit(limit).execute();
  }

  async streams(runId: number): Promise<RunStreamRow[]> {
    return this.db.selectFrom("run_streams").selectAll().where("run_id", "=", runId).orderBy("stream").execute();
  }
}
