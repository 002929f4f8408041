/**
 * Reading a `_bulk` answer: which items the cluster holds, which it refused for good (dead-lettered with its
 * reason), and which it could not take now (throttled, shard unavailable, a set-up problem): written again.
 */

/** The fields of a `_bulk` answer the sink reads (the request asks for only these with filter_path). */
export const BULK_FILTER_PATH = "errors,items.*._index,items.*._id,items.*.status,items.*.error";

interface BulkItemError {
  type?: string;
  reason?: string;
  caused_by?: { type?: string; reason?: string };
}

interface BulkItemResult {
  _index?: string;
  _id?: string;
  status?: number;
  error?: BulkItemError | string;
}

/** Why an item is written again: the cluster is busy (transient) or the sink's set-up is wrong (config: fix it, nothing is lost meanwhile). */
export type RetryKind = "transient" | "config";

export interface BulkOutcome {
  accepted: string[];
  rejected: Map<string, string>;
  retry: Map<string, { kind: RetryKind; reason: string }>;
  /** Where each accepted item landed (a data stream's backing index), by event id: only when `withIndices` was asked. */
  indices?: Map<string, string>;
}

/**
 * True when the answer says `"errors":false` before its items: every item succeeded, and the (long) item
 * list need not be parsed at all.
 */
export function bulkSucceeded(text: string): boolean {
  const items = text.indexOf('"items"');
  const head = items < 0 ? text.slice(0, 256) : text.slice(0, items);
  return /"errors"\s*:\s*false/.test(head);
}

/** Sorts each item of a `_bulk` answer (`text`) for the events sent (`eventIds`, in request order). */
export function readBulkOutcome(text: string, eventIds: readonly string[], options: { withIndices?: boolean } = {}): BulkOutcome {
  const outcome: BulkOutcome = { accepted: [], rejected: new Map(), retry: new Map() };
  if (!options.withIndices && bulkSucceeded(text)) {
    outcome.accepted = [...eventIds];
    return outcome;
  }
  let items: unknown;
  try {
    items = (JSON.parse(text) as { items?: unknown }).items;
  } catch {
    throw new Error(`the cluster answered _bulk with something that is not JSON (${text.slice(0, 120)}...); is url pointing at Elasticsearch/OpenSearch?`);
  }
  if (!Array.isArray(items) || items.length !== eventIds.length) {
    throw new Error(`the cluster answered _bulk with ${Array.isArray(items) ? items.length : "no"} item results for ${eventIds.length} events; the batch is written again.`);
  }
  if (options.withIndices) outcome.indices = new Map();
  for (let i = 0; i < items.length; i += 1) {
    const eventId = eventIds[i] as string;
    const result = firstValue(items[i]);
    if (result._id !== undefined && result._id !== eventId) {
      throw new Error(`the cluster's _bulk answer lists item ${i} as _id ${result._id} where ${eventId} was sent; the batch is written again.`);
    }
    const status = result.status ?? 0;
    if ((status >= 200 && status < 300) || isAlreadyThere(status, result.error)) {
      outcome.accepted.push(eventId);
      if (outcome.indices && result._index) outcome.indices.set(eventId, result._index);
      continue;
    }
    const reason = itemReason(status, result.error);
    const kind = retryKindOf(status, result.error);
    if (kind === undefined) outcome.rejected.set(eventId, reason);
    else outcome.retry.set(eventId, { kind, reason });
  }
  return outcome;
}

/** `create` of an `_id` the index already holds: the event was delivered before (a redelivery). */
function isAlreadyThere(status: number, error: BulkItemResult["error"]): boolean {
  return status === 409 && (typeof error !== "object" || error.type === undefined || error.type === "version_conflict_engine_exception");
}

/** How an item failure is retried, or undefined when the document itself is refused for good. */
export function retryKindOf(status: number, error: BulkItemResult["error"]): RetryKind | undefined {
  const type = typeof error === "object" ? (error.type ?? "") : "";
  const reason = typeof error === "object" ? (error.reason ?? "") : (error ?? "");
  if (status === 429 || status >= 500 || status === 0) return "transient";
  if (type === "es_rejected_execution_exception" || type === "circuit_breaking_exception" || type === "unavailable_shards_exception" || type === "process_cluster_event_timeout_exception") return "transient";
  // A read-only index (disk flood stage) is lifted by the cluster itself once space is freed.
  if (type === "cluster_block_exception") return /TOO_MANY_REQUESTS|read-only-allow-delete/i.test(reason) ? "transient" : "config";
  if (status === 401 || status === 403 || type === "security_exception") return "config";
  if (type === "index_not_found_exception" || type === "index_closed_exception") return "config";
  if (/pipeline with id \[[^\]]*\] does not exist/.test(reason)) return "config";
  return undefined;
}

/** "400 document_parsing_exception: failed to parse field [x] ... (caused by illegal_argument_exception: ...)". */
export function itemReason(status: number, error: BulkItemResult["error"]): string {
  if (error === undefined) return `status ${status}`;
  if (typeof error === "string") return `${status} ${error}`;
  const cause = error.caused_by?.reason ? ` (caused by ${error.caused_by.type ?? "error"}: ${error.caused_by.reason})` : "";
  return `${status} ${error.type ?? "error"}: ${error.reason ?? "no reason given"}${cause}`.slice(0, 2000);
}

/** The object under an item's single op key (`{"index":{...}}` -> `{...}`). */
function firstValue(item: unknown): BulkItemResult {
  if (item === null || typeof item !== "object") return {};
  for (const value of Object.values(item as Record<string, unknown>)) {
    if (value !== null && typeof value === "object") return value as BulkItemResult;
  }
  return {};
}
