import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.js";
import { buildSyncConfig, loadSyncConfigFile } from "./config-loader.js";
import { WizFilterValidator } from "./filter-validator.js";
import { loadWizSchema } from "./wiz-schema-file.js";

const validator = new WizFilterValidator(loadWizSchema());
const SECRET = "s3cr3t-value-never-printed";

function valid(): Record<string, unknown> {
  return {
    connectors: [
      {
        id: "prod",
        connection: { clientId: "abc", clientSecret: "${WIZ_SECRET}", region: "us17" },
        sinks: ["events"],
        streams: { issues: { schedule: "5m", filters: { severity: ["HIGH"], status: ["OPEN"] } }, vulnerabilityFindings: { filters: { status: ["OPEN"] } }, projects: true },
      },
    ],
    sinks: { events: { type: "jsonl", directory: "./events" } },
  };
}

function problemsOf(mutate: (c: Record<string, unknown>) => void, env: Record<string, string> = { WIZ_SECRET: SECRET }): ConfigError {
  const config = valid();
  mutate(config);
  try {
    buildSyncConfig(config, { baseDir: "/etc/wizbridge", validator, source: "wizbridge.yaml", env });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

type Connector = Record<string, unknown> & { connection?: Record<string, unknown>; streams: Record<string, Record<string, unknown>> };
const first = (c: Record<string, unknown>): Connector => (c.connectors as Connector[])[0] as Connector;

describe("the connector config file", () => {
  it("builds connectors with defaults, ${ENV} secrets and paths relative to the file", () => {
    const config = buildSyncConfig(valid(), { baseDir: "/etc/wizbridge", validator, source: "wizbridge.yaml", env: { WIZ_SECRET: SECRET } });
    const [prod] = config.connectors;
    expect(prod?.connection.clientSecret).toBe(SECRET);
    expect(prod?.connection.endpoint).toBe("https://api.us17.app.wiz.io/graphql");
    expect(prod?.streams.map((s) => [s.name, s.schedule.source, s.mode])).toEqual([
      ["issues", "5m", "incremental"],
      ["vulnerabilityFindings", "30m", "incremental"],
      ["projects", "24h", "snapshot"],
    ]);
    expect(config.sinks.events).toEqual({ type: "jsonl", directory: "/etc/wizbridge/events" });
    expect(config.storePath).toBe("/etc/wizbridge/data/wizbridge.db");
    expect(JSON.stringify(config)).not.toContain(SECRET);
  });

  it("reads YAML, and `streams: all` selects every stream", () => {
    const yaml = ["connectors:", "  - id: demo", "    connection: {clientId: a, clientSecret: b, region: eu2}", "    sinks: [out]", "    streams: all", "sinks:", "  out: {type: stdout}"].join("\n");
    const config = loadSyncConfigFile("/tmp/wizbridge.yaml", { validator, env: {}, readFile: () => yaml });
    expect(config.connectors[0]?.streams).toHaveLength(9);
  });

  it.each<[string, (c: Record<string, unknown>) => void, string, RegExp]>([
    ["an unknown top-level key", (c) => (c.sink = {}), "sink", /not a known key; did you mean "sinks"/],
    ["a misspelt connector key", (c) => (first(c).stream = {}), "connectors[0].stream", /did you mean "streams"/],
    ["a missing connection", (c) => delete first(c).connection, "connectors[0].connection", /required/],
    ["a missing secret", (c) => delete first(c).connection!.clientSecret, "connectors[0].connection.clientSecret", /clientSecret/],
    ["a bad region", (c) => (first(c).connection!.region = "mars1"), "connectors[0].connection.region", /mars1/],
    ["a bad connector id", (c) => (first(c).id = "my connector"), "connectors[0].id", /letters, digits/],
    ["an unknown stream", (c) => (first(c).streams.issuez = {}), "connectors[0].streams.issuez", /did you mean "issues"/],
    ["an unknown stream setting", (c) => (first(c).streams.issues = { pagesize: 10 }), "connectors[0].streams.issues.pagesize", /did you mean "pageSize"/],
    ["a page size above Wiz's cap", (c) => (first(c).streams.issues = { pageSize: 900 }), "connectors[0].streams.issues.pageSize", /cap of 500/],
    ["a page size that is not a number", (c) => (first(c).streams.issues = { pageSize: "100" }), "connectors[0].streams.issues.pageSize", /expected number/],
    ["a bad schedule", (c) => (first(c).streams.issues = { schedule: "every 5 minutes" }), "connectors[0].streams.issues.schedule", /interval \(30s, 5m/],
    ["a bad cron field", (c) => (first(c).streams.issues = { schedule: "*/5 25 * * *" }), "connectors[0].streams.issues.schedule", /hour field/],
    ["a bad mode", (c) => (first(c).streams.issues = { mode: "full" }), "connectors[0].streams.issues.mode", /incremental.*snapshot/],
    ["an unknown filter key", (c) => (first(c).streams.issues = { filters: { severty: ["HIGH"] } }), "connectors[0].streams.issues.filters.severty", /not defined by type "IssueFilters"/],
    ["a bad enum value in a filter", (c) => (first(c).streams.issues = { filters: { status: ["OPN"] } }), "connectors[0].streams.issues.filters.status[0]", /OPEN/],
    ["a filter in the wrong convention", (c) => (first(c).streams.detections = { filters: { severity: ["HIGH"] } }), "connectors[0].streams.detections.filters.severity", /SeverityFilter/],
    ["a filter on the cursor field", (c) => (first(c).streams.issues = { filters: { updatedAt: { after: "2024-01-01T00:00:00Z" } } }), "connectors[0].streams.issues.filters.updatedAt", /backfillDays/],
    ["a type filter on threats", (c) => (first(c).streams.threats = { filters: { type: ["TOXIC_COMBINATION"] } }), "connectors[0].streams.threats.filters.type", /fixed by the threats stream/],
    ["a sink that does not exist", (c) => (first(c).sinks = ["splunk"]), "connectors[0].sinks[0]", /no sink named "splunk".*defined: events/],
    ["no sinks", (c) => (first(c).sinks = []), "connectors[0].sinks", /at least one sink/],
    ["an unknown sink type", (c) => (c.sinks = { events: { type: "mqtt" } }), "sinks.events.type", /jsonl|stdout/],
    ["a JSONL sink without a directory", (c) => (c.sinks = { events: { type: "jsonl" } }), "sinks.events.directory", /required/],
    ["a negative overlap", (c) => (first(c).overlapSeconds = -5), "connectors[0].overlapSeconds", />=0/],
    ["a duplicate connector id", (c) => (c.connectors = [first(c), { ...first(c) }]), "connectors[1].id", /used by another connector/],
    ["an unset environment variable", (c) => (first(c).connection!.clientSecret = "${WIZ_SECRET_MISSING}"), "connectors[0].connection.clientSecret", /WIZ_SECRET_MISSING, which is not set/],
    ["no connectors", (c) => (c.connectors = []), "connectors", /at least one connector/],
  ])("names the key for %s", (_label, mutate, path, message) => {
    const error = problemsOf(mutate);
    const problem = error.problems.find((p) => p.path === path);
    expect(problem, `${error.message}`).toBeDefined();
    expect(problem?.message).toMatch(message);
    expect(error.message).toContain(`${path}: `);
    expect(error.message).not.toContain(SECRET);
  });

  it("webhook auth and the server section: each mistake names its key, secrets come from ${ENV}", () => {
    const config = valid();
    first(config).webhook = { auth: { type: "bearer", token: "${HOOK_TOKEN}" } };
    config.server = { port: 9911 };
    const built = buildSyncConfig(config, { baseDir: "/etc/wizbridge", validator, source: "wizbridge.yaml", env: { WIZ_SECRET: SECRET, HOOK_TOKEN: "a-long-enough-token" } });
    expect(built.connectors[0]?.webhook).toEqual({ auth: { type: "bearer", token: "a-long-enough-token" } });
    expect(built.server).toEqual({ host: "127.0.0.1", port: 9911, metricsPublic: false });
    const messages = (mutate: (c: Record<string, unknown>) => void): string => problemsOf(mutate).problems.map((p) => `${p.path}: ${p.message}`).join("\n");
    expect(messages((c) => (first(c).webhook = { auth: { type: "hmac", key: "x" } }))).toMatch(/connectors\[0\]\.webhook\.auth\.type: .*bearer/);
    expect(messages((c) => (first(c).webhook = { auth: { type: "bearer", token: "short" } }))).toMatch(/connectors\[0\]\.webhook\.auth\.token: must be at least 8 characters/);
    expect(messages((c) => (first(c).webhook = { auht: {} }))).toMatch(/connectors\[0\]\.webhook\.auht: is not a known key; did you mean "auth"\?/);
    expect(messages((c) => (c.server = { port: 70000 }))).toMatch(/server\.port: /);
  });

  it("the runtime section: validated with the rest, errors name the key, the connector defaults to the only one", () => {
    const config = valid();
    config.runtime = { sources: { falco: { auth: { type: "bearer", token: "${INGEST_TOKEN}" } } }, batchWindowMs: 2000 };
    const built = buildSyncConfig(config, { baseDir: "/etc/wizbridge", validator, source: "wizbridge.yaml", env: { WIZ_SECRET: SECRET, INGEST_TOKEN: "a-sixteen-char-token-or-more" } });
    expect(built.runtime?.connector).toBe("prod");
    expect(built.runtime?.config).toMatchObject({ batchWindowMs: 2000, sources: { falco: { auth: { type: "bearer", token: "a-sixteen-char-token-or-more" } } } });
    const messages = (mutate: (c: Record<string, unknown>) => void): string => problemsOf(mutate).problems.map((p) => `${p.path}: ${p.message}`).join("\n");
    expect(messages((c) => (c.runtime = { sources: { falco: { auth: { type: "bearer", token: "short" } } } }))).toMatch(/runtime\.sources\.falco\.auth\.token: .*16 characters/);
    expect(messages((c) => (c.runtime = { connector: "staging" }))).toMatch(/runtime\.connector: no connector "staging"; use one of: prod/);
    expect(messages((c) => (c.runtime = { batchWindw: 5 }))).toMatch(/runtime\.batchWindw: is not a known key; did you mean "batchWindowMs"\?/);
  });

  it("a file that is not YAML says so, naming the file", () => {
    expect(() => loadSyncConfigFile("/tmp/bad.yaml", { validator, env: {}, readFile: () => "connectors: [\n  - id: x" })).toThrow(/bad\.yaml.*not valid YAML/s);
    expect(() => loadSyncConfigFile("/nonexistent/wizbridge.yaml", { validator, env: {} })).toThrow(/cannot be read.*--config/s);
  });

  it("`${NAME:-default}` falls back and `$${` stays literal", () => {
    const config = valid();
    first(config).connection!.clientSecret = "${WIZ_SECRET_UNSET:-fallback}$${LITERAL}";
    const built = buildSyncConfig(config, { baseDir: "/", validator, source: "x", env: {} });
    expect(built.connectors[0]?.connection.clientSecret).toBe("fallback${LITERAL}");
  });
});

describe("two JSONL sinks on one directory", () => {
  it("are refused at validation, naming sinks.<id>: the same directory however it is spelt", () => {
    const error = problemsOf((c) => (c.sinks = { events: { type: "jsonl", directory: "./events" }, copy: { type: "jsonl", directory: "/etc/wizbridge/events/", fileName: "copy.jsonl" } }));
    const problem = error.problems.find((p) => p.path === "sinks.copy");
    expect(problem, error.message).toBeDefined();
    expect(problem?.message).toMatch(/writes to \/etc\/wizbridge\/events, which sink "events" writes too.*give each sink its own directory/);
    expect(error.message).toContain("sinks.copy: ");
  });
});
