import type { SimClock } from "../clock.js";
import type { Tenant } from "../tenant/types.js";
import type { UploadService } from "../upload/upload-service.js";
import type { ListCache } from "./connection.js";
import type { RelationIndex } from "./relation-index.js";

/** What every resolver of one request sees. Built per request by the HTTP layer. */
export interface SimContext {
  tenant: Tenant;
  clock: SimClock;
  uploads: UploadService;
  lists: ListCache;
  relations: RelationIndex;
  scopes: ReadonlySet<string>;
  account: { id: string; name: string };
  pageCaps: Readonly<Record<string, number>>;
  /** Fault: answer every connection with the cursor the client sent, as a server bug would. */
  repeatCursor: boolean;
  /** Count of nodes materialised, for per-node latency injection and the request log. */
  nodes: number;
  /** Called after a mutation changed an issue, so webhooks can fire. */
  onIssueChanged(index: number, kind: "issue.created" | "issue.updated" | "issue.resolved"): void;
}
