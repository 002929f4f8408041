import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeEach, describe, expect, it } from "vitest";
import { createSimClock, type SimClock } from "../clock.js";
import { generateTenant } from "../tenant/generate-tenant.js";
import { ISSUE_STATUSES, ISSUE_TYPES, SEVERITIES, type Tenant, type WizRecord } from "../tenant/types.js";
import { ingestionModelDefinitions, parseEnrichmentDocument } from "./enrichment-document.js";
import { createUploadService, UploadInputError, type UploadOptions, type UploadService, type UploadSlot } from "./upload-service.js";

const FIXTURES = fileURLToPath(new URL("../../../test/fixtures/runtime", import.meta.url));
const BY = { id: "sa-test", name: "upload tests" };
const INTEGRATION_ID = "55c176cc-d155-43a2-98ed-aa56873a1ca1";
const DAY = 86_400_000;

/** Small deterministic PRNG (mulberry32) so ids and signatures repeat between runs. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The provider id the tenant resolves for resource i (whatever field the record keeps it in). */
function providerIdOf(tenant: Tenant, index: number): string | undefined {
  const r = tenant.cloudResources.get(index);
  const graph = r.graphEntity as WizRecord | undefined;
  const candidates = [r.providerUniqueId, r.providerId, r.externalId, graph?.providerUniqueId];
  for (const c of candidates) if (typeof c === "string" && tenant.resourceByProviderId(c) === index) return c;
  return undefined;
}

function liveResources(tenant: Tenant, count: number): Array<{ index: number; providerId: string; platform: string }> {
  const out: Array<{ index: number; providerId: string; platform: string }> = [];
  for (let i = 0; i < tenant.cloudResources.size() && out.length < count; i++) {
    if (!Number.isNaN(tenant.cloudResources.cols.deletedAt[i] ?? 0)) continue;
    const providerId = providerIdOf(tenant, i);
    if (providerId) out.push({ index: i, providerId, platform: "AWS" });
  }
  return out;
}

function event(id: string, overrides: WizRecord = {}): WizRecord {
  return {
    id,
    timestamp: "2025-12-31T23:00:00Z",
    name: `Reverse shell from web process (${id})`,
    description: "A web server process opened a shell connected to a remote host.",
    externalFindingLink: `https://sensor.example.com/alerts/${id}`,
    severity: "High",
    mitreTacticIds: ["TA0002"],
    mitreTechniqueIds: ["T1059.004"],
    commandLine: "/bin/sh -i",
    ...overrides,
  };
}

function doc(dataSourceId: string, assets: WizRecord[], integrationId = INTEGRATION_ID): WizRecord {
  return { integrationId, dataSources: [{ id: dataSourceId, analysisDate: "2025-12-31T23:00:00Z", assets }] };
}

function asset(providerId: string, content: WizRecord = {}): WizRecord {
  return { assetIdentifier: { cloudPlatform: "AWS", providerId }, ...content };
}

function put(service: UploadService, slot: UploadSlot, body: string | WizRecord, mutate?: (q: URLSearchParams) => void) {
  const url = new URL(slot.url);
  const id = decodeURIComponent(url.pathname.split("/").pop() ?? "");
  mutate?.(url.searchParams);
  return service.acceptPut(id, url.searchParams, Buffer.from(typeof body === "string" ? body : JSON.stringify(body)), "application/json");
}

const issueStatus = (tenant: Tenant, index: number) => ISSUE_STATUSES[tenant.issues.cols.status[index] ?? 255];

