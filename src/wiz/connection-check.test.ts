import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer as createTlsServer } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "../sim/index.js";
import { checkConnection, DEFAULT_FEATURES, type ConnectionCheckResult } from "./connection-check.js";
import { resolveConnectionSettings } from "./connection-settings.js";
import { simSettings, startTestSimulator } from "./sim-client.test-fixtures.js";

const summary = (checks: ConnectionCheckResult[]): string[] => checks.map((c) => `${c.check}:${c.subject}:${c.status}`);

describe("checkConnection against the simulator", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startTestSimulator({
      serviceAccounts: [
        { name: "all", scopes: ["read:issues", "read:vulnerabilities", "read:resources", "read:detections", "read:projects", "create:external_data_ingestion"] },
        { name: "issues-only", scopes: ["read:issues"] },
        { name: "every-stream", scopes: ["read:issues", "read:vulnerabilities", "read:resources", "read:detections", "read:projects", "read:cloud_configuration", "admin:audit"] },
      ],
    });
  });
  afterAll(async () => {
    await sim.close();
  });

  it("passes every check for a fully scoped account, skipping TLS on the http endpoint", async () => {
    const report = await checkConnection(resolveConnectionSettings(simSettings(sim)), { requestsPerSecond: 0, features: ["issues", "detections", "push"] });
    expect(report.ok).toBe(true);
    const host = new URL(sim.graphqlUrl).host;
    expect(summary(report.checks)).toEqual([
      `network:${host}:pass`,
      `tls:${host}:skip`,
      `authentication:${host}:pass`,
      "authorization:issues:pass",
      "authorization:detections:pass",
      "authorization:push:pass",
      "data:issues:pass",
      "data:detections:pass",
    ]);
    expect(report.checks.find((c) => c.check === "data" && c.subject === "issues")?.detail).toMatch(/read 1 record \(id [0-9a-f-]{36}\)/);
    // The push probe must not reserve an upload slot.
    expect(sim.requests.list({ rootField: "requestSecurityScanUpload" }).every((r) => r.errorCodes?.includes("BAD_USER_INPUT"))).toBe(true);
  });

  it("covers every pull stream by default: configuration findings, threats, audit log and repositories too", async () => {
    const account = sim.serviceAccounts.find((a) => a.name === "every-stream");
    const report = await checkConnection(resolveConnectionSettings(simSettings(sim, { clientId: account?.clientId, clientSecret: account?.clientSecret })), { requestsPerSecond: 0 });
    expect(report.ok).toBe(true);
    expect(DEFAULT_FEATURES).toHaveLength(9);
    for (const stream of DEFAULT_FEATURES) {
      expect(report.checks.find((c) => c.check === "authorization" && c.subject === stream)?.status, `authorization ${stream}`).toBe("pass");
      expect(report.checks.find((c) => c.check === "data" && c.subject === stream)?.status, `data ${stream}`).toBe("pass");
    }
    // Without admin:audit the audit log line fails with the scope to grant, and the others still pass.
    const limited = sim.serviceAccounts.find((a) => a.name === "all");
    const partial = await checkConnection(resolveConnectionSettings(simSettings(sim, { clientId: limited?.clientId, clientSecret: limited?.clientSecret })), { requestsPerSecond: 0, features: ["auditLogEntries", "configurationFindings", "threats", "versionControlResources"] });
    expect(summary(partial.checks).filter((line) => line.startsWith("authorization"))).toEqual([
      "authorization:auditLogEntries:fail",
      "authorization:configurationFindings:fail",
      "authorization:threats:pass",
      "authorization:versionControlResources:pass",
    ]);
    expect(partial.checks.find((c) => c.subject === "auditLogEntries" && c.check === "authorization")?.fix).toMatch(/grant admin:audit/);
  });

  it("names the scope to grant for each feature a limited account cannot read, and skips its data fetch", async () => {
    const limited = sim.serviceAccounts.find((a) => a.name === "issues-only");
    const report = await checkConnection(resolveConnectionSettings(simSettings(sim, { clientId: limited?.clientId, clientSecret: limited?.clientSecret })), { requestsPerSecond: 0 });
    expect(report.ok).toBe(false);
    const vulns = report.checks.find((c) => c.check === "authorization" && c.subject === "vulnerabilityFindings");
    expect(vulns).toMatchObject({ status: "fail", scopes: ["read:vulnerabilities"] });
    expect(vulns?.fix).toMatch(/grant read:vulnerabilities/);
    expect(report.checks.find((c) => c.check === "data" && c.subject === "vulnerabilityFindings")?.status).toBe("skip");
    expect(report.checks.find((c) => c.check === "data" && c.subject === "issues")?.status).toBe("pass");
  });

  it("fails authentication with a fix for a wrong secret, without echoing it, and skips what depends on it", async () => {
    const secret = "definitely-not-the-secret-0123456789";
    const report = await checkConnection(resolveConnectionSettings(simSettings(sim, { clientSecret: secret })), { requestsPerSecond: 0, features: ["issues"] });
    expect(report.ok).toBe(false);
    const auth = report.checks.find((c) => c.check === "authentication");
    expect(auth).toMatchObject({ status: "fail", fix: expect.stringMatching(/client id and secret/) });
    expect(summary(report.checks).slice(-2)).toEqual(["authorization:issues:skip", "data:issues:skip"]);
    expect(JSON.stringify(report)).not.toContain(secret);
  });

  it("fails reachability for a port nobody listens on and skips the rest", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const settings = resolveConnectionSettings(simSettings(sim, { endpoint: `http://127.0.0.1:${port}/graphql`, tokenUrl: `http://127.0.0.1:${port}/oauth/token` }));
    const report = await checkConnection(settings, { features: ["issues"] });
    expect(summary(report.checks)).toEqual([`network:127.0.0.1:${port}:fail`, `tls:127.0.0.1:${port}:skip`, `authentication:127.0.0.1:${port}:skip`, "authorization:issues:skip", "data:issues:skip"]);
    expect(report.checks[0]?.detail).toMatch(/ECONNREFUSED/);
  });

  it("reports a DNS failure with the region hint", async () => {
    const settings = resolveConnectionSettings({ clientId: "id", clientSecret: "secret", region: "us99" });
    const report = await checkConnection(settings, {
      features: ["issues"],
      lookup: () => Promise.reject(Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" })),
    });
    expect(report.checks[0]).toMatchObject({ check: "network", status: "fail", detail: expect.stringMatching(/api\.us99\.app\.wiz\.io.*ENOTFOUND/) });
    expect(report.checks[0]?.fix).toMatch(/Tenant Info/);
  });

  it("fails the TLS check on an untrusted certificate with the --ca-file fix, and passes once the CA is given", async (context) => {
    const dir = mkdtempSync(join(tmpdir(), "wizbridge-tls-"));
    try {
      try {
        execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")], { stdio: "ignore" });
      } catch {
        context.skip();
      }
      const cert = readFileSync(join(dir, "cert.pem"), "utf8");
      const server = createTlsServer({ key: readFileSync(join(dir, "key.pem")), cert }, (socket) => socket.end());
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const port = (server.address() as { port: number }).port;
      try {
        const base = { endpoint: `https://127.0.0.1:${port}/graphql`, tokenUrl: `https://127.0.0.1:${port}/oauth/token` };
        const untrusted = await checkConnection(resolveConnectionSettings(simSettings(sim, base)), { features: ["issues"] });
        expect(untrusted.checks[1]).toMatchObject({ check: "tls", status: "fail", fix: expect.stringMatching(/--ca-file/) });
        expect(untrusted.checks[2]?.status).toBe("skip");
        const trusted = await checkConnection(resolveConnectionSettings(simSettings(sim, { ...base, caCertificates: cert })), { features: ["issues"] });
        expect(trusted.checks[1]).toMatchObject({ check: "tls", status: "pass", detail: expect.stringMatching(/TLSv1\.[23] handshake.*custom CA/) });
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
