import { describe, expect, it } from "vitest";
import { FaultPlan, parseFaultRule } from "./fault-plan.js";

describe("fault plan", () => {
  it("applies a rule after N matching requests, for `times` requests, then drops it", () => {
    const plan = new FaultPlan(() => 0.5);
    plan.inject({ spec: { kind: "http-error", status: 503 }, after: 2, times: 2, rootField: "issuesV2" });
    const take = (root: string) => plan.take({ path: "/graphql", rootFields: [root] }).map((f) => f.kind);
    expect(take("detections")).toEqual([]);
    expect([take("issuesV2"), take("issuesV2"), take("issuesV2"), take("issuesV2"), take("issuesV2")]).toEqual([[], [], ["http-error"], ["http-error"], []]);
    expect(plan.list()).toHaveLength(0);
  });

  it("targets GraphQL requests unless a rule names another path", () => {
    const plan = new FaultPlan(() => 0);
    plan.inject({ spec: { kind: "revoke-tokens" } });
    plan.inject({ spec: { kind: "http-error", status: 503 }, path: "/oauth/token" });
    expect(plan.take({ path: "/oauth/token" }).map((f) => f.kind)).toEqual(["http-error"]);
    expect(plan.take({ path: "/graphql", rootFields: ["issuesV2"] }).map((f) => f.kind)).toEqual(["revoke-tokens"]);
    expect(plan.list()).toHaveLength(0);
  });

  it("keeps latency until cleared and honours probability with the injected random source", () => {
    const plan = new FaultPlan(() => 0.9);
    const id = plan.inject({ spec: { kind: "latency", fixedMs: 10 } });
    plan.inject({ spec: { kind: "drop-connection" }, probability: 0.5 });
    for (let i = 0; i < 3; i += 1) expect(plan.take({ path: "/graphql" }).map((f) => f.kind)).toEqual(["latency"]);
    plan.clear(id);
    expect(plan.take({ path: "/graphql" })).toEqual([]);
  });

  it("parses the CLI form and explains mistakes", () => {
    expect(parseFaultRule("http-error:status=502,times=3,after=10")).toEqual({ spec: { kind: "http-error", status: 502 }, times: 3, after: 10 });
    expect(parseFaultRule("latency:fixed=200,perNode=2")).toEqual({ spec: { kind: "latency", fixedMs: 200, perNodeMs: 2 } });
    expect(parseFaultRule("repeat-cursor:root=issuesV2")).toEqual({ spec: { kind: "repeat-cursor" }, rootField: "issuesV2" });
    expect(() => parseFaultRule("explode")).toThrow(/Unknown fault "explode".*use one of/);
    expect(() => parseFaultRule("latency:fixed=-1")).toThrow(/non-negative/);
    expect(() => parseFaultRule("latency:fixed")).toThrow(/key=value/);
  });
});
