import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";

/**
 * A protocol-faithful stand-in for Splunk's HTTP Event Collector, for tests and the sink bench: the token
 * check with HEC's own error JSON and statuses, data channels and indexer acknowledgement (ackIds per
 * channel, indexed after a delay or on demand), concatenated JSON events (gzip too) processed in order
 * with `invalid-event-number`, allowed indexes, max_content_length, the health endpoint, and a scripted
 * "Server is busy". Events are kept by their WizEvent id.
 */
export interface FakeSplunkHecOptions {
  /** The one valid token (default a fixed GUID). */
  token?: string;
  /** Indexer acknowledgement on the token (default true). */
  ack?: boolean;
  tokenDisabled?: boolean;
  /** The token's allowed indexes; undefined: any index. */
  indexes?: readonly string[];
  /** Where an event without `index` goes (default "main"). */
  defaultIndex?: string;
  /** After how long a request counts as indexed (default 0); "manual": only when indexPending() is called. */
  ackDelayMs?: number | "manual";
  /** Bytes of a request body at most (Content-Length); larger: 413. Default 800 MiB like Splunk. */
  maxContentLength?: number;
  /** An event whose JSON contains this text is refused like malformed data (code 6, invalid-event-number). */
  rejectEventsContaining?: string;
  /**
   * Keep each event's parsed `event` (default true). Off (the bench): counting mode, which splits objects at
   * "}{" and reads only the envelope and the event's id, so the fake's CPU does not hide the sink's.
   */
  keepEvents?: boolean;
  /** Port to listen on (default 0: any free port); a test restarts "Splunk" on the port it had. */
  port?: number;
  /** Serve https with this key and certificate (PEM). */
  tls?: { key: string | Buffer; cert: string | Buffer };
  now?: () => number;
}

export interface FakeHecEvent {
  id: string;
  time: number | undefined;
  host: string | undefined;
  source: string | undefined;
  sourcetype: string | undefined;
  index: string;
  /** The parsed `event` (undefined when keepEvents is off). */
  event: unknown;
  channel: string | undefined;
  /** The ackId of the request that carried it (none when it came before an invalid event). */
  ackId: number | undefined;
  /** Copies received (a redelivery adds one). */
  copies: number;
  /** Whether Splunk would say it is indexed by now. */
  readonly indexed: boolean;
}

export interface FakeHecRequest {
  method: string;
  path: string;
  channel: string | undefined;
  gzip: boolean;
  /** Events stored from this request. */
  events: number;
  status: number;
  code: number | undefined;
  /** For /ack: the ackIds asked about. */
  ackIds?: number[];
}

interface IndexingState {
  readyAt: number;
}

interface ChannelState {
  nextAckId: number;
  acks: Map<number, IndexingState>;
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DEFAULT_TOKEN = "11111111-2222-3333-4444-555555555555";

/** HEC's answers, as Splunk words them. */
const ANSWER = {
  success: { text: "Success", code: 0 },
  tokenDisabled: { text: "Token disabled", code: 1 },
  tokenRequired: { text: "Token is required", code: 2 },
  invalidAuthorization: { text: "Invalid authorization", code: 3 },
  invalidToken: { text: "Invalid token", code: 4 },
  noData: { text: "No data", code: 5 },
  invalidDataFormat: { text: "Invalid data format", code: 6 },
  incorrectIndex: { text: "Incorrect index", code: 7 },
  serverBusy: { text: "Server is busy", code: 9 },
  channelMissing: { text: "Data channel is missing", code: 10 },
  invalidChannel: { text: "Invalid data channel", code: 11 },
  eventRequired: { text: "Event field is required", code: 12 },
  eventBlank: { text: "Event field cannot be blank", code: 13 },
  ackDisabled: { text: "ACK is disabled", code: 14 },
  healthy: { text: "HEC is healthy", code: 17 },
  unhealthy: { text: "HEC is unhealthy, queues are full", code: 18 },
} as const;

export class FakeSplunkHecServer {
  /** Events by WizEvent id (the last copy's metadata). */
  readonly events = new Map<string, FakeHecEvent>();
  readonly requests: FakeHecRequest[] = [];
  /** Every event received, copies included. */
  deliveries = 0;
  token: string;
  ack: boolean;
  tokenDisabled: boolean;
  indexes: readonly string[] | undefined;
  ackDelayMs: number | "manual";
  maxContentLength: number;
  rejectEventsContaining: string | undefined;
  healthy = true;
  private readonly channels = new Map<string, ChannelState>();
  private readonly manual: IndexingState[] = [];
  private busyLeft = 0;
  private busyRetryAfter: number | undefined;
  private readonly now: () => number;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly options: FakeSplunkHecOptions,
  ) {
    this.token = options.token ?? DEFAULT_TOKEN;
    this.ack = options.ack ?? true;
    this.tokenDisabled = options.tokenDisabled ?? false;
    this.indexes = options.indexes;
    this.ackDelayMs = options.ackDelayMs ?? 0;
    this.maxContentLength = options.maxContentLength ?? 800 * 1024 * 1024;
    this.rejectEventsContaining = options.rejectEventsContaining;
    this.now = options.now ?? Date.now;
  }

