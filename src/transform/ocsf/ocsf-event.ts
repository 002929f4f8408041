/** The OCSF 1.8.0 classes wizbridge emits; the golden tests check every event against the 1.8.0 schema files (shared/fixtures/ocsf). */
export const OCSF_VERSION = "1.8.0";

export const OCSF_CLASSES = Object.freeze({
  vulnerabilityFinding: { class_uid: 2002, class_name: "Vulnerability Finding", category_uid: 2, category_name: "Findings" },
  complianceFinding: { class_uid: 2003, class_name: "Compliance Finding", category_uid: 2, category_name: "Findings" },
  detectionFinding: { class_uid: 2004, class_name: "Detection Finding", category_uid: 2, category_name: "Findings" },
  cloudResourcesInventoryInfo: { class_uid: 5023, class_name: "Cloud Resources Inventory Info", category_uid: 5, category_name: "Discovery" },
  apiActivity: { class_uid: 6003, class_name: "API Activity", category_uid: 6, category_name: "Application Activity" },
});

/** An OCSF event as plain JSON (attribute names are OCSF's snake_case). */
export type OcsfEvent = { class_uid: number; type_uid: number; activity_id: number; severity_id: number; time: number } & Record<string, unknown>;
