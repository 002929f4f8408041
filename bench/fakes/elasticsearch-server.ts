import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { isIP, type AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";

/**
 * A protocol-faithful stand-in for an Elasticsearch (or OpenSearch) cluster's REST API, as far as the
 * elasticsearch sink and its tests use it: `GET /`, authentication (basic and ApiKey) with the real 401
 * answers, `_bulk` (index / create / delete) with per-item results in the real shape, data streams
 * (create-only, `@timestamp` required, 409 on a repeated `_id`), `_index_template` PUT/GET with the
 * template's mappings applied to new indices (date / ip / numeric / boolean fields checked like the real
 * mapper), `_count`, `_doc` GET/DELETE, `_resolve/index`, and `filter_path` on successful answers.
 *
 * Scripted trouble: `itemFault` (or a marker `"esFakeFault":"429" | "429-once" | "mapping"` in a document)
 * fails single items; `throttleNextBulk` answers whole requests 429 with Retry-After; `deny*` flags answer
 * 403 as a missing privilege does; `maxContentLength` answers 413.
 */

export type FakeFlavor = "elasticsearch" | "opensearch";

export interface FakeElasticsearchOptions {
  flavor?: FakeFlavor;
  version?: string;
  /** Users the cluster knows (name -> password). With neither users nor apiKeys, security is off. */
  users?: Record<string, string>;
  /** API keys the cluster knows; clients send base64(id:key) (see encodedApiKey). */
  apiKeys?: Array<{ id: string; key: string }>;
  /** Keep document sources (tests read them); false keeps only ids (the bench: memory stays flat). */
  storeSources?: boolean;
  /** http.max_content_length: a larger request answers 413. */
  maxContentLength?: number;
  /** action.auto_create_index (default true). */
  autoCreateIndex?: boolean;
  /** Ingest pipelines that exist (they pass documents through unchanged). */
  pipelines?: string[];
  /** Serve https with this PEM key and certificate (as Elasticsearch 8 does by default). */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

/** One item of a `_bulk` request, as `itemFault` sees it. */
export interface FakeBulkItem {
  op: string;
  index: string;
  id: string | undefined;
  source: string | undefined;
  /** How many times an item with this `_id` was sent before (0 the first time). */
  attempt: number;
}

export interface FakeItemFault {
  status: number;
  type: string;
  reason: string;
}

export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The auth scheme used (never the credentials). */
  auth: "basic" | "apiKey" | "none" | "other";
  contentType: string | undefined;
  bytes: number;
}

interface StoredDocument {
  source: string | undefined;
  version: number;
  seqNo: number;
}

interface FakeIndex {
  name: string;
  uuid: string;
  mappings: Mapping | undefined;
  docs: Map<string, StoredDocument>;
  dataStream?: string;
}

interface StoredTemplate {
  name: string;
  body: Record<string, unknown>;
  patterns: string[];
  priority: number;
}

type Mapping = { type?: string; enabled?: boolean; properties?: Record<string, Mapping> } & Record<string, unknown>;

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    reason: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(reason);
  }
}

const ELASTICSEARCH_TYPES = new Set([
  "keyword", "text", "match_only_text", "wildcard", "constant_keyword", "date", "date_nanos", "ip", "long", "integer", "short", "byte", "double", "float", "half_float",
  "scaled_float", "unsigned_long", "boolean", "object", "nested", "flattened", "geo_point", "geo_shape", "binary", "alias", "version", "dense_vector",
]);
const OPENSEARCH_TYPES = new Set([
  "keyword", "text", "match_only_text", "wildcard", "constant_keyword", "date", "date_nanos", "ip", "long", "integer", "short", "byte", "double", "float", "half_float",
  "scaled_float", "unsigned_long", "boolean", "object", "nested", "flat_object", "geo_point", "geo_shape", "binary", "alias", "knn_vector",
]);
const INTEGER_TYPES = new Set(["long", "integer", "short", "byte", "unsigned_long"]);
const FLOAT_TYPES = new Set(["double", "float", "half_float", "scaled_float"]);

export function encodedApiKey(id: string, key: string): string {
  return Buffer.from(`${id}:${key}`, "utf8").toString("base64");
}

export class FakeElasticsearchServer {
  readonly url: string;
  /** Every request, in order (auth scheme only, never credentials). */
  readonly requests: FakeRequest[] = [];
  /** Per-item trouble for chosen documents; checked after the marker. */
  itemFault: ((item: FakeBulkItem) => FakeItemFault | undefined) | undefined;
  /** Answer item writes 403 (the credentials lack create_doc on the index). */
  denyWrites = false;
  /** Answer `PUT _index_template` 403 (no manage_index_templates). */
  denyTemplates = false;
  /** Answer `GET /` 403 (no monitor privilege). */
  denyMonitor = false;
  /** Answer `DELETE <index>/_doc/<id>` 403 (no delete privilege). */
  denyDelete = false;

