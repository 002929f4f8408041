import type { StreamName } from "../../model/stream-name.js";
import type { StreamDefinition } from "../stream-definition.js";
import { auditLogEntriesStream } from "./audit-log-entries.stream.js";
import { cloudResourcesStream } from "./cloud-resources.stream.js";
import { configurationFindingsStream } from "./configuration-findings.stream.js";
import { detectionsStream } from "./detections.stream.js";
import { issuesStream } from "./issues.stream.js";
import { projectsStream } from "./projects.stream.js";
import { threatsStream } from "./threats.stream.js";
import { versionControlResourcesStream } from "./version-control-resources.stream.js";
import { vulnerabilityFindingsStream } from "./vulnerability-findings.stream.js";

/** Every stream the engine can sync, by config name. */
export const STREAM_CATALOGUE: Readonly<Record<StreamName, StreamDefinition>> = {
  issues: issuesStream,
  vulnerabilityFindings: vulnerabilityFindingsStream,
  cloudResources: cloudResourcesStream,
  configurationFindings: configurationFindingsStream,
  detections: detectionsStream,
  threats: threatsStream,
  auditLogEntries: auditLogEntriesStream,
  projects: projectsStream,
  versionControlResources: versionControlResourcesStream,
};
