import type { Logger } from "pino";
import pg from "pg";
import { PostgresSink } from "../../src/sinks/postgres/postgres.sink.js";
import { postgresSinkSchema } from "../../src/sinks/postgres/postgres.sink-type.js";
import type { SinkBenchCase, SinkBenchTarget } from "./sink-bench-case.js";

/** The local PostgreSQL (trust auth) unless WIZBRIDGE_BENCH_POSTGRES_URL names another. */
function connectionString(): string {
  return process.env.WIZBRIDGE_BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
}

/**
 * The PostgreSQL sink against a real server, each batch one transaction with synchronous_commit as the
 * server has it (on by default), in a schema of its own that `stop` drops. Delivered = distinct rows of the
 * append-only events table (its primary key is the event id).
 */
export const postgresSinkBench: SinkBenchCase = {
  name: "postgres (real local server, one transaction per batch, synchronous_commit on)",
  async unavailable() {
    const client = new pg.Client({ connectionString: connectionString(), connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return undefined;
    } catch (error) {
      return `no PostgreSQL at ${new URL(connectionString()).host} (${(error as Error).message}); start it or set WIZBRIDGE_BENCH_POSTGRES_URL`;
    } finally {
      await client.end().catch(() => undefined);
    }
  },
  async start(logger: Logger): Promise<SinkBenchTarget> {
    const schema = `wizbridge_bench_${process.pid}_${Date.now().toString(36)}`;
    const settings = postgresSinkSchema.parse({ type: "postgres", connectionString: connectionString(), schema, pool: { max: 8 } });
    const sink = new PostgresSink("bench", settings, { logger, baseDir: process.cwd(), now: Date.now });
    await sink.setup();
    const admin = new pg.Pool({ connectionString: connectionString(), max: 1 });
    return {
      sink,
      async delivered() {
        const { rows } = await admin.query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".events`);
        return Number(rows[0]?.n ?? 0);
      },
      async stop() {
        await sink.close();
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await admin.end();
      },
    };
  },
};