  private readonly flavor: FakeFlavor;
  private readonly version: string;
  private readonly storeSources: boolean;
  private readonly indices = new Map<string, FakeIndex>();
  private readonly streams = new Map<string, string[]>();
  private readonly templates = new Map<string, StoredTemplate>();
  private readonly attempts = new Map<string, number>();
  private readonly apiKeys: Map<string, string>;
  private throttle: { times: number; retryAfterSeconds: number | undefined } = { times: 0, retryAfterSeconds: undefined };
  private seqNo = 0;

  private constructor(
    private readonly server: Server,
    private readonly options: FakeElasticsearchOptions,
  ) {
    const address = server.address() as AddressInfo;
    this.url = `${options.tls ? "https" : "http"}://127.0.0.1:${address.port}`;
    this.flavor = options.flavor ?? "elasticsearch";
    this.version = options.version ?? (this.flavor === "opensearch" ? "2.17.1" : "8.15.3");
    this.storeSources = options.storeSources ?? true;
    this.apiKeys = new Map((options.apiKeys ?? []).map((k) => [encodedApiKey(k.id, k.key), k.id]));
  }

  static async start(options: FakeElasticsearchOptions = {}): Promise<FakeElasticsearchServer> {
    const server: Server = options.tls ? createTlsServer({ key: options.tls.key, cert: options.tls.cert }) : createServer();
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const fake = new FakeElasticsearchServer(server, options);
    server.on("request", (req: IncomingMessage, res: ServerResponse) => void fake.handle(req, res));
    return fake;
  }

  /** The next `times` `_bulk` requests answer 429 (with Retry-After when given). */
  throttleNextBulk(times: number, retryAfterSeconds?: number): void {
    this.throttle = { times, retryAfterSeconds };
  }

  /** Documents of an index or a data stream (all its backing indices), by `_id`: parsed sources (or null when not stored). */
  documents(target: string): Map<string, Record<string, unknown> | null> {
    const out = new Map<string, Record<string, unknown> | null>();
    for (const index of this.concreteIndices(target)) {
      for (const [id, doc] of index.docs) out.set(id, doc.source === undefined ? null : (JSON.parse(doc.source) as Record<string, unknown>));
    }
    return out;
  }

  /** Documents across every index (distinct `_id`s per index). */
  totalDocuments(): number {
    let n = 0;
    for (const index of this.indices.values()) n += index.docs.size;
    return n;
  }

  /** The stored body of an index template, or undefined. */
  template(name: string): Record<string, unknown> | undefined {
    return this.templates.get(name)?.body;
  }

  isDataStream(name: string): boolean {
    return this.streams.has(name);
  }

  /** Index names (backing indices included) and data stream names. */
  names(): { indices: string[]; dataStreams: string[] } {
    return { indices: [...this.indices.keys()].sort(), dataStreams: [...this.streams.keys()].sort() };
  }

  /** Creates a plain index now (as an operator, or an earlier auto-create, would have). */
  createIndex(name: string): void {
    this.indices.set(name, { name, uuid: uuid(), mappings: undefined, docs: new Map() });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const query = Object.fromEntries(url.searchParams);
    const limit = this.options.maxContentLength;
    const chunks: Buffer[] = [];
    let bytes = 0;
    try {
      for await (const chunk of req as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (limit === undefined || bytes <= limit) chunks.push(chunk);
      }
    } catch {
      return;
    }
    const authHeader = req.headers.authorization;
    this.requests.push({
      method: req.method ?? "GET",
      path: url.pathname,
      query,
      auth: authHeader === undefined ? "none" : /^basic /i.test(authHeader) ? "basic" : /^apikey /i.test(authHeader) ? "apiKey" : "other",
      contentType: req.headers["content-type"],
      bytes,
    });
    if (limit !== undefined && bytes > limit) {
      // Netty's aggregator answers before Elasticsearch sees the request: no JSON body.
      res.writeHead(413, { "content-length": "0" }).end();
      return;
    }
    const body = Buffer.concat(chunks);
    try {
      const principal = this.authenticate(authHeader, url.pathname, res);
      if (principal === undefined) return;
      const [status, answer] = this.route(req.method ?? "GET", url.pathname, query, body, principal);
      this.send(res, status, answer, query.filter_path);
    } catch (error) {
      if (error instanceof HttpProblem) {
        this.sendError(res, error);
      } else {
        this.sendError(res, new HttpProblem(500, "exception", error instanceof Error ? error.message : String(error)));
      }
    }
  }

