import { createHash } from "node:crypto";
import { setTimeout as sleepReal } from "node:timers/promises";
import { toWizTimestamp, type SimClock } from "../clock.js";
import type { WizRecord } from "../tenant/types.js";
import { buildDetectionPayload, buildIssuePayload, type IssueTriggerType, type TriggerInfo } from "./webhook-payloads.js";

/**
 * Outbound webhooks as Wiz automation rules send them: issue created / updated / resolved and Wiz
 * Defend detections, POSTed as JSON to each subscribed target with its authentication header.
 * Delivery runs in the background, retries 5xx, 429 and network errors a bounded number of times,
 * keeps per-target order, records every delivery, and never throws into the caller.
 */

export type WebhookEventKind = "issue.created" | "issue.updated" | "issue.resolved" | "detection.created";
export type IssueEventKind = Exclude<WebhookEventKind, "detection.created">;

export interface WebhookTarget {
  url: string;
  events: WebhookEventKind[];
  /** Sent on every request, e.g. {name: "Authorization", value: "Bearer x"} or a custom header. */
  authHeader?: { name: string; value: string };
  /** Automation rule shown in `trigger.ruleId` / `trigger.ruleName`; derived from the URL when absent. */
  ruleId?: string;
  ruleName?: string;
}

export interface WebhookEmitterOptions {
  /** Attempts per delivery, first one included. Default 3. */
  maxAttempts?: number;
  /** Wait before retry n (1-based) is `backoffMs * 2^(n-1)` real milliseconds. Default 500. */
  backoffMs?: number;
  /** Per-attempt timeout in real milliseconds. Default 10000. */
  timeoutMs?: number;
  /** Real-time wait used between attempts (injectable so tests do not sleep). */
  sleep?: (ms: number) => Promise<void>;
  /** Base of the portal links in payloads (issue url, threatURL, detectionUrl). Default https://app.wiz.io. */
  portalBaseUrl?: string;
  /** Delivery records kept for `deliveries()`; older ones are dropped. Default 1000. */
  maxRecords?: number;
}

export interface DeliveryRecord {
  id: number;
  /** Target URL without any user:password part. */
  targetUrl: string;
  event: WebhookEventKind;
  /** Issue or detection id the webhook is about. */
  subjectId: string;
  status: "pending" | "delivered" | "failed";
  /** Last HTTP status received, null when none (network error, or still pending). */
  httpStatus: number | null;
  attempts: number;
  error: string | null;
  /** Simulator time the event was emitted and finished (Wiz timestamp format). */
  queuedAt: string;
  completedAt: string | null;
}

export interface WebhookEmitter {
  issueEvent(kind: IssueEventKind, issue: WizRecord, options?: { updatedFields?: readonly string[] }): void;
  detectionEvent(detection: WizRecord): void;
  /** Newest last; copies, safe to keep. */
  deliveries(): DeliveryRecord[];
  /** Resolves when every delivery started so far has finished (delivered or failed). */
  flush(): Promise<void>;
  /** An automation rule added after start (Wiz lets admins add them any time); later events go to it too. */
  addTarget(target: WebhookTarget): void;
}

export interface WebhookEmitterDeps {
  targets: WebhookTarget[];
  fetch?: typeof fetch;
  clock: SimClock;
  logger?: { warn(obj: object, msg: string): void };
  options?: WebhookEmitterOptions;
}

const TRIGGER_TYPES: Readonly<Record<IssueEventKind, IssueTriggerType>> = {
  "issue.created": "Created",
  "issue.updated": "Updated",
  "issue.resolved": "Resolved",
};

