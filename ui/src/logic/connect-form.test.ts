import { describe, expect, it } from "vitest";
import { connectFormProblems, connectorBodyOf, emptyConnectForm, filtersProblem, formFieldOfIssue, scheduleProblem, testBodyOf, type ConnectForm } from "./connect-form";

function filled(patch: Partial<ConnectForm> = {}): ConnectForm {
  const form = emptyConnectForm();
  return { ...form, id: "prod", region: "us17", clientId: "client-1", clientSecret: "s3cret-value", sinks: ["events"], ...patch };
}

describe("the Connect form", () => {
  it("checks schedules and filters as the config file does, while the user types", () => {
    for (const ok of ["", "once", "30s", "5m", "1h", "1d", "*/15 * * * *"]) expect(scheduleProblem(ok), ok).toBeUndefined();
    expect(scheduleProblem("0m")).toBe("use at least 1s");
    expect(scheduleProblem("every hour")).toMatch(/is not a schedule: use an interval/);
    expect(filtersProblem("")).toBeUndefined();
    expect(filtersProblem('{"severity": ["HIGH"]}')).toBeUndefined();
    expect(filtersProblem('{"severity": ')).toMatch(/^not valid JSON/);
    expect(filtersProblem('["HIGH"]')).toMatch(/must be a JSON object/);
  });

  it("names every missing or wrong field, and asks for an id and a sink only to connect, not to test", () => {
    const empty = emptyConnectForm();
    expect(Object.keys(connectFormProblems(empty, "connect")).sort()).toEqual(["clientId", "clientSecret", "id", "region", "sinks"]);
    expect(Object.keys(connectFormProblems(empty, "test")).sort()).toEqual(["clientId", "clientSecret", "region"]);
    expect(connectFormProblems(filled({ region: "mars" }), "test").region).toContain("is not a Wiz region");
    expect(connectFormProblems(filled({ id: "bad id" }), "connect").id).toContain("letters, digits");
    expect(connectFormProblems(filled({ locate: "endpoint", endpoint: "api.example" }), "test").endpoint).toContain("full API endpoint");
    const streams = { ...filled().streams, issues: { selected: true, schedule: "soon", filters: "{", mode: "" as const } };
    expect(connectFormProblems(filled({ streams }), "connect")).toMatchObject({ "streams.issues.schedule": expect.stringContaining("not a schedule"), "streams.issues.filters": expect.stringContaining("not valid JSON") });
    const none = Object.fromEntries(Object.entries(filled().streams).map(([k, v]) => [k, { ...v, selected: false }]));
    expect(connectFormProblems(filled({ streams: none }), "connect").streams).toBe("pick at least one stream");
    expect(connectFormProblems(filled(), "connect")).toEqual({});
  });

  it("sends a connector entry shaped like the config file's, with only what was filled in", () => {
    const streams = { ...filled().streams, issues: { selected: true, schedule: "5m", filters: '{"status": ["OPEN"]}', mode: "" as const }, cloudResources: { selected: true, schedule: "", filters: "", mode: "snapshot" as const } };
    const body = connectorBodyOf(filled({ streams, output: "map:vm-asset", severityLadder: "four-tier", sampling: true, samplingAssets: "50", tokenUrl: "http://127.0.0.1:9/oauth/token", allowNonWizHosts: true }));
    expect(body).toEqual({
      id: "prod",
      enabled: true,
      connection: { clientId: "client-1", clientSecret: "s3cret-value", tenantType: "commercial", authFlavor: "cognito", region: "us17", tokenUrl: "http://127.0.0.1:9/oauth/token", allowNonWizHosts: true },
      streams: { issues: { schedule: "5m", filters: { status: ["OPEN"] } }, cloudResources: { mode: "snapshot" } },
      sinks: ["events"],
      output: { profile: "map:vm-asset", severityLadder: "four-tier" },
      sampling: { assets: 50 },
    });
    const endpoint = testBodyOf(filled({ locate: "endpoint", endpoint: " https://api.us17.app.wiz.io/graphql " }));
    expect(endpoint.connection).toMatchObject({ endpoint: "https://api.us17.app.wiz.io/graphql" });
    expect(endpoint.connection).not.toHaveProperty("region");
  });

  it("puts a server-side problem beside its field", () => {
    expect(formFieldOfIssue("body.connection.region")).toBe("region");
    expect(formFieldOfIssue("body.connection.clientSecret")).toBe("clientSecret");
    expect(formFieldOfIssue("body.streams.issues.filters.severity.0")).toBe("streams.issues.filters");
    expect(formFieldOfIssue("body.output.profile")).toBe("output");
    expect(formFieldOfIssue("body.id")).toBe("id");
  });
});
