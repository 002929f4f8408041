import type { Kysely, Migration } from "kysely";
import type { StoreDb } from "./store-database.js";
import type { StoreSchema } from "./store-schema.js";

/**
 * What the workflows have acted on (migration 0010_workflow_handled): a detection threat-response
 * claimed, a forensics copy requested. The claim is written BEFORE the action runs, so a crash or a
 * restart never acts twice on one subject; a second process racing for the same subject loses the insert.
 */
export type WorkflowHandledState = "acting" | "done" | "failed";

export interface WorkflowHandledTable {
  workflow: string;
  /** The detection id, or another workflow's subject (forensics: the Wiz resource id and activity group). */
  subject_id: string;
  state: WorkflowHandledState;
  /** JSON: what was done (route, action, issue update, systemActivityGroupId) or why it failed. */
  detail_json: string;
  created_at: number;
  updated_at: number;
}

// A type alias (not an interface) so Kysely's withTables accepts it.
export type WorkflowHandledSchema = { workflow_handled: WorkflowHandledTable };

/** 0010_workflow_handled. */
export const workflowHandledMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("workflow_handled")
      .addColumn("workflow", "text", (c) => c.notNull())
      .addColumn("subject_id", "text", (c) => c.notNull())
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("detail_json", "text", (c) => c.notNull())
      .addColumn("created_at", "integer", (c) => c.notNull())
      .addColumn("updated_at", "integer", (c) => c.notNull())
      .addPrimaryKeyConstraint("workflow_handled_pk", ["workflow", "subject_id"])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("workflow_handled").ifExists().execute();
  },
};

export interface WorkflowHandledRecord {
  workflow: string;
  subjectId: string;
  state: WorkflowHandledState;
  detail: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

/** The ledger of subjects a workflow acted on; one row per (workflow, subject), never two. */
export class WorkflowHandledRepository {
  private readonly db: Kysely<StoreSchema & WorkflowHandledSchema>;

  constructor(
    db: StoreDb,
    private readonly now: () => number = Date.now,
  ) {
    this.db = db.withTables<WorkflowHandledSchema>();
  }

  /** Claims a subject before acting; false when it was claimed already (by an earlier run or another process). */
  async claim(workflow: string, subjectId: string, detail: Record<string, unknown>): Promise<boolean> {
    const at = this.now();
    const result = await this.db
      .insertInto("workflow_handled")
      .values({ workflow, subject_id: subjectId, state: "acting", detail_json: JSON.stringify(detail), created_at: at, updated_at: at })
      .onConflict((oc) => oc.columns(["workflow", "subject_id"]).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  /** Records how the action on a claimed subject ended. */
  async finish(workflow: string, subjectId: string, state: Exclude<WorkflowHandledState, "acting">, detail: Record<string, unknown>): Promise<void> {
    await this.db
      .updateTable("workflow_handled")
      .set({ state, detail_json: JSON.stringify(detail), updated_at: this.now() })
      .where("workflow", "=", workflow)
      .where("subject_id", "=", subjectId)
      .execute();
  }

  /** The rows of these subjects that exist (a dry run shows which would be skipped). */
  async find(workflow: string, subjectIds: readonly string[]): Promise<Map<string, WorkflowHandledRecord>> {
    const found = new Map<string, WorkflowHandledRecord>();
    // SQLite caps bound parameters; 500 ids per query stays well below it.
    for (let start = 0; start < subjectIds.length; start += 500) {
      const rows = await this.db
        .selectFrom("workflow_handled")
        .selectAll()
        .where("workflow", "=", workflow)
        .where("subject_id", "in", subjectIds.slice(start, start + 500))
        .execute();
      for (const row of rows) found.set(row.subject_id, recordOf(row));
    }
    return found;
  }

  /** The newest rows of a workflow, for reports and tests. */
  async list(workflow: string, limit = 100): Promise<WorkflowHandledRecord[]> {
    const rows = await this.db.selectFrom("workflow_handled").selectAll().where("workflow", "=", workflow).orderBy("created_at", "desc").limit(limit).execute();
    return rows.map(recordOf);
  }
}

function recordOf(row: WorkflowHandledTable): WorkflowHandledRecord {
  return {
    workflow: row.workflow,
    subjectId: row.subject_id,
    state: row.state,
    detail: JSON.parse(row.detail_json) as Record<string, unknown>,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