describe("upload service", () => {
  let clock: SimClock;
  let tenant: Tenant;
  let changes: Array<{ index: number; kind: string }>;

  beforeEach(() => {
    clock = createSimClock();
    tenant = generateTenant({ seed: 1, size: "tiny", now: clock.now() });
    changes = [];
  });

  function service(options?: UploadOptions): UploadService {
    return createUploadService({
      tenant,
      clock,
      publicBaseUrl: () => "http://127.0.0.1:4100",
      random: seededRandom(7),
      options,
      onIssueChanged: (index, kind) => changes.push({ index, kind }),
    });
  }

  /** Request, PUT and let processing finish; returns the finished systemActivity node. */
  async function upload(svc: UploadService, body: string | WizRecord): Promise<WizRecord> {
    const slot = svc.requestUpload("findings.json", BY);
    expect(put(svc, slot, body).status).toBe(200);
    await clock.advance(30_000);
    const activity = svc.systemActivity(slot.systemActivityId);
    if (!activity) throw new Error("activity missing after processing");
    return activity;
  }

  describe("requestUpload", () => {
    it("hands out a numeric id, an expiring S3-style presigned URL and a UUID systemActivityId", () => {
      const svc = service();
      const slot = svc.requestUpload("scan.json", BY);
      expect(slot.id).toMatch(/^\d{5}$/);
      expect(slot.systemActivityId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const url = new URL(slot.url);
      expect(`${url.origin}${url.pathname}`).toBe(`http://127.0.0.1:4100/upload/${slot.id}`);
      expect(url.searchParams.get("X-Amz-Expires")).toBe("86400");
      expect(url.searchParams.get("X-Amz-Date")).toBe("20260101T000000Z");
      expect(url.searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
      const next = svc.requestUpload("scan.json", BY);
      expect(Number(next.id)).toBe(Number(slot.id) + 1);
      expect(service({ urlTtlSeconds: 600 }).requestUpload("a.json", BY).url).toContain("X-Amz-Expires=600");
    });

    it("rejects file names that are not .json with UploadInputError", () => {
      const svc = service();
      expect(() => svc.requestUpload("scan.csv", BY)).toThrow(UploadInputError);
      expect(() => svc.requestUpload("", BY)).toThrow(/non-empty/);
      try {
        svc.requestUpload("report.xml", BY);
      } catch (error) {
        expect(error).toBeInstanceOf(UploadInputError);
        expect((error as UploadInputError).code).toBe("BAD_USER_INPUT");
        expect((error as Error).message).toContain(".json");
      }
    });
  });

  describe("PUT", () => {
    it("answers 403 SignatureDoesNotMatch for a bad signature or an unknown id, AccessDenied when expired", async () => {
      const svc = service();
      const slot = svc.requestUpload("scan.json", BY);
      const bad = put(svc, slot, "{}", (q) => q.set("X-Amz-Signature", "0".repeat(64)));
      expect(bad.status).toBe(403);
      expect(bad.contentType).toBe("application/xml");
      expect(bad.body).toContain("<Code>SignatureDoesNotMatch</Code>");
      const stretched = put(svc, slot, "{}", (q) => q.set("X-Amz-Expires", "999999"));
      expect(stretched.body).toContain("<Code>SignatureDoesNotMatch</Code>");
      const url = new URL(slot.url);
      expect(svc.acceptPut("99999999", url.searchParams, Buffer.from("{}")).body).toContain("<Code>SignatureDoesNotMatch</Code>");
      expect(svc.acceptPut(slot.id, new URLSearchParams(), Buffer.from("{}")).status).toBe(403);

      await clock.advance(86_400_000 + 1000);
      const expired = put(svc, slot, "{}");
      expect(expired.status).toBe(403);
      expect(expired.body).toContain("<Code>AccessDenied</Code><Message>Request has expired</Message>");
      expect(svc.systemActivity(slot.systemActivityId)).toBeUndefined();
      expect(svc.uploadsInFlight()).toHaveLength(0);
    });

    it("accepts within the lifetime with an ETag; a second PUT replaces the body until processing starts", async () => {
      const svc = service();
      const [r] = liveResources(tenant, 1);
      if (!r) throw new Error("tiny tenant has no live resource with a provider id");
      const slot = svc.requestUpload("scan.json", BY);
      const first = put(svc, slot, "not json at all");
      expect(first).toMatchObject({ status: 200, body: "" });
      expect(first.etag).toMatch(/^"[0-9a-f]{32}"$/);
      await clock.advance(10_000);
      const second = put(svc, slot, doc("ds-replace", [asset(r.providerId, { customTags: [{ key: "team", value: "payments" }] })]));
      expect(second.status).toBe(200);
      expect(second.etag).not.toBe(first.etag);
      await clock.advance(30_000);
      expect(svc.systemActivity(slot.systemActivityId)).toMatchObject({ status: "SUCCESS", result: { tags: { incoming: 1, handled: 1 } } });
      // S3 still takes the object, but ingestion has already run on the earlier one.
      expect(put(svc, slot, "[]").status).toBe(200);
      await clock.advance(60_000);
      expect(svc.systemActivity(slot.systemActivityId)).toMatchObject({ status: "SUCCESS" });
      expect(svc.uploads()).toMatchObject([{ id: slot.id, puts: 3, ignoredPuts: 1, status: "SUCCESS" }]);
    });
  });

  describe("systemActivity lifecycle", () => {
    it("is not found before the PUT, IN_PROGRESS for the processing delay, then reports counts", async () => {
      const svc = service();
      const [r] = liveResources(tenant, 1);
      if (!r) throw new Error("no resource");
      const slot = svc.requestUpload("scan.json", BY);
      expect(svc.systemActivity(slot.systemActivityId)).toBeUndefined();
      expect(svc.systemActivity("00000000-0000-4000-8000-000000000000")).toBeUndefined();
      expect(svc.uploadsInFlight()).toMatchObject([{ id: slot.id, status: "AWAITING_UPLOAD" }]);

      const body = doc("sensor-prod", [
        asset(r.providerId, {
          vulnerabilityFindings: [
            { id: "v1", name: "CVE-2024-0001", severity: "High" },
            { id: "v2", name: "CVE-2024-0002", severity: "LOW" },
          ],
          dataFindings: [{ name: "Credit cards", dataCategory: "PII", dataClassifierId: "BUILTIN-1", severity: "Low" }],
          events: [event("e1")],
          customTags: [
            { key: "owner", value: "team-a" },
            { key: "tier", value: "1" },
          ],
        }),
        asset("arn:aws:ec2:us-east-1:000000000000:instance/i-doesnotexist", { vulnerabilityFindings: [{ name: "CVE-2024-0003", severity: "Critical" }] }),
      ]);
      expect(put(svc, slot, body).status).toBe(200);
      const running = svc.systemActivity(slot.systemActivityId);
      expect(running).toMatchObject({
        id: slot.systemActivityId,
        status: "IN_PROGRESS",
        statusInfo: null,
        result: null,
        endedAt: null,
        context: { __typename: "SystemActivityEnrichmentIntegrationContext", fileUploadId: slot.id },
      });
      await clock.advance(29_000);
      expect(svc.systemActivity(slot.systemActivityId)?.status).toBe("IN_PROGRESS");
      await clock.advance(1_000);
      const done = svc.systemActivity(slot.systemActivityId);
      expect(done).toEqual({
        id: slot.systemActivityId,
        status: "SKIPPED",
        statusInfo: null,
        createdAt: "2026-01-01T00:00:00.000000Z",
        startedAt: "2026-01-01T00:00:00.000000Z",
        endedAt: "2026-01-01T00:00:30.000000Z",
        result: {
          __typename: "SystemActivityEnrichmentIntegrationResult",
          dataSources: { incoming: 1, handled: 1 },
          findings: { incoming: 4, handled: 3 },
          events: { incoming: 1, handled: 1 },
          tags: { incoming: 2, handled: 2 },
          unresolvedAssets: { count: 1, ids: ["arn:aws:ec2:us-east-1:000000000000:instance/i-doesnotexist"] },
        },
        context: { __typename: "SystemActivityEnrichmentIntegrationContext", fileUploadId: slot.id },
      });
      expect(svc.uploadsInFlight()).toHaveLength(0);
      expect(svc.uploads()[0]).toMatchObject({ status: "SKIPPED", bytes: JSON.stringify(body).length, contentType: "application/json" });
    });

    it("reports SUCCESS when every asset resolves, or with partialStatus SUCCESS", async () => {
      const [r] = liveResources(tenant, 1);
      if (!r) throw new Error("no resource");
      const full = await upload(service(), doc("ds-full", [asset(r.providerId, { hostConfigurationFindings: [{ name: "SSH root login", status: "FAIL" }] })]));
      expect(full).toMatchObject({ status: "SUCCESS", result: { findings: { incoming: 1, handled: 1 }, unresolvedAssets: { count: 0, ids: [] } } });
      const partial = await upload(service({ partialStatus: "SUCCESS" }), doc("ds-p", [asset("arn:nope", { customTags: [{ key: "a", value: "b" }] })]));
      expect(partial).toMatchObject({ status: "SUCCESS", result: { tags: { incoming: 1, handled: 0 } } });
    });

    it("can show the activity before the PUT when activityVisibleBeforePut is set", () => {
      const svc = service({ activityVisibleBeforePut: true });
      const slot = svc.requestUpload("scan.json", BY);
      expect(svc.systemActivity(slot.systemActivityId)).toMatchObject({ status: "IN_PROGRESS", result: null, startedAt: null });
    });

    it("honours a custom processing delay", async () => {
      const svc = service({ processingDelayMs: 5 * 60_000 });
      const slot = svc.requestUpload("scan.json", BY);
      put(svc, slot, doc("ds", []));
      await clock.advance(4 * 60_000);
      expect(svc.systemActivity(slot.systemActivityId)?.status).toBe("IN_PROGRESS");
      expect(svc.uploadsInFlight()[0]?.processingDueAt).toBe("2026-01-01T00:05:00.000000Z");
      await clock.advance(60_000);
      expect(svc.systemActivity(slot.systemActivityId)?.status).toBe("SUCCESS");
    });

    it.each([
      ["not JSON", "{\"integrationId\": ", /not valid JSON/],
      ["missing integrationId", { dataSources: [] }, /integrationId: required/],
      ["missing dataSources", { integrationId: INTEGRATION_ID }, /dataSources: required/],
      ["asset without assetIdentifier", doc("ds", [{ customTags: [{ key: "a", value: "b" }] }]), /dataSources\[0\]\.assets\[0\]\.assetIdentifier: required/],
      ["two identifiers", doc("ds", [{ assetIdentifier: { cloudPlatform: "AWS", providerId: "x", endpointUrl: "https://x" } }]), /exactly one of providerId/],
      ["event without mitreTacticIds", doc("ds", [asset("x", { events: [event("e1", { mitreTacticIds: undefined })] })]), /events\[0\]\.mitreTacticIds: required/],
      ["event with a bad severity", doc("ds", [asset("x", { events: [event("e1", { severity: "SEVERE" })] })]), /events\[0\]\.severity: unknown severity/],
      ["event with a local timestamp", doc("ds", [asset("x", { events: [event("e1", { timestamp: "2025-12-31 23:00" })] })]), /events\[0\]\.timestamp/],
      ["misspelt key", doc("ds", [{ assetIdentifer: { cloudPlatform: "AWS", providerId: "x" } }]), /Unrecognized key/],
    ])("fails the activity with statusInfo for an invalid document: %s", async (_label, body, message) => {
      const svc = service();
      const before = tenant.issues.size();
      const activity = await upload(svc, body as string | WizRecord);
      expect(activity.status).toBe("FAILURE");
      expect(activity.result).toBeNull();
      expect(activity.statusInfo).toMatch(message);
      expect(tenant.issues.size()).toBe(before);
    });

    it("rejects a V2 document (details + attackSurfaceFindings): only V1 is modelled", async () => {
      const v2 = readFileSync(`${FIXTURES}/wiz-upload-v2-attack-surface-endpoint-example.json`, "utf8");
      const activity = await upload(service(), v2);
      expect(activity).toMatchObject({ status: "FAILURE" });
      expect(activity.statusInfo).toMatch(/assetIdentifier: required/);
    });
  });

  describe("events and data-source semantics", () => {
    it("raises a THREAT_DETECTION issue for an event on a matched resource", async () => {
      const svc = service();
      const [r] = liveResources(tenant, 1);
      if (!r) throw new Error("no resource");
      const before = tenant.issues.size();
      const activity = await upload(svc, doc("sensor", [asset(r.providerId, { events: [event("e1", { severity: "Critical" })] })]));
      expect(activity).toMatchObject({ status: "SUCCESS", result: { events: { incoming: 1, handled: 1 } } });
      expect(changes).toHaveLength(1);
      const index = changes[0]?.index ?? -1;
      expect(changes[0]?.kind).toBe(index >= before ? "issue.created" : "issue.updated");
      expect(ISSUE_TYPES[tenant.issues.cols.type[index] ?? 255]).toBe("THREAT_DETECTION");
      expect(SEVERITIES[tenant.issues.cols.severity[index] ?? 255]).toBe("CRITICAL");
      expect(tenant.issues.cols.resource[index]).toBe(r.index);
      expect(issueStatus(tenant, index)).toBe("OPEN");
      expect(JSON.stringify(tenant.issues.get(index))).toContain("Reverse shell from web process (e1)");
    });

    it("resolves an event's issue when the data source's next upload omits it (and not when replace is off)", async () => {
      const [r] = liveResources(tenant, 1);
      if (!r) throw new Error("no resource");
      const svc = service();
      await upload(svc, doc("sensor", [asset(r.providerId, { events: [event("e1"), event("e2")] })]));
      const [e1, e2] = changes.map((c) => c.index);
      if (e1 === undefined || e2 === undefined) throw new Error("expected two issues");
      changes = [];
      await upload(svc, doc("sensor", [asset(r.providerId, { events: [event("e2")] })]));
      expect(issueStatus(tenant, e1)).toBe("RESOLVED");
      expect(tenant.issues.get(e1).resolutionReason).toBe("OBJECT_DELETED");
      expect(issueStatus(tenant, e2)).toBe("OPEN");
      // e2 was re-sent while its issue was open: a refresh, not a new detection.
      expect(changes).toEqual([{ index: e1, kind: "issue.resolved" }]);

      // Another data source's upload does not touch this one's content.
      await upload(svc, doc("other-sensor", []));
      expect(issueStatus(tenant, e2)).toBe("OPEN");

      const merging = service({ replaceOnNewUpload: false });
      await upload(merging, doc("sensor-2", [asset(r.providerId, { events: [event("m1")] })]));
      const m1 = changes.at(-1)?.index ?? -1;
      await upload(merging, doc("sensor-2", [asset(r.providerId, { vulnerabilityFindings: [{ name: "CVE-1", severity: "Low" }] })]));
      expect(issueStatus(tenant, m1)).toBe("OPEN");
    });

    it("keeps an issue open while another data source still reports an event that raised it", async () => {
      const [r] = liveResources(tenant, 1);
      if (!r) throw new Error("no resource");
      const svc = service();
      const same = { name: "Shared detection name" };
      await upload(svc, doc("a", [asset(r.providerId, { events: [event("x1", same)] })]));
      await upload(svc, doc("b", [asset(r.providerId, { events: [event("x2", same)] })]));
      const indexes = new Set(changes.map((c) => c.index));
      expect(indexes.size).toBe(1); // the tenant folds the same name on the same resource into one open issue
      const [shared] = [...indexes];
      if (shared === undefined) throw new Error("no issue");
      await upload(svc, doc("a", []));
      expect(issueStatus(tenant, shared)).toBe("OPEN");
      await upload(svc, doc("b", []));
      expect(issueStatus(tenant, shared)).toBe("RESOLVED");
    });

    it("leaves an issue a user already closed alone, and re-raises the event if it is sent again", async () => {
      const [r] = liveResources(tenant, 1);
      if (!r) throw new Error("no resource");
      const svc = service();
      const body = doc("sensor", [asset(r.providerId, { events: [event("e1")] })]);
      await upload(svc, body);
      const first = changes[0]?.index ?? -1;
      tenant.updateIssue(first, { status: "REJECTED", resolutionReason: "FALSE_POSITIVE" }, false, BY, clock.now());
      changes = [];
      await upload(svc, body);
      expect(changes).toHaveLength(1);
      expect(issueStatus(tenant, first)).toBe("REJECTED");
      const second = changes[0]?.index ?? -1;
      expect(issueStatus(tenant, second)).toBe("OPEN");
    });

    it("resolves content a data source stops refreshing after 7 simulated days", async () => {
      const [r, r2] = liveResources(tenant, 2);
      if (!r || !r2) throw new Error("need two resources");
      const svc = service();
      await upload(svc, doc("stale", [asset(r.providerId, { events: [event("s1")] })]));
      await upload(svc, doc("fresh", [asset(r2.providerId, { events: [event("f1")] })]));
      const [stale, fresh] = changes.map((c) => c.index);
      if (stale === undefined || fresh === undefined) throw new Error("expected two issues");
      await clock.advance(5 * DAY);
      await upload(svc, doc("fresh", [asset(r2.providerId, { events: [event("f1")] })]));
      await clock.advance(2 * DAY - 2 * 30_000 - 1000);
      expect(issueStatus(tenant, stale)).toBe("OPEN");
      await clock.advance(1000);
      expect(issueStatus(tenant, stale)).toBe("RESOLVED");
      expect(tenant.issues.get(stale).resolutionReason).toBe("OBJECT_DELETED");
      expect(issueStatus(tenant, fresh)).toBe("OPEN"); // refreshed on day 5
      await clock.advance(6 * DAY);
      expect(issueStatus(tenant, fresh)).toBe("RESOLVED");
      expect(svc.dataSources()).toEqual([]);
    });

    it("keeps content indefinitely when staleAfterDays is null", async () => {
      const [r] = liveResources(tenant, 1);
      if (!r) throw new Error("no resource");
      const svc = service({ staleAfterDays: null });
      await upload(svc, doc("forever", [asset(r.providerId, { events: [event("p1")] })]));
      const index = changes[0]?.index ?? -1;
      await clock.advance(30 * DAY);
      expect(issueStatus(tenant, index)).toBe("OPEN");
      expect(svc.dataSources()).toMatchObject([{ key: `${INTEGRATION_ID}/forever`, events: 1 }]);
    });

    it("stops processing on the clock after close()", async () => {
      const [r] = liveResources(tenant, 1);
      if (!r) throw new Error("no resource");
      const svc = service();
      const slot = svc.requestUpload("scan.json", BY);
      put(svc, slot, doc("closing", [asset(r.providerId, { events: [event("c1")] })]));
      svc.close();
      await clock.advance(60_000);
      expect(changes).toHaveLength(0);
    });
  });

  describe("fixtures", () => {
    it("accepts the published customtags example and counts its unresolved asset", async () => {
      const raw = readFileSync(`${FIXTURES}/wiz-upload-customtags-example.json`);
      const parsed = parseEnrichmentDocument(raw);
      expect(parsed.ok).toBe(true);
      const activity = await upload(service(), raw.toString("utf8"));
      expect(activity).toMatchObject({
        status: "SKIPPED",
        result: {
          dataSources: { incoming: 1, handled: 1 },
          tags: { incoming: 2, handled: 0 },
          unresolvedAssets: { count: 1, ids: ["arn:aws:ec2:eu-central-1:9123455:instance/i-04ea5a462c85555"] },
        },
      });
    });

    it("matches the field lists and required flags of the published ingestion-model schema", () => {
      const schema = JSON.parse(readFileSync(`${FIXTURES}/wiz-ingestion-model-v1.schema.json`, "utf8")) as WizRecord;
      // The published copy nests most definitions at the top level instead of under $defs.
      const definition = (name: string): WizRecord => (name === "root" ? schema : ((schema[name] ?? (schema.$defs as WizRecord)[name]) as WizRecord));
      // SAST connectors send sastFinding, which the published schema lacks; the validator allows it.
      const extensions: Record<string, string[]> = { webAppVulnerabilityFinding: ["sastFinding"] };
      for (const [name, zodSchema] of Object.entries(ingestionModelDefinitions)) {
        const def = definition(name);
        const published = Object.keys(def.properties as WizRecord).sort();
        const ours = Object.keys(zodSchema.shape).filter((k) => !(extensions[name] ?? []).includes(k));
        expect(ours.sort(), name).toEqual(published);
        const required = Object.entries(zodSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>)
          .filter(([, field]) => !field.safeParse(undefined).success)
          .map(([k]) => k)
          .sort();
        expect(required, name).toEqual([...((def.required as string[] | undefined) ?? [])].sort());
      }
    });
  });
});
