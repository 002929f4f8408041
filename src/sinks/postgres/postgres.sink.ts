import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Sink, SinkRecord, SinkTestStep } from "../sink.js";
import { SinkRejectedError, SinkUnavailableError } from "../sink.js";
import type { SinkContext } from "../sink-context.js";
import { encodeBatch, isRemovalCandidate } from "./postgres-batch.js";
import { batchFailure, failureKindOf, PostgresSinkConfigError, rowRejection, type PostgresTarget } from "./postgres-errors.js";
import { migrateToLatest } from "./postgres-migrations.js";
import { runPostgresSelfTest } from "./postgres-self-test.js";
import { POSTGRES_DEFAULTS, poolConfigOf, redactorOf, targetOf, type PostgresSinkSettings } from "./postgres-settings.js";
import { BatchStatements, streamsOf } from "./postgres-statements.js";

/**
 * The current state of Wiz data in PostgreSQL: one table per entity (newest version wins, snapshot removals
 * mark `removed_at`) plus the append-only `events` table.
 *
 * Guarantee: effectively-once. `write` resolves only after the COMMIT of the transaction holding the whole
 * batch (synchronous_commit as the server sets it, on by default: the batch is in the WAL on disk). A crash
 * or a lost connection between the COMMIT and the acknowledgement redelivers the batch, and the redelivery
 * changes nothing: `events` takes each event id once (ON CONFLICT DO NOTHING) and the entity tables only
 * take a version at least as new as the one they hold. A commit whose outcome is unknown (the connection
 * died during COMMIT) is retried the same way. A row PostgreSQL refuses for its data (SQLSTATE class 22/23)
 * is dead-lettered with the SQLSTATE; the rest of its batch commits.
 */
export class PostgresSink implements Sink {
  readonly guarantee = "effectively-once" as const;
  private readonly pool: pg.Pool;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private readonly db: Kysely<any>;
  private readonly statements: BatchStatements;
  private readonly target: PostgresTarget;
  private readonly redact: (text: string) => string;
  private readonly migrate: boolean;
  /** The first write's migration, shared by concurrent writes; cleared on failure so the next write tries again. */
  private migrated: Promise<void> | undefined;
  private closed = false;

  constructor(
    readonly id: string,
    settings: PostgresSinkSettings,
    private readonly context: SinkContext,
  ) {
    this.target = targetOf(settings);
    this.redact = redactorOf(settings);
    this.migrate = settings.migrate ?? POSTGRES_DEFAULTS.migrate;
    this.statements = new BatchStatements(this.target.schema);
    this.pool = new pg.Pool(poolConfigOf(id, settings, context.logger, context.baseDir));
    // An idle connection the server closes (restart, failover) must not crash the process; the next write reconnects.
    this.pool.on("error", (error) => {
      context.logger.warn({ sink: id, error: this.redact(error.message) }, "an idle PostgreSQL connection failed; it is dropped and the next write reconnects");
    });
    // A connection in use emits 'error' too when the server goes away (after failing its query): without a
    // listener that would be an uncaught exception. The query's own failure is what the write reports.
    this.pool.on("connect", (client) => {
      client.on("error", (error) => context.logger.debug({ sink: id, error: this.redact(error.message) }, "a PostgreSQL connection in use failed"));
    });
    // Kysely shares the pool for migrations and the self-test; the hot path talks to pg directly.
    this.db = new Kysely({ dialect: new PostgresDialect({ pool: this.pool }) });
  }

