import type { RuntimeAlertInput, RuntimeSource } from "../../model/runtime-alert.js";

/** What an adapter builds: a RuntimeAlert before intake assigns `id` and `receivedAt` and zod applies defaults. */
export type AdaptedAlertDraft = Omit<RuntimeAlertInput, "id" | "receivedAt">;

/**
 * One sensor source: turns one payload (already JSON-parsed) into one alert draft, or throws
 * `AdapterInputError` naming the field. Adapters are pure: no clock, no I/O.
 */
export interface RuntimeAdapter {
  readonly source: RuntimeSource;
  /** Human name of the product, used as `sensor` unless the payload names its own. */
  readonly sensor: string;
  adapt(payload: unknown): AdaptedAlertDraft;
}