  /** The principal's display name, or undefined after answering 401. */
  private authenticate(header: string | undefined, path: string, res: ServerResponse): string | undefined {
    const users = this.options.users ?? {};
    if (Object.keys(users).length === 0 && this.apiKeys.size === 0) return "_anonymous";
    let reason: string;
    if (header === undefined) {
      reason = `missing authentication credentials for REST request [${path}]`;
    } else if (/^basic /i.test(header)) {
      const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      const user = colon < 0 ? decoded : decoded.slice(0, colon);
      if (colon >= 0 && users[user] !== undefined && users[user] === decoded.slice(colon + 1)) return `user [${user}]`;
      reason = `unable to authenticate user [${user}] for REST request [${path}]`;
    } else if (/^apikey /i.test(header)) {
      const id = this.apiKeys.get(header.slice(7).trim());
      if (id !== undefined) return `API key id [${id}] of user [wizbridge]`;
      const presented = Buffer.from(header.slice(7).trim(), "base64").toString("utf8").split(":")[0] ?? "";
      reason = `unable to authenticate with provided credentials and anonymous access is not allowed for this request`;
      reason += presented ? ` (API key: unable to find apikey with id ${presented})` : "";
    } else {
      reason = `unable to authenticate with provided credentials and anonymous access is not allowed for this request`;
    }
    if (this.flavor === "opensearch") {
      res.writeHead(401, { "content-type": "text/plain; charset=UTF-8", "www-authenticate": 'Basic realm="OpenSearch Security"' }).end("Unauthorized");
      return undefined;
    }
    const challenge = ['Basic realm="security", charset="UTF-8"', "ApiKey"];
    const error = { type: "security_exception", reason, header: { "WWW-Authenticate": challenge } };
    const text = JSON.stringify({ error: { root_cause: [error], ...error }, status: 401 });
    res.writeHead(401, { "content-type": "application/json", "www-authenticate": challenge.join(", ") }).end(text);
    return undefined;
  }

  private route(method: string, path: string, query: Record<string, string>, body: Buffer, principal: string): [number, unknown] {
    const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
    if (parts.length === 0 && (method === "GET" || method === "HEAD")) {
      if (this.denyMonitor) throw unauthorized("cluster:monitor/main", principal, "cluster privileges [monitor,manage,all]");
      return [200, this.clusterInfo()];
    }
    if (parts[0] === "_bulk" && parts.length === 1 && (method === "POST" || method === "PUT")) return this.bulk(body, query, undefined, principal);
    if (parts[1] === "_bulk" && parts.length === 2 && (method === "POST" || method === "PUT")) return this.bulk(body, query, parts[0], principal);
    if (parts[0] === "_index_template") {
      if (method === "PUT" && parts.length === 2) {
        if (this.denyTemplates) throw unauthorized("indices:admin/index_template/put", principal, "cluster privileges [manage_index_templates,manage,all]");
        return this.putTemplate(parts[1] as string, body.toString("utf8"));
      }
      if (method === "GET") return this.getTemplates(parts[1]);
    }
    if (parts[0] === "_resolve" && parts[1] === "index" && parts.length === 3 && method === "GET") return [200, this.resolve(parts[2] as string)];
    if (parts[1] === "_count" && parts.length === 2 && (method === "GET" || method === "POST")) return this.countAnswer(parts[0] as string);
    if (parts[1] === "_doc" && parts.length === 3) {
      if (method === "GET") return this.getDocument(parts[0] as string, parts[2] as string);
      if (method === "DELETE") {
        if (this.denyDelete) throw unauthorized("indices:data/write/delete", principal, "index privileges [delete,write,all]", parts[0]);
        return this.deleteDocument(parts[0] as string, parts[2] as string);
      }
    }
    throw new HttpProblem(400, "illegal_argument_exception", `no handler found for uri [${path}] and method [${method}]`);
  }

  private clusterInfo(): unknown {
    if (this.flavor === "opensearch") {
      return {
        name: "fake-node",
        cluster_name: "fake-cluster",
        cluster_uuid: "fAkEcLuStErUuId0000000",
        version: { distribution: "opensearch", number: this.version, build_type: "tar", build_hash: "0000000", build_date: "2024-10-01T00:00:00Z", build_snapshot: false, lucene_version: "9.11.1", minimum_wire_compatibility_version: "7.10.0", minimum_index_compatibility_version: "7.0.0" },
        tagline: "The OpenSearch Project: https://opensearch.org/",
      };
    }
    return {
      name: "fake-node",
      cluster_name: "fake-cluster",
      cluster_uuid: "fAkEcLuStErUuId0000000",
      version: { number: this.version, build_flavor: "default", build_type: "docker", build_hash: "0000000", build_date: "2024-10-01T00:00:00Z", build_snapshot: false, lucene_version: "9.11.1", minimum_wire_compatibility_version: "7.17.0", minimum_index_compatibility_version: "7.0.0" },
      tagline: "You Know, for Search",
    };
  }

