/**
 * Reading recorded Wiz JSON: one file per root field (issues.json, vulnerabilityFindings.json, ...), each
 * an array of nodes or a GraphQL response as recorded from Wiz ({data:{issues:{nodes:[...]}}}).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { CollectionName } from "./tenant-model.js";
import type { WizRecord } from "./types.js";

/** Root field (file base name) to collection; V2 and aliased names map to the same collection. */
export const RECORDED_ROOTS: Readonly<Record<string, CollectionName>> = {
  issues: "issues",
  issuesV2: "issues",
  vulnerabilityFindings: "vulnerabilityFindings",
  configurationFindings: "configurationFindings",
  cloudResources: "cloudResources",
  cloudResourcesV2: "cloudResources",
  detections: "detections",
  projects: "projects",
  cloudAccounts: "cloudAccounts",
  kubernetesClusters: "kubernetesClusters",
  auditLogEntries: "auditLogEntries",
  versionControlResources: "versionControlResources",
  users: "users",
};

export interface RecordedNodes {
  /** Where the nodes came from (file path or input key), for error messages. */
  sources: string[];
  nodes: WizRecord[];
}

const NodeSchema = z.record(z.string(), z.unknown());
const ConnectionSchema = z.union([z.object({ nodes: z.array(z.unknown()) }), z.object({ edges: z.array(z.object({ node: z.unknown() })) })]);
const ResponseSchema = z.object({
  data: z.record(z.string(), z.unknown()).nullable().optional(),
  errors: z.array(z.object({ message: z.string() }).loose()).optional(),
});

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") {
    const keys = Object.keys(value);
    return keys.length === 0 ? "an empty object" : `an object with keys ${keys.slice(0, 6).join(", ")}`;
  }
  return `a ${typeof value}`;
}

function connectionNodes(value: unknown): unknown[] | undefined {
  const parsed = ConnectionSchema.safeParse(value);
  if (!parsed.success) return undefined;
  return "nodes" in parsed.data ? parsed.data.nodes : parsed.data.edges.map((edge) => edge.node);
}

/** The nodes of one recorded file, or a clear error naming the source and the problem. */
export function extractNodes(source: string, root: string, value: unknown): WizRecord[] {
  let nodes: unknown[] | undefined = Array.isArray(value) ? value : undefined;
  const expected = `expected an array of nodes or a GraphQL response {"data":{"${root}":{"nodes":[...]}}}`;
  if (!nodes) {
    const response = ResponseSchema.safeParse(value);
    if (response.success && (response.data.data !== undefined || response.data.errors !== undefined)) {
      const data = response.data.data;
      if (!data) {
        const message = response.data.errors?.[0]?.message ?? "no data";
        throw new Error(`${source}: the recorded response has no data (${message}); record a successful response or an array of nodes.`);
      }
      const keys = Object.keys(data);
      const key = keys.includes(root) ? root : keys.find((k) => RECORDED_ROOTS[k] === RECORDED_ROOTS[root]) ?? (keys.length === 1 ? keys[0] : undefined);
      if (key === undefined) throw new Error(`${source}: ${expected}; data has ${keys.length === 0 ? "no keys" : `keys ${keys.join(", ")}`} and none is ${root}.`);
      nodes = connectionNodes(data[key]);
      if (!nodes) throw new Error(`${source}: data.${key} should be a connection with "nodes" (or "edges"), got ${describe(data[key])}.`);
    } else {
      nodes = connectionNodes(value);
    }
  }
  if (!nodes) throw new Error(`${source}: ${expected}, got ${describe(value)}.`);
  return nodes.map((node, k) => {
    const parsed = NodeSchema.safeParse(node);
    if (!parsed.success || Array.isArray(node)) throw new Error(`${source}: node ${k} should be an object, got ${describe(node)}.`);
    return parsed.data as WizRecord;
  });
}

function collectionOf(root: string, source: string): CollectionName {
  const collection = RECORDED_ROOTS[root];
  if (!collection) throw new Error(`${source}: "${root}" is not a root field the simulator serves; use one of ${Object.keys(RECORDED_ROOTS).join(", ")}.`);
  return collection;
}

function add(out: Map<CollectionName, RecordedNodes>, collection: CollectionName, source: string, nodes: WizRecord[]): void {
  const entry = out.get(collection) ?? { sources: [], nodes: [] };
  entry.sources.push(source);
  entry.nodes.push(...nodes);
  out.set(collection, entry);
}

/** Reads a directory of recorded files, or an in-memory map of root field to nodes. */
export function readRecordedTenant(input: string | Record<string, unknown[]>): Map<CollectionName, RecordedNodes> {
  const out = new Map<CollectionName, RecordedNodes>();
  if (typeof input !== "string") {
    if (input === null || typeof input !== "object") throw new Error(`tenant data should be a directory path or an object of root field to nodes, got ${describe(input)}.`);
    for (const [root, value] of Object.entries(input)) {
      const source = `tenant data "${root}"`;
      add(out, collectionOf(root, source), source, extractNodes(source, root, value));
    }
    return out;
  }
  if (!existsSync(input)) throw new Error(`tenant directory ${input} does not exist; pass a directory of recorded Wiz JSON files such as issues.json.`);
  if (!statSync(input).isDirectory()) throw new Error(`${input} is not a directory; pass the directory that holds issues.json, cloudResources.json, ...`);
  const files = readdirSync(input)
    .filter((name) => name.endsWith(".json"))
    .sort();
  if (files.length === 0) throw new Error(`${input} holds no .json files; expected files named after root fields, e.g. ${Object.keys(RECORDED_ROOTS).slice(0, 4).join(".json, ")}.json.`);
  for (const name of files) {
    const path = join(input, name);
    const root = name.slice(0, -".json".length);
    const collection = collectionOf(root, path);
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(path, "utf8"));
    } catch (error) {
      throw new Error(`${path}: not valid JSON (${error instanceof Error ? error.message : String(error)}); fix or remove the file.`, { cause: error });
    }
    add(out, collection, path, extractNodes(path, root, value));
  }
  return out;
}
