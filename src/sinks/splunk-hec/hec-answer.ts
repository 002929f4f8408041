import { z } from "zod";

/**
 * HEC's status codes (Splunk "Troubleshoot HTTP Event Collector", possible error codes): the `code` of every
 * JSON answer, with the HTTP status Splunk pairs it with and its own text.
 */
export const HEC_CODES = Object.freeze({
  success: { code: 0, status: 200, text: "Success" },
  tokenDisabled: { code: 1, status: 403, text: "Token disabled" },
  tokenRequired: { code: 2, status: 401, text: "Token is required" },
  invalidAuthorization: { code: 3, status: 401, text: "Invalid authorization" },
  invalidToken: { code: 4, status: 403, text: "Invalid token" },
  noData: { code: 5, status: 400, text: "No data" },
  invalidDataFormat: { code: 6, status: 400, text: "Invalid data format" },
  incorrectIndex: { code: 7, status: 400, text: "Incorrect index" },
  internalError: { code: 8, status: 500, text: "Internal server error" },
  serverBusy: { code: 9, status: 503, text: "Server is busy" },
  channelMissing: { code: 10, status: 400, text: "Data channel is missing" },
  invalidChannel: { code: 11, status: 400, text: "Invalid data channel" },
  eventRequired: { code: 12, status: 400, text: "Event field is required" },
  eventBlank: { code: 13, status: 400, text: "Event field cannot be blank" },
  ackDisabled: { code: 14, status: 400, text: "ACK is disabled" },
  indexedFields: { code: 15, status: 400, text: "Error in handling indexed fields" },
  queryStringAuth: { code: 16, status: 400, text: "Query string authorization is not enabled" },
  healthy: { code: 17, status: 200, text: "HEC is healthy" },
  unhealthyQueues: { code: 18, status: 503, text: "HEC is unhealthy, queues are full" },
  unhealthyAck: { code: 19, status: 503, text: "HEC is unhealthy, ack service unavailable" },
  unhealthyBoth: { code: 20, status: 503, text: "HEC is unhealthy, queues are full, ack service unavailable" },
});

/** Codes that blame one event of the request (HEC names it with `invalid-event-number`). */
export const PER_EVENT_CODES: ReadonlySet<number> = new Set([6, 12, 13, 15]);
/** Codes that blame the token: fixed in Splunk or in the config, never by dropping events. */
export const TOKEN_CODES: ReadonlySet<number> = new Set([1, 2, 3, 4]);
/** Codes that mean "not now": retried after Retry-After or backoff. */
export const UNAVAILABLE_CODES: ReadonlySet<number> = new Set([8, 9, 18, 19, 20]);

/** One JSON answer of HEC: `{"text":"Success","code":0,"ackId":7}` or `{"text":"Invalid data format","code":6,"invalid-event-number":3}`. */
export interface HecAnswer {
  text?: string;
  code?: number;
  ackId?: number;
  /** Zero-based position in the request of the first event HEC refused. */
  invalidEventNumber?: number;
}

const hecAnswerSchema = z.looseObject({
  text: z.string().optional(),
  code: z.number().int().optional(),
  ackId: z.number().int().nonnegative().optional(),
  "invalid-event-number": z.number().int().nonnegative().optional(),
});

/** HEC's answer from a response body; undefined when it is not HEC JSON (a proxy's HTML page, an empty body). */
export function parseHecAnswer(text: string): HecAnswer | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = hecAnswerSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { text: said, code, ackId } = parsed.data;
  const invalid = parsed.data["invalid-event-number"];
  return { ...(said !== undefined ? { text: said } : {}), ...(code !== undefined ? { code } : {}), ...(ackId !== undefined ? { ackId } : {}), ...(invalid !== undefined ? { invalidEventNumber: invalid } : {}) };
}

const ackStatusSchema = z.looseObject({ acks: z.record(z.string(), z.boolean()) });

/** The answer of `/services/collector/ack`: `{"acks":{"3":true,"4":false}}` as ackId -> indexed. */
export function parseAckStatus(text: string): Map<number, boolean> | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = ackStatusSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const out = new Map<number, boolean>();
  for (const [id, indexed] of Object.entries(parsed.data.acks)) {
    const n = Number(id);
    if (Number.isInteger(n)) out.set(n, indexed);
  }
  return out;
}

/** `HTTP 400 "Invalid data format" (code 6)`: how errors quote Splunk (never the request). */
export function quoteAnswer(status: number, answer: HecAnswer | undefined, rawText: string): string {
  if (answer?.text !== undefined || answer?.code !== undefined) {
    return `HTTP ${status} "${answer.text ?? ""}"${answer.code !== undefined ? ` (code ${answer.code})` : ""}`;
  }
  const said = rawText.replace(/\s+/g, " ").trim().slice(0, 200);
  return `HTTP ${status}${said === "" ? "" : `: ${said}`}`;
}
