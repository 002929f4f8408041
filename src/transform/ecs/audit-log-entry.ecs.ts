import type { AuditLogEntryRecord } from "../../model/canonical/index.js";
import { compact } from "../compact.js";
import { distinct, ecsObject, ECS_VERSION, isoMillisOf, objectOf, textOf, type EcsDocument, type RawNode } from "./ecs-fields.js";

/** Elastic's event.action for an audit action: `Create Report` -> `create-report`, `Login` -> `login`. */
function actionOf(action: string | null): string | undefined {
  if (action === null) return undefined;
  const words = action.trim().toLowerCase().split(/\s+/).filter((w) => w !== "");
  return words.length > 0 ? words.join("-") : undefined;
}

/** Elastic: logins are authentication, report actions file; we call the rest configuration (Elastic leaves them uncategorised). */
function categoryOf(action: string | null): string[] {
  if (action?.includes("Login")) return ["authentication"];
  if (action?.includes("Report")) return ["file"];
  return ["configuration"];
}

/** Elastic: status containing "success" / "failure"; Wiz writes FAILED, which we count as a failure too. */
function outcomeOf(status: string | null): string | undefined {
  const s = status?.toLowerCase() ?? "";
  if (s.includes("success")) return "success";
  if (s.includes("fail")) return "failure";
  return undefined;
}

/**
 * An auditLogEntries node as Elastic's Wiz `audit` data stream writes it: @timestamp = timestamp, event.action
 * from the action, event.outcome from the status, http.request.id, source.ip, user.*, related.user with the
 * user ids an action names (actionParameters userID, userEmail, userpoolID).
 */
export function auditLogEntryEcs(record: AuditLogEntryRecord, raw: RawNode, observedAt: string): EcsDocument {
  const action = textOf(raw.action);
  const user = objectOf(raw.user);
  const parameters = objectOf(raw.actionParameters);
  const sourceIp = textOf(raw.sourceIP);
  const account = objectOf(raw.serviceAccount);
  return compact({
    "@timestamp": isoMillisOf(raw.timestamp) ?? observedAt,
    ecs: { version: ECS_VERSION },
    message: action ?? undefined,
    observer: { vendor: "Wiz" },
    event: compact({
      kind: "event",
      category: categoryOf(action),
      type: ["info"],
      id: record.id,
      dataset: "wiz.audit",
      action: actionOf(action),
      outcome: outcomeOf(textOf(raw.status)),
      url: record.portalUrl,
    }),
    http: ecsObject({ request: ecsObject({ id: textOf(raw.requestId) }) }),
    source: ecsObject({ ip: sourceIp }),
    user: ecsObject({ id: textOf(user?.id), name: textOf(user?.name), email: textOf(user?.email) }),
    user_agent: ecsObject({ original: textOf(raw.userAgent) }),
    related: ecsObject({
      ip: distinct([sourceIp]),
      user: distinct([textOf(user?.id), textOf(user?.name), textOf(parameters?.userEmail), textOf(parameters?.userID), textOf(parameters?.userpoolID)]),
    }),
    wiz: {
      audit: compact({
        action: action ?? undefined,
        status: textOf(raw.status) ?? undefined,
        service_account: account ? ecsObject({ id: textOf(account.id), name: textOf(account.name) }) : undefined,
      }),
    },
  }) as EcsDocument;
}
