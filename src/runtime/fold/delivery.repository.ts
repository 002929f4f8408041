import { sql, type Kysely } from "kysely";
import { RUNTIME_ALERT_STATES, runtimeAlertSchema, type RuntimeAlert, type RuntimeAlertState } from "../../model/runtime-alert.js";
import type { StoreDb } from "../../store/store-database.js";
import type { StoreSchema } from "../../store/store-schema.js";
import type { RuntimeDeliveryEventTable, RuntimeDeliverySchema, RuntimeEventState } from "../../store/runtime-delivery.tables.js";
import type { Resolution } from "../resolver/runtime-resolver.js";
import { alertFingerprint, withinFoldWindow } from "./alert-fingerprint.js";
import { foldedEventOf, maxSeverity, type FoldedEvent } from "./folded-event.js";

type DeliveryDb = Kysely<StoreSchema & RuntimeDeliverySchema>;

export interface PendingAlert {
  alert: RuntimeAlert;
  refused: Set<string>;
  resolveAttempts: number;
}

export interface FoldOptions {
  foldWindowMs: number;
  /** Resolution attempts before an unresolvable alert is dead-lettered. */
  resolveBudget: number;
  /** Delay before an unresolved alert is tried again (the negative cache TTL, so the retry asks Wiz again). */
  resolveRetryMs: number;
  dataSourceIdOf: (alert: RuntimeAlert) => string;
}

export interface UploadPlan {
  uploadId: number;
  attempt: number;
  events: FoldedEvent[];
  /** event id -> version carried. */
  versions: Map<string, number>;
}

export interface UploadOutcome {
  status: string;
  incoming: number;
  handled: number;
  /** Provider ids Wiz could not match. */
  unresolved: readonly string[];
}

const json = (value: unknown): string => JSON.stringify(value);
const list = (text: string | null | undefined): string[] => {
  if (!text) return [];
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === "string") : [];
};
const chunks = <T,>(items: readonly T[], size = 500): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/** Live events: the ones an upload still carries. */
const LIVE: readonly RuntimeEventState[] = ["pending", "uploaded", "confirmed", "linked"];

/**
 * The store side of delivery: alert resolution results, folding into events, uploads and their
 * outcomes, issue links, and the `runtime_alerts.state` every step moves. All in SQLite, so a
 * restarted pipeline continues where the last one stopped.
 */
export class DeliveryRepository {
  private readonly db: DeliveryDb;

  constructor(db: StoreDb) {
    this.db = db.withTables<RuntimeDeliverySchema>();
  }

