import type { FastifyInstance, preHandlerAsyncHookHandler } from "fastify";
import { DeliveryRepository } from "./fold/delivery.repository.js";
import type { StoreDb } from "../store/store-database.js";

/** Where the main job serves one runtime alert; Wiz events and issue notes link here (`<base><event id>`). */
export const RUNTIME_ALERT_PATH = "/api/runtime/alerts/";

/**
 * GET /api/runtime/alerts/:id: one runtime alert (by its id, or by its folded event's id) and everything
 * behind it (state and why, resolution ladder tried, folded event, upload, Wiz issue and note), as
 * `wizbridge alerts show <id> --json` prints it. This is the page a Wiz user reaches from an event's link
 * or a runtime note when the sensor has no link.
 */
export async function registerRuntimeAlertRoutes(app: FastifyInstance, deps: { db: StoreDb; auth?: { require(role: "viewer"): preHandlerAsyncHookHandler } }): Promise<void> {
  const repository = new DeliveryRepository(deps.db);
  const guard = deps.auth ? { preHandler: deps.auth.require("viewer") } : {};
  app.get<{ Params: { id: string } }>(`${RUNTIME_ALERT_PATH}:id`, guard, async (request, reply) => {
    const status = await repository.alertStatus(request.params.id);
    if (!status) {
      return reply.code(404).send({
        error: "not_found",
        message: `No runtime alert or event has the id ${request.params.id} in this wizbridge's store.`,
        fix: "Check the id (the ingest answer and `wizbridge alerts list` show them) and that the link's host is the wizbridge that received the alert.",
      });
    }
    return reply.send(status);
  });
}