  private bulk(body: Buffer, query: Record<string, string>, pathIndex: string | undefined, principal: string): [number, unknown] {
    if (this.throttle.times > 0) {
      this.throttle.times -= 1;
      throw new HttpProblem(429, "es_rejected_execution_exception", "rejected execution of coordinating operation [coordinating_and_primary_bytes=0, replica_bytes=0, all_bytes=0, coordinating_operation_bytes=1048576, max_coordinating_and_primary_bytes=1048576]", {
        retryAfterSeconds: this.throttle.retryAfterSeconds,
      });
    }
    if (body.every((b) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09)) throw new HttpProblem(400, "parse_exception", "request body is required");
    if (body[body.length - 1] !== 0x0a) throw new HttpProblem(400, "illegal_argument_exception", "The bulk request must be terminated by a newline [\\n]");
    const started = Date.now();
    // Lines as views of the body: documents are decoded only when something needs their text.
    let at = 0;
    let lineNumber = 0;
    const nextLine = (): Buffer | undefined => {
      if (at >= body.length) return undefined;
      const end = body.indexOf(0x0a, at);
      const line = body.subarray(at, end < 0 ? body.length : end);
      at = end < 0 ? body.length : end + 1;
      lineNumber += 1;
      return line;
    };
    const items: unknown[] = [];
    let errors = false;
    for (let line = nextLine(); line !== undefined; line = nextLine()) {
      if (line.length === 0) continue;
      let action: Record<string, Record<string, unknown>>;
      try {
        action = JSON.parse(line.toString("utf8")) as typeof action;
      } catch {
        throw new HttpProblem(400, "x_content_parse_exception", `[1:1] Malformed action/metadata line [${lineNumber}], expected START_OBJECT`);
      }
      const op = Object.keys(action)[0] ?? "";
      if (!["index", "create", "delete", "update"].includes(op)) throw new HttpProblem(400, "illegal_argument_exception", `Malformed action/metadata line [${lineNumber}], expected one of [create, delete, index, update] but found [${op}]`);
      const meta = action[op] ?? {};
      let source: Buffer | undefined;
      if (op !== "delete") {
        source = nextLine();
        if (source === undefined || source.length === 0) throw new HttpProblem(400, "illegal_argument_exception", `The bulk request must be terminated by a newline [\\n]`);
      }
      const item = this.bulkItem(op, meta, source, pathIndex, query, principal);
      if (item.status >= 300) errors = true;
      items.push({ [op]: item });
    }
    const took = Date.now() - started;
    return [200, this.flavor === "opensearch" ? { took, errors, items } : { errors, took, items }];
  }

  private bulkItem(op: string, meta: Record<string, unknown>, sourceBytes: Buffer | undefined, pathIndex: string | undefined, query: Record<string, string>, principal: string): Record<string, unknown> & { status: number } {
    const name = typeof meta._index === "string" ? meta._index : pathIndex;
    let text: string | undefined;
    const source = (): string | undefined => (text ??= sourceBytes?.toString("utf8"));
    const id = typeof meta._id === "string" ? meta._id : op === "delete" ? undefined : uuid();
    const fail = (status: number, type: string, reason: string, index = name, extra: Record<string, unknown> = {}): Record<string, unknown> & { status: number } => ({
      _index: index ?? null,
      _id: id ?? null,
      status,
      error: { type, reason, ...extra },
    });
    if (name === undefined) return fail(400, "action_request_validation_exception", "Validation Failed: 1: index is missing;");
    const nameProblem = indexNameProblem(name);
    if (nameProblem) return fail(400, "invalid_index_name_exception", `Invalid index name [${name}], ${nameProblem}`, name, { index: name, index_uuid: "_na_" });
    if (this.denyWrites) return fail(403, "security_exception", unauthorizedReason("indices:data/write/bulk[s]", principal, "index privileges [create_doc,create,index,write,all]", name));
    const target = this.writeTarget(name, op);
    if ("error" in target) return fail(target.error.status, target.error.type, target.error.message, name, target.error.extra);
    const index = target.index;
    const pipeline = typeof meta.pipeline === "string" ? meta.pipeline : query.pipeline;
    if (pipeline !== undefined && pipeline !== "_none" && !(this.options.pipelines ?? []).includes(pipeline)) {
      return fail(400, "illegal_argument_exception", `pipeline with id [${pipeline}] does not exist`, index.name);
    }
    let fault: FakeItemFault | undefined;
    // Attempts are counted only for documents that script trouble: the bench's 100,000 ids stay out of memory.
    if (this.itemFault !== undefined || sourceBytes?.includes('"esFakeFault"')) {
      const attemptKey = `${index.name}\u0000${id ?? ""}`;
      const attempt = this.attempts.get(attemptKey) ?? 0;
      this.attempts.set(attemptKey, attempt + 1);
      fault = markerFault(source(), attempt, this.flavor, id) ?? this.itemFault?.({ op, index: name, id, source: source(), attempt });
    }
    if (fault) return fail(fault.status, fault.type, fault.reason, index.name, { index_uuid: index.uuid, shard: "0", index: index.name });

    const shards = { total: 2, successful: 1, failed: 0 };
    if (op === "delete") {
      const existing = index.docs.get(id as string);
      if (existing) index.docs.delete(id as string);
      return { _index: index.name, _id: id, _version: (existing?.version ?? 0) + 1, result: existing ? "deleted" : "not_found", _shards: shards, _seq_no: this.seqNo++, _primary_term: 1, status: existing ? 200 : 404 };
    }
    if (op === "update") return fail(400, "illegal_argument_exception", "this fake cluster does not implement update");
    const problem = this.documentProblem(source, index, id as string);
    if (problem) return fail(400, problem.type, problem.reason, index.name, problem.extra);
    const existing = index.docs.get(id as string);
    if (existing && op === "create") {
      return fail(409, "version_conflict_engine_exception", `[${id}]: version conflict, document already exists (current version [${existing.version}])`, index.name, { index_uuid: index.uuid, shard: "0", index: index.name });
    }
    const version = (existing?.version ?? 0) + 1;
    const seqNo = this.seqNo++;
    index.docs.set(id as string, { source: this.storeSources ? source() : undefined, version, seqNo });
    return { _index: index.name, _id: id, _version: version, result: existing ? "updated" : "created", _shards: shards, _seq_no: seqNo, _primary_term: 1, status: existing ? 200 : 201 };
  }

