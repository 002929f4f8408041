import { hash } from "node:crypto";
import { isStreamName, type StreamName } from "../../model/stream-name.js";
import { CANONICAL_FIELDS, ENTITY_TABLES, quoteIdent, type CanonicalField, type EntityTable } from "./postgres-tables.js";

/** A statement ready for pg: a name makes each connection parse and plan it once. */
export interface NamedStatement {
  name: string;
  text: string;
}

/**
 * The text as a timestamptz when it has RFC 3339's shape (digits where digits go, a zone); NULL otherwise.
 * LIKE and translate rather than a regular expression: PostgreSQL's regex costs ~8 µs a call, a third of a
 * row's budget. A well-shaped impossible date (02-30) still fails the cast, and that row is dead-lettered.
 */
export function timestampOf(text: string): string {
  return `CASE WHEN ${text} LIKE '____-__-__T__:__:__%' AND translate(left(${text}, 19), '0123456789', '') = '--T::' AND (${text} LIKE '%Z' OR ${text} LIKE '%+__:__' OR ${text} LIKE '%-__:__') THEN (${text})::timestamptz END`;
}

/**
 * The batch arrives as ONE jsonb parameter (an array of `{p: payload, e: event id, s: seq, t: stream, n:
 * connector, c?: canonical fields}`, see postgres-batch.ts): PostgreSQL parses it once, in C, and no
 * statement grows a parameter per row (measured: a parameter per column or per row costs more to bind and
 * to parse than this one document).
 */
const BATCH_ROWS = `b AS MATERIALIZED (
  SELECT x->>'e' AS event_id, (x->>'s')::bigint AS seq, x->>'n' AS connector, x->>'t' AS stream, x #>> '{p,kind}' AS kind,
    (x #>> '{p,observedAt}')::timestamptz AS observed_at, coalesce(x #>> '{p,raw,id}', x #>> '{p,record,id}') COLLATE "C" AS wiz_id, x
  FROM jsonb_array_elements($1::jsonb) AS x
)`;

function eventsInsert(schema: string): string {
  // No ORDER BY: the sink sends the batch sorted by event id, so concurrent batches take the key locks in one
  // order (no deadlock between in-flight writes) without a sort of these wide rows here.
  return `ev AS (
  INSERT INTO ${quoteIdent(schema)}.events (event_id, seq, connector, stream, kind, wiz_id, observed_at, payload)
  SELECT event_id, seq, connector, stream, kind, wiz_id, observed_at, x->'p' FROM b
  ON CONFLICT (event_id) DO NOTHING
)`;
}

