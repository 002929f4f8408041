import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, type Server } from "node:net";
import { Writable } from "node:stream";
import { promisify } from "node:util";
import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StreamName } from "../../src/model/stream-name.js";
import type { WizEvent } from "../../src/model/wiz-event.js";
import { PostgresSinkConfigError } from "../../src/sinks/postgres/postgres-errors.js";
import { ENTITY_TABLES } from "../../src/sinks/postgres/postgres-tables.js";
import { postgresSinkSchema, postgresSinkType } from "../../src/sinks/postgres/postgres.sink-type.js";
import { SinkRejectedError, SinkUnavailableError, type Sink, type SinkRecord } from "../../src/sinks/sink.js";
import { pageRecordOf, removalEventOf, upsertEventsOf } from "../../src/sync/page-events.js";
import { STREAM_CATALOGUE } from "../../src/sync/streams/stream-catalogue.js";
import { createOutputProfile, type OutputProfile } from "../../src/transform/output-profile.js";
import { WIZ_LADDER } from "../../src/transform/severity/severity-ladder.js";
import { tenantRecords } from "../transform/wiz-records.js";

/**
 * Integration tests against the real local PostgreSQL (127.0.0.1:5432, database `test`, trust auth, or
 * WIZBRIDGE_TEST_POSTGRES_URL). Every sink here writes a schema of this file's own, dropped at the end.
 * One test restarts the server in the middle of the writes and always brings it back up.
 */

const PG_URL = process.env.WIZBRIDGE_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const SENTINEL = "SENTINEL-SECRET-123";
const RUN = `${process.pid}_${Date.now().toString(36)}`;
const SCHEMA = `wbtest_${RUN}`;
const run = promisify(execFile);

async function reachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5_000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("SELECT 1");
    return undefined;
  } catch (error) {
    return `no PostgreSQL at ${new URL(PG_URL).host} (${(error as Error).message}); start it (pg_ctlcluster 15 main start) or set WIZBRIDGE_TEST_POSTGRES_URL`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const unavailable = await reachable();
if (unavailable) console.warn(`skipping the PostgreSQL sink tests: ${unavailable}`);

it.runIf(unavailable !== undefined && process.env.CI === "true")("has PostgreSQL to test against in CI", () => {
  throw new Error(`CI=true but ${unavailable ?? ""}`);
});

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function capturedLogger(): { logger: pino.Logger; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString("utf8"));
      done();
    },
  });
  return { logger: pino({ level: "debug" }, stream), text: () => chunks.join("") };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const RAWS = tenantRecords();
function rawsOf(stream: StreamName): Array<Record<string, unknown>> {
  return RAWS.filter((r) => r.stream === stream).map((r) => structuredClone(r.raw));
}

const OBSERVED = "2026-01-05T10:00:00.000Z";
let seq = 0;

async function eventOf(stream: StreamName, raw: Record<string, unknown>, observedAt = OBSERVED, profile?: OutputProfile): Promise<WizEvent> {
  const record = pageRecordOf(stream, STREAM_CATALOGUE[stream].cursorField, raw);
  const { events, rejected } = await upsertEventsOf({ connectorId: "prod", stream, portalOrigin: "https://app.wiz.io", observedAt, ...(profile ? { profile } : {}) }, [record]);
  if (!events[0]) throw new Error(`test record refused: ${rejected[0]?.reason ?? "?"}`);
  return events[0];
}

function removalOf(stream: StreamName, id: string, observedAt: string): WizEvent {
  return removalEventOf({ connectorId: "prod", stream, portalOrigin: "https://app.wiz.io", observedAt }, id, "2026-01-01T00:00:00.000000Z");
}

function recordOf(event: WizEvent, payload = JSON.stringify(event)): SinkRecord {
  seq += 1;
  return { seq, eventId: event.id, connectorId: event.connector, stream: event.stream, payload };
}

function at(minutes: number): string {
  return new Date(Date.parse(OBSERVED) + minutes * 60_000).toISOString();
}

function versionAt(raw: Record<string, unknown>, minutes: number): Record<string, unknown> {
  return { ...raw, updatedAt: new Date(Date.parse("2026-01-01T00:00:00Z") + minutes * 60_000).toISOString().replace("Z", "123Z") };
}

/**
 * The start of PostgreSQL's wire protocol, enough to refuse a password: answers an SSLRequest with 'N',
 * asks for a cleartext password, then sends FATAL 28P01. Records the password it was sent.
 */