  static async start(options: FakeSplunkHecOptions = {}): Promise<FakeSplunkHecServer> {
    // The handler exists before the server, the server before the fake that knows its URL.
    const ref: { fake?: FakeSplunkHecServer } = {};
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      void ref.fake?.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ text: "Internal server error", code: 8 }));
      });
    };
    const server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler) : createHttpServer(handler);
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeSplunkHecServer(server, `${options.tls ? "https" : "http"}://127.0.0.1:${port}`, options);
    ref.fake = fake;
    return fake;
  }

  /** The next `times` event requests get 503 "Server is busy" (code 9), with Retry-After when given. */
  busy(times: number, retryAfterSeconds?: number): void {
    this.busyLeft = times;
    this.busyRetryAfter = retryAfterSeconds;
  }

  /** With ackDelayMs "manual": everything received so far counts as indexed now. */
  indexPending(): void {
    for (const state of this.manual.splice(0)) state.readyAt = 0;
  }

  /** Events received but not indexed yet. */
  get unindexed(): number {
    let n = 0;
    for (const e of this.events.values()) if (!e.indexed) n += 1;
    return n;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const path = url.pathname.replace(/\/+$/, "");
    const channel = header(req, "x-splunk-request-channel") ?? url.searchParams.get("channel") ?? undefined;
    const gzip = (header(req, "content-encoding") ?? "").toLowerCase() === "gzip";
    const log: FakeHecRequest = { method: req.method ?? "GET", path, channel, gzip, events: 0, status: 0, code: undefined };
    this.requests.push(log);
    const answer = (status: number, body: object, headers: Record<string, string> = {}): void => {
      log.status = status;
      log.code = (body as { code?: number }).code;
      const text = JSON.stringify(body);
      res.writeHead(status, { "content-type": "application/json; charset=UTF-8", "content-length": Buffer.byteLength(text), ...headers });
      res.end(text);
    };

    if (path === "/_fake/stats") {
      // Not HEC: how the bench reads the fake's counts when it runs in a process of its own.
      await drain(req);
      let indexed = 0;
      for (const e of this.events.values()) if (e.indexed) indexed += 1;
      answer(200, { events: this.events.size, indexed, deliveries: this.deliveries });
      return;
    }
    if (path === "/services/collector/health" || path === "/services/collector/health/1.0") {
      await drain(req);
      if (this.healthy) answer(200, ANSWER.healthy);
      else answer(503, ANSWER.unhealthy);
      return;
    }
    const isEvent = path === "/services/collector/event" || path === "/services/collector/event/1.0" || path === "/services/collector";
    const isAck = path === "/services/collector/ack";
    if (!isEvent && !isAck) {
      await drain(req);
      answer(404, { text: "The requested URL was not found on this server.", code: 404 });
      return;
    }
    if (req.method !== "POST") {
      await drain(req);
      answer(405, { text: "The requested method is not allowed on this endpoint.", code: 405 });
      return;
    }

    const refusal = this.authRefusal(header(req, "authorization"));
    if (refusal) {
      await drain(req);
      answer(refusal.status, refusal.body);
      return;
    }

    const length = Number(header(req, "content-length") ?? "NaN");
    if (Number.isFinite(length) && length > this.maxContentLength) {
      await drain(req);
      answer(413, { text: `Content-Length of ${length} too large (maximum is ${this.maxContentLength})` });
      return;
    }

    if (isAck) {
      let text: string;
      try {
        text = await readBody(req, gzip);
      } catch {
        return answer(400, ANSWER.invalidDataFormat);
      }
      if (!this.ack) return answer(400, ANSWER.ackDisabled);
      if (channel === undefined) return answer(400, ANSWER.channelMissing);
      if (!GUID.test(channel)) return answer(400, ANSWER.invalidChannel);
      return this.answerAcks(text, channel, log, answer);
    }

    if (this.ack && channel === undefined) {
      await drain(req);
      answer(400, ANSWER.channelMissing);
      return;
    }
    if (channel !== undefined && !GUID.test(channel)) {
      await drain(req);
      answer(400, ANSWER.invalidChannel);
      return;
    }
    if (this.busyLeft > 0) {
      this.busyLeft -= 1;
      await drain(req);
      answer(503, ANSWER.serverBusy, this.busyRetryAfter !== undefined ? { "retry-after": String(this.busyRetryAfter) } : {});
      return;
    }
    let text: string;
    try {
      text = await readBody(req, gzip);
    } catch {
      answer(400, ANSWER.invalidDataFormat);
      return;
    }
    if (text.trim() === "") {
      answer(400, ANSWER.noData);
      return;
    }
    this.ingest(text, channel, log, answer);
  }

  private authRefusal(authorization: string | undefined): { status: number; body: object } | undefined {
    if (authorization === undefined || authorization.trim() === "") return { status: 401, body: ANSWER.tokenRequired };
    const match = /^Splunk\s+(\S+)\s*$/i.exec(authorization);
    if (!match) return { status: 401, body: ANSWER.invalidAuthorization };
    if (match[1] !== this.token) return { status: 403, body: ANSWER.invalidToken };
    if (this.tokenDisabled) return { status: 403, body: ANSWER.tokenDisabled };
    return undefined;
  }

  /** Processes events in order, like HEC: those before a bad one are kept (without an ackId), the bad one and the rest are not. */
  private ingest(text: string, channel: string | undefined, log: FakeHecRequest, answer: (status: number, body: object) => void): void {
    const { parsed, refusal } = this.parseEvents(text);
    const state: IndexingState = { readyAt: this.ackDelayMs === "manual" ? Number.POSITIVE_INFINITY : this.now() + this.ackDelayMs };
    if (this.ackDelayMs === "manual") this.manual.push(state);
    let ackId: number | undefined;
    if (refusal === undefined && this.ack && channel !== undefined) {
      const channelState = this.channelState(channel);
      ackId = channelState.nextAckId;
      channelState.nextAckId += 1;
      channelState.acks.set(ackId, state);
    }
    const keep = this.options.keepEvents ?? true;
    for (const { envelope, event, index } of parsed) {
      const id = typeof (event as { id?: unknown }).id === "string" ? (event as { id: string }).id : `#${this.deliveries}`;
      this.deliveries += 1;
      log.events += 1;
      const time = envelope.time;
      this.events.set(
        id,
        new StoredEvent(state, this.now, {
          id,
          time: time === undefined ? undefined : Number(time),
          host: typeof envelope.host === "string" ? envelope.host : undefined,
          source: typeof envelope.source === "string" ? envelope.source : undefined,
          sourcetype: typeof envelope.sourcetype === "string" ? envelope.sourcetype : undefined,
          index,
          event: keep ? event : undefined,
          channel,
          ackId,
          copies: (this.events.get(id)?.copies ?? 0) + 1,
        }),
      );
    }
    if (refusal !== undefined) return answer(400, refusal);
    answer(200, ackId !== undefined ? { ...ANSWER.success, ackId } : ANSWER.success);
  }

  /** The events of a body up to the first one HEC would refuse, and that refusal (with its invalid-event-number). */
  private parseEvents(text: string): { parsed: Array<{ envelope: Record<string, unknown>; event: unknown; index: string }>; refusal?: object } {
    const parsed: Array<{ envelope: Record<string, unknown>; event: unknown; index: string }> = [];
    const keep = this.options.keepEvents ?? true;
    const refuse = (answer: { text: string; code: number }, n: number) => ({ parsed, refusal: { ...answer, "invalid-event-number": n } });
    let at = 0;
    for (let n = 0; ; n += 1) {
      at = skipWhitespace(text, at);
      if (at >= text.length) return { parsed };
      let json: string;
      let envelope: Record<string, unknown>;
      let event: unknown;
      try {
        if (keep) {
          const end = endOfObject(text, at);
          if (end < 0) return refuse(ANSWER.invalidDataFormat, n);
          json = text.slice(at, end);
          at = end;
          if (this.rejectEventsContaining !== undefined && json.includes(this.rejectEventsContaining)) return refuse(ANSWER.invalidDataFormat, n);
          envelope = JSON.parse(json) as Record<string, unknown>;
          if (!("event" in envelope)) return refuse(ANSWER.eventRequired, n);
          event = envelope.event;
        } else {
          // Counting mode (the bench): objects end where the next begins ("}{" only occurs between concatenated
          // objects in valid JSON), the envelope is parsed without its event, and the event's id is read.
          const next = text.indexOf("}{", at);
          const end = next < 0 ? text.length : next + 1;
          json = text.slice(at, end);
          at = end;
          if (this.rejectEventsContaining !== undefined && json.includes(this.rejectEventsContaining)) return refuse(ANSWER.invalidDataFormat, n);
          const key = json.indexOf('"event":');
          if (key < 0) return refuse(ANSWER.eventRequired, n);
          envelope = JSON.parse(`${json.slice(0, key)}"event":0}`) as Record<string, unknown>;
          event = lightEvent(json.slice(key + 8, key + 8 + 512).trimStart());
        }
      } catch {
        return refuse(ANSWER.invalidDataFormat, n);
      }
      if (event === null || event === undefined || (typeof event === "string" && event.trim() === "")) return refuse(ANSWER.eventBlank, n);
      const time = envelope.time;
      if (time !== undefined && !(typeof time === "number" || (typeof time === "string" && Number.isFinite(Number(time))))) return refuse(ANSWER.invalidDataFormat, n);
      const index = typeof envelope.index === "string" ? envelope.index : (this.options.defaultIndex ?? "main");
      if (this.indexes !== undefined && !this.indexes.includes(index)) return refuse(ANSWER.incorrectIndex, n);
      parsed.push({ envelope, event, index });
    }
  }

  private answerAcks(text: string, channel: string, log: FakeHecRequest, answer: (status: number, body: object) => void): void {
    let ids: unknown;
    try {
      ids = (JSON.parse(text) as { acks?: unknown }).acks;
    } catch {
      return answer(400, ANSWER.invalidDataFormat);
    }
    if (!Array.isArray(ids) || !ids.every((id) => Number.isInteger(id))) return answer(400, ANSWER.invalidDataFormat);
    log.ackIds = ids as number[];
    const state = this.channelState(channel);
    const now = this.now();
    const acks: Record<string, boolean> = {};
    for (const id of ids as number[]) {
      const indexing = state.acks.get(id);
      const done = indexing !== undefined && indexing.readyAt <= now;
      // Splunk forgets an ackId once it reported it true.
      if (done) state.acks.delete(id);
      acks[String(id)] = done;
    }
    answer(200, { acks });
  }

  private channelState(channel: string): ChannelState {
    let state = this.channels.get(channel);
    if (!state) {
      state = { nextAckId: 0, acks: new Map() };
      this.channels.set(channel, state);
    }
    return state;
  }
}

