import { assetSweepWorkflow } from "./asset-sweep.workflow.js";
import { evidenceWorkflow } from "./evidence.workflow.js";
import { forensicsWorkflow } from "./forensics.workflow.js";
import { projectReportWorkflow } from "./project-report.workflow.js";
import { threatResponseWorkflow } from "./threat-response.workflow.js";
import { triageDigestWorkflow } from "./triage-digest.workflow.js";
import type { WorkflowDefinition } from "./workflow-definition.js";

/** Every workflow, each defined once; the command, the config's jobs and the scheduler all read this list. */
export const WORKFLOWS: readonly WorkflowDefinition[] = [
  triageDigestWorkflow,
  assetSweepWorkflow,
  threatResponseWorkflow,
  evidenceWorkflow,
  projectReportWorkflow,
  forensicsWorkflow,
] as unknown as readonly WorkflowDefinition[];

export const WORKFLOW_NAMES = ["triage-digest", "asset-sweep", "threat-response", "evidence", "project-report", "forensics"] as const;
export type WorkflowName = (typeof WORKFLOW_NAMES)[number];

/** The workflow of a name; undefined for an unknown one. */
export function findWorkflow(name: string): WorkflowDefinition | undefined {
  return WORKFLOWS.find((w) => w.name === name);
}
