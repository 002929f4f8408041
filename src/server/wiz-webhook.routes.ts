import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { WebhookAuth } from "../sync/sync-config.js";
import { WebhookPayloadError, type WizWebhookIntake } from "../sync/wiz-webhook-intake.js";

export interface WizWebhookRoutesOptions {
  intake: WizWebhookIntake;
  /** Connectors that accept webhooks, with the check each one's requests must pass. */
  connectors: ReadonlyMap<string, WebhookAuth>;
}

/**
 * Constant-time comparison of digests, so a wrong secret takes as long to refuse whatever its prefix and
 * its length (comparing lengths first told an attacker how long the secret is).
 */
function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(createHash("sha256").update(given).digest(), createHash("sha256").update(expected).digest());
}

/** Whether the request carries the connector's shared secret or bearer token; the reason when not. */
export function checkWebhookAuth(auth: WebhookAuth, headers: Readonly<Record<string, string | string[] | undefined>>): string | undefined {
  const header = (name: string): string | undefined => {
    const v = headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  };
  if (auth.type === "bearer") {
    const given = /^Bearer\s+(.+)$/i.exec(header("authorization") ?? "")?.[1];
    if (given === undefined) return "missing Authorization: Bearer <token> header";
    return sameSecret(given, auth.token) ? undefined : "wrong bearer token";
  }
  if (auth.type === "basic") {
    const given = /^Basic\s+(.+)$/i.exec(header("authorization") ?? "")?.[1];
    if (given === undefined) return "missing Authorization: Basic header";
    return sameSecret(Buffer.from(given, "base64").toString("utf8"), `${auth.username}:${auth.password}`) ? undefined : "wrong username or password";
  }
  const given = header(auth.name);
  if (given === undefined) return `missing ${auth.name} header`;
  return sameSecret(given, auth.value) ? undefined : `wrong ${auth.name} value`;
}

/**
 * `POST /webhooks/wiz/:connector`: Wiz automation-rule webhooks (issues, Defend detections) into the
 * connector's outbox. 200 only after the event is committed; 401 without the connector's secret; 400
 * naming the field that is wrong; 404 for a connector that takes no webhooks.
 */
export async function registerWizWebhookRoutes(app: FastifyInstance, options: WizWebhookRoutesOptions): Promise<void> {
  app.post<{ Params: { connector: string } }>(
    "/webhooks/wiz/:connector",
    { schema: { params: { type: "object", properties: { connector: { type: "string" } }, required: ["connector"] } } },
    async (request, reply) => {
      const { connector } = request.params;
      const auth = options.connectors.get(connector);
      if (!auth) {
        const known = [...options.connectors.keys()];
        return reply.code(404).send({
          error: "unknown_connector",
          message: `No connector named "${connector}" accepts webhooks. ${known.length > 0 ? `Point the Wiz automation rule at /webhooks/wiz/<connector> with one of: ${known.join(", ")}.` : "Add a webhook section (with its auth) to a connector in the config file."}`,
        });
      }
      const refused = checkWebhookAuth(auth, request.headers);
      if (refused) {
        request.log.warn({ connector, reason: refused }, "webhook refused");
        return reply.code(401).send({ error: "unauthorized", message: `${refused}. Set the same secret in the Wiz automation rule's webhook integration and in connectors[].webhook.auth.` });
      }
      try {
        const accepted = await options.intake.accept(connector, request.body);
        return reply.code(200).send({ accepted: true, ...accepted });
      } catch (error) {
        if (error instanceof WebhookPayloadError) return reply.code(400).send({ error: "bad_payload", message: error.message });
        throw error;
      }
    },
  );
}
