import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { StreamName } from "../../src/model/stream-name.js";
import { generateTenant } from "../../src/sim/tenant/generate-tenant.js";
import type { Tenant } from "../../src/sim/tenant/types.js";
import { connectionOf } from "../../src/sync/stream-definition.js";
import { STREAM_CATALOGUE } from "../../src/sync/streams/stream-catalogue.js";
import type { WizClientCore } from "../../src/wiz/index.js";

export type RawRecord = { stream: StreamName; raw: Record<string, unknown>; origin: string };

const COLLECTION_OF: ReadonlyArray<[StreamName, keyof Tenant]> = [
  ["issues", "issues"],
  ["vulnerabilityFindings", "vulnerabilityFindings"],
  ["cloudResources", "cloudResources"],
  ["configurationFindings", "configurationFindings"],
  ["detections", "detections"],
  ["auditLogEntries", "auditLogEntries"],
  ["projects", "projects"],
  ["versionControlResources", "versionControlResources"],
];

/** Every record of a generated tenant, as full Wiz nodes (every union member, issue type, snapshot variant). */
export function tenantRecords(seed = 7): RawRecord[] {
  const tenant = generateTenant({ seed, size: "tiny", now: Date.parse("2026-01-01T00:00:00Z") });
  const out: RawRecord[] = [];
  for (const [stream, key] of COLLECTION_OF) {
    const collection = tenant[key] as Tenant["issues"];
    for (let i = 0; i < collection.size(); i += 1) {
      // Tenant records are lazy objects with a toJSON; the API (and so the pull engine) sees their JSON.
      const raw = JSON.parse(JSON.stringify(collection.get(i))) as Record<string, unknown>;
      out.push({ stream, raw, origin: `tenant ${stream}[${i}]` });
      if (stream === "issues" && raw.type === "THREAT_DETECTION") out.push({ stream: "threats", raw, origin: `tenant threats[${i}]` });
    }
  }
  return out;
}

/** Every record of every stream, paged from a simulator with the pull engine's own queries (the shapes a sync sees). */
export async function streamRecords(client: WizClientCore): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for (const def of Object.values(STREAM_CATALOGUE)) {
    const pages = client.paginate<Record<string, unknown>>(def.document, { filterBy: def.fixedFilter({}) }, connectionOf, { pageSize: def.pageSizeCap, pageSizeCap: def.pageSizeCap, operationName: def.operationName });
    for await (const page of pages) for (const [i, raw] of page.nodes.entries()) out.push({ stream: def.name, raw, origin: `stream ${def.name} #${i}` });
  }
  return out;
}

/** Fixtures under shared/fixtures that are Wiz records (the others are sensor alerts or upload documents). */
export function fixtureRecords(): RawRecord[] {
  const file = "wiz-defend-detection-webhook-payload-reference.json";
  const raw = JSON.parse(readFileSync(join(import.meta.dirname, "..", "fixtures", "runtime", file), "utf8")) as Record<string, unknown>;
  return [{ stream: "detections", raw, origin: `fixture ${file}` }];
}