  /** The concrete index an item writes to, auto-creating an index or data stream from the matching template. */
  private writeTarget(name: string, op: string): { index: FakeIndex } | { error: { status: number; type: string; message: string; extra: Record<string, unknown> } } {
    const dataStreamOnly = { status: 400, type: "illegal_argument_exception", message: "only write ops with an op_type of create are allowed in data streams", extra: {} };
    const backing = this.streams.get(name);
    if (backing) {
      if (op !== "create") return { error: dataStreamOnly };
      return { index: this.indices.get(backing[backing.length - 1] as string) as FakeIndex };
    }
    const existing = this.indices.get(name);
    if (existing) return { index: existing };
    if (op === "delete") return { error: { status: 404, type: "index_not_found_exception", message: `no such index [${name}]`, extra: { index: name, index_uuid: "_na_", "resource.type": "index_expression", "resource.id": name } } };
    if (this.options.autoCreateIndex === false) {
      return { error: { status: 404, type: "index_not_found_exception", message: `no such index [${name}] and [action.auto_create_index] is [false]`, extra: { index: name, index_uuid: "_na_", "resource.type": "index_expression", "resource.id": name } } };
    }
    const template = this.matchingTemplate(name);
    const templateBody = template?.body.template as { mappings?: Mapping } | undefined;
    const mappings = templateBody?.mappings;
    if (template?.body.data_stream !== undefined) {
      if (op !== "create") return { error: dataStreamOnly };
      const date = new Date().toISOString().slice(0, 10).replace(/-/g, ".");
      const backingName = `.ds-${name}-${date}-000001`;
      this.indices.set(backingName, { name: backingName, uuid: uuid(), mappings, docs: new Map(), dataStream: name });
      this.streams.set(name, [backingName]);
      return { index: this.indices.get(backingName) as FakeIndex };
    }
    const index: FakeIndex = { name, uuid: uuid(), mappings, docs: new Map() };
    this.indices.set(name, index);
    return { index };
  }

  /** Why the mapper refuses the document (bad JSON, missing @timestamp in a data stream, a value its field type refuses), or undefined. */
  private documentProblem(source: () => string | undefined, index: FakeIndex, id: string): { type: string; reason: string; extra: Record<string, unknown> } | undefined {
    const parsingType = this.flavor === "opensearch" ? "mapper_parsing_exception" : "document_parsing_exception";
    const typed = index.mappings?.properties !== undefined;
    if (!typed && index.dataStream === undefined && !this.storeSources) return undefined;
    let doc: unknown;
    try {
      doc = JSON.parse(source() ?? "");
    } catch (error) {
      return { type: parsingType, reason: `[1:1] failed to parse: ${error instanceof Error ? error.message : String(error)}`, extra: {} };
    }
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return { type: parsingType, reason: "[1:1] failed to parse: the document is not an object", extra: {} };
    if (index.dataStream !== undefined && (doc as Record<string, unknown>)["@timestamp"] === undefined) {
      return { type: parsingType, reason: "[1:1] data stream timestamp field [@timestamp] is missing", extra: {} };
    }
    if (!typed) return undefined;
    const problem = valueProblem(doc as Record<string, unknown>, index.mappings?.properties ?? {}, "");
    if (!problem) return undefined;
    const preview = typeof problem.value === "string" ? problem.value : JSON.stringify(problem.value);
    return {
      type: parsingType,
      reason: `[1:1] failed to parse field [${problem.path}] of type [${problem.type}] in document with id '${id}'. Preview of field's value: '${preview}'`,
      extra: { caused_by: { type: "illegal_argument_exception", reason: problem.cause } },
    };
  }

