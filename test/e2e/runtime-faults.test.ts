import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { DeliveryRepository } from "../../src/runtime/fold/delivery.repository.js";
import { wizIssueApi } from "../../src/runtime/enricher/issue-enricher.js";
import { wizResourceDirectory } from "../../src/runtime/resolver/resource-directory.js";
import type { RuntimePipeline } from "../../src/runtime/runtime-pipeline.js";
import { wizUploadApi, type UploadApi } from "../../src/runtime/uploader/runtime-uploader.js";
import type { Simulator } from "../../src/sim/index.js";
import { openStore } from "../../src/store/store-database.js";
import { simClient } from "../../src/wiz/sim-client.test-fixtures.js";
import { WizClient } from "../../src/wiz/wiz-client.js";
import { INGEST_TOKEN, TEST_DELIVERY_CONFIG, acceptedIds, runtimeFixture, startIntakeServer, startRuntimeSimulator, startTestPipeline, waitForStates, type IntakeServer } from "../support/runtime-harness.js";
import { RUNTIME_FIXTURE_EXPECTATIONS, RUNTIME_RESOURCES } from "../support/runtime-tenant.js";

// The built worker (npm test builds first; run `npx tsc -p tsconfig.build.json` before this file alone).
const WORKER = fileURLToPath(new URL("../../dist/src/runtime/runtime-worker.main.js", import.meta.url));

/** Posts every fixture once; returns the accepted ids. */
async function postAll(server: IntakeServer, fixtures = RUNTIME_FIXTURE_EXPECTATIONS): Promise<string[]> {
  const ids: string[] = [];
  for (const f of fixtures) ids.push(...acceptedIds(await server.post(f.source, runtimeFixture(f.file))));
  expect(ids).toHaveLength(fixtures.length);
  return ids;
}

function uploadRows(server: IntakeServer) {
  return server.store.db.withTables<{ runtime_delivery_uploads: { id: number; state: string; error: string | null; status: string | null; events_incoming: number | null; events_handled: number | null; unresolved_json: string | null } }>().selectFrom("runtime_delivery_uploads").selectAll().orderBy("id").execute();
}

