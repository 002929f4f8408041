import { CompiledQuery, sql, type Kysely } from "kysely";
import type { Pool } from "pg";
import type { SinkTestStep } from "../sink.js";
import { sinkTestRecord } from "../sink-settings.js";
import { encodeBatch } from "./postgres-batch.js";
import { explainFailure, type PostgresTarget } from "./postgres-errors.js";
import { applyMigrationsIn, latestMigrationName, MIGRATION_TABLE } from "./postgres-migrations.js";
import { streamsOf, type BatchStatements } from "./postgres-statements.js";
import { ENTITY_TABLE_LIST, quoteIdent } from "./postgres-tables.js";

export interface PostgresSelfTestInput {
  sinkId: string;
  pool: Pool;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>;
  target: PostgresTarget;
  migrate: boolean;
  statements: BatchStatements;
  redact: (text: string) => string;
  now: () => number;
}

/** Thrown inside the test transaction so Kysely rolls it back: nothing the test wrote stays. */
class RollBack extends Error {}

interface PrivilegeState {
  schemaExists: boolean;
  applied: string[];
  canCreate: boolean;
  missingGrants: string[];
}

async function privilegeState(input: PostgresSelfTestInput): Promise<PrivilegeState> {
  const { db, target } = input;
  const schema = target.schema;
  const { rows } = await sql<{ schema_exists: boolean; migrated: boolean; can_create: boolean }>`
    SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ${schema}) AS schema_exists,
      to_regclass(${`${quoteIdent(schema)}.${MIGRATION_TABLE}`}) IS NOT NULL AS migrated,
      CASE WHEN EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ${schema}) THEN has_schema_privilege(${schema}, 'CREATE')
        ELSE has_database_privilege(current_database(), 'CREATE') END AS can_create`.execute(db);
  const row = rows[0] ?? { schema_exists: false, migrated: false, can_create: false };
  const applied = row.migrated ? (await sql<{ name: string }>`SELECT name FROM ${sql.id(schema, MIGRATION_TABLE)} ORDER BY name`.execute(db)).rows.map((r) => r.name) : [];
  const missingGrants: string[] = [];
  if (applied.length > 0) {
    for (const table of ["events", ...ENTITY_TABLE_LIST.map((t) => t.table)]) {
      const qualified = `${quoteIdent(schema)}.${quoteIdent(table)}`;
      const { rows: grants } = await sql<{ ok: boolean; s: boolean; i: boolean; u: boolean }>`
        SELECT to_regclass(${qualified}) IS NOT NULL AS ok,
          CASE WHEN to_regclass(${qualified}) IS NOT NULL THEN has_table_privilege(${qualified}, 'SELECT') END AS s,
          CASE WHEN to_regclass(${qualified}) IS NOT NULL THEN has_table_privilege(${qualified}, 'INSERT') END AS i,
          CASE WHEN to_regclass(${qualified}) IS NOT NULL THEN has_table_privilege(${qualified}, 'UPDATE') END AS u`.execute(db);
      const g = grants[0];
      if (!g?.ok) missingGrants.push(`${table} (missing table)`);
      else if (!g.s || !g.i || !g.u) missingGrants.push(`${table} (${[!g.s && "SELECT", !g.i && "INSERT", !g.u && "UPDATE"].filter(Boolean).join(", ")})`);
    }
  }
  return { schemaExists: row.schema_exists, applied, canCreate: row.can_create, missingGrants };
}

/**
 * `wizbridge sink test` for PostgreSQL: connect (TLS, authentication, the database), the privileges the
 * writes need (or the right to create the tables), and a marked test event written into `<schema>.events`
 * and read back inside a transaction that is rolled back, so nothing stays. Stops at the first failure.
 */
