import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { once } from "node:events";
import { createServer as createHttpServer, request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { connect, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Simulator } from "../sim/index.js";
import { packageVersion } from "../version.js";
import { ISSUES_PAGE, simClient, startTestSimulator, type IssuesPageData } from "./sim-client.test-fixtures.js";
import { dispatcherOptions } from "./transport.js";
import { WizNetworkError } from "./wiz-errors.js";

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

async function sim(): Promise<Simulator> {
  const started = await startTestSimulator();
  open.push(started);
  return started;
}

async function listen(server: Server): Promise<number> {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  open.push({ close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) });
  return (server.address() as AddressInfo).port;
}

/** A relay in front of the simulator that records the headers it sees (a real server, not a mock). */
function relayTo(target: Simulator, seen: IncomingHttpHeaders[]): Parameters<typeof createHttpServer>[1] {
  const upstream = new URL(target.url);
  return (req, res) => {
    seen.push(req.headers);
    const forward = httpRequest({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(forward);
  };
}

describe("transport", () => {
  it("sends a wizbridge User-Agent, JSON and the bearer token", async () => {
    const s = await sim();
    const seen: IncomingHttpHeaders[] = [];
    const port = await listen(createHttpServer(relayTo(s, seen)));
    const client = simClient(s, { settings: { endpoint: `http://127.0.0.1:${port}/graphql`, tokenUrl: `http://127.0.0.1:${port}/oauth/token` } });
    open.push(client);
    await client.graphql(ISSUES_PAGE, { first: 1 });
    expect(seen.map((h) => h["user-agent"])).toEqual([`wizbridge/${packageVersion()}`, `wizbridge/${packageVersion()}`]);
    expect(seen[0]?.["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(seen[1]?.["content-type"]).toBe("application/json");
    expect(seen[1]?.authorization).toMatch(/^Bearer \S+$/);
  });

  it("applies the timeouts and a custom CA on top of Node's roots", () => {
    const options = dispatcherOptions({ ca: "-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----", timeouts: { connectMs: 5000 } });
    expect(options.headersTimeout).toBe(110_000);
    expect(options.bodyTimeout).toBe(110_000);
    const connectOptions = options.connect as { timeout: number; ca: string[] };
    expect(connectOptions.timeout).toBe(5000);
    expect(connectOptions.ca.length).toBeGreaterThan(1);
    expect(connectOptions.ca.at(-1)).toMatch(/BEGIN CERTIFICATE/);
  });

  it("tunnels through an HTTP proxy", async () => {
    const s = await sim();
    const tunnels: string[] = [];
    const proxy = createHttpServer();
    proxy.on("connect", (req, socket, head) => {
      tunnels.push(req.url ?? "");
      const [host, port] = (req.url ?? "").split(":");
      const upstream = connect(Number(port), host, () => {
        socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on("error", () => socket.destroy());
      socket.on("error", () => upstream.destroy());
    });
    const port = await listen(proxy);
    const client = simClient(s, { settings: { proxyUrl: `http://127.0.0.1:${port}` } });
    open.push(client);
    const data = await client.graphql<IssuesPageData>(ISSUES_PAGE, { first: 2 });
    expect(data.issuesV2.nodes).toHaveLength(2);
    expect(tunnels.length).toBeGreaterThanOrEqual(1);
    expect(tunnels.every((t) => t === new URL(s.url).host)).toBe(true);
  });

  it.skipIf(!hasOpenssl())("trusts a custom CA chain (TLS-inspecting proxy) and explains a TLS failure without it", async () => {
    const s = await sim();
    const dir = mkdtempSync(join(tmpdir(), "wizbridge-ca-"));
    open.push({ close: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) });
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
      "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", join(dir, "key.pem"), "-out", join(dir, "ca.pem"),
    ], { stdio: "ignore" });
    const seen: IncomingHttpHeaders[] = [];
    const server = createHttpsServer({ key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "ca.pem")) }, relayTo(s, seen));
    const port = await listen(server as unknown as Server);
    const endpoints = { endpoint: `https://127.0.0.1:${port}/graphql`, tokenUrl: `https://127.0.0.1:${port}/oauth/token` };

    const trusting = simClient(s, { settings: { ...endpoints, caCertificates: join(dir, "ca.pem") } });
    open.push(trusting);
    const data = await trusting.graphql<IssuesPageData>(ISSUES_PAGE, { first: 1 });
    expect(data.issuesV2.nodes).toHaveLength(1);

    const distrusting = simClient(s, { settings: endpoints });
    open.push(distrusting);
    const error = await distrusting.graphql(ISSUES_PAGE, { first: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WizNetworkError);
    expect((error as WizNetworkError).failure).toBe("tls");
    expect((error as WizNetworkError).attempts).toBe(1);
    expect((error as Error).message).toMatch(/caCertificates/);
  });

  it("explains an unreachable endpoint and retries a refused connection, even for a mutation", async () => {
    const s = await sim();
    // A port that was free a moment ago: nothing listens there.
    const spare = createHttpServer();
    spare.listen(0, "127.0.0.1");
    await once(spare, "listening");
    const closedPort = (spare.address() as AddressInfo).port;
    await new Promise<void>((resolve) => spare.close(() => resolve()));

    const client = simClient(s, { settings: { endpoint: `http://127.0.0.1:${closedPort}/graphql` }, retry: { maxAttempts: 3, baseDelayMs: 1 } });
    open.push(client);
    const error = await client.graphql(ISSUES_PAGE, { first: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WizNetworkError);
    const network = error as WizNetworkError;
    expect(network.failure).toBe("refused");
    expect(network.mayHaveExecuted).toBe(false);
    expect(network.attempts).toBe(3);
    expect(network.message).toMatch(/connection was refused/);

    // Refused before sending: the mutation certainly did not run, so it may be tried again.
    const mutation = await client.graphql("mutation Note($input: CreateIssueNoteInput!) { createIssueNote(input: $input) { issueNote { id } } }", { input: { issueId: "x", text: "t" } }).catch((e: unknown) => e);
    expect((mutation as WizNetworkError).attempts).toBe(3);
  });
});

function hasOpenssl(): boolean {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
