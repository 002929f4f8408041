import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { request } from "undici";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { encodedApiKey, FakeElasticsearchServer, type FakeElasticsearchOptions } from "../../bench/fakes/elasticsearch-server.js";
import { SinkRejectedError, SinkUnavailableError, type SinkRecord, type SinkTestStep } from "../../src/sinks/sink.js";
import { ClusterSetupError } from "../../src/sinks/elasticsearch/cluster-failure.js";
import { ElasticsearchSink } from "../../src/sinks/elasticsearch/elasticsearch.sink.js";
import { describeSearchSink, elasticsearchSinkSchema, opensearchSinkSchema, type SearchSinkSettings } from "../../src/sinks/elasticsearch/elasticsearch.sink-type.js";

const SENTINEL = "SENTINEL-SECRET-123";
const OBSERVED = "2025-03-04T05:06:07.000Z";

/** One WizEvent as the outbox hands it over. */
function event(n: number, stream = "issues", record: Record<string, unknown> = {}, connector = "prod"): SinkRecord {
  const id = `wiz-${stream}-${n}-v1`;
  const payload = JSON.stringify({ id, source: "wiz", kind: "upsert", connector, stream, observedAt: OBSERVED, profile: "canonical", record: { id: `r${n}`, title: `Finding ${n}`, ...record }, raw: { id: `r${n}`, deep: { a: [1, 2] } } });
  return { seq: n, eventId: id, connectorId: connector, stream, payload };
}

function capture(): { logger: pino.Logger; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString("utf8"));
      callback();
    },
  });
  return { logger: pino({ level: "trace" }, stream), text: () => chunks.join("") };
}

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()?.close();
});

async function fake(options: FakeElasticsearchOptions = {}): Promise<FakeElasticsearchServer> {
  const server = await FakeElasticsearchServer.start(options);
  open.push(server);
  return server;
}

function sink(settings: Partial<SearchSinkSettings> & { url: string }, logger = capture().logger, id = "es"): ElasticsearchSink {
  const parsed = (settings.type === "opensearch" ? opensearchSinkSchema : elasticsearchSinkSchema).parse({ type: "elasticsearch", ...settings });
  const created = new ElasticsearchSink(id, parsed, { logger, baseDir: process.cwd(), now: () => Date.parse("2025-06-01T00:00:00Z") });
  open.push(created);
  return created;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the write to fail");
}

const parse = (r: SinkRecord): Record<string, unknown> => JSON.parse(r.payload) as Record<string, unknown>;

