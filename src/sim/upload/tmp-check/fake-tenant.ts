import { ISSUE_STATUSES, ISSUE_TYPES, SEVERITIES, type Tenant, type ThreatIssueInit, type IssueChange, type WizRecord } from "../../tenant/types.js";
export function generateTenant(_o: { seed: number; size: string; now: number }): Tenant {
  const n = 20;
  const deletedAt = new Float64Array(n).fill(Number.NaN);
  deletedAt[0] = 5;
  const issues: Array<{ status: number; type: number; severity: number; resource: number; name: string; resolutionReason: string | null }> = [];
  const cols = {
    get status() { return Uint8Array.from(issues.map((i) => i.status)); },
    get type() { return Uint8Array.from(issues.map((i) => i.type)); },
    get severity() { return Uint8Array.from(issues.map((i) => i.severity)); },
    get resource() { return Int32Array.from(issues.map((i) => i.resource)); },
  };
  const t = {
    cloudResources: { size: () => n, cols: { deletedAt }, get: (i: number): WizRecord => ({ id: `r${i}`, providerUniqueId: `arn:aws:ec2:::i-${i}` }) },
    resourceByProviderId: (p: string) => { const m = /^arn:aws:ec2:::i-(\d+)$/.exec(p); return m ? Number(m[1]) : undefined; },
    issues: { size: () => issues.length, cols, get: (i: number): WizRecord => ({ ...issues[i], status: ISSUE_STATUSES[issues[i]!.status] }) },
    raiseThreatIssue(init: ThreatIssueInit) {
      const open = issues.findIndex((i) => i.resource === init.resourceIndex && i.name === init.name && i.status < 2);
      if (open >= 0) return open;
      issues.push({ status: 0, type: ISSUE_TYPES.indexOf("THREAT_DETECTION"), severity: SEVERITIES.indexOf(init.severity), resource: init.resourceIndex, name: init.name, resolutionReason: null });
      return issues.length - 1;
    },
    updateIssue(i: number, c: IssueChange) { const is = issues[i]!; if (c.status) is.status = ISSUE_STATUSES.indexOf(c.status as never); if (c.resolutionReason !== undefined) is.resolutionReason = c.resolutionReason; },
  };
  return t as unknown as Tenant;
}