  async write(batch: readonly SinkRecord[]): Promise<void> {
    if (batch.length === 0) return;
    if (this.closed) throw new SinkUnavailableError(`sink ${this.id} is closed`);
    await this.ensureMigrated();
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.failure(error);
    }
    let broken = false;
    try {
      try {
        await this.writeBatch(client, batch);
        return;
      } catch (error) {
        broken = !(await rollback(client));
        if (broken || failureKindOf(error) !== "data") {
          broken = true;
          throw this.failure(error);
        }
      }
      // Some row's data is refused: write the rows one by one, each in a savepoint, and set the refused ones aside.
      try {
        await this.writeRowByRow(client, batch);
      } catch (error) {
        if (error instanceof SinkRejectedError) throw error;
        broken = !(await rollback(client)) || failureKindOf(error) !== "data";
        throw this.failure(error);
      }
    } finally {
      // A connection that failed mid-transaction is closed rather than reused.
      client.release(broken);
    }
  }

  async setup(): Promise<string[]> {
    try {
      const applied = await migrateToLatest(this.db, this.target.schema);
      this.migrated = Promise.resolve();
      return applied.length > 0
        ? applied.map((name) => `applied migration ${name} in schema ${this.target.schema}`)
        : [`schema ${this.target.schema} is up to date (${this.target.database} at ${this.target.host}:${this.target.port})`];
    } catch (error) {
      throw this.failure(error);
    }
  }

  selfTest(): Promise<SinkTestStep[]> {
    return runPostgresSelfTest({
      sinkId: this.id,
      pool: this.pool,
      db: this.db,
      target: this.target,
      migrate: this.migrate,
      statements: this.statements,
      redact: this.redact,
      now: this.context.now,
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private ensureMigrated(): Promise<void> {
    if (!this.migrate) return Promise.resolve();
    this.migrated ??= migrateToLatest(this.db, this.target.schema).then(
      (applied) => {
        if (applied.length > 0) this.context.logger.info({ sink: this.id, schema: this.target.schema, applied }, "created or updated the PostgreSQL tables");
      },
      (error: unknown) => {
        this.migrated = undefined;
        throw this.failure(error);
      },
    );
    return this.migrated;
  }

  /** The batch in one transaction: events and every entity upsert in one statement, removals in a second. */
  private async writeBatch(client: pg.PoolClient, batch: readonly SinkRecord[]): Promise<void> {
    const streams = streamsOf(batch.map((r) => r.stream));
    const removals = batch.filter((r) => isRemovalCandidate(r.payload));
    await client.query("BEGIN");
    const upsert = this.statements.upsertStatement(streams);
    await client.query({ name: upsert.name, text: upsert.text, values: [encodeBatch(batch)] });
    if (removals.length > 0) {
      const removal = this.statements.removalStatement(streamsOf(removals.map((r) => r.stream)));
      await client.query({ name: removal.name, text: removal.text, values: [encodeBatch(removals)] });
    }
    await client.query("COMMIT");
  }

  private async writeRowByRow(client: pg.PoolClient, batch: readonly SinkRecord[]): Promise<void> {
    const rejected = new Map<string, string>();
    const accepted = new Set<string>();
    await client.query("BEGIN");
    for (const record of batch) {
      await client.query("SAVEPOINT wizbridge_row");
      try {
        const streams = streamsOf([record.stream]);
        const param = encodeBatch([record]);
        const upsert = this.statements.upsertStatement(streams);
        await client.query({ name: upsert.name, text: upsert.text, values: [param] });
        if (isRemovalCandidate(record.payload)) {
          const removal = this.statements.removalStatement(streams);
          await client.query({ name: removal.name, text: removal.text, values: [param] });
        }
        await client.query("RELEASE SAVEPOINT wizbridge_row");
        accepted.add(record.eventId);
      } catch (error) {
        if (failureKindOf(error) !== "data") throw error;
        await client.query("ROLLBACK TO SAVEPOINT wizbridge_row");
        rejected.set(record.eventId, rowRejection(error, this.redact));
      }
    }
    await client.query("COMMIT");
    if (rejected.size > 0) {
      this.context.logger.debug({ sink: this.id, rejected: rejected.size, accepted: accepted.size }, "PostgreSQL refused some rows of a batch; the rest is committed");
      throw new SinkRejectedError(rejected, accepted);
    }
  }

  private failure(error: unknown): Error {
    if (error instanceof SinkUnavailableError || error instanceof PostgresSinkConfigError) return error;
    const kind = failureKindOf(error);
    if (kind === "missing-table") {
      // Dropped behind our back: migrate again on the next write when allowed to.
      this.migrated = undefined;
      if (!this.migrate) return new PostgresSinkConfigError(this.redact(`the tables of sink ${this.id} in schema ${this.target.schema} are missing and migrate is false; run \`wizbridge sink setup\` to create them.`));
    }
    return batchFailure(error, this.target, this.redact);
  }
}

/** Rolls back what the connection has open; false when the connection itself is gone. */
async function rollback(client: pg.PoolClient): Promise<boolean> {
  try {
    await client.query("ROLLBACK");
    return true;
  } catch {
    return false;
  }
}
