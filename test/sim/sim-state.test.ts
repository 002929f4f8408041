import { afterEach, describe, expect, it } from "vitest";
import { startSimulator, type SimState, type Simulator } from "../../src/sim/index.js";
import { SimSession } from "../support/sim-session.js";

const HOUR = 3_600_000;
const WALL = Date.parse("2024-06-01T12:00:00.000Z");

function claimsOf(token: string): { iat: number; exp: number } {
  return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as { iat: number; exp: number };
}

function everyRecord(sim: Simulator): string {
  const kinds = ["issues", "vulnerabilityFindings", "detections"] as const;
  return JSON.stringify(kinds.map((kind) => Array.from({ length: sim.tenant[kind].size() }, (_, i) => sim.tenant[kind].get(i))));
}

describe("simulator tokens and saved state", () => {
  const running: Simulator[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.close()));
  });
  const start = async (...args: Parameters<typeof startSimulator>): Promise<Simulator> => {
    const sim = await startSimulator(...args);
    running.push(sim);
    return sim;
  };

  it("issues tokens on the wall clock plus the simulator's advances, so local expiry checks accept them and advancing still expires them", async () => {
    let wall = WALL;
    const sim = await start({ seed: 3, size: "tiny", tokenTtlSeconds: 3600, rateLimit: { requestsPerSecond: 0 }, clock: { wallNow: () => wall } });
    expect(sim.clock.now()).toBe(Date.parse("2026-01-01T00:00:00.000Z"));
    const session = new SimSession(sim);
    const token = await session.accessToken();
    expect(claimsOf(token)).toEqual(expect.objectContaining({ iat: WALL / 1000, exp: WALL / 1000 + 3600 }));
    // A client comparing exp with its own (wall) clock sees a valid token; so does the simulator.
    expect(claimsOf(token).exp * 1000).toBeGreaterThan(wall);
    expect((await session.query("{ users(first: 1) { totalCount } }")).status).toBe(200);

    wall += 10 * 60_000;
    await sim.clock.advance(HOUR);
    const expired = await session.query("{ users(first: 1) { totalCount } }");
    expect(expired.status).toBe(401);
    session.forgetToken();
    expect(claimsOf(await session.accessToken()).iat).toBe((wall + HOUR) / 1000);
  });

  it("snapshot() and `state` resume the tenant with every change: mutations, notes, activity, uploads' issues, the clock", async () => {
    const options = { seed: 4, size: "tiny" as const, activityPerHour: 200, rateLimit: { requestsPerSecond: 0 } };
    const first = await start(options);
    const session = new SimSession(first);
    const issueId = first.tenant.issues.idAt(3);
    await session.data(`mutation { updateIssue(input: {id: "${issueId}", patch: {status: REJECTED, note: "accepted risk"}}) { issue { id } } }`);
    await first.clock.advance(6 * HOUR);
    first.tenant.raiseThreatIssue({ resourceIndex: 10, severity: "HIGH", name: "Uploaded event", origin: "WIZ_CUSTOM_INTEGRATION", details: { eventId: "e-1" } }, first.clock.now());
    const slot = first.uploads.requestUpload("scan.json", { id: "sa", name: "uploader" });
    const saved = JSON.parse(JSON.stringify(first.snapshot())) as SimState;
    expect(saved.now).toBe(first.clock.now());
    // Only what changed is kept: far fewer rows than the tenant holds.
    expect(saved.tenant.issues.indexes.length).toBeLessThan(first.tenant.issues.size());
    expect(saved.tenant.detections.indexes.length).toBe(first.tenant.detections.size() - saved.tenant.baseCounts.detections!);

    const second = await start({ ...options, state: saved });
    expect(second.clock.now()).toBe(first.clock.now());
    expect(everyRecord(second)).toBe(everyRecord(first));
    expect(second.tenant.issues.get(3)).toMatchObject({ status: "REJECTED", notes: expect.arrayContaining([expect.objectContaining({ text: "accepted risk" })]) });
    expect(second.uploads.uploads().map((u) => u.systemActivityId)).toEqual([slot.systemActivityId]);
    // New upload slots after a restore never reuse a saved activity id.
    expect(second.uploads.requestUpload("next.json", { id: "sa", name: "uploader" }).systemActivityId).not.toBe(slot.systemActivityId);

    // Both go on identically: the activity cursor was saved with the state.
    await first.clock.advance(2 * HOUR);
    await second.clock.advance(2 * HOUR);
    expect(everyRecord(second)).toBe(everyRecord(first));
  }, 120_000);

  it("refuses a state from another tenant, saying what to do", async () => {
    const first = await start({ seed: 4, size: "tiny", rateLimit: { requestsPerSecond: 0 } });
    const saved = first.snapshot();
    await expect(startSimulator({ seed: 5, size: "tiny", state: saved })).rejects.toThrow(/saved from seed 4, this tenant has seed 5; start the simulator with the seed/);
    await expect(startSimulator({ seed: 4, size: "tiny", counts: { issues: 10 }, state: saved })).rejects.toThrow(/base issues/);
  });

  it("starts the clock at a wall-clock offset", async () => {
    const sim = await start({ seed: 1, size: "tiny", clock: { offset: -HOUR, wallNow: () => WALL } });
    expect(sim.clock.now()).toBe(WALL - HOUR);
  });
});
