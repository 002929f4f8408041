/** The Wiz record streams the pull engine syncs; the names are the config file's stream keys. */
export const STREAM_NAMES = [
  "issues",
  "vulnerabilityFindings",
  "cloudResources",
  "configurationFindings",
  "detections",
  "threats",
  "auditLogEntries",
  "projects",
  "versionControlResources",
] as const;

export type StreamName = (typeof STREAM_NAMES)[number];

export function isStreamName(value: string): value is StreamName {
  return (STREAM_NAMES as readonly string[]).includes(value);
}