describe("elasticsearch sink against the fake cluster", () => {
  it("writes each stream to its own index, the WizEvent as the document with _id = event id and @timestamp = observedAt", async () => {
    const es = await fake();
    const s = sink({ url: es.url });
    const batch = [event(1), event(2, "vulnerabilityFindings", { cve: "CVE-2024-1" }), event(3)];
    await s.write(batch);
    const issues = es.documents("wiz-issues");
    expect([...issues.keys()].sort()).toEqual([batch[0]?.eventId, batch[2]?.eventId].sort());
    expect(issues.get(batch[0]?.eventId as string)).toEqual({ "@timestamp": OBSERVED, ...parse(batch[0] as SinkRecord) });
    expect(es.documents("wiz-vulnerability-findings").get(batch[1]?.eventId as string)).toEqual({ "@timestamp": OBSERVED, ...parse(batch[1] as SinkRecord) });
    const bulk = es.requests.find((r) => r.path === "/_bulk");
    expect(bulk?.contentType).toBe("application/x-ndjson");
    expect(bulk?.query.filter_path).toBe("errors,items.*._index,items.*._id,items.*.status,items.*.error");
    expect(bulk?.query.refresh).toBeUndefined();
    expect(bulk?.query.pipeline).toBeUndefined();
  });

  it("routes by connector too, and sends pipeline and refresh when set", async () => {
    const es = await fake({ pipelines: ["wiz-enrich"] });
    const s = sink({ url: es.url, index: "wiz-{connector}-{stream}", pipeline: "wiz-enrich", refresh: "wait_for" });
    await s.write([event(1, "auditLogEntries", {}, "Prod_EU")]);
    expect(es.documents("wiz-prod-eu-audit-log-entries").size).toBe(1);
    expect(es.requests.find((r) => r.path === "/_bulk")?.query).toMatchObject({ pipeline: "wiz-enrich", refresh: "wait_for" });
  });

  it("dedupes a redelivery: index mode overwrites by _id", async () => {
    const es = await fake();
    const s = sink({ url: es.url });
    const batch = Array.from({ length: 20 }, (_, i) => event(i));
    await s.write(batch);
    await s.write(batch);
    await s.write(batch.slice(5, 10));
    expect(es.documents("wiz-issues").size).toBe(20);
  });

  it("data-stream mode: setup makes the target a data stream; create ops carry @timestamp; a redelivery's 409 counts as delivered", async () => {
    const es = await fake();
    const s = sink({ url: es.url, mode: "data-stream" });
    const done = await s.setup();
    expect(done.some((line) => /installed index template wizbridge-es \(pattern wiz-\*, data stream/.test(line))).toBe(true);
    const batch = [event(1), event(2), event(3, "cloudResources")];
    await s.write(batch);
    expect(es.isDataStream("wiz-issues")).toBe(true);
    expect(es.isDataStream("wiz-cloud-resources")).toBe(true);
    expect(es.documents("wiz-issues").get(batch[0]?.eventId as string)).toEqual({ "@timestamp": OBSERVED, ...parse(batch[0] as SinkRecord) });
    await s.write(batch); // every item answers 409 version_conflict_engine_exception
    await s.write([...batch, event(4)]);
    expect(es.documents("wiz-issues").size).toBe(3);
    expect(es.names().indices.every((name) => name.startsWith(".ds-wiz-"))).toBe(true);
  });

  it("partial failure: refused items dead-lettered with the cluster's reason, throttled items neither accepted nor refused, accepted set exact", async () => {
    const es = await fake();
    const { logger, text } = capture();
    const s = sink({ url: es.url }, logger);
    const good = [event(1), event(2)];
    const throttled = [event(3, "issues", { esFakeFault: "429-once" }), event(4, "issues", { esFakeFault: "429-once" })];
    const bad = [event(5, "issues", { esFakeFault: "mapping" }), event(6, "issues", { esFakeFault: "mapping" })];
    const batch = [good[0], throttled[0], bad[0], good[1], throttled[1], bad[1]] as SinkRecord[];
    const error = await rejection(s.write(batch));
    expect(error).toBeInstanceOf(SinkRejectedError);
    const refused = error as SinkRejectedError;
    expect([...refused.rejected.keys()].sort()).toEqual(bad.map((r) => r.eventId).sort());
    expect(refused.rejected.get(bad[0]?.eventId as string)).toMatch(/^400 document_parsing_exception: \[1:1\] failed to parse field \[record\.esFakeFault\] of type \[long\]/);
    expect([...(refused.accepted ?? [])].sort()).toEqual(good.map((r) => r.eventId).sort());
    expect(refused.message).toMatch(/took 2 of 6 events, refused 2 for good .*could not take 2 now \(first: 429 es_rejected_execution_exception/);
    expect(text()).toMatch(/refused some events for good/);
    // The dispatcher writes the rest again (the throttled ones): now they land.
    await s.write(throttled);
    expect([...es.documents("wiz-issues").keys()].sort()).toEqual([...good, ...throttled].map((r) => r.eventId).sort());
  });

  it("all items throttled: SinkUnavailableError (backoff), nothing dead-lettered", async () => {
    const es = await fake();
    const s = sink({ url: es.url });
    const error = await rejection(s.write([event(1, "issues", { esFakeFault: "429" }), event(2, "issues", { esFakeFault: "429" })]));
    expect(error).toBeInstanceOf(SinkUnavailableError);
    expect(error.message).toMatch(/could not take any of 2 events now \(429 es_rejected_execution_exception/);
  });

  it("whole-request 429 is SinkUnavailableError with the Retry-After wait; the next write goes through", async () => {
    const es = await fake();
    const s = sink({ url: es.url });
    es.throttleNextBulk(1, 7);
    const error = await rejection(s.write([event(1)]));
    expect(error).toBeInstanceOf(SinkUnavailableError);
    expect((error as SinkUnavailableError).retryAfterMs).toBe(7000);
    expect(error.message).toMatch(/is throttling \(429 Too Many Requests\), Retry-After 7 s: es_rejected_execution_exception/);
    await s.write([event(1)]);
    expect(es.documents("wiz-issues").size).toBe(1);
  });

  it("413 splits the batch until it fits; an event too large on its own is refused with the reason", async () => {
    const es = await fake({ maxContentLength: 2500 });
    const s = sink({ url: es.url });
    const batch = Array.from({ length: 8 }, (_, i) => event(i, "issues", { pad: "x".repeat(300) }));
    await s.write(batch);
    expect(es.documents("wiz-issues").size).toBe(8);
    expect(es.requests.filter((r) => r.path === "/_bulk").length).toBeGreaterThan(2);
    const huge = event(99, "issues", { pad: "y".repeat(4000) });
    const error = await rejection(s.write([event(50), huge]));
    expect(error).toBeInstanceOf(SinkRejectedError);
    expect((error as SinkRejectedError).rejected.get(huge.eventId)).toMatch(/^413 request_entity_too_large: .*http\.max_content_length/);
    expect([...((error as SinkRejectedError).accepted ?? [])]).toEqual([event(50).eventId]);
  });

  it("set-up problems are retried with the fix, never dead-lettered: wrong credentials, missing privilege, missing pipeline, no auto-create", async () => {
    const es = await fake({ users: { writer: "right-password" } });
    const wrong = await rejection(sink({ url: es.url, auth: { type: "basic", username: "writer", password: "wrong-password" } }).write([event(1)]));
    expect(wrong).toBeInstanceOf(ClusterSetupError);
    expect(wrong.message).toMatch(/refused the credentials \(401: security_exception: unable to authenticate user \[writer\] for REST request \[\/_bulk\]\)\. Fix: check auth\.username and auth\.password/);

    const writer = sink({ url: es.url, auth: { type: "basic", username: "writer", password: "right-password" }, pipeline: "missing" });
    const pipeline = await rejection(writer.write([event(1)]));
    expect(pipeline).toBeInstanceOf(ClusterSetupError);
    expect(pipeline.message).toMatch(/pipeline with id \[missing\] does not exist.*Fix: create the ingest pipeline missing/);

    es.denyWrites = true;
    const denied = await rejection(sink({ url: es.url, auth: { type: "basic", username: "writer", password: "right-password" } }).write([event(1), event(2)]));
    expect(denied).toBeInstanceOf(ClusterSetupError);
    expect(denied.message).toMatch(/is unauthorized for user \[writer\].*Fix: grant the sink's user the index privileges index, create_index and auto_configure \(index ops overwrite by _id, which create_doc does not allow\) on "wiz-\*"/);

    const strict = await fake({ autoCreateIndex: false });
    const missing = await rejection(sink({ url: strict.url }).write([event(1)]));
    expect(missing.message).toMatch(/index_not_found_exception.*Fix: the cluster does not create indices on first write/);
  });

  it("setup installs the template with ECS types for record, is idempotent, and the mapping then refuses a malformed ECS field", async () => {
    const es = await fake();
    const s = sink({ url: es.url, recordMappings: "ecs" });
    const first = await s.setup();
    expect(first[0]).toBe("reached Elasticsearch 8.15.3 at " + es.url);
    expect(first[1]).toMatch(/^installed index template wizbridge-es \(pattern wiz-\*, raw stored only, record typed from ECS \(\d+ mapped fields\), priority 200\)$/);
    const body = es.template("wizbridge-es") as { index_patterns: string[]; template: { mappings: { properties: Record<string, { type?: string; enabled?: boolean; properties?: Record<string, { properties?: Record<string, { type?: string }> }> }> } } };
    expect(body.index_patterns).toEqual(["wiz-*"]);
    const props = body.template.mappings.properties;
    expect(props.id?.type).toBe("keyword");
    expect(props.observedAt?.type).toBe("date");
    expect(props.raw).toEqual({ type: "object", enabled: false });
    expect(props.record?.properties?.event?.properties?.created?.type).toBe("date");
    expect(props.record?.properties?.host?.properties?.ip?.type).toBe("ip");

    const again = await s.setup();
    expect(again[1]).toMatch(/is already installed and up to date$/);
    expect(es.requests.filter((r) => r.method === "PUT" && r.path.startsWith("/_index_template/")).length).toBe(1);

    const good = event(1, "issues", { event: { created: "2025-01-01T00:00:00Z", severity: 3 }, host: { ip: ["10.0.0.1", "fe80::1"] } });
    const bad = event(2, "issues", { event: { created: "last tuesday" } });
    const error = await rejection(s.write([good, bad]));
    expect((error as SinkRejectedError).rejected.get(bad.eventId)).toMatch(
      /failed to parse field \[record\.event\.created\] of type \[date\].*\(caused by illegal_argument_exception: failed to parse date field \[last tuesday\]/,
    );
    expect([...((error as SinkRejectedError).accepted ?? [])]).toEqual([good.eventId]);
  });

  it("setup on OpenSearch uses flat_object; it warns about plain indices in data-stream mode and names the privilege when refused", async () => {
    const os = await fake({ flavor: "opensearch" });
    const s = sink({ type: "opensearch", url: os.url, storeRaw: "indexed", recordMappings: "ecs", mode: "data-stream" });
    os.createIndex("wiz-issues");
    const done = await s.setup();
    expect(done[0]).toBe(`reached OpenSearch 2.17.1 at ${os.url}`);
    expect(done.join("\n")).toMatch(/WARNING: wiz-issues is a plain index, not a data stream: events keep going there/);
    const body = os.template("wizbridge-es") as { data_stream?: unknown; template: { mappings: { properties: { raw: { type: string } } } } };
    expect(body.template.mappings.properties.raw.type).toBe("flat_object");
    expect(body.data_stream).toEqual({});

    const es = await fake();
    const mismatch = await rejection(sink({ type: "opensearch", url: es.url }).setup());
    expect(mismatch.message).toMatch(/the cluster is Elasticsearch 8\.15\.3 but the sink's type is opensearch.*Fix: change the sink's type to elasticsearch/);

    es.denyTemplates = true;
    const denied = await rejection(sink({ url: es.url }).setup());
    expect(denied.message).toMatch(/refused to install wizbridge-es \(403: security_exception.*Fix: `wizbridge sink setup` needs the cluster privilege manage_index_templates/);
  });

  it("selfTest passes end to end and leaves nothing behind (data stream: deleted through its backing index)", async () => {
    const es = await fake({ apiKeys: [{ id: "k1", key: "writer-key-0001" }] });
    const s = sink({ url: es.url, mode: "data-stream", auth: { type: "apiKey", apiKey: encodedApiKey("k1", "writer-key-0001") } });
    await s.setup();
    const steps = await s.selfTest();
    expect(steps.map((x) => [x.step, x.ok])).toEqual([
      ["reach the cluster", true],
      ["authenticate", true],
      ["index template wizbridge-es", true],
      ["write a test event to wiz-issues", true],
      ["delete the test event", true],
    ]);
    expect(steps[0]?.detail).toBe(`Elasticsearch 8.15.3 (cluster fake-cluster) at ${es.url}, over plain http`);
    expect(steps[3]?.detail).toMatch(/in \.ds-wiz-issues-.* \(backing index of wiz-issues\)/);
    expect(es.documents("wiz-issues").size).toBe(0);
  });

  it("selfTest fails with a fix: wrong key, missing template, unreachable, and warns on the other engine", async () => {
    const es = await fake({ apiKeys: [{ id: "k1", key: "writer-key-0001" }] });
    const wrongKey = await sink({ url: es.url, auth: { type: "apiKey", apiKey: encodedApiKey("k1", "not-the-key") } }).selfTest();
    expect(wrongKey.at(-1)).toMatchObject({ step: "authenticate", ok: false });
    expect(wrongKey.at(-1)?.fix).toMatch(/check auth\.apiKey of sink es: it must be the `encoded` value/);

    const noTemplate = await sink({ url: es.url, auth: { type: "apiKey", apiKey: encodedApiKey("k1", "writer-key-0001") } }).selfTest();
    expect(noTemplate.slice(2).map((x) => [x.step, x.ok])).toEqual([
      ["index template wizbridge-es", false],
      ["write a test event to wiz-issues", false],
    ]);
    expect(noTemplate[2]?.fix).toMatch(/run `wizbridge sink setup es`/);
    expect(es.names().indices).toEqual([]);

    const closed = await fake();
    const url = closed.url;
    await closed.close();
    const down = await sink({ url }).selfTest();
    expect(down).toEqual([expect.objectContaining({ step: "reach the cluster", ok: false, detail: expect.stringMatching(/connection was refused/) as unknown })]);
    expect(down[0]?.fix).toMatch(/check that Elasticsearch is running and listening on the port in url/);

    const os = await fake({ flavor: "opensearch" });
    const mismatch = await sink({ url: os.url }).selfTest();
    expect(mismatch[0]).toMatchObject({ step: "reach the cluster", ok: true });
    expect(mismatch[0]?.detail).toMatch(/WARNING: the cluster is OpenSearch 2\.17\.1 but the sink's type is elasticsearch/);

    const secured = await fake({ flavor: "opensearch", users: { admin: "admin-password" } });
    const osWrong = await sink({ type: "opensearch", url: secured.url, auth: { type: "basic", username: "admin", password: "nope" } }).selfTest();
    expect(osWrong.at(-1)).toMatchObject({ step: "authenticate", ok: false, detail: "401: Unauthorized" });

    const writer = await fake();
    writer.denyDelete = true;
    const s = sink({ url: writer.url });
    await s.setup();
    const noDelete = await s.selfTest();
    expect(noDelete.at(-1)).toMatchObject({ step: "delete the test event", ok: false });
    expect(noDelete.at(-1)?.fix).toMatch(/delivery does not need it.*DELETE wiz-issues\/_doc\/wizbridge-sink-test-es-/);
  });

  it("the sentinel secret appears in no error, log line, description or selfTest step", async () => {
    const encodedBasic = Buffer.from(`writer:${SENTINEL}`).toString("base64");
    const apiKey = encodedApiKey("k9", SENTINEL);
    const es = await fake({ users: { writer: "other" }, flavor: "elasticsearch" });
    const { logger, text } = capture();
    const outputs: string[] = [];
    for (const auth of [{ type: "basic" as const, username: "writer", password: SENTINEL }, { type: "apiKey" as const, apiKey }]) {
      const settings = { url: es.url.replace("127.0.0.1", "localhost"), auth };
      const s = sink(settings, logger);
      outputs.push(describeSearchSink("es", elasticsearchSinkSchema.parse({ type: "elasticsearch", ...settings })));
      outputs.push((await rejection(s.write([event(1)]))).message);
      outputs.push(JSON.stringify(await s.selfTest()));
      outputs.push((await rejection(s.setup())).message);
    }
    // A cluster without security that echoes each sink's own credentials back.
    const open = await fake();
    for (const [auth, echoed] of [
      [{ type: "basic" as const, username: "writer", password: SENTINEL }, `${SENTINEL} ${encodedBasic}`],
      [{ type: "apiKey" as const, apiKey }, `${apiKey} ${SENTINEL}`],
    ] as const) {
      open.itemFault = () => ({ status: 400, type: "mapper_parsing_exception", reason: `echo ${echoed}` });
      const refused = (await rejection(sink({ url: open.url, auth }, logger).write([event(1)]))) as SinkRejectedError;
      outputs.push(refused.message, ...refused.rejected.values());
    }
    const all = `${outputs.join("\n")}\n${text()}`;
    expect(all).toContain("[redacted]");
    for (const secret of [SENTINEL, encodedBasic, apiKey]) expect(all).not.toContain(secret);
  });
});

describe("elasticsearch sink over TLS (a private CA, as Elasticsearch 8 sets up)", () => {
  let dir = "";
  let reason: string | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "wizbridge-es-tls-"));
    try {
      const run = (...args: string[]): void => void execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
      const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
      run("req", "-x509", ...ec, "-keyout", "ca.key", "-out", "http_ca.crt", "-days", "2", "-subj", "/CN=Elasticsearch security auto-configuration HTTP CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
      run("req", ...ec, "-keyout", "http.key", "-out", "http.csr", "-subj", "/CN=127.0.0.1");
      writeFileSync(join(dir, "ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
      run("x509", "-req", "-in", "http.csr", "-CA", "http_ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "http.crt", "-days", "2", "-extfile", "ext.cnf");
    } catch (error) {
      reason = `openssl could not make a test CA (${error instanceof Error ? error.message.split("\n")[0] : String(error)}); install openssl`;
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const skipped = (): boolean => {
    if (reason === undefined) return false;
    if (process.env.CI === "true") throw new Error(reason);
    console.warn(`skipped: ${reason}`);
    return true;
  };

  it("delivers and passes selfTest with tls.caFile; without it, selfTest and write name tls.caFile", async () => {
    if (skipped()) return;
    const es = await fake({ tls: { key: readFileSync(join(dir, "http.key")), cert: readFileSync(join(dir, "http.crt")) } });
    const trusted = sink({ url: es.url, tls: { caFile: join(dir, "http_ca.crt") } });
    await trusted.setup();
    await trusted.write([event(1)]);
    expect(es.documents("wiz-issues").size).toBe(1);
    const steps = await trusted.selfTest();
    expect(steps.every((x) => x.ok)).toBe(true);
    expect(steps[0]?.detail).toMatch(/over TLS, certificate verified$/);

    const untrusted = sink({ url: es.url });
    const failed = await untrusted.selfTest();
    expect(failed).toEqual([expect.objectContaining({ step: "reach the cluster", ok: false, detail: expect.stringMatching(/TLS handshake failed/) as unknown })]);
    expect(failed[0]?.fix).toMatch(/set tls\.caFile to that CA's PEM file/);
    const error = await rejection(untrusted.write([event(2)]));
    expect(error).toBeInstanceOf(SinkUnavailableError);
    expect(error.message).toMatch(/TLS handshake failed.*tls\.caFile/);
  });
});

/** Opt-in runs against a real cluster: WIZBRIDGE_TEST_ELASTICSEARCH_URL / WIZBRIDGE_TEST_OPENSEARCH_URL (+ _API_KEY or _USERNAME/_PASSWORD, _CA_FILE). */
for (const flavor of ["elasticsearch", "opensearch"] as const) {
  const prefix = `WIZBRIDGE_TEST_${flavor.toUpperCase()}`;
  const url = process.env[`${prefix}_URL`];
  if (!url) console.info(`[elasticsearch sink] real ${flavor} tests skipped: set ${prefix}_URL (and ${prefix}_API_KEY or ${prefix}_USERNAME/${prefix}_PASSWORD, ${prefix}_CA_FILE) to run them.`);
  describe.skipIf(!url)(`elasticsearch sink against a real ${flavor} cluster (${prefix}_URL)`, () => {
    const env = (name: string): string | undefined => process.env[`${prefix}_${name}`];
    const auth = env("API_KEY")
      ? { type: "apiKey" as const, apiKey: env("API_KEY") as string }
      : env("USERNAME")
        ? { type: "basic" as const, username: env("USERNAME") as string, password: env("PASSWORD") ?? "" }
        : undefined;
    const tls = env("CA_FILE") ? { caFile: env("CA_FILE") as string } : undefined;

    async function raw(method: "GET" | "DELETE", path: string): Promise<{ status: number; body: unknown }> {
      const headers: Record<string, string> = {};
      if (auth?.type === "apiKey") headers.authorization = `ApiKey ${auth.apiKey}`;
      if (auth?.type === "basic") headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`;
      const response = await request(`${(url as string).replace(/\/+$/, "")}${path}`, { method, headers });
      const text = await response.body.text();
      return { status: response.statusCode, body: text ? (JSON.parse(text) as unknown) : undefined };
    }

    for (const mode of ["index", "data-stream"] as const) {
      it(`${mode} mode: setup, write, dedupe, partial refusal, selfTest, clean up`, async () => {
        const run = `wizbridge-test-${Date.now().toString(36)}-${mode === "index" ? "i" : "d"}`;
        const id = run.replace(/^wizbridge-/, "");
        const s = sink({ type: flavor, url: url as string, ...(auth ? { auth } : {}), ...(tls ? { tls } : {}), index: `${run}-{stream}`, mode, refresh: "wait_for", recordMappings: "ecs" }, capture().logger, id);
        try {
          expect((await s.setup()).join("\n")).toMatch(/installed index template/);
          const batch = Array.from({ length: 10 }, (_, i) => event(i, "issues", { event: { created: OBSERVED } }));
          await s.write(batch);
          await s.write(batch);
          const count = await raw("GET", `/${run}-issues/_count`);
          expect((count.body as { count: number }).count).toBe(10);
          const bad = event(50, "issues", { event: { created: "not a date" } });
          const error = await rejection(s.write([event(51), bad]));
          expect((error as SinkRejectedError).rejected.get(bad.eventId)).toMatch(/failed to parse field \[record\.event\.created\] of type \[date\]/);
          const steps: SinkTestStep[] = await s.selfTest();
          expect(steps.filter((x) => !x.ok)).toEqual([]);
        } finally {
          // Explicit names: clusters refuse wildcard deletes by default (action.destructive_requires_name).
          await raw("DELETE", mode === "data-stream" ? `/_data_stream/${run}-issues` : `/${run}-issues`);
          await raw("DELETE", `/_index_template/wizbridge-${id}`);
        }
      });
    }
  });
}
