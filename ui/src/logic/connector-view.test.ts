import { describe, expect, it } from "vitest";
import { stateLook } from "./connector-state";
import { isReadOnly, lastError, lastSuccessfulSync, latestRecordsPerStream, type ConnectorView, type RunSummary } from "./connector-view";
import { resultTable } from "./result-table";
import { recordsPerStreamSeries, shortTime } from "./run-chart-data";

const run = (id: number, startedAt: string, streams: Array<[string, number]>, patch: Partial<RunSummary> = {}): RunSummary => ({
  id,
  trigger: "schedule",
  status: "succeeded",
  startedAt,
  endedAt: startedAt,
  error: null,
  streams: streams.map(([stream, records]) => ({ stream, status: "succeeded", pages: 1, records, emitted: records, requests: 1, error: null })),
  ...patch,
});

describe("what a connector tile shows", () => {
  it("each state has a word and a colour (never colour alone); unknown states show their own name", () => {
    const states = ["registered", "scheduled", "processing", "processed", "failed", "disabled"];
    expect(states.map((s) => stateLook(s).label)).toEqual(["Registered", "Scheduled", "Processing", "Processed", "Failed", "Disabled"]);
    expect(new Set(states.map((s) => stateLook(s).tone)).size).toBe(6);
    expect(stateLook("paused")).toMatchObject({ label: "Paused", tone: "neutral" });
  });

  it("records per stream come from the newest run that ran the stream; streams never run show 0", () => {
    const connector: ConnectorView = {
      id: "c",
      state: "processed",
      runs: [run(3, "2026-01-01T00:10:00Z", [["issues", 2]]), run(2, "2026-01-01T00:05:00Z", [["issues", 40], ["projects", 7]])],
      streams: [
        { stream: "issues", cursor: null, fullExportCompletedAt: null, resyncRequested: false, walkInProgress: false, lastSuccessAt: "2026-01-01T00:10:01Z", consecutiveFailures: 0, lastErrorClass: null },
        { stream: "threats", cursor: null, fullExportCompletedAt: null, resyncRequested: false, walkInProgress: false, lastSuccessAt: "2026-01-01T00:11:00Z", consecutiveFailures: 0, lastErrorClass: null },
      ],
    };
    expect(latestRecordsPerStream(connector).map((r) => [r.stream, r.records])).toEqual([
      ["issues", 2],
      ["projects", 7],
      ["threats", 0],
    ]);
    expect(lastSuccessfulSync(connector)).toBe("2026-01-01T00:11:00Z");
    expect(lastError(connector)).toBeNull();
    expect(isReadOnly({ ...connector, source: "config" })).toBe(true);
    expect(isReadOnly({ ...connector, source: "api", readOnly: false })).toBe(false);
  });

  it("the last error is the connector's own with its fix, else the latest run's, else a failing sink's", () => {
    const failedRun = run(5, "2026-01-01T00:00:00Z", [], { status: "failed", error: { code: "UNAUTHENTICATED", message: "Wiz refused the client secret", fix: "Check the secret" } });
    expect(lastError({ id: "c", state: "failed", error: { code: "UNAUTHENTICATED", fix: "Rotate the secret" }, detail: "401 from the token service" })).toEqual({ code: "UNAUTHENTICATED", message: "401 from the token service", fix: "Rotate the secret" });
    expect(lastError({ id: "c", state: "failed", runs: [failedRun] })).toEqual(failedRun.error);
    const sink = { sink: "siem", health: "failing" as const, backlog: 4, lastDeliveredAt: null, failingSince: null, failures: 3, lastError: "HEC said 403" };
    expect(lastError({ id: "c", state: "processed", sinks: [sink] })).toMatchObject({ code: "sink siem failing", message: "HEC said 403" });
  });
});

describe("charts and tables of results", () => {
  it("runs become chart points oldest first, one series per stream", () => {
    const { points, streams } = recordsPerStreamSeries([run(2, "2026-03-04T05:06:07Z", [["issues", 3]]), run(1, "2026-03-04T05:00:00Z", [["issues", 10], ["projects", 1]])]);
    expect(streams).toEqual(["issues", "projects"]);
    expect(points.map((p) => [p.run, p.issues, p.projects])).toEqual([
      [1, 10, 1],
      [2, 3, undefined],
    ]);
    expect(shortTime("2026-03-04T05:06:07.123Z")).toBe("03-04 05:06:07");
  });

  it("an operation's result becomes a table: a page's nodes as rows, an object as field/value rows", () => {
    expect(resultTable({ nodes: [{ id: "a", severity: "HIGH" }, { id: "b", notes: [1] }], pageInfo: {} })).toEqual({
      columns: ["id", "severity", "notes"],
      rows: [
        ["a", "HIGH", ""],
        ["b", "", "[1]"],
      ],
    });
    expect(resultTable({ totalCount: 3, criticalSeverityCount: 1 })).toEqual({ columns: ["field", "value"], rows: [["totalCount", "3"], ["criticalSeverityCount", "1"]] });
    expect(resultTable(["x", "y"])).toEqual({ columns: ["value"], rows: [["x"], ["y"]] });
    expect(resultTable(null)).toEqual({ columns: ["value"], rows: [[""]] });
  });
});
