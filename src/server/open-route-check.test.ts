import { describe, expect, it } from "vitest";
import { buildSyncConfig } from "../sync/config-loader.js";
import { isLoopbackHost, openRoutesProblem } from "./open-route-check.js";

const validator = { validate: () => [] } as unknown as Parameters<typeof buildSyncConfig>[1]["validator"];

function config(extra: Record<string, unknown>) {
  return buildSyncConfig(
    {
      connectors: [{ id: "c", connection: { clientId: "id", clientSecret: "secret-0123456789", endpoint: "https://api.us17.app.wiz.io/graphql" }, sinks: ["out"], streams: { issues: true } }],
      sinks: { out: { type: "stdout" } },
      ...extra,
    },
    { baseDir: "/tmp", validator, source: "test", env: {} },
  );
}

describe("routes without credentials beyond loopback", () => {
  it("tells loopback from the network", () => {
    for (const host of ["127.0.0.1", "127.0.0.2", "localhost", "::1"]) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ["0.0.0.0", "10.0.0.5", "::", "wizbridge.internal"]) expect(isLoopbackHost(host)).toBe(false);
  });

  it("refuses public metrics or an ingest source without auth on a network address, naming the key; loopback is fine", () => {
    const open = config({ server: { host: "0.0.0.0", metricsPublic: true }, runtime: { sources: { generic: { auth: { type: "none" } } } } });
    const problem = openRoutesProblem(open, "0.0.0.0");
    expect(problem).toContain("server.metricsPublic");
    expect(problem).toContain("runtime.sources.generic.auth");
    expect(openRoutesProblem(open, "127.0.0.1")).toBeUndefined();
    expect(openRoutesProblem(config({ server: { host: "0.0.0.0" } }), "0.0.0.0")).toBeUndefined();
  });
});
