import type { StreamName } from "./stream-name.js";

const WIZ_API_HOST = /^api\.[a-z0-9-]+\.((?:app\.wiz\.(?:io|us))|(?:gov\.wiz\.io))$/;

/** The portal origin of the tenant behind an API endpoint; app.wiz.io for hosts that are not Wiz's (the simulator). */
export function portalOriginOf(endpoint: string): string {
  try {
    const match = WIZ_API_HOST.exec(new URL(endpoint).hostname);
    return match?.[1] ? `https://${match[1]}` : "https://app.wiz.io";
  } catch {
    return "https://app.wiz.io";
  }
}

/**
 * Portal deep links for records whose payload has none. The shapes follow the links the portal itself
 * shares (rison fragments); Wiz does not document them, so they are best effort.
 */
export function portalLinkOf(origin: string, stream: StreamName, id: string, type: string | null): string {
  const entity = (kind: string) => `${origin}/graph#~(entity~(~'${id}*2c${kind}))`;
  switch (stream) {
    case "issues":
    case "threats":
      return `${origin}/issues#~(issue~'${id})`;
    case "vulnerabilityFindings":
      return `${origin}/explorer/vulnerability-findings#~(entity~(~'${id}*2cSECURITY_TOOL_FINDING))`;
    case "configurationFindings":
      return `${origin}/findings/configuration-findings#~(entity~(~'${id}*2cCONFIGURATION_FINDING))`;
    case "detections":
      return `${origin}/threats/detections#~(detection~'${id})`;
    case "auditLogEntries":
      return `${origin}/settings/audit-log#~(filters~(id~'${id}))`;
    case "projects":
      return `${origin}/projects/${id}`;
    case "cloudResources":
    case "versionControlResources":
      return entity(type ?? "RESOURCE");
  }
}
