/** What can go wrong on a request; each mirrors something clients meet against the real Wiz. */
export type FaultSpec =
  | { kind: "latency"; fixedMs?: number; perNodeMs?: number }
  | { kind: "http-error"; status?: number }
  | { kind: "drop-connection" }
  | { kind: "revoke-tokens" }
  | { kind: "expire-tokens" }
  | { kind: "repeat-cursor" }
  | { kind: "malformed-json" }
  | { kind: "schema-drift"; field?: string; type?: string }
  | { kind: "rate-limit" }
  | { kind: "graphql-error"; code?: string; message?: string };

export type FaultKind = FaultSpec["kind"];

export interface FaultRule {
  spec: FaultSpec;
  /** How many matching requests it applies to; default: unlimited for latency, 1 for the rest. */
  times?: number;
  /** Matching requests to let through untouched first (e.g. revoke tokens after the 10th page). */
  after?: number;
  /** Requests to this path: /graphql (the default), /oauth/token, or /upload (every presigned PUT). */
  path?: string;
  /** Only GraphQL requests selecting this root field (e.g. issuesV2) or with this operation name. */
  rootField?: string;
  operationName?: string;
  /** Chance (0..1) that a matching request is hit; drawn from the simulator's seeded random source. */
  probability?: number;
}

export interface ActiveFault extends FaultRule {
  id: number;
  hits: number;
  seen: number;
}

export interface FaultRequest {
  /** /graphql, /oauth/token or /upload (all presigned PUTs). */
  path: string;
  rootFields?: readonly string[];
  operationName?: string;
}

const KINDS: readonly FaultKind[] = [
  "latency",
  "http-error",
  "drop-connection",
  "revoke-tokens",
  "expire-tokens",
  "repeat-cursor",
  "malformed-json",
  "schema-drift",
  "rate-limit",
  "graphql-error",
];

/** Scriptable fault injection: tests and the CLI add rules; each request takes the faults that match it. */
export class FaultPlan {
  private readonly rules: ActiveFault[] = [];
  private nextId = 1;

  constructor(private readonly random: () => number) {}

  inject(rule: FaultRule): number {
    if (!KINDS.includes(rule.spec.kind)) {
      throw new Error(`Unknown fault kind ${JSON.stringify(rule.spec.kind)}; use one of ${KINDS.join(", ")}.`);
    }
    const id = this.nextId++;
    this.rules.push({ ...rule, id, hits: 0, seen: 0 });
    return id;
  }

  clear(id?: number): void {
    if (id === undefined) this.rules.length = 0;
    else this.rules.splice(0, this.rules.length, ...this.rules.filter((r) => r.id !== id));
  }

  list(): readonly ActiveFault[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** The faults that apply to this request, in injection order; spent rules are removed. */
  take(request: FaultRequest): FaultSpec[] {
    const hit: FaultSpec[] = [];
    for (const rule of this.rules) {
      if ((rule.path ?? "/graphql") !== request.path) continue;
      if (rule.rootField && !(request.rootFields ?? []).includes(rule.rootField)) continue;
      if (rule.operationName && rule.operationName !== request.operationName) continue;
      rule.seen += 1;
      if (rule.seen <= (rule.after ?? 0)) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      rule.hits += 1;
      hit.push(rule.spec);
    }
    const spent = this.rules.filter((r) => r.hits >= (r.times ?? (r.spec.kind === "latency" ? Infinity : 1)));
    for (const rule of spent) this.clear(rule.id);
    return hit;
  }
}

/**
 * Parses the CLI form `kind[:key=value,...]`, e.g. `latency:fixed=200,perNode=2`,
 * `http-error:status=503,times=3,after=10`, `repeat-cursor:root=issuesV2`, `schema-drift:field=entitySnapshot`.
 */
export function parseFaultRule(text: string): FaultRule {
  const [kindText = "", paramText = ""] = text.split(/:(.*)/s, 2);
  const kind = kindText.trim() as FaultKind;
  if (!KINDS.includes(kind)) {
    throw new Error(`Unknown fault ${JSON.stringify(kindText)} in --fault ${JSON.stringify(text)}; use one of ${KINDS.join(", ")} (e.g. --fault http-error:status=503,times=3).`);
  }
  const params = new Map<string, string>();
  for (const pair of paramText.split(",").filter(Boolean)) {
    const [key, value] = pair.split("=", 2);
    if (!key || value === undefined) throw new Error(`Fault parameter ${JSON.stringify(pair)} in ${JSON.stringify(text)} must be key=value.`);
    params.set(key.trim(), value.trim());
  }
  const num = (key: string): number | undefined => {
    const value = params.get(key);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new Error(`Fault parameter ${key}=${value} in ${JSON.stringify(text)} must be a non-negative number.`);
    return n;
  };
  const spec: FaultSpec = (() => {
    switch (kind) {
      case "latency":
        return { kind, fixedMs: num("fixed") ?? 0, perNodeMs: num("perNode") ?? 0 };
      case "http-error":
        return { kind, status: num("status") ?? 503 };
      case "schema-drift":
        return { kind, field: params.get("field"), type: params.get("type") };
      case "graphql-error":
        return { kind, code: params.get("code") ?? "INTERNAL", message: params.get("message") };
      default:
        return { kind } as FaultSpec;
    }
  })();
  const rule: FaultRule = { spec };
  const times = num("times");
  if (times !== undefined) rule.times = times;
  const after = num("after");
  if (after !== undefined) rule.after = after;
  const probability = num("p");
  if (probability !== undefined) rule.probability = probability;
  const root = params.get("root");
  if (root) rule.rootField = root;
  const path = params.get("path");
  if (path) rule.path = path;
  return rule;
}
