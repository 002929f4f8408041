import type { RuntimeAlert, RuntimeSource } from "../../model/runtime-alert.js";
import type { RuntimeAlertWriter } from "../../store/runtime-alert-writer.js";
import type { RuntimeAlertTable } from "../../store/store-schema.js";
import type { AdapterInputError } from "../adapters/adapter-input-error.js";
import { adaptRuntimePayload } from "../adapters/runtime-adapter.registry.js";
import { createAlertIdGenerator } from "./alert-id.js";

export type RecordOutcome =
  | { index: number; status: "accepted"; id: string }
  | { index: number; status: "rejected"; field: string; error: string };

export interface IntakeOutcome {
  accepted: number;
  rejected: number;
  results: RecordOutcome[];
}

export interface RuntimeIntakeDeps {
  /** The store's writer (`store.runtimeAlerts`). */
  alerts: RuntimeAlertWriter;
  /** Epoch ms; injected for tests. */
  now?: () => number;
  newId?: (now: number) => string;
  /** Most rows one group commit writes; the rest wait for the next one. */
  maxRowsPerCommit?: number;
}

interface Pending {
  rows: RuntimeAlertTable[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Turns sensor payloads into RuntimeAlerts and persists the accepted ones BEFORE the caller answers.
 * Group commit: every request that arrives while a commit runs (or in the same event-loop turn) is
 * written by the next single SQLite transaction, so thousands of concurrent senders cost a handful of
 * commits per second. A promise resolves only after its rows are committed (WAL; survives kill -9).
 */
export class RuntimeIntake {
  private readonly alerts: RuntimeAlertWriter;
  private readonly now: () => number;
  private readonly newId: (now: number) => string;
  private readonly maxRows: number;
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private scheduled = false;
  private closed = false;
  private commits = 0;

  constructor(deps: RuntimeIntakeDeps) {
    this.alerts = deps.alerts;
    this.now = deps.now ?? Date.now;
    this.newId = deps.newId ?? createAlertIdGenerator();
    this.maxRows = deps.maxRowsPerCommit ?? 5_000;
  }

  /** Number of SQLite transactions written so far (for benches and tests of the group commit). */
  get commitCount(): number {
    return this.commits;
  }

  /**
   * Adapts every payload of one request; persists the good ones in one group commit; reports each
   * record by index. Resolves after the accepted alerts are durable; rejects only if the store fails.
   */
  async accept(source: RuntimeSource, payloads: readonly unknown[], preRejected: ReadonlyArray<{ index: number; field: string; error: string }> = []): Promise<IntakeOutcome> {
    const receivedMs = this.now();
    const receivedAt = new Date(receivedMs).toISOString();
    const results: RecordOutcome[] = [];
    const alerts: RuntimeAlert[] = [];
    const bad = new Map(preRejected.map((r) => [r.index, r]));
    const total = payloads.length + preRejected.length;
    let p = 0;
    for (let index = 0; index < total; index++) {
      const pre = bad.get(index);
      if (pre) {
        results.push({ index, status: "rejected", field: pre.field, error: pre.error });
        continue;
      }
      const result = adaptRuntimePayload(source, payloads[p++], { id: this.newId(receivedMs), receivedAt });
      if (result.ok) {
        alerts.push(result.alert);
        results.push({ index, status: "accepted", id: result.alert.id });
      } else {
        results.push({ index, status: "rejected", field: result.error.field, error: describe(result.error) });
      }
    }
    if (alerts.length > 0) await this.persist(alerts);
    return { accepted: alerts.length, rejected: results.length - alerts.length, results };
  }

  /** Persists already-adapted alerts in the next group commit. */
  persist(alerts: readonly RuntimeAlert[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error("The runtime intake is closed; the alert was not stored. This happens during shutdown; the sender should retry."));
    const now = this.now();
    const rows = alerts.map((a) => rowOf(a, now));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      this.schedule();
    });
  }

  /** Waits for queued alerts to be written, then refuses new ones. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing || this.queue.length > 0 || this.scheduled) {
      if (this.flushing) await this.flushing;
      else await new Promise<void>((r) => setImmediate(r));
    }
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    // setImmediate runs after this turn's I/O callbacks: requests read in the same turn share a commit.
    setImmediate(() => {
      this.scheduled = false;
      this.flushing = this.flushAll().finally(() => {
        this.flushing = null;
        if (this.queue.length > 0) this.schedule();
      });
    });
  }

  private async flushAll(): Promise<void> {
    while (this.queue.length > 0) {
      const batch: Pending[] = [];
      let rows = 0;
      while (this.queue.length > 0 && (rows === 0 || rows + (this.queue[0]?.rows.length ?? 0) <= this.maxRows)) {
        const next = this.queue.shift() as Pending;
        batch.push(next);
        rows += next.rows.length;
      }
      try {
        await this.alerts.insert(batch.flatMap((b) => b.rows));
        this.commits++;
        for (const b of batch) b.resolve();
      } catch (error) {
        for (const b of batch) b.reject(error);
      }
    }
  }
}

function rowOf(alert: RuntimeAlert, now: number): RuntimeAlertTable {
  return {
    id: alert.id,
    source: alert.source,
    rule_id: alert.ruleId,
    severity: alert.severity,
    occurred_at: Date.parse(alert.occurredAt),
    received_at: Date.parse(alert.receivedAt),
    alert_json: JSON.stringify(alert),
    state: "received",
    state_detail: null,
    updated_at: now,
  };
}

function describe(error: AdapterInputError): string {
  return `${error.message}. Fix the field in the ${error.source} payload (see docs/runtime-sources.md for the expected shape) and resend this record.`;
}
