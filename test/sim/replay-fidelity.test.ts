import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { runSyncCommand } from "../../src/cli/sync.command.js";
import { startSimulator, type Simulator } from "../../src/sim/index.js";
import { SimSession } from "../support/sim-session.js";
import { readJsonl, silentLogger, tempDir } from "../sync/sync-fixtures.js";
import { differences, RECORDED_CONFIGURATION_FINDINGS, RECORDED_DETECTIONS, RECORDED_ISSUES, RECORDED_VULNERABILITY_FINDINGS, writeRecordedTenant } from "./replayed-records.js";

type Node = Record<string, unknown>;
const byId = (records: readonly unknown[]): Map<string, Node> => new Map(records.map((r) => [String((r as Node).id), r as Node]));

describe("replaying real-shaped Wiz records through --tenant-dir", () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it("serves each record as recorded: no invented status, updatedAt or timestamp rewrites; missing note and ticket ids derived", async () => {
    const dir = tempDir("wizbridge-replay-");
    writeRecordedTenant(dir);
    sim = await startSimulator({ tenantDir: dir, rateLimit: { requestsPerSecond: 0 } });
    const session = new SimSession(sim);
    const data = await session.data<{ issues: { nodes: Node[] }; configurationFindings: { nodes: Node[] }; vulnerabilityFindings: { nodes: Node[] }; detections: { nodes: Node[] } }>(`{
      issues: issuesV2(first: 10) { nodes { id type status severity createdAt updatedAt statusChangedAt resolvedAt dueAt resolutionReason
        notes { id text createdAt updatedAt } serviceTickets { id externalId name url } } }
      configurationFindings(first: 10) { nodes { id result status analyzedAt updatedAt severity } }
      vulnerabilityFindings(first: 10) { nodes { id status firstDetectedAt lastDetectedAt updatedAt resolvedAt } }
      detections(first: 10, filterBy: {type: {equals: [GENERATED_THREAT, MATCH_ONLY]}}) { nodes { id createdAt updatedAt primaryActor { id name type } } }
    }`);
    const issues = byId(data.issues.nodes);
    for (const recorded of RECORDED_ISSUES as Node[]) {
      const served = issues.get(String(recorded.id));
      expect(differences(served, recorded), String(recorded.id)).toEqual([]);
    }
    const first = issues.get(String((RECORDED_ISSUES[0] as Node).id));
    expect(first).toMatchObject({ updatedAt: "2025-12-28T10:11:12.000001Z", statusChangedAt: "2025-12-22T12:30:00.5Z", createdAt: "2025-12-20T07:56:09.903743Z" });
    const notes = first?.notes as Node[];
    expect(notes.map((n) => n.id)).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/), expect.stringMatching(/^[0-9a-f-]{36}$/)]);
    expect(new Set(notes.map((n) => n.id)).size).toBe(2);
    expect((first?.serviceTickets as Node[])[0]?.id).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
    expect(issues.get(String((RECORDED_ISSUES[1] as Node).id))).toMatchObject({ status: "RESOLVED", resolvedAt: "2025-12-26T16:45:30.25Z", resolutionReason: null });

    const findings = byId(data.configurationFindings.nodes);
    expect(findings.get(String((RECORDED_CONFIGURATION_FINDINGS[0] as Node).id))).toMatchObject({ result: "IN_PROGRESS", status: null, updatedAt: "2025-12-29T03:04:05Z" });
    for (const recorded of RECORDED_CONFIGURATION_FINDINGS as Node[]) expect(differences(findings.get(String(recorded.id)), recorded)).toEqual([]);
    const vulnerability = data.vulnerabilityFindings.nodes[0];
    expect(differences(vulnerability, RECORDED_VULNERABILITY_FINDINGS[0])).toEqual([]);
    expect(vulnerability).toMatchObject({ updatedAt: null, firstDetectedAt: "2025-12-18T10:00:00.1Z", lastDetectedAt: "2025-12-30T10:00:00.100001Z" });
    expect(data.detections.nodes[0]).toMatchObject({ primaryActor: { type: "UNKNOWN" }, updatedAt: "2025-12-29T22:15:00.75Z" });

    // The same derived ids on every load, so a client can delete a recorded note it saw before a restart.
    await sim.close();
    sim = await startSimulator({ tenantDir: dir, rateLimit: { requestsPerSecond: 0 } });
    const again = await new SimSession(sim).data<{ issue: { notes: Node[] } }>(`{ issue(id: "${String((RECORDED_ISSUES[0] as Node).id)}") { notes { id } } }`);
    expect(again.issue.notes.map((n) => n.id)).toEqual(notes.map((n) => n.id));
    const deleted = await new SimSession(sim).data<{ deleteIssueNote: unknown }>(`mutation { deleteIssueNote(input: {id: "${String(notes[0]?.id)}"}) { _stub } }`);
    expect(deleted.deleteIssueNote).toBeDefined();
  });

  // The recorded vulnerability findings carry no updatedAt (public clients never select it): the simulator answers
  // null as recorded, and the sync places them by resolvedAt or lastDetectedAt, as the server orders them.
  it("`wizbridge sync` against the replayed tenant emits every record unchanged in raw, nothing dead-lettered", async () => {
    const dir = tempDir("wizbridge-replay-sync-");
    const tenantDir = join(dir, "tenant");
    mkdirSync(tenantDir);
    writeRecordedTenant(tenantDir);
    sim = await startSimulator({ tenantDir, rateLimit: { requestsPerSecond: 0 } });
    const config = join(dir, "wizbridge.yaml");
    writeFileSync(
      config,
      [
        "connectors:",
        "  - id: replay",
        "    connection:",
        `      clientId: ${sim.clientId}`,
        "      clientSecret: ${SIM_SECRET}",
        `      endpoint: ${sim.graphqlUrl}`,
        `      tokenUrl: ${sim.tokenUrl}`,
        "      allowNonWizHosts: true",
        "    rateLimit: {requestsPerSecond: 0}",
        "    sinks: [events]",
        "    streams:",
        "      issues: {schedule: once}",
        "      configurationFindings: {schedule: once}",
        "      detections: {schedule: once}",
        "      vulnerabilityFindings: {schedule: once}",
        "sinks:",
        "  events: {type: jsonl, directory: ./events}",
      ].join("\n"),
    );
    const out = new PassThrough();
    let text = "";
    out.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
    const code = await runSyncCommand(
      { config, dataDir: join(dir, "data"), connector: [], stream: [], full: false, drainTimeout: 60, logLevel: "silent", seed: 1, json: true },
      { out, env: { SIM_SECRET: sim.clientSecret }, logger: silentLogger },
    );
    expect(code, text).toBe(0);
    const result = JSON.parse(text) as { summaries: Array<{ streams: Array<{ stream: string; emitted: number; deadLettered?: number }> }>; undelivered: number };
    expect(result.undelivered).toBe(0);
    const events = readJsonl(join(dir, "events"));
    const expected: Array<[string, Node[]]> = [
      ["issues", RECORDED_ISSUES as Node[]],
      ["configurationFindings", RECORDED_CONFIGURATION_FINDINGS as Node[]],
      ["detections", RECORDED_DETECTIONS as Node[]],
      ["vulnerabilityFindings", RECORDED_VULNERABILITY_FINDINGS as Node[]],
    ];
    for (const [stream, recorded] of expected) {
      const raws = byId(events.filter((e) => e.stream === stream).map((e) => e.raw));
      expect([...raws.keys()].sort(), stream).toEqual(recorded.map((r) => String(r.id)).sort());
      for (const record of recorded) expect(differences(raws.get(String(record.id)), record), `${stream} ${String(record.id)}`).toEqual([]);
    }
    // What the records lack stays absent (null), rather than invented.
    expect(events.filter((e) => e.stream === "configurationFindings").map((e) => (e.raw as Node).status).sort()).toEqual(["OPEN", null]);
  });

  it("answers a record the schema cannot serve with its path, type and value, and logs the same", async () => {
    const dir = tempDir("wizbridge-replay-bad-");
    const broken = { ...(RECORDED_CONFIGURATION_FINDINGS[1] as Node), id: "2d7b0a6c-8f5e-4b4a-9c3d-9e0f1a2b3c4d", result: "MAYBE" };
    writeRecordedTenant(dir, { configurationFindings: [...(RECORDED_CONFIGURATION_FINDINGS as Node[]), broken] as never });
    const lines: string[] = [];
    const sink = new PassThrough();
    sink.setEncoding("utf8").on("data", (chunk: string) => lines.push(...chunk.split("\n").filter(Boolean)));
    sim = await startSimulator({ tenantDir: dir, rateLimit: { requestsPerSecond: 0 }, logger: pino({ level: "error" }, sink) });
    const response = await new SimSession(sim).query<{ configurationFindings: { nodes: Node[] } | null }>("{ configurationFindings(first: 10) { nodes { id result } } }");
    const [error] = response.body.errors ?? [];
    expect(error?.path).toEqual(["configurationFindings", "nodes", 2, "result"]);
    expect(error?.extensions).toMatchObject({ code: "INTERNAL", type: "ConfigurationFindingResult", value: "MAYBE", path: "configurationFindings.nodes.2.result" });
    expect(error?.message).toMatch(/configurationFindings\.nodes\.2\.result: enum ConfigurationFindingResult cannot represent value "MAYBE".*fix the value in the recorded file/);

    // A nullable field that fails becomes null with its error; the other records of the page are served.
    const nested = await new SimSession(sim).query<{ issues: { nodes: Node[] } }>("{ issues: issuesV2(first: 10) { nodes { id entitySnapshot { id type } } } }");
    expect(nested.body.errors ?? []).toEqual([]);

    for (let i = 0; i < 100 && !lines.some((l) => l.includes("MAYBE")); i += 1) await new Promise((r) => setTimeout(r, 20));
    const logged = lines.map((l) => JSON.parse(l) as Node).find((l) => l.value === "MAYBE");
    expect(logged).toMatchObject({ path: "configurationFindings.nodes.2.result", type: "ConfigurationFindingResult", value: "MAYBE" });
    expect(String(logged?.msg)).toContain("configurationFindings.nodes.2.result");
  });
});
