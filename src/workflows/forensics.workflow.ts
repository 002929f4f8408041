import { z } from "zod";
import { portalLinkOf } from "../model/portal-links.js";
import type { ForensicsCopy } from "../wiz/operations/forensics/copy-to-external-account.operation.js";
import { resolveResourceId } from "./resolve-resource-id.js";
import { defineWorkflow, notificationOf } from "./workflow-definition.js";
import { providerId } from "./workflow-parameters.js";
import type { WorkflowReport } from "./report/workflow-report.js";

export const FORENSICS = "forensics";

const parameters = z.strictObject({ providerId });

/**
 * OPERATIONS' forensics on demand: a provider id (ARN) -> listIDs -> copyToExternalAccount -> the
 * systemActivityGroupId recorded in the store's ledger -> the responders notified with it and the portal link.
 */
export const forensicsWorkflow = defineWorkflow({
  name: FORENSICS,
  description: "Copy a resource's disks to the forensics account from its provider id, record the activity group and notify",
  parameters,
  mutating: true,
  usesStore: true,
  async run(params, context) {
    const resourceId = await resolveResourceId(context.call, params.providerId);
    const resourceLink = portalLinkOf(context.portalOrigin, "cloudResources", resourceId, null);
    const generatedAt = new Date(context.now()).toISOString();
    if (context.dryRun) {
      const report: WorkflowReport = {
        workflow: FORENSICS,
        title: `Wiz forensics (dry run): would copy ${params.providerId}`,
        generatedAt,
        summary: [`${params.providerId} is Wiz resource ${resourceId}.`, `Dry run: would request forensics copyToExternalAccount with ${JSON.stringify({ input: { id: resourceId } })}; nothing was requested.`],
        tables: [],
        data: { dryRun: true, providerId: params.providerId, resourceId, request: { resource: "forensics", operation: "copyToExternalAccount", parameters: { input: { id: resourceId } } } },
      };
      return { report, notifications: [] };
    }
    const copy = (await context.call({ resource: "forensics", operation: "copyToExternalAccount", parameters: { input: { id: resourceId } } })) as ForensicsCopy;
    const groupId = copy.systemActivityGroupId;
    const record = { providerId: params.providerId, resourceId, systemActivityGroupId: groupId, requestedAt: generatedAt, resourceUrl: resourceLink };
    // One row per request: the same resource may be copied again later, each with its own activity group.
    const subject = `${resourceId}@${groupId ?? generatedAt}`;
    if (context.handled && (await context.handled.claim(FORENSICS, subject, record))) await context.handled.finish(FORENSICS, subject, "done", record);
    const report: WorkflowReport = {
      workflow: FORENSICS,
      title: `Wiz forensics copy requested for ${params.providerId}`,
      generatedAt,
      summary: [
        `${params.providerId} is Wiz resource ${resourceId}; a forensics copy to the external account was requested.`,
        groupId ? `Track it with systemActivityGroupId ${groupId} (Wiz's system activity log).` : "Wiz returned no systemActivityGroupId; check the system activity log in the portal.",
      ],
      tables: [
        {
          title: "Forensics copy",
          columns: ["Resource", "Provider id", "systemActivityGroupId", "Requested at"],
          rows: [[{ text: resourceId, href: resourceLink }, params.providerId, groupId ?? "", generatedAt]],
        },
      ],
      data: record,
    };
    return { report, notifications: [notificationOf(report, [{ text: `${params.providerId} in the Wiz portal`, href: resourceLink }])] };
  },
});
