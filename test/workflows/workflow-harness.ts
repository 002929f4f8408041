import { execFileSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { SMTPServer } from "smtp-server";
import { startSimulator, type Simulator } from "../../src/sim/index.js";
import { ALL_SCOPES } from "../../src/sim/oauth/service-accounts.js";
import { openStore, type Store } from "../../src/store/store-database.js";
import { WorkflowHandledRepository } from "../../src/store/workflow-handled.repository.js";
import { WizClient, type ConnectionSettingsInput } from "../../src/wiz/index.js";
import type { ResponseAction } from "../../src/workflows/actions/response-action.js";
import type { WorkflowContext } from "../../src/workflows/workflow-definition.js";
import { wizCallOf } from "../../src/workflows/wiz-call-client.js";

/** A tiny tenant, unthrottled: every workflow runs against it as against Wiz. */
export function startWorkflowSimulator(): Promise<Simulator> {
  return startSimulator({ seed: 7, size: "tiny", rateLimit: { requestsPerSecond: 0 }, serviceAccounts: [{ name: "full", scopes: ALL_SCOPES }] });
}

export function simConnection(sim: Simulator): ConnectionSettingsInput & { clientSecret: string } {
  return { clientId: sim.clientId, clientSecret: sim.clientSecret, endpoint: sim.graphqlUrl, tokenUrl: sim.tokenUrl, audience: sim.audience, allowNonWizHosts: true };
}

export const silentLogger = pino({ level: "silent" });

/** A workflow context on the simulator through the real SDK and executeOperationRequest. */
export function simContext(
  client: WizClient,
  sim: Simulator,
  options: { dryRun?: boolean; allowMutations?: boolean; store?: Store; actions?: ReadonlyMap<string, ResponseAction> } = {},
): WorkflowContext {
  const now = () => sim.clock.now();
  return {
    call: wizCallOf(client, { allowMutations: options.allowMutations ?? false }),
    portalOrigin: "https://app.wiz.io",
    now,
    dryRun: options.dryRun ?? false,
    ...(options.store ? { handled: new WorkflowHandledRepository(options.store.db, now) } : {}),
    actions: options.actions ?? new Map(),
    logger: silentLogger,
  };
}

export function simClient(sim: Simulator): WizClient {
  return new WizClient(simConnection(sim), { rateLimit: { requestsPerSecond: 0, maxConcurrency: 8 } });
}

export async function openTempStore(dir: string): Promise<Store> {
  return openStore(join(dir, "wizbridge.db"));
}

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver on 127.0.0.1 (a port the OS picks), standing for Slack, Teams or a webhook endpoint. */
export async function startReceiver(answer: (request: ReceivedRequest) => { status: number; body?: string } = () => ({ status: 200, body: "ok" })) {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = { path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(request);
      const reply = answer(request);
      res.writeHead(reply.status, { "content-type": "text/plain" }).end(reply.body ?? "");
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    json: () => requests.map((r) => JSON.parse(r.body) as Record<string, unknown>),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  /** True when the session was upgraded with STARTTLS before the mail. */
  secure: boolean;
  user: string | undefined;
}

/** A CA and a server certificate for 127.0.0.1, made with openssl in a temp directory. */
export function makeTestPki(): { dir: string; caFile: string; key: Buffer; cert: Buffer; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "wizbridge-smtp-pki-"));
  const openssl = (...args: string[]): void => void execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];
  openssl("req", "-x509", ...ec, "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=wizbridge test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
  writeFileSync(join(dir, "server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  openssl("req", ...ec, "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=smtp.test");
  openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "server.ext");
  return { dir, caFile: join(dir, "ca.crt"), key: readFileSync(join(dir, "server.key")), cert: readFileSync(join(dir, "server.crt")), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A real SMTP server (the smtp-server package) that offers STARTTLS and refuses AUTH before it, and takes
 * one user: what a relay on port 587 does.
 */
export async function startSmtpServer(pki: { key: Buffer; cert: Buffer }, account: { user: string; pass: string }) {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    secure: false,
    key: pki.key,
    cert: pki.cert,
    authMethods: ["PLAIN", "LOGIN"],
    allowInsecureAuth: false,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === account.user && auth.password === account.pass) callback(null, { user: auth.username });
      else callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
          secure: session.secure,
          user: typeof session.user === "string" ? session.user : undefined,
        });
        callback();
      });
    },
  });
  server.listen(0, "127.0.0.1");
  await once(server.server, "listening");
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A temp directory removed by the returned function. */
export function tempDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
