import type { WizClient } from "../../wiz/index.js";
import type { SystemActivity } from "../../wiz/operations/upload/get-system-activity.operation.js";
import { WizError, WizNotFoundError } from "../../wiz/wiz-errors.js";
import type { DeliveryRepository, UploadPlan } from "../fold/delivery.repository.js";
import { normaliseProviderId } from "../resolver/runtime-resolver.js";
import { buildEnrichmentDocument, type EnrichmentDocumentBody } from "./enrichment-document.builder.js";

/** The three calls of Wiz's enrichment upload flow. */
export interface UploadApi {
  requestUpload(filename: string): Promise<{ id: string; url: string; systemActivityId: string }>;
  uploadDocument(url: string, document: EnrichmentDocumentBody): Promise<{ bytes: number }>;
  /** Null while Wiz does not know the activity yet (right after the PUT). */
  getSystemActivity(id: string): Promise<SystemActivity | null>;
}

export function wizUploadApi(client: WizClient): UploadApi {
  return {
    requestUpload: (filename) => client.upload.requestUpload({ filename }),
    uploadDocument: async (url, document) => client.upload.uploadDocument({ url, document }),
    async getSystemActivity(id) {
      try {
        return await client.upload.getSystemActivity({ id });
      } catch (error) {
        if (error instanceof WizNotFoundError) return null;
        throw error;
      }
    },
  };
}

export interface UploaderOptions {
  batchWindowMs: number;
  retentionMs: number;
  /** Failed upload attempts an unconfirmed event survives before it is dead-lettered. */
  retryBudget: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  pollIntervalMs: number;
  /** How long to poll one upload before treating it as failed and sending again with a fresh slot. */
  pollTimeoutMs: number;
  alertLinkBase: string;
  integrationId?: string;
}

export interface UploaderDeps {
  repository: DeliveryRepository;
  api: UploadApi;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  options: UploaderOptions;
  onEvent?: (event: UploaderEvent) => void;
}

export type UploaderEvent =
  | { kind: "uploaded"; dataSourceId: string; uploadId: number; events: number; bytes: number }
  | { kind: "confirmed"; dataSourceId: string; uploadId: number; confirmed: number; refused: number; status: string }
  | { kind: "failed"; dataSourceId: string; uploadId: number; reason: string; deadLettered: number };

