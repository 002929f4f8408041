import type { SeverityLadder } from "../severity/severity-ladder.js";

export interface NormaliseContext {
  /** The tenant's portal origin, for records whose payload carries no deep link. */
  portalOrigin: string;
  ladder: SeverityLadder;
}