  private matchingTemplate(name: string): StoredTemplate | undefined {
    let best: StoredTemplate | undefined;
    for (const t of this.templates.values()) {
      if (t.patterns.some((p) => globMatch(p, name)) && (best === undefined || t.priority > best.priority)) best = t;
    }
    return best;
  }

  private putTemplate(name: string, body: string): [number, unknown] {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(body) as Record<string, unknown>;
    } catch {
      throw new HttpProblem(400, "x_content_parse_exception", "[1:1] failed to parse the index template");
    }
    const patterns = parsed.index_patterns;
    if (!Array.isArray(patterns) || patterns.length === 0 || !patterns.every((p) => typeof p === "string")) {
      throw new HttpProblem(400, "action_request_validation_exception", "Validation Failed: 1: index patterns are missing;");
    }
    const priority = typeof parsed.priority === "number" ? parsed.priority : 0;
    for (const other of this.templates.values()) {
      if (other.name !== name && other.priority === priority && other.patterns.some((p) => patterns.includes(p))) {
        throw new HttpProblem(
          400,
          "illegal_argument_exception",
          `index template [${name}] has index patterns [${patterns.join(", ")}] matching patterns from existing templates [${other.name}] with patterns (${other.name} => [${other.patterns.join(", ")}]) that have the same priority [${priority}], multiple index templates may not match during index creation, please use a different priority`,
        );
      }
    }
    const mappings = (parsed.template as { mappings?: Mapping } | undefined)?.mappings;
    const unknownType = mappings?.properties ? unknownMappingType(mappings.properties, "", this.flavor === "opensearch" ? OPENSEARCH_TYPES : ELASTICSEARCH_TYPES) : undefined;
    if (unknownType) throw new HttpProblem(400, "mapper_parsing_exception", `No handler for type [${unknownType.type}] declared on field [${unknownType.path}]`);
    this.templates.set(name, { name, body: parsed, patterns: patterns as string[], priority });
    return [200, { acknowledged: true }];
  }

  private getTemplates(name: string | undefined): [number, unknown] {
    const found = [...this.templates.values()].filter((t) => name === undefined || globMatch(name, t.name));
    if (found.length === 0 && name !== undefined) throw new HttpProblem(404, "resource_not_found_exception", `index template matching [${name}] not found`);
    return [200, { index_templates: found.map((t) => ({ name: t.name, index_template: t.body })) }];
  }

  private resolve(expression: string): unknown {
    const patterns = expression.split(",");
    const indices = [...this.indices.values()]
      .filter((i) => i.dataStream === undefined && patterns.some((p) => globMatch(p, i.name)))
      .map((i) => ({ name: i.name, attributes: ["open"] }));
    const dataStreams = [...this.streams.entries()].filter(([n]) => patterns.some((p) => globMatch(p, n))).map(([n, backing]) => ({ name: n, backing_indices: backing, timestamp_field: "@timestamp" }));
    return { indices, aliases: [], data_streams: dataStreams };
  }

  private countAnswer(target: string): [number, unknown] {
    let count = 0;
    for (const part of target.split(",")) {
      const found = this.concreteIndices(part);
      if (found.length === 0 && !part.includes("*")) throw new HttpProblem(404, "index_not_found_exception", `no such index [${part}]`, { index: part, index_uuid: "_na_", "resource.type": "index_or_alias", "resource.id": part });
      for (const index of found) count += index.docs.size;
    }
    return [200, { count, _shards: { total: 1, successful: 1, skipped: 0, failed: 0 } }];
  }

  private getDocument(name: string, id: string): [number, unknown] {
    const index = this.indices.get(name);
    if (!index) throw new HttpProblem(404, "index_not_found_exception", `no such index [${name}]`, { index: name, index_uuid: "_na_", "resource.type": "index_expression", "resource.id": name });
    const doc = index.docs.get(id);
    if (!doc) return [404, { _index: name, _id: id, found: false }];
    return [200, { _index: name, _id: id, _version: doc.version, _seq_no: doc.seqNo, _primary_term: 1, found: true, _source: doc.source === undefined ? {} : (JSON.parse(doc.source) as unknown) }];
  }

  private deleteDocument(name: string, id: string): [number, unknown] {
    if (this.streams.has(name)) throw new HttpProblem(400, "illegal_argument_exception", "only write ops with an op_type of create are allowed in data streams");
    const index = this.indices.get(name);
    if (!index) throw new HttpProblem(404, "index_not_found_exception", `no such index [${name}]`, { index: name, index_uuid: "_na_", "resource.type": "index_expression", "resource.id": name });
    const doc = index.docs.get(id);
    if (doc) index.docs.delete(id);
    const answer = { _index: name, _id: id, _version: (doc?.version ?? 0) + 1, result: doc ? "deleted" : "not_found", _shards: { total: 2, successful: 1, failed: 0 }, _seq_no: this.seqNo++, _primary_term: 1 };
    return [doc ? 200 : 404, answer];
  }

  /** Indices named by `target`: an index, a data stream (its backing indices), or a wildcard over both. */
  private concreteIndices(target: string): FakeIndex[] {
    const out: FakeIndex[] = [];
    for (const [name, backing] of this.streams) if (globMatch(target, name)) out.push(...backing.map((b) => this.indices.get(b) as FakeIndex));
    for (const index of this.indices.values()) {
      if (index.dataStream === undefined ? globMatch(target, index.name) : index.name === target) out.push(index);
    }
    return out;
  }

  private send(res: ServerResponse, status: number, answer: unknown, filterPath: string | undefined): void {
    const filtered = filterPath && status < 300 ? (applyFilterPath(answer, filterPath) ?? {}) : answer;
    const text = JSON.stringify(filtered);
    res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), ...(this.flavor === "elasticsearch" ? { "x-elastic-product": "Elasticsearch" } : {}) }).end(text);
  }

  private sendError(res: ServerResponse, problem: HttpProblem): void {
    const { retryAfterSeconds, ...extra } = problem.extra;
    const error = { type: problem.type, reason: problem.message, ...extra };
    const text = JSON.stringify({ error: { root_cause: [error], ...error }, status: problem.status });
    res
      .writeHead(problem.status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), ...(retryAfterSeconds !== undefined ? { "retry-after": String(retryAfterSeconds) } : {}) })
      .end(text);
  }
}

