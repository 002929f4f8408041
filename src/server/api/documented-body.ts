import { z } from "zod";

/**
 * A body the router takes as any JSON object while the OpenAPI document shows `documented`'s JSON Schema:
 * for entries the config loader validates itself (connectors, sinks), whose answers are richer than the
 * router's (`is not a known key; did you mean "issues"?`, the connection's fix) and whose secrets may be
 * sent back as `{set: true}`.
 */
export function documentedObject(documented: z.ZodType | Record<string, unknown>, description: string): z.ZodType<Record<string, unknown>> {
  const schema = documented instanceof z.ZodType ? (z.toJSONSchema(documented, { target: "draft-2020-12", io: "input", unrepresentable: "any" }) as Record<string, unknown>) : { ...documented };
  delete schema.$schema;
  return z.record(z.string(), z.unknown()).meta({ ...schema, description });
}
