import type { IncomingMessage } from "node:http";
import type { SimClock } from "../clock.js";
import { parseFaultRule, type FaultPlan, type FaultRule } from "../faults/fault-plan.js";
import type { TokenIssuer } from "../oauth/token-issuer.js";
import type { UploadService } from "../upload/upload-service.js";
import type { TenantRateLimiter } from "./rate-limiter.js";
import type { RequestLog } from "./request-log.js";

export interface AdminDeps {
  clock: SimClock;
  faults: FaultPlan;
  log: RequestLog;
  tokens: TokenIssuer;
  rateLimiter: TenantRateLimiter;
  uploads: UploadService;
  info: () => unknown;
}

/**
 * `/_sim/*`: drive a running simulator from another process (benchmarks, demos, a CLI in another terminal).
 * Loopback-only and unauthenticated, like a test fixture; `wizbridge sim --no-admin` turns it off.
 */
export function createAdminRoutes(deps: AdminDeps) {
  return async (request: IncomingMessage, body: string): Promise<{ status: number; body: unknown } | undefined> => {
    const url = new URL(request.url ?? "/", "http://sim.local");
    const route = `${request.method} ${url.pathname.replace(/\/+$/, "")}`;
    const json = (): Record<string, unknown> => {
      if (!body.trim()) return {};
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed !== "object" || parsed === null) throw new Error("Send a JSON object.");
      return parsed as Record<string, unknown>;
    };
    try {
      switch (route) {
        case "GET /_sim/info":
          return { status: 200, body: deps.info() };
        case "POST /_sim/clock/advance": {
          const ms = Number(json().ms ?? Number(json().seconds ?? 0) * 1000);
          await deps.clock.advance(ms);
          return { status: 200, body: { now: new Date(deps.clock.now()).toISOString() } };
        }
        case "GET /_sim/faults":
          return { status: 200, body: deps.faults.list() };
        case "POST /_sim/faults": {
          const input = json();
          const rule: FaultRule = typeof input.rule === "string" ? parseFaultRule(input.rule) : (input as unknown as FaultRule);
          return { status: 201, body: { id: deps.faults.inject(rule) } };
        }
        case "DELETE /_sim/faults":
          deps.faults.clear(url.searchParams.has("id") ? Number(url.searchParams.get("id")) : undefined);
          return { status: 200, body: { cleared: true } };
        case "POST /_sim/tokens/revoke":
          deps.tokens.revokeAll();
          return { status: 200, body: { revoked: true } };
        case "POST /_sim/rate-limit":
          deps.rateLimiter.configure(json());
          return { status: 200, body: { configured: true } };
        case "GET /_sim/uploads":
          return { status: 200, body: { uploads: deps.uploads.uploads(), dataSources: deps.uploads.dataSources() } };
        case "GET /_sim/requests":
          return { status: 200, body: { peakConcurrency: deps.log.peakConcurrency(), requests: deps.log.list().slice(-Number(url.searchParams.get("last") ?? 1000)) } };
        case "DELETE /_sim/requests":
          deps.log.clear();
          return { status: 200, body: { cleared: true } };
        default:
          return undefined;
      }
    } catch (error) {
      return { status: 400, body: { error: (error as Error).message } };
    }
  };
}