function passwordRefusingServer(): Promise<{ server: Server; port: number; passwords: string[] }> {
  const passwords: string[] = [];
  const server = createServer((socket) => {
    let buffered = Buffer.alloc(0);
    let started = false;
    const field = (code: string, text: string): Buffer => Buffer.concat([Buffer.from(code), Buffer.from(`${text}\0`)]);
    socket.on("data", (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        if (!started) {
          if (buffered.length < 8) return;
          const length = buffered.readInt32BE(0);
          if (buffered.length < length) return;
          const code = buffered.readInt32BE(4);
          buffered = buffered.subarray(length);
          if (code === 80877103) {
            socket.write("N");
            continue;
          }
          started = true;
          const ask = Buffer.alloc(9);
          ask.write("R", 0);
          ask.writeInt32BE(8, 1);
          ask.writeInt32BE(3, 5);
          socket.write(ask);
          continue;
        }
        if (buffered.length < 5) return;
        const length = buffered.readInt32BE(1);
        if (buffered.length < length + 1) return;
        passwords.push(buffered.subarray(5, length).toString("utf8").replace(/\0$/, ""));
        buffered = buffered.subarray(length + 1);
        const body = Buffer.concat([field("S", "FATAL"), field("V", "FATAL"), field("C", "28P01"), field("M", 'password authentication failed for user "wiz"'), Buffer.from([0])]);
        const head = Buffer.alloc(5);
        head.write("E", 0);
        head.writeInt32BE(body.length + 4, 1);
        socket.end(Buffer.concat([head, body]));
        return;
      }
    });
    socket.on("error", () => undefined);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as { port: number }).port, passwords })));
}

