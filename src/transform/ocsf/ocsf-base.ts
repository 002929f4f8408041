import type { OCSF_CLASSES} from "./ocsf-event.js";
import { OCSF_VERSION, type OcsfEvent } from "./ocsf-event.js";

export const OCSF_SEVERITY_NAMES: Readonly<Record<number, string>> = { 0: "Unknown", 1: "Informational", 2: "Low", 3: "Medium", 4: "High", 5: "Critical" };

/** The metadata every wizbridge OCSF event carries: schema version, product, the Wiz id and record type. */
export function ocsfMetadata(uid: string, logName: string, originalTime: string | null): Record<string, unknown> {
  const metadata: Record<string, unknown> = { version: OCSF_VERSION, product: { name: "Wiz", vendor_name: "Wiz" }, uid, log_provider: "wizbridge", log_name: logName };
  if (originalTime !== null) metadata.original_time = originalTime;
  return metadata;
}

/** The attributes every OCSF event has (class, category, activity, type, severity, time, metadata, raw_data); each mapper adds its class's own. */
export function ocsfBase(
  cls: (typeof OCSF_CLASSES)[keyof typeof OCSF_CLASSES],
  activity: [id: number, name: string],
  severityId: number,
  time: number,
  metadata: Record<string, unknown>,
  raw: unknown,
): OcsfEvent {
  const [activityId, activityName] = activity;
  return {
    class_uid: cls.class_uid,
    class_name: cls.class_name,
    category_uid: cls.category_uid,
    category_name: cls.category_name,
    activity_id: activityId,
    activity_name: activityName,
    type_uid: cls.class_uid * 100 + activityId,
    type_name: `${cls.class_name}: ${activityName}`,
    severity_id: severityId,
    severity: OCSF_SEVERITY_NAMES[severityId] ?? "Unknown",
    time,
    metadata,
    raw_data: JSON.stringify(raw ?? null),
  };
}
