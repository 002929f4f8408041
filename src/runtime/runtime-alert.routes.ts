import type { FastifyInstance } from "fastify";
import { DeliveryRepository, type AlertStatus } from "./fold/delivery.repository.js";
import type { StoreDb } from "../store/store-database.js";

/** Where the main job serves one runtime alert; Wiz events and issue notes link here (`<base><event id>`). */
export const RUNTIME_ALERT_PATH = "/api/runtime/alerts/";

/** The answer for an id no alert or event has: what to check. */
export interface RuntimeAlertNotFound {
  error: "not_found";
  message: string;
  fix: string;
}

/**
 * One runtime alert (by its id, or by its folded event's id) and everything behind it (state and why,
 * resolution ladder tried, folded event, upload, Wiz issue and note), as `wizbridge alerts show <id> --json`
 * prints it; or the 404 body. The one handler behind GET /api/runtime/alerts/:id, on the main job's API
 * (token checked by the router) and on the bare ingest server.
 */
export async function runtimeAlertAnswer(repository: DeliveryRepository, id: string): Promise<{ found: true; status: AlertStatus } | { found: false; body: RuntimeAlertNotFound }> {
  const status = await repository.alertStatus(id);
  if (status) return { found: true, status };
  return {
    found: false,
    body: {
      error: "not_found",
      message: `No runtime alert or event has the id ${id} in this wizbridge's store.`,
      fix: "Check the id (the ingest answer and `wizbridge alerts list` show them) and that the link's host is the wizbridge that received the alert.",
    },
  };
}

/**
 * GET /api/runtime/alerts/:id without a token, for the bare `*.main.js` receivers on loopback (the main job
 * serves the same answer through its API router, with a viewer token).
 */
export async function registerRuntimeAlertRoutes(app: FastifyInstance, deps: { db: StoreDb }): Promise<void> {
  const repository = new DeliveryRepository(deps.db);
  app.get<{ Params: { id: string } }>(`${RUNTIME_ALERT_PATH}:id`, async (request, reply) => {
    const answer = await runtimeAlertAnswer(repository, request.params.id);
    return answer.found ? reply.send(answer.status) : reply.code(404).send(answer.body);
  });
}