/** A failure that says what happened in one line (the SDK's errors already carry cause and fix). */
function reasonOf(error: unknown): string {
  if (error instanceof WizError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Per data source: the complete active set as one V1 document, requestSecurityScanUpload -> PUT ->
 * poll systemActivity; a fresh slot on every attempt (presigned URLs expire), backoff with jitter
 * between attempts, and `handled < incoming` sent back to the resolver as refused assets.
 */
export class RuntimeUploader {
  private readonly inFlight = new Map<string, Promise<void>>();
  private stopping = false;

  constructor(private readonly deps: UploaderDeps) {}

  /** Finishes what a crash interrupted: polls uploads whose PUT landed, fails the ones that never did. */
  async recover(): Promise<void> {
    for (const { plan, state, systemActivityId } of await this.deps.repository.unfinishedUploads()) {
      if (plan.events.length === 0) continue;
      if (state === "put" && systemActivityId) await this.settle(plan, systemActivityId);
      else await this.fail(plan, "the process stopped before the document was uploaded");
    }
  }

  /**
   * Starts an upload for every due data source that has none in flight; returns how many started. Uploads
   * run in the background (Wiz takes seconds to process one), so resolution and folding of new alerts go
   * on meanwhile; one data source never has two uploads at once (each carries its whole active set).
   */
  async runDue(): Promise<number> {
    if (this.stopping) return 0;
    const due = (await this.deps.repository.dueDataSources(this.deps.now(), this.deps.options.batchWindowMs)).filter((id) => !this.inFlight.has(id));
    for (const id of due) {
      const run = this.uploadDataSource(id)
        .catch((error: unknown) => this.deps.onEvent?.({ kind: "failed", dataSourceId: id, uploadId: -1, reason: reasonOf(error), deadLettered: 0 }))
        .finally(() => this.inFlight.delete(id));
      this.inFlight.set(id, run);
    }
    return due.length;
  }

  /** Stops polling (an upload already put is settled by `recover()` on the next start) and waits for uploads in flight. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.inFlight.values()]);
  }

  private async uploadDataSource(dataSourceId: string): Promise<void> {
    const { repository, api, now, options } = this.deps;
    const plan = await repository.planUpload(dataSourceId, now(), options.retentionMs);
    if (!plan) return;
    let slot: { id: string; url: string; systemActivityId: string };
    let bytes: number;
    try {
      const document = buildEnrichmentDocument(dataSourceId, plan.events, { now: now(), alertLinkBase: options.alertLinkBase, ...(options.integrationId ? { integrationId: options.integrationId } : {}) });
      slot = await api.requestUpload(`${dataSourceId}-${plan.uploadId}-${plan.attempt}.json`);
      bytes = (await api.uploadDocument(slot.url, document)).bytes;
    } catch (error) {
      await this.fail(plan, reasonOf(error));
      return;
    }
    await repository.markPut(plan, slot, bytes, now());
    this.deps.onEvent?.({ kind: "uploaded", dataSourceId, uploadId: plan.uploadId, events: plan.events.length, bytes });
    await this.settle(plan, slot.systemActivityId);
  }

  /** Polls the system activity until Wiz finishes, then records the outcome. */
  private async settle(plan: UploadPlan, systemActivityId: string): Promise<void> {
    const { api, now, sleep, options, repository } = this.deps;
    const dataSourceId = plan.events[0]?.dataSourceId ?? "";
    const deadline = now() + options.pollTimeoutMs;
    let activity: SystemActivity | null;
    for (;;) {
      activity = null;
      try {
        activity = await api.getSystemActivity(systemActivityId);
      } catch (error) {
        // A poll that fails (Wiz down) is not a failed upload: the document is there; keep polling.
        if (now() >= deadline) {
          await this.fail(plan, `could not read system activity ${systemActivityId}: ${reasonOf(error)}`);
          return;
        }
      }
      if (activity && activity.status !== "IN_PROGRESS") break;
      if (now() >= deadline) {
        await this.fail(plan, `system activity ${systemActivityId} still ${activity ? "IN_PROGRESS" : "unknown"} after ${Math.round(options.pollTimeoutMs / 1000)} s`);
        return;
      }
      // Stopping: the upload stays "put" in the store and recover() polls it again on the next start.
      if (this.stopping) return;
      await sleep(options.pollIntervalMs);
    }
    if (activity.status === "FAILURE") {
      await this.fail(plan, `Wiz failed the upload (system activity ${systemActivityId}): ${activity.statusInfo ?? "no status info"}`);
      return;
    }
    const result = activity.result;
    const outcome = {
      status: activity.status,
      incoming: result?.events.incoming ?? 0,
      handled: result?.events.handled ?? 0,
      unresolved: (result?.unresolvedAssets?.ids ?? []).map(normaliseProviderId),
    };
    // Wiz matched fewer than it received but did not say which: nothing can be confirmed for sure.
    if (outcome.handled < outcome.incoming && outcome.unresolved.length === 0) {
      await this.fail(plan, `Wiz handled ${outcome.handled} of ${outcome.incoming} events without naming the unmatched assets`);
      return;
    }
    const unresolvedRaw = new Set(result?.unresolvedAssets?.ids ?? []);
    const refusedIds = plan.events.filter((e) => unresolvedRaw.has(e.providerId) || outcome.unresolved.includes(normaliseProviderId(e.providerId))).map((e) => e.providerId);
    const { confirmed, refused } = await repository.completeUpload(plan, { ...outcome, unresolved: refusedIds }, now());
    this.deps.onEvent?.({ kind: "confirmed", dataSourceId, uploadId: plan.uploadId, confirmed: confirmed.length, refused: refused.length, status: activity.status });
  }

  private async fail(plan: UploadPlan, reason: string): Promise<void> {
    const { options, now, random, repository } = this.deps;
    const exp = Math.min(options.backoffMaxMs, options.backoffBaseMs * 2 ** Math.min(20, plan.attempt - 1));
    // Full jitter on the upper half: spread retries without collapsing the delay to zero.
    const delay = Math.round(exp / 2 + (random() * exp) / 2);
    const { deadLettered } = await repository.failUpload(plan, reason, now(), { budget: options.retryBudget, nextAttemptAt: now() + delay });
    this.deps.onEvent?.({ kind: "failed", dataSourceId: plan.events[0]?.dataSourceId ?? "", uploadId: plan.uploadId, reason, deadLettered: deadLettered.length });
  }
}
