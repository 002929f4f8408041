import { createHash, randomBytes } from "node:crypto";

/** Every scope the simulator knows; a service account holds a subset. */
export const ALL_SCOPES = [
  "read:issues",
  "update:issues",
  "read:resources",
  "read:vulnerabilities",
  "read:projects",
  "read:detections",
  "read:threats",
  "update:threats",
  "read:cloud_configuration",
  "admin:audit",
  "read:users",
  "read:security_scans",
  "create:security_scans",
  "create:external_data_ingestion",
  "read:system_activities",
  "create:forensics",
  "read:kubernetes_clusters",
  "read:cloud_accounts",
] as const;

export interface ServiceAccount {
  clientId: string;
  clientSecret: string;
  name: string;
  scopes: readonly string[];
}

/**
 * A client id and secret shaped like Wiz's (52-char id, 64-char secret), derived from a seed so a
 * simulator started twice with the same seed prints the same credentials.
 */
export function createServiceAccount(seed: string, name: string, scopes: readonly string[]): ServiceAccount {
  const digest = (label: string, length: number): string => {
    let out = "";
    for (let i = 0; out.length < length; i += 1) {
      out += createHash("sha256").update(`${seed}:${name}:${label}:${i}`).digest("base64url");
    }
    return out.slice(0, length).replace(/[-_]/g, "x");
  };
  return { clientId: digest("id", 52).toLowerCase(), clientSecret: digest("secret", 64), name, scopes: [...scopes] };
}

/** A random secret for signing the simulator's tokens; fresh per simulator so tokens never outlive it. */
export function createSigningKey(): Buffer {
  return randomBytes(32);
}
