import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RUNTIME_SOURCES, runtimeAlertSchema } from "../../model/runtime-alert.js";
import type { RuntimeSource } from "../../model/runtime-alert.js";
import { AdapterInputError } from "./adapter-input-error.js";
import { adaptRuntimePayload } from "./runtime-adapter.registry.js";

const dir = new URL("../../../test/fixtures/runtime/", import.meta.url);
const FIXTURE_PREFIX: Record<RuntimeSource, string[]> = {
  falco: ["falco-json"],
  falcosidekick: ["falcosidekick-", "falco-json"],
  tetragon: ["tetragon-"],
  tracee: ["tracee-"],
  kubearmor: ["kubearmor-"],
  sysdig: ["sysdig-"],
  guardduty: ["guardduty-"],
  "aws-waf": ["aws-waf-"],
  modsecurity: ["modsecurity-"],
  generic: [],
};
const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
const GENERIC_SAMPLE = {
  sensor: "Contrast Protect",
  ruleId: "sql-injection",
  title: "SQL injection",
  occurredAt: "2026-03-01T10:00:00Z",
  severity: "HIGH",
  context: { request: { method: "POST", path: "/login" } },
  identifiers: { serviceNames: ["checkout"] },
};
const MODSECURITY_V3_SAMPLE = {
  transaction: {
    client_ip: "89.160.20.112",
    time_stamp: "Fri Mar 25 10:15:35 2022",
    host_ip: "172.21.50.216",
    host_port: 443,
    request: { method: "GET", uri: "/?id=1", headers: { Host: "test.website.com" } },
    response: { http_code: 403 },
    messages: [{ message: "SQL Injection Attack Detected via libinjection", details: { ruleId: "942100", severity: "2", data: "Matched Data: x", tags: ["attack-sqli"] } }],
  },
};
function samplesOf(source: RuntimeSource): unknown[] {
  const own = files.filter((f) => FIXTURE_PREFIX[source].some((p) => f.startsWith(p))).map((f) => JSON.parse(readFileSync(new URL(f, dir), "utf8")) as unknown);
  if (source === "modsecurity") return [...own, MODSECURITY_V3_SAMPLE];
  return source === "generic" ? [GENERIC_SAMPLE] : own;
}

const stamp = { id: "0190a1b2-0000-7000-8000-000000000001", receivedAt: "2026-01-01T00:00:00.000Z" };

/** Never a crash: either a valid RuntimeAlert or an AdapterInputError naming a field. */
function checkOutcome(source: RuntimeSource, payload: unknown): void {
  const result = adaptRuntimePayload(source, payload, stamp);
  if (result.ok) {
    expect(runtimeAlertSchema.safeParse(result.alert).success).toBe(true);
    expect(result.alert.mitre.tactics.length).toBeGreaterThan(0);
    expect(result.alert.mitre.techniques.length).toBeGreaterThan(0);
  } else {
    expect(result.error).toBeInstanceOf(AdapterInputError);
    // the registry's catch-all for unexpected exceptions must never be needed: that would be an adapter bug
    expect(result.error.problem).not.toMatch(/^unreadable payload/u);
    expect(result.error.field.length).toBeGreaterThan(0);
    expect(result.error.message).toContain(result.error.field);
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path (array of keys) inside a JSON value. */
function pathsOf(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (out.length > 400) return out;
  if (Array.isArray(value)) value.forEach((v, i) => { out.push([...prefix, i]); pathsOf(v, [...prefix, i], out); });
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) { out.push([...prefix, k]); pathsOf(v, [...prefix, k], out); }
  return out;
}

function mutate(value: unknown, path: (string | number)[], replacement: Json | undefined): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let cur: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) cur = cur[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (last === undefined) return replacement;
  if (replacement === undefined) {
    if (Array.isArray(cur)) cur.splice(Number(last), 1);
    else delete cur[last];
  } else {
    Object.defineProperty(cur, last, { value: replacement, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

describe.each(RUNTIME_SOURCES.map((s) => [s]))("fuzz %s adapter", (source) => {
  const samples = samplesOf(source);

  it("has fixtures to mutate", () => {
    expect(samples.length).toBeGreaterThan(0);
  });

  it("arbitrary JSON never crashes it", () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (payload) => checkOutcome(source, payload)), { numRuns: Number(process.env.FUZZ_RUNS ?? 300) });
  });

  it("mutated fixtures (a field replaced by arbitrary JSON or removed) never crash it", () => {
    const arb = fc
      .integer({ min: 0, max: samples.length - 1 })
      .chain((i) => {
        const sample = samples[i];
        const paths = pathsOf(sample);
        return fc.tuple(fc.constant(sample), fc.constantFrom(...(paths.length ? paths : [[]])), fc.option(fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>, { nil: undefined }));
      });
    fc.assert(fc.property(arb, ([sample, path, replacement]) => checkOutcome(source, mutate(sample, path, replacement))), { numRuns: Number(process.env.FUZZ_RUNS ?? 400) });
  });

  it("__proto__ keys and hostile strings stay inert", () => {
    for (const sample of samples) {
      const hostile = JSON.parse(`{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},${JSON.stringify(sample).slice(1)}`) as unknown;
      checkOutcome(source, hostile);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
