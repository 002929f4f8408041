import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAlertsList, runAlertsShow } from "../../src/cli/alerts.command.js";
import { DeliveryRepository } from "../../src/runtime/fold/delivery.repository.js";
import { noteMarker } from "../../src/runtime/enricher/issue-enricher.js";
import type { RuntimePipeline } from "../../src/runtime/runtime-pipeline.js";
import type { Simulator } from "../../src/sim/index.js";
import type { WizClient } from "../../src/wiz/wiz-client.js";
import { acceptedIds, runtimeFixture, startIntakeServer, startRuntimeSimulator, startTestPipeline, waitForStates, type IntakeServer } from "../support/runtime-harness.js";
import { RUNTIME_FIXTURE_EXPECTATIONS, RUNTIME_RESOURCES } from "../support/runtime-tenant.js";

describe("runtime delivery end to end: every adapter's fixtures -> THREAT_DETECTION issue on the right simulator resource, with the note", () => {
  let sim: Simulator;
  let server: IntakeServer;
  let pipeline: RuntimePipeline;
  let client: WizClient;
  const idsByFixture = new Map<string, string>();

  beforeAll(async () => {
    sim = await startRuntimeSimulator();
    server = await startIntakeServer();
    for (const fixture of RUNTIME_FIXTURE_EXPECTATIONS) {
      const answer = await server.post(fixture.source, runtimeFixture(fixture.file));
      expect(answer.status, `${fixture.file}: ${JSON.stringify(answer.body)}`).toBe(202);
      const [id] = acceptedIds(answer);
      if (!id) throw new Error(`${fixture.file} was not accepted`);
      idsByFixture.set(fixture.file, id);
    }
    ({ pipeline, client } = startTestPipeline(server.store, sim));
  }, 60_000);

  afterAll(async () => {
    await pipeline?.stop();
    await client?.core.close();
    await server?.close();
    await sim?.close();
  });

  it("links every accepted alert to an issue", async () => {
    const ids = [...idsByFixture.values()];
    const states = await waitForStates(server.store, ids, ["linked", "dead_lettered"]);
    for (const [file, id] of idsByFixture) expect(`${file}: ${states.get(id)?.state} (${states.get(id)?.detail})`).toMatch(/: linked \(linked to issue /u);
  }, 120_000);

  it.each(RUNTIME_FIXTURE_EXPECTATIONS)("$file lands on $resource via $rung, as a THREAT_DETECTION issue with one note", async ({ file, resource, rung }) => {
    const id = idsByFixture.get(file) as string;
    const expected = RUNTIME_RESOURCES[resource];
    const delivery = await new DeliveryRepository(server.store.db).deliveryOf(id);
    expect(delivery.resolution?.rung).toBe(rung);
    expect(delivery.event?.provider_id).toBe(expected.providerUniqueId);
    expect(delivery.event?.state).toBe("linked");
    const row = await server.store.db.selectFrom("runtime_alerts").select(["alert_json", "state_detail"]).where("id", "=", id).executeTakeFirstOrThrow();
    const alert = JSON.parse(row.alert_json) as { ruleName: string };

    const issues = await client.issue.list({ filterBy: { relatedEntity: { id: [expected.id] }, type: ["THREAT_DETECTION"] }, first: 50 });
    const issue = issues.nodes.find((i) => i.sourceRule?.name === alert.ruleName);
    expect(issue, `no THREAT_DETECTION issue "${alert.ruleName}" on ${expected.name}`).toBeDefined();
    expect(issue?.entitySnapshot?.providerId).toBe(expected.providerUniqueId);
    expect(delivery.event?.issue_id).toBe(issue?.id);
    expect(row.state_detail).toContain(issue?.id);
    const notes = (issue?.notes ?? []).filter((n) => n.text.includes(noteMarker(delivery.event?.event_id ?? "")));
    expect(notes).toHaveLength(1);
    expect(notes[0]?.text).toContain(`Rule: ${alert.ruleName}`);
    expect(notes[0]?.text).toContain(`Resource found via ${rung}`);
    expect(notes[0]?.text).toMatch(/Count: 1; first seen \S+; last seen \S+/u);
    expect(notes[0]?.text).toMatch(/\nLink: \S+/u);
  });

  it("states the rung in what was sent to Wiz, and a later upload of the same data source adds no second note", async () => {
    const file = "tetragon-process-exec-privileged-pod-nsenter.json";
    const again = await server.post("tetragon", runtimeFixture(file));
    const [repeatId] = acceptedIds(again);
    const states = await waitForStates(server.store, [repeatId as string], ["linked", "dead_lettered"]);
    expect(states.get(repeatId as string)?.state).toBe("linked");
    const firstId = idsByFixture.get(file) as string;
    const repo = new DeliveryRepository(server.store.db);
    const first = await repo.deliveryOf(firstId);
    const repeat = await repo.deliveryOf(repeatId as string);
    // The repeat folded into the first alert's event.
    expect(repeat.event?.event_id).toBe(first.event?.event_id);
    expect(repeat.event?.count).toBe(2);
    const issues = await client.issue.list({ filterBy: { relatedEntity: { id: [RUNTIME_RESOURCES.privilegedPod.id] }, type: ["THREAT_DETECTION"] }, first: 50 });
    const marker = noteMarker(first.event?.event_id ?? "");
    expect(issues.nodes.flatMap((i) => i.notes).filter((n) => n.text.includes(marker))).toHaveLength(1);
    // The event description Wiz stored names the rung.
    const detections = sim.tenant.issues;
    const threat = Array.from({ length: detections.size() }, (_, i) => detections.get(i)).find((i) => i.id === first.event?.issue_id) as Record<string, unknown> | undefined;
    expect(JSON.stringify(threat)).toContain("k8s-pod (exact match: pod default/privileged-pod");
  }, 120_000);

  it("alerts list / show (CLI) report every state with its reason, the rung, the upload and the issue link", async () => {
    const capture = () => {
      let text = "";
      return { stream: new Writable({ write: (c: Buffer, _e, done) => ((text += c.toString("utf8")), done()) }), text: () => text };
    };
    const opts = { dataDir: "unused", store: server.store.path, json: false, limit: 1000 };
    const out = capture();
    const err = capture();
    expect(await runAlertsList({ ...opts, state: "linked" }, { out: out.stream, err: err.stream })).toBe(0);
    for (const id of idsByFixture.values()) expect(out.text()).toContain(id);
    expect(out.text()).toMatch(/^linked \d+/mu);

    const id = idsByFixture.get("tracee-event-fileless-execution-k8s-pod.json") as string;
    const shown = capture();
    expect(await runAlertsShow(id, opts, { out: shown.stream, err: err.stream })).toBe(0);
    expect(shown.text()).toContain(`${id}: linked (linked to issue `);
    expect(shown.text()).toContain("resolution: k8s-controller -> " + RUNTIME_RESOURCES.traceeDaemonSet.providerUniqueId);
    expect(shown.text()).toContain(`refused by Wiz: ${RUNTIME_RESOURCES.traceeDeletedPod.providerUniqueId}`);
    expect(shown.text()).toMatch(/tried k8s-pod: pod uid 5cb83966-e274-48f1-89fb-25bd748d2773 matched \S+, which Wiz did not accept in an upload/u);
    expect(shown.text()).toMatch(/system activity [0-9a-f-]{36}/u);
    expect(shown.text()).toMatch(/issue [0-9a-f-]{36} https:\/\/app\.wiz\.io\/issues/u);

    const json = capture();
    expect(await runAlertsShow(id, { ...opts, json: true }, { out: json.stream, err: err.stream })).toBe(0);
    expect(JSON.parse(json.text())).toMatchObject({ id, state: "linked", event: { rung: "k8s-controller", exact: false, issue: { id: expect.any(String) } } });

    // The event id Wiz shows (in the event and the note's link) finds the same alert.
    const eventId = (JSON.parse(json.text()) as { event: { id: string } }).event.id;
    expect(eventId).not.toBe(id);
    const byEvent = capture();
    expect(await runAlertsShow(eventId, opts, { out: byEvent.stream, err: err.stream })).toBe(0);
    expect(byEvent.text()).toBe(shown.text());

    const missing = capture();
    expect(await runAlertsShow("no-such-alert", opts, { out: out.stream, err: missing.stream })).toBe(7);
    expect(missing.text()).toContain("no runtime alert or event has the id no-such-alert");
  });
});