/** Strips user:password from a URL so records and logs never carry it. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username === "" && parsed.password === "") return url;
    parsed.username = "";
    parsed.password = "";
    return parsed.toString();
  } catch {
    return url;
  }
}

/** Deterministic UUID-shaped rule id, so a receiver sees the same ruleId for the same target and trigger. */
function derivedRuleId(url: string, kind: WebhookEventKind): string {
  const h = createHash("sha1").update(`${url}\n${kind}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === "TimeoutError" || error.name === "AbortError") return "timed out";
  const cause = (error as Error & { cause?: unknown }).cause;
  const code = cause instanceof Error ? ((cause as Error & { code?: unknown }).code ?? cause.message) : undefined;
  return code === undefined ? error.message : `${error.message} (${String(code)})`;
}

/**
 * fetch refuses URLs with user:password, so they become a Basic Authorization header the way curl
 * and browsers send them (Wiz's webhook action also offers Basic auth); an explicit authHeader wins.
 */
function requestParts(target: WebhookTarget): { url: string; headers: Record<string, string> } {
  const headers: Record<string, string> = { "content-type": "application/json" };
  let url = target.url;
  try {
    const parsed = new URL(target.url);
    if (parsed.username !== "" || parsed.password !== "") {
      const user = decodeURIComponent(parsed.username);
      const password = decodeURIComponent(parsed.password);
      headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
      parsed.username = "";
      parsed.password = "";
      url = parsed.toString();
    }
  } catch {
    // An unparsable URL is left for fetch to reject; the error is recorded on the delivery.
  }
  if (target.authHeader) {
    if (target.authHeader.name.toLowerCase() === "authorization") delete headers.authorization;
    headers[target.authHeader.name] = target.authHeader.value;
  }
  return { url, headers };
}

function secretsOf(target: WebhookTarget): string[] {
  const secrets: string[] = [];
  if (target.authHeader?.value) secrets.push(target.authHeader.value);
  try {
    const parsed = new URL(target.url);
    if (parsed.password !== "") secrets.push(parsed.password, decodeURIComponent(parsed.password));
  } catch {
    // nothing to add
  }
  return secrets;
}

export function createWebhookEmitter(deps: WebhookEmitterDeps): WebhookEmitter {
  const doFetch = deps.fetch ?? fetch;
  const targets = [...deps.targets];
  const opts = deps.options ?? {};
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 3);
  const backoffMs = opts.backoffMs ?? 500;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const sleep = opts.sleep ?? ((ms: number) => sleepReal(ms));
  const portalBaseUrl = (opts.portalBaseUrl ?? "https://app.wiz.io").replace(/\/+$/, "");
  const maxRecords = opts.maxRecords ?? 1000;

  const records: DeliveryRecord[] = [];
  let nextId = 1;
  const inflight = new Set<Promise<void>>();
  // One chain per target keeps created → updated → resolved in order at the receiver.
  const chains = new Map<WebhookTarget, Promise<void>>();

  function record(target: WebhookTarget, event: WebhookEventKind, subjectId: string): DeliveryRecord {
    const entry: DeliveryRecord = {
      id: nextId++,
      targetUrl: redactUrl(target.url),
      event,
      subjectId,
      status: "pending",
      httpStatus: null,
      attempts: 0,
      error: null,
      queuedAt: toWizTimestamp(deps.clock.now()),
      completedAt: null,
    };
    records.push(entry);
    if (records.length > maxRecords) records.splice(0, records.length - maxRecords);
    return entry;
  }

  /** Removes the secrets from anything we store or log, whatever path they took into a message. */
  function scrub(target: WebhookTarget, message: string): string {
    let out = message;
    for (const secret of secretsOf(target)) out = out.split(secret).join("[redacted]");
    return out;
  }

  async function deliver(target: WebhookTarget, entry: DeliveryRecord, body: string): Promise<void> {
    const { url, headers } = requestParts(target);
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      entry.attempts = attempt;
      let retryable: boolean;
      try {
        const response = await doFetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(timeoutMs) });
        // Read the body so the connection is released back to the pool.
        await response.arrayBuffer().catch(() => undefined);
        entry.httpStatus = response.status;
        if (response.ok) {
          entry.status = "delivered";
          entry.error = null;
          entry.completedAt = toWizTimestamp(deps.clock.now());
          return;
        }
        entry.error = `HTTP ${response.status}`;
        retryable = response.status >= 500 || response.status === 429 || response.status === 408;
      } catch (error) {
        entry.httpStatus = null;
        entry.error = scrub(target, describeError(error));
        retryable = true;
      }
      if (!retryable || attempt === maxAttempts) break;
      await sleep(backoffMs * 2 ** (attempt - 1));
    }
    entry.status = "failed";
    entry.completedAt = toWizTimestamp(deps.clock.now());
    deps.logger?.warn(
      { targetUrl: entry.targetUrl, event: entry.event, subjectId: entry.subjectId, attempts: entry.attempts, httpStatus: entry.httpStatus, error: entry.error },
      "webhook delivery failed",
    );
  }

  function enqueue(target: WebhookTarget, entry: DeliveryRecord, body: string): void {
    const previous = chains.get(target) ?? Promise.resolve();
    const run = previous.then(() => deliver(target, entry, body)).catch((error: unknown) => {
      // deliver() handles its own errors; this only guards against a bug leaking a rejection.
      entry.status = "failed";
      entry.error = scrub(target, describeError(error));
    });
    chains.set(target, run);
    inflight.add(run);
    void run.finally(() => {
      inflight.delete(run);
      if (chains.get(target) === run) chains.delete(target);
    });
  }

  function emit(kind: WebhookEventKind, subjectId: string, build: (trigger: TriggerInfo) => WizRecord): void {
    for (const target of targets) {
      if (!target.events.includes(kind)) continue;
      const entry = record(target, kind, subjectId);
      let body: string;
      try {
        const trigger = { ruleId: target.ruleId ?? derivedRuleId(target.url, kind), ruleName: target.ruleName ?? `wizbridge simulator ${kind}` };
        body = JSON.stringify(build(trigger));
      } catch (error) {
        entry.status = "failed";
        entry.error = `could not build payload: ${describeError(error)}`;
        entry.completedAt = toWizTimestamp(deps.clock.now());
        deps.logger?.warn({ targetUrl: entry.targetUrl, event: kind, subjectId, error: entry.error }, "webhook payload failed");
        continue;
      }
      enqueue(target, entry, body);
    }
  }

  return {
    addTarget(target) {
      targets.push(target);
    },
    issueEvent(kind, issue, options) {
      const id = typeof issue.id === "string" ? issue.id : "";
      emit(kind, id, (trigger) => buildIssuePayload(issue, TRIGGER_TYPES[kind], trigger, portalBaseUrl, options?.updatedFields));
    },
    detectionEvent(detection) {
      const id = typeof detection.id === "string" ? detection.id : "";
      emit("detection.created", id, (trigger) => buildDetectionPayload(detection, trigger, portalBaseUrl));
    },
    deliveries: () => records.map((r) => ({ ...r })),
    async flush() {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
  };
}
