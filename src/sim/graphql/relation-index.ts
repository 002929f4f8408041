import type { Tenant } from "../tenant/types.js";

/**
 * Reverse links (resource -> issues, project -> issues, issue -> detections), built on first use and
 * rebuilt only when the tenant changed, so nested fields like GraphEntity.issues stay cheap per node.
 */
export class RelationIndex {
  private version = -1;
  private byResource = new Map<number, number[]>();
  private byProject = new Map<number, number[]>();
  private detectionsByIssue = new Map<number, number[]>();

  constructor(private readonly tenant: Tenant) {}

  issuesOfResource(resource: number): readonly number[] {
    this.refresh();
    return this.byResource.get(resource) ?? [];
  }

  issuesOfProject(project: number): readonly number[] {
    this.refresh();
    return this.byProject.get(project) ?? [];
  }

  detectionsOfIssue(issue: number): readonly number[] {
    this.refresh();
    return this.detectionsByIssue.get(issue) ?? [];
  }

  private refresh(): void {
    const version = this.tenant.version();
    if (version === this.version) return;
    this.version = version;
    this.byResource = groupBy(this.tenant.issues.size(), this.tenant.issues.cols.resource);
    this.byProject = groupBy(this.tenant.issues.size(), this.tenant.issues.cols.project);
    this.detectionsByIssue = groupBy(this.tenant.detections.size(), this.tenant.detections.cols.issue);
  }
}

function groupBy(size: number, column: Int32Array): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (let i = 0; i < size; i += 1) {
    const key = column[i] as number;
    if (key < 0) continue;
    const list = map.get(key);
    if (list) list.push(i);
    else map.set(key, [i]);
  }
  return map;
}