describe("runtime delivery under faults: no accepted alert is lost (asserted by id)", () => {
  let sim: Simulator | undefined;
  let server: IntakeServer | undefined;
  let pipeline: RuntimePipeline | undefined;
  let client: WizClient | undefined;
  let child: ChildProcess | undefined;

  afterEach(async () => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    await pipeline?.stop();
    await client?.core.close();
    await server?.close();
    await sim?.close();
    pipeline = undefined;
    client = undefined;
    server = undefined;
    sim = undefined;
  });

  it("Wiz down for a while (HTTP 503 on every GraphQL call): alerts wait, then all reach their issue", async () => {
    sim = await startRuntimeSimulator();
    server = await startIntakeServer();
    const ids = await postAll(server);
    sim.faults.inject({ spec: { kind: "http-error", status: 503 }, times: 60 });
    ({ pipeline, client } = startTestPipeline(server.store, sim));
    const states = await waitForStates(server.store, ids, ["linked", "dead_lettered"]);
    expect(ids.filter((id) => states.get(id)?.state !== "linked")).toEqual([]);
    expect(sim.requests.list().filter((r) => r.status === 503)).toHaveLength(60);
  }, 150_000);

  it("an upload slot that expires before the PUT: the attempt fails, the next one asks for a fresh slot", async () => {
    sim = await startRuntimeSimulator({ upload: { urlTtlSeconds: 60 } });
    server = await startIntakeServer();
    const ids = await postAll(server, RUNTIME_FIXTURE_EXPECTATIONS.filter((f) => f.source === "falco"));
    client = new WizClient(simClient(sim));
    const real = wizUploadApi(client);
    const slots: string[] = [];
    const simulator = sim;
    // Two simulated minutes pass between the first slot and its PUT (a slow network, a paused process).
    const uploads: UploadApi = {
      ...real,
      async requestUpload(filename) {
        const slot = await real.requestUpload(filename);
        slots.push(slot.id);
        if (slots.length === 1) await simulator.clock.advance(120_000);
        return slot;
      },
    };
    ({ pipeline } = startTestPipeline(server.store, sim, { client, wiz: { directory: wizResourceDirectory(client), uploads, issues: wizIssueApi(client) } }));
    const states = await waitForStates(server.store, ids, ["linked", "dead_lettered"]);
    expect(ids.filter((id) => states.get(id)?.state !== "linked")).toEqual([]);
    const rows = await uploadRows(server);
    expect(rows[0]?.state).toBe("failed");
    expect(rows[0]?.error).toContain("UPLOAD_URL_EXPIRED");
    expect(rows.at(-1)?.state).toBe("succeeded");
    expect(new Set(slots).size).toBe(slots.length);
  }, 150_000);

  it("systemActivity FAILURE: the upload is sent again with a fresh slot and confirmed", async () => {
    sim = await startRuntimeSimulator();
    server = await startIntakeServer();
    const ids = await postAll(server, RUNTIME_FIXTURE_EXPECTATIONS.filter((f) => f.source === "aws-waf"));
    client = new WizClient(simClient(sim));
    const real = wizUploadApi(client);
    let puts = 0;
    // The first object lands truncated (as a broken proxy would deliver it): Wiz fails its processing.
    const uploads: UploadApi = {
      ...real,
      async uploadDocument(url, document) {
        puts += 1;
        if (puts > 1) return real.uploadDocument(url, document);
        const response = await fetch(url, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(document).slice(0, 40) });
        return { bytes: Number(response.headers.get("content-length") ?? 40) };
      },
    };
    ({ pipeline } = startTestPipeline(server.store, sim, { client, wiz: { directory: wizResourceDirectory(client), uploads, issues: wizIssueApi(client) } }));
    const states = await waitForStates(server.store, ids, ["linked", "dead_lettered"]);
    expect(ids.filter((id) => states.get(id)?.state !== "linked")).toEqual([]);
    const rows = await uploadRows(server);
    expect(rows[0]?.state).toBe("failed");
    expect(rows[0]?.error).toMatch(/Wiz failed the upload .*not valid JSON/u);
    expect(rows.at(-1)?.state).toBe("succeeded");
  }, 150_000);

  it("partial handling (handled < incoming): the unmatched asset's alert moves to the next rung and still lands", async () => {
    sim = await startRuntimeSimulator();
    server = await startIntakeServer();
    const [id] = await postAll(server, RUNTIME_FIXTURE_EXPECTATIONS.filter((f) => f.file === "tracee-event-fileless-execution-k8s-pod.json"));
    ({ pipeline, client } = startTestPipeline(server.store, sim));
    const states = await waitForStates(server.store, [id as string], ["linked", "dead_lettered"]);
    expect(states.get(id as string)?.state).toBe("linked");
    const rows = await uploadRows(server);
    const partial = rows.find((r) => (r.events_handled ?? 0) < (r.events_incoming ?? 0));
    expect(partial?.status).toBe("SKIPPED");
    expect(JSON.parse(partial?.unresolved_json ?? "[]")).toEqual([RUNTIME_RESOURCES.traceeDeletedPod.providerUniqueId]);
    const delivery = await new DeliveryRepository(server.store.db).deliveryOf(id as string);
    expect(delivery.resolution?.refused).toEqual([RUNTIME_RESOURCES.traceeDeletedPod.providerUniqueId]);
    expect(delivery.resolution?.rung).toBe("k8s-controller");
    expect(delivery.event?.provider_id).toBe(RUNTIME_RESOURCES.traceeDaemonSet.providerUniqueId);
  }, 150_000);

  it("after the retry budget an alert is dead-lettered with the reason, never dropped", async () => {
    sim = await startRuntimeSimulator();
    server = await startIntakeServer();
    const ids = await postAll(server, RUNTIME_FIXTURE_EXPECTATIONS.filter((f) => f.source === "sysdig"));
    // Every presigned PUT is refused.
    sim.faults.inject({ path: "/upload", spec: { kind: "http-error", status: 500 }, times: 1_000 });
    ({ pipeline, client } = startTestPipeline(server.store, sim, { config: { ...TEST_DELIVERY_CONFIG, uploadRetryBudget: 3 } }));
    const states = await waitForStates(server.store, ids, ["linked", "dead_lettered"]);
    for (const id of ids) {
      expect(states.get(id)?.state).toBe("dead_lettered");
      expect(states.get(id)?.detail).toMatch(/dead-lettered after 3 failed upload attempts; last error: UPLOAD_FAILED/u);
    }
  }, 150_000);

  it("kill -9 between intake and upload: after a restart every acknowledged alert reaches its issue", async () => {
    sim = await startRuntimeSimulator();
    const dir = mkdtempSync(join(tmpdir(), "wizbridge-runtime-crash-"));
    const storePath = join(dir, "wizbridge.db");
    // A batch window of an hour: the worker accepts and resolves, but never gets to upload.
    const delivery = JSON.stringify({ ...TEST_DELIVERY_CONFIG, batchWindowMs: 3_600_000 });
    child = spawn(process.execPath, [WORKER, "--store", storePath, "--token", INGEST_TOKEN, "--endpoint", sim.graphqlUrl, "--token-url", sim.tokenUrl, "--audience", sim.audience, "--client-id", sim.clientId, "--delivery", delivery], {
      env: { ...process.env, WIZ_CLIENT_SECRET: sim.clientSecret },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stderr?.setEncoding("utf8").on("data", (c: string) => (output += c));
    const url = await new Promise<string>((resolve, reject) => {
      child?.stdout?.setEncoding("utf8").on("data", (c: string) => {
        output += c;
        const m = /listening (\S+)/u.exec(output);
        if (m?.[1]) resolve(m[1]);
      });
      child?.once("exit", (code) => reject(new Error(`the worker exited (${String(code)}): ${output}`)));
    });
    const ids: string[] = [];
    for (const f of RUNTIME_FIXTURE_EXPECTATIONS) {
      const response = await fetch(`${url}/ingest/${f.source}`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${INGEST_TOKEN}` }, body: JSON.stringify(runtimeFixture(f.file)) });
      expect(response.status).toBe(202);
      ids.push(...(((await response.json()) as { ids: string[] }).ids));
    }
    const store = await openStore(storePath);
    // Let the worker resolve and fold some of them, so the kill lands between resolution and upload.
    await waitForStates(store, ids, ["resolved", "unresolved"], 30_000);
    await store.close();
    child.kill("SIGKILL");
    await new Promise((r) => child?.once("exit", r));
    expect(sim.uploads.uploads()).toHaveLength(0);

    server = await startIntakeServer(dir);
    ({ pipeline, client } = startTestPipeline(server.store, sim));
    const states = await waitForStates(server.store, ids, ["linked", "dead_lettered"]);
    expect(ids.filter((id) => states.get(id)?.state !== "linked")).toEqual([]);
  }, 150_000);
});
