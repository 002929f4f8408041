import { z } from "zod";

// Any 8-4-4-4-12 hex id: Wiz ids are UUIDs, but their version nibble is not something to police.
const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const UUID_EXAMPLE = "6f0b5b1a-6d1e-4a51-9b3f-1d2c3b4a5e6f";

/** A Wiz id that is a UUID (issues, projects, detections, cloud resources), checked before sending as XW does. */
export function wizUuid(what: string, base: z.ZodString = z.string()): z.ZodString {
  return base.regex(UUID_PATTERN, { error: `must be the ${what} UUID, e.g. ${UUID_EXAMPLE}` });
}

/** True for a Wiz UUID; a provider id (ARN, Azure resource id...) is anything else. */
export function isWizUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** An id whose format Wiz does not document (note ids, system activity ids): only non-empty. */
export function opaqueId(what: string): z.ZodString {
  return z.string().min(1, { error: `must be the ${what} id (a non-empty string)` });
}
