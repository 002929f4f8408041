import type { AuditLogEntryRecord } from "../../model/canonical/index.js";
import { portalLinkOf } from "../../model/portal-links.js";
import type { NormaliseContext } from "./normalise-context.js";
import { objectOf, personOf, requiredId, textOf, timestampOf, type RawNode } from "./raw-fields.js";

export function normaliseAuditLogEntry(raw: RawNode, context: NormaliseContext): AuditLogEntryRecord {
  const id = requiredId("auditLogEntry", raw);
  const account = objectOf(raw.serviceAccount);
  const timestamp = timestampOf(raw.timestamp);
  return {
    recordType: "auditLogEntry",
    id,
    title: textOf(raw.action),
    severity: null,
    severityLevel: null,
    status: textOf(raw.status),
    createdAt: timestamp,
    updatedAt: timestamp,
    portalUrl: portalLinkOf(context.portalOrigin, "auditLogEntries", id, null),
    action: textOf(raw.action),
    requestId: textOf(raw.requestId),
    timestamp,
    sourceIP: textOf(raw.sourceIP),
    userAgent: textOf(raw.userAgent),
    user: personOf(raw.user),
    serviceAccount: account ? { id: textOf(account.id), name: textOf(account.name) } : null,
  };
}