/** A marker in the document scripts a failure: "429" always, "429-once" on the first attempt, "mapping" always. */
function markerFault(source: string | undefined, attempt: number, flavor: FakeFlavor, id: string | undefined): FakeItemFault | undefined {
  if (source === undefined || !source.includes('"esFakeFault"')) return undefined;
  const kind = /"esFakeFault"\s*:\s*"([^"]*)"/.exec(source)?.[1];
  if (kind === "429" || (kind === "429-once" && attempt === 0)) {
    return { status: 429, type: "es_rejected_execution_exception", reason: "rejected execution of primary operation [shard_detail=[wiz-issues][0][P], shard_max_operations=0, shard_max_bytes=0] on EsThreadPoolExecutor[name = fake/write, queue capacity = 10000]" };
  }
  if (kind === "mapping") {
    return {
      status: 400,
      type: flavor === "opensearch" ? "mapper_parsing_exception" : "document_parsing_exception",
      reason: `[1:1] failed to parse field [record.esFakeFault] of type [long] in document with id '${id ?? ""}'. Preview of field's value: 'mapping'`,
    };
  }
  return undefined;
}

function unauthorized(action: string, principal: string, granted: string, index?: string): HttpProblem {
  return new HttpProblem(403, "security_exception", unauthorizedReason(action, principal, granted, index));
}

function unauthorizedReason(action: string, principal: string, granted: string, index?: string): string {
  return `action [${action}] is unauthorized for ${principal} with effective roles [wizbridge_writer]${index ? ` on indices [${index}]` : ""}, this action is granted by the ${granted}`;
}

