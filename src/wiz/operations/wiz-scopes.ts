/**
 * Service-account scopes per Wiz root field, any one of which suffices (schema/NOTES.md). Copied from the
 * simulator's ROOT_FIELD_SCOPES because the SDK must not depend on the simulator.
 */
export const SCOPES = {
  readIssues: ["read:issues"],
  updateIssues: ["update:issues", "write:issues"],
  readVulnerabilities: ["read:vulnerabilities"],
  readDetections: ["read:detections"],
  readResources: ["read:resources"],
  readProjects: ["read:projects"],
  createForensics: ["create:forensics"],
  createExternalDataIngestion: ["create:external_data_ingestion"],
  readSystemActivities: ["read:system_activities"],
  /** The presigned upload URL carries its own authorisation; no Wiz scope is involved. */
  none: [],
} as const satisfies Record<string, readonly string[]>;