/** One stored event; `indexed` follows the indexing state of the request that carried it. */
class StoredEvent implements FakeHecEvent {
  readonly id: string;
  readonly time: number | undefined;
  readonly host: string | undefined;
  readonly source: string | undefined;
  readonly sourcetype: string | undefined;
  readonly index: string;
  readonly event: unknown;
  readonly channel: string | undefined;
  readonly ackId: number | undefined;
  readonly copies: number;

  constructor(
    private readonly state: IndexingState,
    private readonly now: () => number,
    fields: Omit<FakeHecEvent, "indexed">,
  ) {
    this.id = fields.id;
    this.time = fields.time;
    this.host = fields.host;
    this.source = fields.source;
    this.sourcetype = fields.sourcetype;
    this.index = fields.index;
    this.event = fields.event;
    this.channel = fields.channel;
    this.ackId = fields.ackId;
    this.copies = fields.copies;
  }

  get indexed(): boolean {
    return this.state.readyAt <= this.now();
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function drain(req: IncomingMessage): Promise<void> {
  for await (const _chunk of req) {
    // discard
  }
}

async function readBody(req: IncomingMessage, gzip: boolean): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return (gzip ? gunzipSync(raw) : raw).toString("utf8");
}

function skipWhitespace(text: string, at: number): number {
  let i = at;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i += 1;
  }
  return i;
}

/** The end (exclusive) of the JSON object starting at `start`, or -1 when it is not one or never closes. */
function endOfObject(text: string, start: number): number {
  if (text.charCodeAt(start) !== 0x7b) return -1;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) depth += 1;
    else if (c === 0x7d || c === 0x5d) {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** Enough of an event (from the start of its JSON) to count it: null, a string, or an object with its id. */
function lightEvent(head: string): unknown {
  if (head.startsWith("null")) return null;
  if (head.startsWith('""')) return "";
  const id = /^\{\s*"id"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(head)?.[1];
  return id !== undefined ? { id: JSON.parse(`"${id}"`) as string } : {};
}

/**
 * `node splunk-hec-server.js '{"ackDelayMs":5,"keepEvents":false}'`: serves the fake in a process of its own
 * (as Splunk is), prints `listening <url> <token>`, and answers `GET /_fake/stats` with its counts.
 */
async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? "{}") as FakeSplunkHecOptions;
  const fake = await FakeSplunkHecServer.start(options);
  process.stdout.write(`listening ${fake.url} ${fake.token}\n`);
  const stop = (): void => void fake.close().then(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