function upsertInto(schema: string, spec: EntityTable, alias: string): string {
  const typedNames = spec.typed.map((c) => c.name);
  const columns = ["wiz_id", "version", "observed_at", "created_at", "updated_at", ...typedNames, "record", "raw", "profile", "event_id"];
  const version = spec.versionField === null ? "observed_at" : `coalesce(${timestampOf(`(x #>> '{p,raw,${spec.versionField}}')`)}, observed_at)`;
  const reads = new Set<CanonicalField>(["createdAt", "updatedAt", ...spec.typed.flatMap((c) => c.reads)]);
  const fields = [...reads].map((f) => `${quoteIdent(f)} ${CANONICAL_FIELDS[f]}`).join(", ");
  const select = [
    "wiz_id",
    `${version} AS version`,
    "observed_at",
    `${timestampOf(`k."createdAt"`)} AS created_at`,
    `${timestampOf(`k."updatedAt"`)} AS updated_at`,
    ...spec.typed.map((c) => `${c.expression} AS ${c.name}`),
    "x #> '{p,record}' AS record",
    "x #> '{p,raw}' AS raw",
    "coalesce(x #>> '{p,profile}', 'canonical') AS profile",
    "event_id",
  ];
  // The newest version wins, also between two versions of one record in this batch (DISTINCT ON keeps the first).
  const onConflict = spec.appendOnly
    ? "ON CONFLICT (wiz_id) DO NOTHING"
    : `ON CONFLICT (wiz_id) DO UPDATE SET ${columns
        .filter((c) => c !== "wiz_id" && c !== "observed_at")
        .map((c) => `${c} = EXCLUDED.${c}`)
        .join(", ")},
    observed_at = greatest(t.observed_at, EXCLUDED.observed_at),
    removed_at = CASE WHEN t.removed_at IS NOT NULL AND EXCLUDED.observed_at <= t.removed_at THEN t.removed_at END
  WHERE t.version <= EXCLUDED.version`;
  return `${alias} AS (
  INSERT INTO ${quoteIdent(schema)}.${quoteIdent(spec.table)} AS t (${columns.join(", ")})
  SELECT DISTINCT ON (wiz_id) ${columns.join(", ")} FROM (
    SELECT ${select.join(",\n      ")}
    FROM b CROSS JOIN LATERAL jsonb_to_record(coalesce(x->'c', x #> '{p,record}', '{}')) AS k(${fields})
    WHERE stream = '${spec.stream}' AND kind = 'upsert'
  ) AS r ORDER BY wiz_id, version DESC, observed_at DESC
  ${onConflict}
)`;
}

function removalInto(schema: string, spec: EntityTable, alias: string): string {
  // A removal read after the stored version marks it; a record seen again after the removal (later observedAt)
  // clears the mark in the upsert above, whichever of the two arrives first. Unknown ids get a tombstone row.
  return `${alias} AS (
  INSERT INTO ${quoteIdent(schema)}.${quoteIdent(spec.table)} AS t (wiz_id, version, observed_at, record, raw, profile, removed_at, event_id)
  SELECT DISTINCT ON (wiz_id) wiz_id, '-infinity'::timestamptz, NULL::timestamptz, record, NULL::jsonb, profile, removed_at, event_id FROM (
    SELECT wiz_id, x #> '{p,record}' AS record, coalesce(x #>> '{p,profile}', 'canonical') AS profile, observed_at AS removed_at, event_id
    FROM b WHERE stream = '${spec.stream}' AND kind = 'removal'
  ) AS r ORDER BY wiz_id, removed_at DESC
  ON CONFLICT (wiz_id) DO UPDATE SET
    removed_at = greatest(t.removed_at, EXCLUDED.removed_at),
    event_id = CASE WHEN t.removed_at IS NULL OR EXCLUDED.removed_at >= t.removed_at THEN EXCLUDED.event_id ELSE t.event_id END
  WHERE t.observed_at IS NULL OR t.observed_at < EXCLUDED.removed_at
)`;
}

function named(text: string): NamedStatement {
  return { name: `wizbridge_${hash("sha1", text).slice(0, 20)}`, text };
}

/**
 * The SQL of a batch, by the streams it holds: the events insert and one upsert per stream in ONE statement
 * (one round trip), and the removals in a second statement when the batch has any (a statement may not
 * touch one row twice). Built once per stream set and schema.
 */
export class BatchStatements {
  private readonly upserts = new Map<string, NamedStatement>();
  private readonly removals = new Map<string, NamedStatement>();

  constructor(private readonly schema: string) {}

  upsertStatement(streams: readonly StreamName[]): NamedStatement {
    const key = streams.join(",");
    let statement = this.upserts.get(key);
    if (!statement) {
      const parts = [BATCH_ROWS, eventsInsert(this.schema), ...streams.map((s, i) => upsertInto(this.schema, ENTITY_TABLES[s], `u${i}`))];
      statement = named(`WITH ${parts.join(",\n")}\nSELECT 1`);
      this.upserts.set(key, statement);
    }
    return statement;
  }

  removalStatement(streams: readonly StreamName[]): NamedStatement {
    const key = streams.join(",");
    let statement = this.removals.get(key);
    if (!statement) {
      const parts = [BATCH_ROWS, ...streams.map((s, i) => removalInto(this.schema, ENTITY_TABLES[s], `r${i}`))];
      statement = named(`WITH ${parts.join(",\n")}\nSELECT 1`);
      this.removals.set(key, statement);
    }
    return statement;
  }
}

/** The entity streams of a batch, sorted (the statement cache key); unknown streams go to the events table only. */
export function streamsOf(streams: Iterable<string>): StreamName[] {
  const out = new Set<StreamName>();
  for (const s of streams) if (isStreamName(s)) out.add(s);
  return [...out].sort();
}