function indexNameProblem(name: string): string | undefined {
  if (name !== name.toLowerCase()) return "must be lowercase";
  if (/[\\/*?"<>| ,#:]/.test(name)) return 'must not contain the following characters [ , ", *, \\, <, |, ,, >, /, ?, #, :]';
  if (/^[-_+]/.test(name)) return "must not start with '_', '-', or '+'";
  return undefined;
}

function unknownMappingType(properties: Record<string, Mapping>, prefix: string, known: ReadonlySet<string>): { type: string; path: string } | undefined {
  for (const [name, mapping] of Object.entries(properties)) {
    const path = prefix ? `${prefix}.${name}` : name;
    if (typeof mapping.type === "string" && !known.has(mapping.type)) return { type: mapping.type, path };
    const fields = mapping.fields as Record<string, Mapping> | undefined;
    if (fields) {
      const found = unknownMappingType(fields, path, known);
      if (found) return found;
    }
    if (mapping.properties) {
      const found = unknownMappingType(mapping.properties, path, known);
      if (found) return found;
    }
  }
  return undefined;
}

/** The first value of `doc` its mapped type refuses (as Elasticsearch's mapper would). */
function valueProblem(doc: Record<string, unknown>, properties: Record<string, Mapping>, prefix: string): { path: string; type: string; value: unknown; cause: string } | undefined {
  for (const [key, value] of Object.entries(doc)) {
    const mapping = properties[key];
    if (mapping === undefined || value === null || value === undefined) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (mapping.enabled === false) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (v === null) continue;
      const type = mapping.type ?? "object";
      if (type === "object" || type === "nested") {
        if (typeof v !== "object") return { path, type, value: v, cause: `object mapping for [${path}] tried to parse field [${key}] as object, but found a concrete value` };
        const found = valueProblem(v as Record<string, unknown>, mapping.properties ?? {}, path);
        if (found) return found;
        continue;
      }
      if (type === "flattened" || type === "flat_object") continue;
      if (typeof v === "object") return { path, type, value: v, cause: `Can't get text on a START_OBJECT at 1:1` };
      const cause = scalarProblem(type, v);
      if (cause) return { path, type, value: v, cause };
    }
  }
  return undefined;
}

function scalarProblem(type: string, value: unknown): string | undefined {
  if (type === "date" || type === "date_nanos") {
    if (typeof value === "number" && Number.isFinite(value)) return undefined;
    if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value))) return undefined;
    return `failed to parse date field [${String(value)}] with format [strict_date_optional_time||epoch_millis]`;
  }
  if (type === "ip") return typeof value === "string" && isIP(value) !== 0 ? undefined : `'${String(value)}' is not an IP string literal.`;
  if (INTEGER_TYPES.has(type)) return (typeof value === "number" || (typeof value === "string" && value.trim() !== "")) && Number.isInteger(Number(value)) ? undefined : `For input string: "${String(value)}"`;
  if (FLOAT_TYPES.has(type)) return (typeof value === "number" || (typeof value === "string" && value.trim() !== "")) && Number.isFinite(Number(value)) ? undefined : `For input string: "${String(value)}"`;
  if (type === "boolean") return typeof value === "boolean" || value === "true" || value === "false" || value === "" ? undefined : `Failed to parse value [${String(value)}] as only [true] or [false] are allowed.`;
  return undefined;
}

/** Elasticsearch's filter_path: comma-separated dot paths, `*` for any one key; arrays are filtered element by element. */
export function applyFilterPath(value: unknown, filterPath: string): unknown {
  const root: FilterNode = { children: new Map(), leaf: false };
  for (const path of filterPath.split(",")) {
    let node = root;
    for (const key of path.trim().split(".")) {
      let child = node.children.get(key);
      if (!child) node.children.set(key, (child = { children: new Map(), leaf: false }));
      node = child;
    }
    node.leaf = true;
  }
  return filterValue(value, root);
}

interface FilterNode {
  children: Map<string, FilterNode>;
  leaf: boolean;
  /** The union of a named child and the `*` child, made once per key. */
  merged?: Map<string, FilterNode>;
}

function childFor(node: FilterNode, key: string): FilterNode | undefined {
  const named = node.children.get(key);
  const any = node.children.get("*");
  if (!named || !any || named === any) return named ?? any;
  node.merged ??= new Map();
  let merged = node.merged.get(key);
  if (!merged) node.merged.set(key, (merged = mergeNodes(named, any)));
  return merged;
}

function mergeNodes(a: FilterNode, b: FilterNode): FilterNode {
  const children = new Map(a.children);
  for (const [key, child] of b.children) children.set(key, children.has(key) ? mergeNodes(children.get(key) as FilterNode, child) : child);
  return { children, leaf: a.leaf || b.leaf };
}

function filterValue(value: unknown, node: FilterNode): unknown {
  if (node.leaf) return value;
  if (Array.isArray(value)) {
    const kept: unknown[] = [];
    for (const v of value) {
      const k = filterValue(v, node);
      if (k !== undefined) kept.push(k);
    }
    return kept.length > 0 ? kept : undefined;
  }
  if (value === null || typeof value !== "object") return undefined;
  let out: Record<string, unknown> | undefined;
  for (const key in value as Record<string, unknown>) {
    const child = childFor(node, key);
    if (!child) continue;
    const kept = filterValue((value as Record<string, unknown>)[key], child);
    if (kept !== undefined) (out ??= {})[key] = kept;
  }
  return out;
}

function globMatch(pattern: string, name: string): boolean {
  if (!pattern.includes("*")) return pattern === name;
  const regex = new RegExp(`^${pattern.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return regex.test(name);
}

function uuid(): string {
  return globalThis.crypto.randomUUID().replace(/-/g, "").slice(0, 22);
}

/**
 * `node elasticsearch-server.js '<options JSON>'`: the fake cluster in a process of its own (the bench runs
 * it beside the sink, as a real cluster would be); prints `listening <url>`.
 */
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const options = JSON.parse(process.argv[2] ?? "{}") as FakeElasticsearchOptions;
  FakeElasticsearchServer.start(options).then(
    (server) => {
      process.stdout.write(`listening ${server.url}\n`);
      process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