export async function runPostgresSelfTest(input: PostgresSelfTestInput): Promise<SinkTestStep[]> {
  const { pool, target, redact } = input;
  const steps: SinkTestStep[] = [];
  const failed = (step: string, error: unknown): SinkTestStep => {
    const { what, fix } = explainFailure(error, target);
    return { step, ok: false, detail: redact(what), fix: redact(fix) };
  };

  try {
    const client = await pool.connect();
    try {
      const { rows } = await client.query<{ user: string; version: string; ssl: boolean | null }>(
        "SELECT current_user AS user, current_setting('server_version') AS version, (SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()) AS ssl",
      );
      const row = rows[0];
      steps.push({
        step: "connect",
        ok: true,
        detail: `connected to PostgreSQL ${row?.version ?? "?"} at ${target.host}:${target.port}/${target.database} as ${row?.user ?? target.user} (${row?.ssl === true ? "TLS" : "no TLS"})`,
      });
    } finally {
      client.release();
    }
  } catch (error) {
    steps.push(failed("connect", error));
    return steps;
  }

  const latest = latestMigrationName(target.schema);
  let migrated: boolean;
  try {
    const state = await privilegeState(input);
    migrated = state.applied.includes(latest);
    if (state.missingGrants.length > 0) {
      steps.push({
        step: "privileges",
        ok: false,
        detail: `user ${target.user} lacks privileges on ${target.schema}: ${state.missingGrants.join("; ")}`,
        fix: `GRANT USAGE ON SCHEMA ${target.schema} TO ${target.user}; GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA ${target.schema} TO ${target.user}; (or run \`wizbridge sink setup\` as the tables' owner).`,
      });
      return steps;
    }
    if (migrated) {
      steps.push({ step: "privileges", ok: true, detail: `schema ${target.schema} is at migration ${latest}; user ${target.user} may select, insert and update its ${ENTITY_TABLE_LIST.length + 1} tables` });
    } else if (!state.canCreate) {
      steps.push({
        step: "privileges",
        ok: false,
        detail: `schema ${target.schema} ${state.schemaExists ? "has no wizbridge tables yet" : "does not exist"} and user ${target.user} may not create ${state.schemaExists ? "tables in it" : "it"}`,
        fix: state.schemaExists
          ? `GRANT USAGE, CREATE ON SCHEMA ${target.schema} TO ${target.user}, or run \`wizbridge sink setup\` once as a user who may.`
          : `GRANT CREATE ON DATABASE ${target.database} TO ${target.user}, or CREATE SCHEMA ${target.schema} AUTHORIZATION ${target.user} as an administrator.`,
      });
      return steps;
    } else if (!input.migrate) {
      steps.push({
        step: "privileges",
        ok: false,
        detail: `schema ${target.schema} has no wizbridge tables (migration ${latest} not applied) and migrate is false, so writes would fail`,
        fix: "run `wizbridge sink setup` to create the tables, or set migrate: true.",
      });
      return steps;
    } else {
      steps.push({
        step: "privileges",
        ok: true,
        detail: `schema ${target.schema} has no wizbridge tables yet; user ${target.user} may create them (the first write does, or \`wizbridge sink setup\`)`,
      });
    }
  } catch (error) {
    steps.push(failed("privileges", error));
    return steps;
  }

  const record = sinkTestRecord(input.sinkId, input.now());
  const param = encodeBatch([record]);
  const statement = input.statements.upsertStatement(streamsOf([record.stream]));
  let readBack: string | undefined;
  try {
    await input.db.transaction().execute(async (trx) => {
      // Not migrated yet: the tables are created inside this transaction too, which proves the grants and leaves nothing.
      if (!migrated) await applyMigrationsIn(trx, target.schema);
      await trx.executeQuery(CompiledQuery.raw(statement.text, [param]));
      const { rows } = await trx.executeQuery<{ id: string }>(CompiledQuery.raw(`SELECT payload->>'id' AS id FROM ${quoteIdent(target.schema)}.events WHERE event_id = $1`, [record.eventId]));
      readBack = rows[0]?.id;
      throw new RollBack();
    });
  } catch (error) {
    if (!(error instanceof RollBack)) {
      steps.push(failed("write test event", error));
      return steps;
    }
  }
  if (readBack !== record.eventId) {
    steps.push({
      step: "write test event",
      ok: false,
      detail: `wrote test event ${record.eventId} into ${target.schema}.events but read back ${readBack ?? "nothing"}`,
      fix: "a trigger or rule on the events table changes rows; remove it, or report this with the server version.",
    });
    return steps;
  }
  steps.push({
    step: "write test event",
    ok: true,
    detail: `wrote and read back test event ${record.eventId} in ${target.schema}.events${migrated ? "" : " (tables created for the test)"}, then rolled back: nothing stays`,
  });
  return steps;
}