describe("PostgresSink against a server that refuses the password", () => {
  it("fails the connect step and the write with the password fix (28P01), never showing the password", async () => {
    const { server, port, passwords } = await passwordRefusingServer();
    const { logger, text } = capturedLogger();
    const settings = postgresSinkSchema.parse({ type: "postgres", host: "127.0.0.1", port, database: "security", user: "wiz", password: SENTINEL });
    const sink = postgresSinkType.create("pg-auth", settings, { logger, baseDir: process.cwd(), now: Date.now });
    try {
      const steps = await sink.selfTest?.();
      expect(steps).toHaveLength(1);
      expect(steps?.[0]).toMatchObject({ step: "connect", ok: false });
      expect(steps?.[0]?.detail).toMatch(/refused the password \(SQLSTATE 28P01/);
      expect(steps?.[0]?.fix).toMatch(/password is wrong for user wiz/);
      const error = await sink.write([{ seq: 1, eventId: "e1", connectorId: "prod", stream: "issues", payload: "{}" }]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PostgresSinkConfigError);
      expect((error as Error).message).toMatch(/28P01.*password is wrong/);
      // The client did send it (to the server only).
      expect(passwords).toContain(SENTINEL);
      expect(`${JSON.stringify(steps)} ${(error as Error).message} ${text()} ${postgresSinkType.describe("pg-auth", settings)}`).not.toContain(SENTINEL);
    } finally {
      await sink.close();
      await new Promise((r) => server.close(r));
    }
  });
});

/**
 * One run of this file at a time on this machine: its restart test would break another run's writes.
 * A lock file holding the owner's pid; a dead owner's lock is taken over.
 */
const LOCK = join(tmpdir(), "wizbridge-postgres-sink-test.lock");

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function takeLock(): Promise<void> {
  await until(
    "another run of the PostgreSQL sink tests to finish",
    () => {
      try {
        writeFileSync(LOCK, String(process.pid), { flag: "wx" });
        return true;
      } catch {
        const owner = Number(readFileSync(LOCK, "utf8").trim());
        if (!Number.isInteger(owner) || owner <= 0 || !processAlive(owner)) rmSync(LOCK, { force: true });
        return false;
      }
    },
    600_000,
  );
}

function releaseLock(): void {
  try {
    if (readFileSync(LOCK, "utf8").trim() === String(process.pid)) rmSync(LOCK, { force: true });
  } catch {
    // Already gone.
  }
}

describe.skipIf(unavailable !== undefined)("PostgresSink against the local PostgreSQL", () => {
  let admin: pg.Pool;
  const sinks: Sink[] = [];
  const roles: string[] = [];

  function makeSink(extra: Record<string, unknown> = {}, logger: pino.Logger = pino({ level: "silent" }), id = "pg"): Sink {
    const settings = postgresSinkSchema.parse({ type: "postgres", connectionString: PG_URL, schema: SCHEMA, ...extra });
    const sink = postgresSinkType.create(id, settings, { logger, baseDir: process.cwd(), now: Date.now });
    sinks.push(sink);
    return sink;
  }

  async function one<T>(text: string, values: unknown[] = []): Promise<T> {
    const { rows } = await admin.query(text, values);
    return rows[0] as T;
  }

  async function ensurePostgresUp(): Promise<void> {
    const cluster = existsSync("/etc/postgresql") ? readdirSync("/etc/postgresql")[0] : undefined;
    let started = false;
    await until(
      "PostgreSQL to accept connections again",
      async () => {
        if ((await reachable()) === undefined) return true;
        if (!started && cluster !== undefined) {
          started = true;
          await run("pg_ctlcluster", ["--skip-systemctl-redirect", cluster, "main", "start"]).catch(() => undefined);
        }
        return false;
      },
      120_000,
    );
  }

  beforeAll(async () => {
    await takeLock();
    admin = new pg.Pool({ connectionString: PG_URL, max: 2 });
    // The restart test closes these connections under the pool; it reconnects.
    admin.on("error", () => undefined);
    admin.on("connect", (client) => client.on("error", () => undefined));
  }, 660_000);

  afterAll(async () => {
    try {
      await ensurePostgresUp();
      for (const sink of sinks) await sink.close().catch(() => undefined);
      await admin.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
      for (const role of roles) await admin.query(`DROP ROLE IF EXISTS "${role}"`);
      await admin.end();
    } finally {
      releaseLock();
    }
  }, 180_000);

  it("migrates on setup, idempotently, into <schema>.wizbridge_migrations", async () => {
    const sink = makeSink();
    expect(await sink.setup?.()).toEqual([`applied migration 0001_entities_and_events in schema ${SCHEMA}`]);
    expect(await sink.setup?.()).toEqual([`schema ${SCHEMA} is up to date (test at 127.0.0.1:5432)`]);
    const { rows } = await admin.query<{ name: string }>(`SELECT name FROM "${SCHEMA}".wizbridge_migrations`);
    expect(rows.map((r) => r.name)).toEqual(["0001_entities_and_events"]);
    const tables = await admin.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename", [SCHEMA]);
    expect(tables.rows.map((r) => r.tablename)).toEqual(
      ["assets", "audit_log", "configuration_findings", "detections", "events", "issues", "projects", "repositories", "threats", "vulnerability_findings", "wizbridge_migrations", "wizbridge_migrations_lock"].sort(),
    );
  });

  it("has the dashboard indexes, and the planner can use the project GIN index", async () => {
    const { rows } = await admin.query<{ indexname: string; indexdef: string }>("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1", [SCHEMA]);
    const def = new Map(rows.map((r) => [r.indexname, r.indexdef]));
    expect(def.get("issues_open_severity_idx")).toMatch(/\(severity\) WHERE .*status.*OPEN.*IN_PROGRESS.*removed_at IS NULL/);
    expect(def.get("issues_project_ids_idx")).toMatch(/USING gin \(project_ids\)/);
    expect(def.get("issues_resource_idx")).toMatch(/\(resource_id\)/);
    expect(def.get("threats_open_severity_idx")).toBeDefined();
    for (const table of ["vulnerability_findings", "configuration_findings"]) {
      expect(def.get(`${table}_severity_status_idx`)).toMatch(/\(severity, status\) WHERE \(removed_at IS NULL\)/);
      expect(def.get(`${table}_resource_idx`)).toMatch(/\(resource_id\)/);
      expect(def.get(`${table}_project_ids_idx`)).toMatch(/USING gin \(project_ids\)/);
    }
    expect(def.get("assets_project_ids_idx")).toMatch(/gin/);
    expect(def.get("events_pkey")).toMatch(/UNIQUE INDEX .* \(event_id\)/);
    const client = await admin.connect();
    try {
      await client.query("BEGIN");
      await client.query("SET LOCAL enable_seqscan = off");
      const plan = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN SELECT count(*) FROM "${SCHEMA}".issues WHERE project_ids @> ARRAY['p1'] AND removed_at IS NULL`);
      expect(plan.rows.map((r) => r["QUERY PLAN"]).join("\n")).toMatch(/issues_project_ids_idx/);
      const open = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN SELECT count(*) FROM "${SCHEMA}".issues WHERE status IN ('OPEN', 'IN_PROGRESS') AND removed_at IS NULL AND severity = 'CRITICAL'`);
      expect(open.rows.map((r) => r["QUERY PLAN"]).join("\n")).toMatch(/issues_open_severity_idx/);
      await client.query("ROLLBACK");
    } finally {
      client.release();
    }
  });

  it("stores every stream in its table: record and raw exactly as the event carries them, typed columns from the canonical record", async () => {
    const sink = makeSink();
    const events: WizEvent[] = [];
    for (const stream of Object.keys(ENTITY_TABLES) as StreamName[]) for (const raw of rawsOf(stream).slice(0, 3)) events.push(await eventOf(stream, raw));
    await sink.write(events.map((e) => recordOf(e)));

    for (const event of events) {
      const spec = ENTITY_TABLES[event.stream];
      const raw = event.raw as Record<string, unknown>;
      const row = await one<Record<string, unknown>>(
        `SELECT *, version = coalesce($2::timestamptz, observed_at) AS version_ok, observed_at = $3::timestamptz AS observed_ok FROM "${SCHEMA}"."${spec.table}" WHERE wiz_id = $1`,
        [String(raw.id), spec.versionField ? raw[spec.versionField] : null, event.observedAt],
      );
      expect(row, `${event.stream} ${String(raw.id)}`).toBeDefined();
      expect(row.record).toEqual(event.record);
      expect(row.raw).toEqual(event.raw);
      expect(row.event_id).toBe(event.id);
      expect(row.profile).toBe("canonical");
      expect(row.removed_at).toBeNull();
      expect(row.version_ok).toBe(true);
      expect(row.observed_ok).toBe(true);
      const canonical = event.record as Record<string, unknown> & { resource?: Record<string, unknown> | null };
      const expected: Record<string, unknown> = {
        severity: canonical.severity ?? null,
        status: canonical.status ?? null,
        project_ids: canonical.projectIds ?? [],
        resource_id: canonical.resource?.id ?? null,
        resource_type: event.stream === "versionControlResources" ? canonical.resourceType : (canonical.resource?.type ?? null),
        result: canonical.result ?? null,
        action: canonical.action ?? null,
        cloud_platform: canonical.resource?.cloudPlatform ?? null,
      };
      for (const column of spec.typed) expect(row[column.name], `${spec.table}.${column.name}`).toEqual(expected[column.name]);
      expect(row.updated_at === null ? null : (row.updated_at as Date).getTime()).toBe(typeof canonical.updatedAt === "string" ? Math.floor(Date.parse(canonical.updatedAt)) : null);
    }

    const stored = await admin.query<{ event_id: string; seq: string; connector: string; stream: string; kind: string; wiz_id: string; payload: unknown }>(
      `SELECT event_id, seq, connector, stream, kind, wiz_id, payload FROM "${SCHEMA}".events WHERE event_id = ANY($1)`,
      [events.map((e) => e.id)],
    );
    expect(stored.rows.length).toBe(events.length);
    const byId = new Map(stored.rows.map((r) => [r.event_id, r]));
    for (const event of events) {
      const row = byId.get(event.id);
      expect(row?.payload).toEqual(JSON.parse(JSON.stringify(event)));
      expect(row).toMatchObject({ connector: "prod", stream: event.stream, kind: "upsert", wiz_id: String((event.raw as { id: unknown }).id) });
    }
  });

  it("fills the typed columns with the canonical values when the connector's profile is OCSF", async () => {
    const sink = makeSink();
    const ocsf = createOutputProfile("ocsf", WIZ_LADDER);
    const raw = { ...(rawsOf("issues")[0] as Record<string, unknown>), id: `ocsf-${RUN}` };
    const event = await eventOf("issues", raw, OBSERVED, ocsf);
    const canonical = (await eventOf("issues", raw)).record as { severity: string; status: string; projectIds: string[]; resource: { id: string; type: string } };
    expect(event.profile).toBe("ocsf");
    await sink.write([recordOf(event)]);
    const row = await one<Record<string, unknown>>(`SELECT severity, status, project_ids, resource_id, resource_type, record, profile FROM "${SCHEMA}".issues WHERE wiz_id = $1`, [raw.id]);
    expect(row).toEqual({ severity: canonical.severity, status: canonical.status, project_ids: canonical.projectIds, resource_id: canonical.resource.id, resource_type: canonical.resource.type, record: event.record, profile: "ocsf" });
  });

  it("keeps the newest version whatever the order: across batches, and between two versions in one batch", async () => {
    const sink = makeSink();
    const base = rawsOf("issues")[1] as Record<string, unknown>;
    const cases = [
      { id: `order-new-old-${RUN}`, batches: [[20], [10]] },
      { id: `order-old-new-${RUN}`, batches: [[10], [20]] },
      { id: `order-one-batch-new-first-${RUN}`, batches: [[20, 10]] },
      { id: `order-one-batch-old-first-${RUN}`, batches: [[10, 20]] },
    ];
    for (const c of cases) {
      for (const batch of c.batches) {
        const records: SinkRecord[] = [];
        for (const minutes of batch) records.push(recordOf(await eventOf("issues", versionAt({ ...base, id: c.id, status: minutes === 20 ? "RESOLVED" : "OPEN" }, minutes))));
        await sink.write(records);
      }
      const row = await one<{ status: string; updated: string; raw_status: string }>(`SELECT status, to_char(version AT TIME ZONE 'UTC', 'HH24:MI:SS.US') AS updated, raw->>'status' AS raw_status FROM "${SCHEMA}".issues WHERE wiz_id = $1`, [c.id]);
      expect(row, c.id).toEqual({ status: "RESOLVED", updated: "00:20:00.000123", raw_status: "RESOLVED" });
    }
    // Both versions are in the append-only events table.
    const count = await one<{ n: string }>(`SELECT count(*) AS n FROM "${SCHEMA}".events WHERE wiz_id = $1`, [cases[2]?.id]);
    expect(Number(count.n)).toBe(2);
  });

  it("orders by observedAt when the change field is unreadable, and dead-letters an impossible date with 22008", async () => {
    const sink = makeSink();
    const base = rawsOf("detections")[0] as Record<string, unknown>;
    const odd = await eventOf("detections", { ...base, id: `odd-ts-${RUN}` });
    const oddPayload = JSON.stringify({ ...odd, raw: { ...(odd.raw as object), updatedAt: "yesterday" } });
    const impossible = await eventOf("detections", { ...base, id: `feb-30-${RUN}` });
    const impossiblePayload = JSON.stringify({ ...impossible, raw: { ...(impossible.raw as object), updatedAt: "2026-02-30T00:00:00.000000Z" } });
    const error = await sink.write([recordOf(odd, oddPayload), recordOf(impossible, impossiblePayload)]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SinkRejectedError);
    expect((error as SinkRejectedError).rejected.get(impossible.id)).toMatch(/SQLSTATE 22008/);
    expect([...((error as SinkRejectedError).accepted ?? [])]).toEqual([odd.id]);
    expect(await one(`SELECT version = observed_at AS by_observed FROM "${SCHEMA}".detections WHERE wiz_id = $1`, [`odd-ts-${RUN}`])).toEqual({ by_observed: true });
  });

  it("takes each event once on redelivery: events is idempotent and the state is unchanged", async () => {
    const sink = makeSink();
    const records: SinkRecord[] = [];
    for (const raw of rawsOf("vulnerabilityFindings").slice(10, 30)) records.push(recordOf(await eventOf("vulnerabilityFindings", { ...raw, id: `redeliver-${String(raw.id)}` })));
    await sink.write(records);
    const before = await admin.query(`SELECT wiz_id, version, record, raw, event_id FROM "${SCHEMA}".vulnerability_findings WHERE wiz_id LIKE 'redeliver-%' ORDER BY wiz_id`);
    await sink.write(records);
    await sink.write([...records.slice(5), ...records.slice(0, 5)]);
    const after = await admin.query(`SELECT wiz_id, version, record, raw, event_id FROM "${SCHEMA}".vulnerability_findings WHERE wiz_id LIKE 'redeliver-%' ORDER BY wiz_id`);
    expect(after.rows).toEqual(before.rows);
    const events = await one<{ n: string; d: string }>(`SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM "${SCHEMA}".events WHERE event_id = ANY($1)`, [records.map((r) => r.eventId)]);
    expect(events).toEqual({ n: "20", d: "20" });
  });

  it("marks a snapshot removal in removed_at, clears it when the record comes back, and ignores a replayed older upsert", async () => {
    const sink = makeSink();
    const raw = rawsOf("projects")[0] as Record<string, unknown>;
    const id = `removal-${RUN}`;
    const v1 = await eventOf("projects", { ...raw, id }, at(0));
    await sink.write([recordOf(v1)]);
    await sink.write([recordOf(removalOf("projects", id, at(10)))]);
    let row = await one<{ removed: boolean; record: unknown }>(`SELECT removed_at = $2::timestamptz AS removed, record FROM "${SCHEMA}".projects WHERE wiz_id = $1`, [id, at(10)]);
    expect(row).toEqual({ removed: true, record: v1.record });
    // The same upsert delivered again (observed before the removal) does not bring it back.
    await sink.write([recordOf(v1)]);
    row = await one(`SELECT removed_at = $2::timestamptz AS removed, record FROM "${SCHEMA}".projects WHERE wiz_id = $1`, [id, at(10)]);
    expect(row.removed).toBe(true);
    // Seen again by a later run: back, with the record of that run.
    const v2 = await eventOf("projects", { ...raw, id, name: "renamed" }, at(20));
    await sink.write([recordOf(v2)]);
    const back = await one<{ removed_at: Date | null; record: unknown; version_ok: boolean }>(`SELECT removed_at, record, version = $2::timestamptz AS version_ok FROM "${SCHEMA}".projects WHERE wiz_id = $1`, [id, at(20)]);
    expect(back).toEqual({ removed_at: null, record: v2.record, version_ok: true });
    // A removal replayed after the come-back (read before it) changes nothing.
    await sink.write([recordOf(removalOf("projects", id, at(10)))]);
    expect((await one<{ removed_at: Date | null }>(`SELECT removed_at FROM "${SCHEMA}".projects WHERE wiz_id = $1`, [id])).removed_at).toBeNull();

    // Upsert and removal in one batch, in either order, give the same answer; an unknown id gets a tombstone.
    const issue = rawsOf("issues")[2] as Record<string, unknown>;
    const a = await eventOf("issues", { ...issue, id: `removal-a-${RUN}` }, at(0));
    const b = await eventOf("issues", { ...issue, id: `removal-b-${RUN}` }, at(0));
    await sink.write([recordOf(a), recordOf(removalOf("issues", `removal-a-${RUN}`, at(5))), recordOf(removalOf("issues", `removal-b-${RUN}`, at(5))), recordOf(b), recordOf(removalOf("issues", `tomb-${RUN}`, at(5)))]);
    const marks = await admin.query<{ wiz_id: string; removed: boolean; raw: unknown }>(
      `SELECT wiz_id, removed_at = $2::timestamptz AS removed, raw FROM "${SCHEMA}".issues WHERE wiz_id = ANY($1) ORDER BY wiz_id`,
      [[`removal-a-${RUN}`, `removal-b-${RUN}`, `tomb-${RUN}`], at(5)],
    );
    expect(marks.rows.map((r) => [r.wiz_id, r.removed, r.raw === null])).toEqual([
      [`removal-a-${RUN}`, true, false],
      [`removal-b-${RUN}`, true, false],
      [`tomb-${RUN}`, true, true],
    ]);
    const tombstoneBack = await eventOf("issues", { ...issue, id: `tomb-${RUN}` }, at(6));
    await sink.write([recordOf(tombstoneBack)]);
    expect(await one(`SELECT removed_at, raw IS NOT NULL AS has_raw FROM "${SCHEMA}".issues WHERE wiz_id = $1`, [`tomb-${RUN}`])).toEqual({ removed_at: null, has_raw: true });
  });

  it("dead-letters the rows PostgreSQL refuses with their SQLSTATE and commits the rest of the batch", async () => {
    const { logger, text } = capturedLogger();
    const sink = makeSink({}, logger);
    const good: SinkRecord[] = [];
    for (const raw of rawsOf("configurationFindings").slice(0, 4)) good.push(recordOf(await eventOf("configurationFindings", { ...raw, id: `good-${String(raw.id)}` })));
    // A NUL inside a string: valid JSON, but PostgreSQL text and jsonb cannot hold it.
    const nulEvent = await eventOf("configurationFindings", { ...(rawsOf("configurationFindings")[5] as Record<string, unknown>), id: `nul-${RUN}`, remediation: "before\u0000after" });
    const nul = recordOf(nulEvent);
    // An event without any id: the entity row cannot have a key.
    const noIdEvent = await eventOf("configurationFindings", { ...(rawsOf("configurationFindings")[6] as Record<string, unknown>), id: `noid-${RUN}` });
    const noId = recordOf(noIdEvent, JSON.stringify({ ...noIdEvent, record: { ...noIdEvent.record, id: null }, raw: { ...(noIdEvent.raw as object), id: null } }));
    const batch = [good[0], nul, good[1], good[2], noId, good[3]] as SinkRecord[];
    const error = await sink.write(batch).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SinkRejectedError);
    const rejected = (error as SinkRejectedError).rejected;
    expect([...rejected.keys()].sort()).toEqual([nul.eventId, noId.eventId].sort());
    expect(rejected.get(nul.eventId)).toMatch(/SQLSTATE 22P05.*NUL character/);
    expect(rejected.get(noId.eventId)).toMatch(/SQLSTATE 23502/);
    expect([...((error as SinkRejectedError).accepted ?? [])].sort()).toEqual(good.map((r) => r.eventId).sort());
    const stored = await one<{ n: string }>(`SELECT count(*) AS n FROM "${SCHEMA}".configuration_findings WHERE wiz_id LIKE 'good-%'`);
    expect(stored.n).toBe("4");
    const events = await one<{ n: string }>(`SELECT count(*) AS n FROM "${SCHEMA}".events WHERE event_id = ANY($1)`, [batch.map((r) => r.eventId)]);
    expect(events.n).toBe("4");
    expect(await one(`SELECT count(*) AS n FROM "${SCHEMA}".configuration_findings WHERE wiz_id = $1`, [`nul-${RUN}`])).toEqual({ n: "0" });
    // Written again without the refused ones (as the dispatcher does): nothing changes, nothing is refused.
    await sink.write(good);
    expect(text()).not.toContain(SENTINEL);
  });

  it("creates the tables on the first write when migrate is on, and says to run setup when it is off", async () => {
    const fresh = `${SCHEMA}_fresh`;
    try {
      const off = makeSink({ schema: fresh, migrate: false });
      const refused = await off.write([recordOf(await eventOf("threats", rawsOf("threats")[0] as Record<string, unknown>))]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(PostgresSinkConfigError);
      expect((refused as Error).message).toMatch(/wizbridge sink setup/);
      const on = makeSink({ schema: fresh });
      const event = await eventOf("threats", rawsOf("threats")[0] as Record<string, unknown>);
      await Promise.all([on.write([recordOf(event)]), on.write([recordOf(event)])]);
      expect(await one(`SELECT count(*) AS n FROM "${fresh}".threats`)).toEqual({ n: "1" });
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS "${fresh}" CASCADE`);
    }
  });

  it("passes sink test without leaving anything behind, and fails each step with a fix", async () => {
    const { logger, text } = capturedLogger();
    const secretUrl = PG_URL.replace("postgresql://postgres@", `postgresql://postgres:${SENTINEL}@`);
    const freshSchema = `${SCHEMA}_selftest`;
    const sink = makeSink({ connectionString: secretUrl, schema: freshSchema }, logger, "pg-test");
    const steps = await sink.selfTest?.();
    expect(steps?.map((s) => [s.step, s.ok])).toEqual([
      ["connect", true],
      ["privileges", true],
      ["write test event", true],
    ]);
    expect(steps?.[2]?.detail).toMatch(/rolled back: nothing stays/);
    // Nothing stays: not even the schema the test created inside its transaction.
    expect(await one("SELECT count(*) AS n FROM pg_namespace WHERE nspname = $1", [freshSchema])).toEqual({ n: "0" });
    const main = makeSink();
    expect((await main.selfTest?.())?.every((s) => s.ok)).toBe(true);
    expect(await one(`SELECT count(*) AS n FROM "${SCHEMA}".events WHERE connector = 'wizbridge-sink-test'`)).toEqual({ n: "0" });

    const port = await freePort();
    const failures: Array<{ url?: string; extra?: Record<string, unknown>; step: string; detail: RegExp; fix: RegExp }> = [
      { url: secretUrl.replace(/\/test$/, `/wizbridge_missing_${RUN}`), step: "connect", detail: /3D000/, fix: /CREATE DATABASE wizbridge_missing_/ },
      { url: secretUrl.replace(/:\d+\//, `:${port}/`), step: "connect", detail: /ECONNREFUSED/, fix: /start PostgreSQL, or fix host\/port/ },
      { extra: { tls: {} }, step: "connect", detail: /does not support SSL/, fix: /does not speak TLS/ },
    ];
    for (const f of failures) {
      const failing = makeSink({ connectionString: f.url ?? secretUrl, ...(f.extra ?? {}) }, logger, "pg-fail");
      const result = await failing.selfTest?.();
      const last = result?.at(-1);
      expect(last?.step).toBe(f.step);
      expect(last?.ok).toBe(false);
      expect(last?.detail).toMatch(f.detail);
      expect(last?.fix).toMatch(f.fix);
      expect(JSON.stringify(result)).not.toContain(SENTINEL);
      const writeError = await failing.write([recordOf(await eventOf("issues", rawsOf("issues")[0] as Record<string, unknown>))]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(writeError).toBeInstanceOf(Error);
      expect(String((writeError as Error).message)).not.toContain(SENTINEL);
      await failing.close();
    }
    // The unknown database and the refused port are config and transient errors respectively.
    const unknownDb = makeSink({ connectionString: secretUrl.replace(/\/test$/, `/wizbridge_missing_${RUN}`) }, logger);
    await expect(unknownDb.write([recordOf(await eventOf("issues", rawsOf("issues")[0] as Record<string, unknown>))])).rejects.toBeInstanceOf(PostgresSinkConfigError);
    const refused = makeSink({ connectionString: secretUrl.replace(/:\d+\//, `:${port}/`) }, logger);
    await expect(refused.write([recordOf(await eventOf("issues", rawsOf("issues")[0] as Record<string, unknown>))])).rejects.toBeInstanceOf(SinkUnavailableError);

    expect(postgresSinkType.describe("pg-test", postgresSinkSchema.parse({ type: "postgres", connectionString: secretUrl, schema: freshSchema }))).toBe(
      `pg-test: PostgreSQL at 127.0.0.1:5432/test (schema ${freshSchema}, user postgres)`,
    );
    expect(JSON.stringify(steps)).not.toContain(SENTINEL);
    expect(text()).not.toContain(SENTINEL);
  });

  it("fails the privileges step and the write with the GRANT to run for a user who may not create the schema", async () => {
    const role = `wbtest_nopriv_${RUN}`;
    roles.push(role);
    await admin.query(`CREATE ROLE "${role}" LOGIN`);
    const url = PG_URL.replace("postgresql://postgres@", `postgresql://${role}@`);
    const sink = makeSink({ connectionString: url, schema: `${SCHEMA}_nopriv` });
    const steps = await sink.selfTest?.();
    expect(steps?.map((s) => [s.step, s.ok])).toEqual([
      ["connect", true],
      ["privileges", false],
    ]);
    expect(steps?.[1]?.fix).toMatch(new RegExp(`GRANT CREATE ON DATABASE test TO ${role}`));
    const error = await sink.write([recordOf(await eventOf("issues", rawsOf("issues")[0] as Record<string, unknown>))]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PostgresSinkConfigError);
    expect((error as Error).message).toMatch(/42501.*GRANT CREATE ON DATABASE test/);
    await sink.close();
  });

  it("loses nothing and stores nothing twice when the server is restarted in the middle of the batches", async () => {
    const cluster = existsSync("/etc/postgresql") ? readdirSync("/etc/postgresql")[0] : undefined;
    if (cluster === undefined || process.env.WIZBRIDGE_TEST_POSTGRES_URL !== undefined) {
      console.warn("skipping the PostgreSQL restart test: the server is not a local pg_ctlcluster cluster");
      return;
    }
    const sink = makeSink({ pool: { max: 4 }, statementTimeoutMs: 30_000 });
    await sink.setup?.();
    const base = rawsOf("issues")[3] as Record<string, unknown>;
    const total = 4_000;
    const batchSize = 50;
    const records: SinkRecord[] = [];
    for (let i = 0; i < total; i += 1) records.push(recordOf(await eventOf("issues", { ...base, id: `restart-${RUN}-${i}` })));
    const batches = Array.from({ length: total / batchSize }, (_, b) => records.slice(b * batchSize, (b + 1) * batchSize));
    let acknowledged = 0;
    const failures: unknown[] = [];
    let restart: Promise<unknown> | undefined;
    let next = 0;
    // Four writers retrying as the dispatcher does: a failed batch is written again, whole, after a pause.
    const writer = async (): Promise<void> => {
      for (let b = next++; b < batches.length; b = next++) {
        for (;;) {
          try {
            await sink.write(batches[b] as SinkRecord[]);
            acknowledged += 1;
            // Restart once a tenth is in: the other writers have batches in flight then.
            if (acknowledged === 8) restart = run("pg_ctlcluster", ["--skip-systemctl-redirect", cluster, "main", "restart", "-m", "fast"], { timeout: 120_000 });
            break;
          } catch (error) {
            if (error instanceof SinkRejectedError) throw error;
            failures.push(error);
            await new Promise((r) => setTimeout(r, 200));
          }
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: 4 }, writer));
      await restart;
    } finally {
      await restart?.catch(() => undefined);
      await ensurePostgresUp();
    }
    expect(restart).toBeDefined();
    expect(failures.length).toBeGreaterThan(0);
    // Every failure was reported as "try again later", never as a refusal or a config problem.
    for (const failure of failures) expect(failure, String(failure)).toBeInstanceOf(SinkUnavailableError);
    const events = await one<{ n: string; d: string }>(`SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM "${SCHEMA}".events WHERE event_id = ANY($1)`, [records.map((r) => r.eventId)]);
    expect(events).toEqual({ n: String(total), d: String(total) });
    const rows = await one<{ n: string }>(`SELECT count(*) AS n FROM "${SCHEMA}".issues WHERE wiz_id LIKE $1`, [`restart-${RUN}-%`]);
    expect(rows.n).toBe(String(total));
    // The sink keeps working on fresh connections after the restart.
    await sink.write([recordOf(await eventOf("issues", { ...base, id: `after-restart-${RUN}` }))]);
  }, 240_000);
});