  /** Alerts waiting for (another) resolution, oldest first. */
  async alertsToResolve(now: number, limit: number): Promise<PendingAlert[]> {
    const rows = await this.db
      .selectFrom("runtime_alerts as a")
      .leftJoin("runtime_delivery_alerts as d", "d.alert_id", "a.id")
      .select(["a.alert_json", "d.refused_json", "d.resolve_attempts"])
      .where("a.state", "in", ["received", "unresolved"])
      .where((eb) => eb.or([eb("d.next_resolve_at", "is", null), eb("d.next_resolve_at", "<=", now)]))
      .orderBy("a.received_at")
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      alert: runtimeAlertSchema.parse(JSON.parse(r.alert_json)),
      refused: new Set(list(r.refused_json)),
      resolveAttempts: r.resolve_attempts ?? 0,
    }));
  }

  /** Records resolutions and folds the resolved alerts into events, in one transaction. */
  async applyResolutions(batch: ReadonlyArray<{ pending: PendingAlert; resolution: Resolution }>, now: number, options: FoldOptions): Promise<{ folded: number; newEvents: number; unresolved: number; deadLettered: number }> {
    const stats = { folded: 0, newEvents: 0, unresolved: 0, deadLettered: 0 };
    await this.db.transaction().execute(async (trx) => {
      // Events touched in this batch, by fingerprint: repeats within one batch fold in memory.
      const touched = new Map<string, RuntimeDeliveryEventTable & { isNew: boolean }>();
      const alertRows: Array<{ alertId: string; eventId: string; version: number; resolution: Extract<Resolution, { status: "resolved" }>; refused: string[]; attempts: number }> = [];
      for (const { pending, resolution } of batch) {
        const alert = pending.alert;
        const attempts = pending.resolveAttempts + 1;
        if (resolution.status === "unresolved") {
          const dead = attempts >= options.resolveBudget;
          const detail = dead
            ? `dead-lettered after ${attempts} resolution attempts: ${resolution.reason}. Tried: ${resolution.tried.join("; ")}`
            : `unresolved (attempt ${attempts} of ${options.resolveBudget}): ${resolution.reason}. Tried: ${resolution.tried.join("; ")}`;
          await this.upsertDeliveryAlert(trx, alert.id, { event_id: null, event_version: 0, rung: null, entity_id: null, provider_id: null, tried_json: json(resolution.tried), refused_json: json([...pending.refused]), resolve_attempts: attempts, next_resolve_at: now + options.resolveRetryMs, updated_at: now });
          await this.setAlertState(trx, [alert.id], dead ? "dead_lettered" : "unresolved", detail, now);
          if (dead) stats.deadLettered++;
          else stats.unresolved++;
          continue;
        }
        const fingerprint = alertFingerprint(alert, resolution.entity.providerUniqueId);
        const occurredAt = Date.parse(alert.occurredAt);
        let event = touched.get(fingerprint);
        if (!event || !withinFoldWindow(occurredAt, event.first_seen, event.last_seen, options.foldWindowMs)) {
          const stored = await trx
            .selectFrom("runtime_delivery_events")
            .selectAll()
            .where("fingerprint", "=", fingerprint)
            .where("state", "in", [...LIVE])
            .orderBy("last_seen", "desc")
            .limit(1)
            .executeTakeFirst();
          if (stored && withinFoldWindow(occurredAt, stored.first_seen, stored.last_seen, options.foldWindowMs)) {
            event = { ...stored, isNew: false };
          } else {
            event = {
              // The first alert's id plus the resource: stable, and distinct when Wiz refused a resource and the alert moved on.
              event_id: `${alert.id}.${fingerprint.slice(0, 8)}`,
              fingerprint,
              data_source_id: options.dataSourceIdOf(alert),
              source: alert.source,
              entity_id: resolution.entity.id,
              provider_id: resolution.entity.providerUniqueId,
              cloud_platform: resolution.entity.cloudPlatform,
              rung: resolution.rung,
              exact: resolution.exact ? 1 : 0,
              matched_by: resolution.matchedBy,
              alert_json: json({ ...alert, raw: null }),
              severity: alert.severity,
              count: 0,
              first_seen: occurredAt,
              last_seen: occurredAt,
              last_received_at: now,
              state: "pending",
              version: 0,
              confirmed_version: 0,
              attempts: 0,
              last_error: null,
              upload_id: null,
              system_activity_id: null,
              issue_id: null,
              issue_url: null,
              note_id: null,
              enrich_attempts: 0,
              next_enrich_at: 0,
              updated_at: now,
              isNew: true,
            };
            stats.newEvents++;
          }
          touched.set(fingerprint, event);
        }
        event.count += 1;
        event.first_seen = Math.min(event.first_seen, occurredAt);
        event.last_seen = Math.max(event.last_seen, occurredAt);
        event.last_received_at = now;
        event.severity = maxSeverity(event.severity as RuntimeAlert["severity"], alert.severity);
        // One version bump per batch is enough: the upload confirms "everything folded so far".
        if (event.updated_at !== now || event.isNew || event.version === event.confirmed_version) {
          event.version += 1;
          event.updated_at = now;
        }
        alertRows.push({ alertId: alert.id, eventId: event.event_id, version: event.version, resolution, refused: [...pending.refused], attempts });
        stats.folded++;
      }
      for (const event of touched.values()) {
        const { isNew, ...row } = event;
        if (isNew) await trx.insertInto("runtime_delivery_events").values(row).execute();
        else
          await trx
            .updateTable("runtime_delivery_events")
            .set({ count: row.count, first_seen: row.first_seen, last_seen: row.last_seen, last_received_at: row.last_received_at, severity: row.severity, version: row.version, updated_at: row.updated_at })
            .where("event_id", "=", row.event_id)
            .execute();
      }
      for (const r of alertRows) {
        await this.upsertDeliveryAlert(trx, r.alertId, {
          event_id: r.eventId,
          rung: r.resolution.rung,
          entity_id: r.resolution.entity.id,
          provider_id: r.resolution.entity.providerUniqueId,
          tried_json: json(r.resolution.tried),
          refused_json: json(r.refused),
          resolve_attempts: r.attempts,
          next_resolve_at: 0,
          event_version: r.version,
          updated_at: now,
        });
      }
      const byDetail = new Map<string, string[]>();
      for (const r of alertRows) {
        const detail = `resolved via ${r.resolution.rung} (${r.resolution.exact ? "exact" : "fallback"}: ${r.resolution.matchedBy}) to ${r.resolution.entity.type} ${r.resolution.entity.name ?? ""} ${r.resolution.entity.providerUniqueId}; event ${r.eventId}`;
        const ids = byDetail.get(detail) ?? [];
        ids.push(r.alertId);
        byDetail.set(detail, ids);
      }
      for (const [detail, ids] of byDetail) await this.setAlertState(trx, ids, "resolved", detail, now);
    });
    return stats;
  }

  private async upsertDeliveryAlert(
    trx: DeliveryDb,
    alertId: string,
    row: { event_id: string | null; event_version: number; rung: string | null; entity_id: string | null; provider_id: string | null; tried_json: string; refused_json: string; resolve_attempts: number; next_resolve_at: number; updated_at: number },
  ): Promise<void> {
    await trx
      .insertInto("runtime_delivery_alerts")
      .values({ alert_id: alertId, ...row })
      .onConflict((oc) => oc.column("alert_id").doUpdateSet(row))
      .execute();
  }

  private async setAlertState(trx: DeliveryDb, ids: readonly string[], state: RuntimeAlertState, detail: string, now: number): Promise<void> {
    for (const part of chunks(ids)) {
      await trx.updateTable("runtime_alerts").set({ state, state_detail: detail, updated_at: now }).where("id", "in", part).execute();
    }
  }

  /** Moves the alerts of these events (folded at or before the given versions) from one of `from` to `to`. */
  private async setStateOfEventAlerts(trx: DeliveryDb, versions: ReadonlyMap<string, number>, from: readonly RuntimeAlertState[], to: RuntimeAlertState, detail: (eventId: string) => string, now: number): Promise<void> {
    for (const [eventId, version] of versions) {
      await trx
        .updateTable("runtime_alerts")
        .set({ state: to, state_detail: detail(eventId), updated_at: now })
        .where("state", "in", [...from])
        .where("id", "in", (eb) =>
          eb
            .selectFrom("runtime_delivery_alerts")
            .select("alert_id")
            .where("event_id", "=", eventId)
            .where("event_version", "<=", version),
        )
        .execute();
    }
  }

  /** Data sources with something new to send whose batch window has passed, and not backing off. */
  async dueDataSources(now: number, batchWindowMs: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom("runtime_delivery_events as e")
      .leftJoin("runtime_delivery_sources as s", "s.data_source_id", "e.data_source_id")
      .select("e.data_source_id")
      .where("e.state", "in", [...LIVE])
      .whereRef("e.version", ">", "e.confirmed_version")
      .where((eb) => eb.or([eb("s.next_attempt_at", "is", null), eb("s.next_attempt_at", "<=", now)]))
      .groupBy("e.data_source_id")
      // The window runs from the oldest change no upload has carried yet, not from the newest touch: an event
      // that folds a repeat every few hundred ms would otherwise never be quiet long enough to be sent.
      .having(
        sql<boolean>`coalesce((select min(a.updated_at) from runtime_delivery_alerts a join runtime_delivery_events x on x.event_id = a.event_id where x.data_source_id = e.data_source_id and a.event_version > x.confirmed_version), min(e.updated_at)) <= ${now - batchWindowMs}`,
      )
      .execute();
    const busy = new Set((await this.db.selectFrom("runtime_delivery_uploads").select("data_source_id").where("state", "in", ["requested", "put"]).execute()).map((r) => r.data_source_id));
    return rows.map((r) => r.data_source_id).filter((id) => !busy.has(id));
  }

  /** Reserves an upload of the data source's complete active set (bounded by the retention window). */
  async planUpload(dataSourceId: string, now: number, retentionMs: number): Promise<UploadPlan | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom("runtime_delivery_events")
        .selectAll()
        .where("data_source_id", "=", dataSourceId)
        .where("state", "in", [...LIVE])
        .where((eb) => eb.or([eb("last_received_at", ">=", now - retentionMs), eb("version", ">", eb.ref("confirmed_version"))]))
        .orderBy("first_seen")
        .execute();
      if (rows.length === 0) return undefined;
      const source = await trx.selectFrom("runtime_delivery_sources").selectAll().where("data_source_id", "=", dataSourceId).executeTakeFirst();
      const attempt = (source?.consecutive_failures ?? 0) + 1;
      const versions = new Map(rows.map((r) => [r.event_id, r.version]));
      const inserted = await trx
        .insertInto("runtime_delivery_uploads")
        .values({ data_source_id: dataSourceId, state: "requested", attempt, slot_id: null, system_activity_id: null, status: null, events_json: json([...versions]), events_incoming: null, events_handled: null, unresolved_json: null, error: null, bytes: null, created_at: now, updated_at: now })
        .returning("id")
        .executeTakeFirstOrThrow();
      return { uploadId: inserted.id, attempt, events: rows.map(foldedEventOf), versions };
    });
  }

  /** The PUT landed: the carried events (and their alerts) are `uploaded` with the system activity id. */
  async markPut(plan: UploadPlan, slot: { id: string; systemActivityId: string }, bytes: number, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable("runtime_delivery_uploads").set({ state: "put", slot_id: slot.id, system_activity_id: slot.systemActivityId, bytes, updated_at: now }).where("id", "=", plan.uploadId).execute();
      const dirty = new Map<string, number>();
      for (const e of await this.carried(trx, plan)) {
        const version = plan.versions.get(e.event_id) ?? 0;
        if (version > e.confirmed_version) dirty.set(e.event_id, version);
      }
      for (const part of chunks([...dirty.keys()])) {
        await trx.updateTable("runtime_delivery_events").set({ state: "uploaded", upload_id: plan.uploadId, system_activity_id: slot.systemActivityId, updated_at: now }).where("event_id", "in", part).where("state", "=", "pending").execute();
      }
      await this.setStateOfEventAlerts(trx, dirty, ["resolved"], "uploaded", () => `uploaded: upload ${slot.id}, system activity ${slot.systemActivityId}`, now);
    });
  }

  private async carried(trx: DeliveryDb, plan: UploadPlan): Promise<RuntimeDeliveryEventTable[]> {
    const out: RuntimeDeliveryEventTable[] = [];
    for (const part of chunks([...plan.versions.keys()])) out.push(...(await trx.selectFrom("runtime_delivery_events").selectAll().where("event_id", "in", part).execute()));
    return out;
  }

  /**
   * Wiz processed the upload. Events on assets it matched are confirmed (linked when they already have
   * their note); events on assets it could not match are refused and their alerts go back to the
   * resolver, which skips that resource and tries the next rung.
   */
  async completeUpload(plan: UploadPlan, outcome: UploadOutcome, now: number): Promise<{ confirmed: string[]; refused: string[] }> {
    const unresolved = new Set(outcome.unresolved);
    const confirmed: string[] = [];
    const refused: string[] = [];
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable("runtime_delivery_uploads")
        .set({ state: "succeeded", status: outcome.status, events_incoming: outcome.incoming, events_handled: outcome.handled, unresolved_json: json([...unresolved]), updated_at: now })
        .where("id", "=", plan.uploadId)
        .execute();
      await trx
        .insertInto("runtime_delivery_sources")
        .values({ data_source_id: plan.events[0]?.dataSourceId ?? "", consecutive_failures: 0, next_attempt_at: 0, last_error: null, last_upload_id: plan.uploadId, updated_at: now })
        .onConflict((oc) => oc.column("data_source_id").doUpdateSet({ consecutive_failures: 0, next_attempt_at: 0, last_error: null, last_upload_id: plan.uploadId, updated_at: now }))
        .execute();
      const rows = await this.carried(trx, plan);
      const confirmedVersions = new Map<string, number>();
      const linkedVersions = new Map<string, number>();
      for (const row of rows) {
        if (!LIVE.includes(row.state)) continue;
        const carried = plan.versions.get(row.event_id) ?? 0;
        if (unresolved.has(row.provider_id)) {
          refused.push(row.event_id);
          await trx.updateTable("runtime_delivery_events").set({ state: "refused", last_error: `Wiz could not match asset ${row.provider_id} (upload ${plan.uploadId}: ${outcome.handled}/${outcome.incoming} events handled)`, updated_at: now }).where("event_id", "=", row.event_id).execute();
          const alerts = await trx.selectFrom("runtime_delivery_alerts").select(["alert_id", "refused_json"]).where("event_id", "=", row.event_id).execute();
          for (const a of alerts) {
            const refusedIds = [...new Set([...list(a.refused_json), row.provider_id])];
            await trx.updateTable("runtime_delivery_alerts").set({ event_id: null, refused_json: json(refusedIds), next_resolve_at: 0, updated_at: now }).where("alert_id", "=", a.alert_id).execute();
          }
          await this.setAlertState(trx, alerts.map((a) => a.alert_id), "received", `Wiz did not match ${row.provider_id} (rung ${row.rung}); resolving again from the next rung`, now);
          continue;
        }
        const confirmedVersion = Math.max(row.confirmed_version, carried);
        const state: RuntimeEventState = row.note_id ? "linked" : confirmedVersion >= row.version ? "confirmed" : row.state === "linked" ? "linked" : "confirmed";
        await trx.updateTable("runtime_delivery_events").set({ confirmed_version: confirmedVersion, state, attempts: 0, last_error: null, updated_at: now }).where("event_id", "=", row.event_id).execute();
        confirmed.push(row.event_id);
        if (row.note_id) linkedVersions.set(row.event_id, carried);
        else confirmedVersions.set(row.event_id, carried);
      }
      const activity = rows[0]?.system_activity_id ?? "";
      await this.setStateOfEventAlerts(trx, confirmedVersions, ["resolved", "uploaded"], "confirmed", () => `confirmed by Wiz (system activity ${activity}, ${outcome.status})`, now);
      const linkRows = linkedVersions.size > 0 ? await this.carried(trx, { ...plan, versions: linkedVersions }) : [];
      const links = new Map(linkRows.map((r) => [r.event_id, r]));
      await this.setStateOfEventAlerts(trx, linkedVersions, ["resolved", "uploaded", "confirmed"], "linked", (id) => `linked to issue ${links.get(id)?.issue_id ?? "?"} ${links.get(id)?.issue_url ?? ""}`.trim(), now);
    });
    return { confirmed, refused };
  }

  /**
   * The upload failed (Wiz down, slot expired, systemActivity FAILURE...). Unconfirmed events count an
   * attempt; past the budget they and their alerts are dead-lettered with the reason. The data source
   * backs off before the next attempt, which asks for a fresh slot.
   */
  async failUpload(plan: UploadPlan, reason: string, now: number, retry: { budget: number; nextAttemptAt: number }): Promise<{ deadLettered: string[] }> {
    const dead: string[] = [];
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable("runtime_delivery_uploads").set({ state: "failed", error: reason, updated_at: now }).where("id", "=", plan.uploadId).execute();
      const dataSourceId = plan.events[0]?.dataSourceId ?? "";
      await trx
        .insertInto("runtime_delivery_sources")
        .values({ data_source_id: dataSourceId, consecutive_failures: 1, next_attempt_at: retry.nextAttemptAt, last_error: reason, last_upload_id: plan.uploadId, updated_at: now })
        .onConflict((oc) => oc.column("data_source_id").doUpdateSet({ consecutive_failures: sql`consecutive_failures + 1`, next_attempt_at: retry.nextAttemptAt, last_error: reason, last_upload_id: plan.uploadId, updated_at: now }))
        .execute();
      const deadVersions = new Map<string, number>();
      const retryVersions = new Map<string, number>();
      for (const row of await this.carried(trx, plan)) {
        if (!LIVE.includes(row.state) || row.version <= row.confirmed_version) continue;
        const attempts = row.attempts + 1;
        if (attempts >= retry.budget) {
          dead.push(row.event_id);
          deadVersions.set(row.event_id, row.version);
          await trx.updateTable("runtime_delivery_events").set({ state: "dead_lettered", attempts, last_error: reason, updated_at: now }).where("event_id", "=", row.event_id).execute();
        } else {
          retryVersions.set(row.event_id, row.version);
          await trx.updateTable("runtime_delivery_events").set({ state: row.state === "uploaded" ? "pending" : row.state, attempts, last_error: reason, updated_at: row.updated_at }).where("event_id", "=", row.event_id).execute();
        }
      }
      await this.setStateOfEventAlerts(trx, deadVersions, ["resolved", "uploaded"], "dead_lettered", () => `dead-lettered after ${retry.budget} failed upload attempts; last error: ${reason}`, now);
      await this.setStateOfEventAlerts(trx, retryVersions, ["uploaded"], "resolved", () => `upload attempt failed (${reason}); retrying with a fresh upload slot`, now);
    });
    return { deadLettered: dead };
  }

  /** Uploads a crash left behind: `requested` ones never reached Wiz; `put` ones are still to be polled. */
  async unfinishedUploads(): Promise<Array<{ plan: UploadPlan; state: "requested" | "put"; systemActivityId: string | null }>> {
    const rows = await this.db.selectFrom("runtime_delivery_uploads").selectAll().where("state", "in", ["requested", "put"]).orderBy("id").execute();
    const out: Array<{ plan: UploadPlan; state: "requested" | "put"; systemActivityId: string | null }> = [];
    for (const row of rows) {
      const versions = new Map((JSON.parse(row.events_json) as Array<[string, number]>).map(([id, v]) => [id, v]));
      const events = (await this.carried(this.db, { uploadId: row.id, attempt: row.attempt, events: [], versions })).map(foldedEventOf);
      out.push({ plan: { uploadId: row.id, attempt: row.attempt, events, versions }, state: row.state as "requested" | "put", systemActivityId: row.system_activity_id });
    }
    return out;
  }

  /** Confirmed events still without their issue note, due for a (re)try. */
  async eventsToLink(now: number, limit: number): Promise<FoldedEvent[]> {
    const rows = await this.db.selectFrom("runtime_delivery_events").selectAll().where("state", "=", "confirmed").where("note_id", "is", null).where("next_enrich_at", "<=", now).orderBy("updated_at").limit(limit).execute();
    return rows.map(foldedEventOf);
  }

  async markLinked(event: FoldedEvent, link: { issueId: string; issueUrl: string; noteId: string }, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom("runtime_delivery_events").select(["confirmed_version"]).where("event_id", "=", event.eventId).executeTakeFirstOrThrow();
      await trx.updateTable("runtime_delivery_events").set({ state: "linked", issue_id: link.issueId, issue_url: link.issueUrl, note_id: link.noteId, updated_at: now }).where("event_id", "=", event.eventId).execute();
      await this.setStateOfEventAlerts(trx, new Map([[event.eventId, row.confirmed_version]]), ["confirmed"], "linked", () => `linked to issue ${link.issueId} ${link.issueUrl}`, now);
    });
  }

  async deferLink(event: FoldedEvent, reason: string, nextAt: number, now: number): Promise<void> {
    await this.db
      .updateTable("runtime_delivery_events")
      .set((eb) => ({ enrich_attempts: eb("enrich_attempts", "+", 1), next_enrich_at: nextAt, last_error: reason, updated_at: now }))
      .where("event_id", "=", event.eventId)
      .execute();
  }

  /**
   * Alerts by state and source, newest first (for `alerts list` and the API). `before` continues a listing
   * after its last alert (keyset paging: stable while new alerts arrive).
   */
  async listAlerts(filter: { state?: string; source?: string; limit?: number; before?: { receivedAt: number; id: string } } = {}): Promise<AlertSummary[]> {
    let query = this.db.selectFrom("runtime_alerts").select(["id", "source", "rule_id", "severity", "state", "state_detail", "occurred_at", "received_at", "updated_at"]);
    if (filter.state !== undefined) query = query.where("state", "=", filter.state);
    if (filter.source !== undefined) query = query.where("source", "=", filter.source);
    const before = filter.before;
    if (before !== undefined) query = query.where((eb) => eb.or([eb("received_at", "<", before.receivedAt), eb.and([eb("received_at", "=", before.receivedAt), eb("id", "<", before.id)])]));
    const rows = await query.orderBy("received_at", "desc").orderBy("id", "desc").limit(filter.limit ?? 100).execute();
    return rows.map((r) => ({
      id: r.id,
      source: r.source,
      ruleId: r.rule_id,
      severity: r.severity,
      state: r.state,
      stateDetail: r.state_detail,
      occurredAt: new Date(r.occurred_at).toISOString(),
      receivedAt: new Date(r.received_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
    }));
  }

  /**
   * Alerts received per minute since `since` (epoch ms), keyed by the minute's start; minutes without alerts
   * are absent. Read per state through the (state, received_at) index, so a large table is not scanned.
   */
  async receivedPerMinute(since: number): Promise<Map<number, number>> {
    const rows = await this.db
      .selectFrom("runtime_alerts")
      .select([sql<number>`cast(received_at / 60000 as integer)`.as("minute"), (eb) => eb.fn.countAll<number>().as("n")])
      .where("state", "in", [...RUNTIME_ALERT_STATES])
      .where("received_at", ">=", since)
      .groupBy("minute")
      .execute();
    return new Map(rows.map((r) => [Number(r.minute) * 60_000, Number(r.n)]));
  }

  /** How many alerts are in each state. */
  async countByState(): Promise<Record<string, number>> {
    const rows = await this.db.selectFrom("runtime_alerts").select(["state", (eb) => eb.fn.countAll<number>().as("n")]).groupBy("state").execute();
    return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
  }

  /**
   * Everything known about one alert (state, resolution, folded event, upload and issue link), by the
   * alert's id or by the id of the event it folded into (what Wiz events and issue notes carry): an event
   * id answers with the event's first alert.
   */
  async alertStatus(alertOrEventId: string): Promise<AlertStatus | undefined> {
    let row = await this.db.selectFrom("runtime_alerts").selectAll().where("id", "=", alertOrEventId).executeTakeFirst();
    if (!row) {
      const event = await this.db.selectFrom("runtime_delivery_events").select("alert_json").where("event_id", "=", alertOrEventId).executeTakeFirst();
      const firstAlertId = event ? runtimeAlertSchema.parse(JSON.parse(event.alert_json)).id : undefined;
      if (firstAlertId !== undefined) row = await this.db.selectFrom("runtime_alerts").selectAll().where("id", "=", firstAlertId).executeTakeFirst();
    }
    if (!row) return undefined;
    const alertId = row.id;
    const alert = runtimeAlertSchema.parse(JSON.parse(row.alert_json));
    const d = await this.deliveryOf(alertId);
    const e = d.event;
    return {
      id: row.id,
      source: row.source,
      sensor: alert.sensor,
      rule: alert.ruleName,
      title: alert.title,
      severity: alert.severity,
      occurredAt: alert.occurredAt,
      receivedAt: alert.receivedAt,
      state: row.state,
      stateDetail: row.state_detail,
      resolution: d.resolution,
      event: e
        ? {
            id: e.event_id,
            state: e.state,
            dataSourceId: e.data_source_id,
            resource: { graphId: e.entity_id, providerId: e.provider_id, cloudPlatform: e.cloud_platform },
            rung: e.rung,
            exact: e.exact === 1,
            matchedBy: e.matched_by,
            count: e.count,
            firstSeen: new Date(e.first_seen).toISOString(),
            lastSeen: new Date(e.last_seen).toISOString(),
            systemActivityId: e.system_activity_id,
            issue: e.issue_id ? { id: e.issue_id, url: e.issue_url, noteId: e.note_id } : null,
            lastError: e.last_error,
          }
        : null,
      upload: d.upload
        ? { id: d.upload.id, state: d.upload.state, attempt: d.upload.attempt, systemActivityId: d.upload.system_activity_id, status: d.upload.status, eventsIncoming: d.upload.events_incoming, eventsHandled: d.upload.events_handled, error: d.upload.error }
        : null,
    };
  }

  /** The delivery record of one alert. */
  async deliveryOf(alertId: string) {
    const alert = await this.db.selectFrom("runtime_delivery_alerts").selectAll().where("alert_id", "=", alertId).executeTakeFirst();
    const event = alert?.event_id ? await this.db.selectFrom("runtime_delivery_events").selectAll().where("event_id", "=", alert.event_id).executeTakeFirst() : undefined;
    const upload = event?.upload_id ? await this.db.selectFrom("runtime_delivery_uploads").selectAll().where("id", "=", event.upload_id).executeTakeFirst() : undefined;
    return {
      resolution: alert ? { rung: alert.rung, entityId: alert.entity_id, providerId: alert.provider_id, tried: list(alert.tried_json), refused: list(alert.refused_json), attempts: alert.resolve_attempts } : null,
      event: event ? { ...event, alert_json: undefined } : null,
      upload: upload ?? null,
    };
  }
}

export interface AlertSummary {
  id: string;
  source: string;
  ruleId: string;
  severity: string;
  state: string;
  stateDetail: string | null;
  occurredAt: string;
  receivedAt: string;
  updatedAt: string;
}

export interface AlertStatus {
  id: string;
  source: string;
  sensor: string;
  rule: string;
  title: string;
  severity: string;
  occurredAt: string;
  receivedAt: string;
  state: string;
  stateDetail: string | null;
  resolution: { rung: string | null; entityId: string | null; providerId: string | null; tried: string[]; refused: string[]; attempts: number } | null;
  event: {
    id: string;
    state: string;
    dataSourceId: string;
    resource: { graphId: string; providerId: string; cloudPlatform: string };
    rung: string;
    exact: boolean;
    matchedBy: string;
    count: number;
    firstSeen: string;
    lastSeen: string;
    systemActivityId: string | null;
    issue: { id: string; url: string | null; noteId: string | null } | null;
    lastError: string | null;
  } | null;
  upload: { id: number; state: string; attempt: number; systemActivityId: string | null; status: string | null; eventsIncoming: number | null; eventsHandled: number | null; error: string | null } | null;
}
