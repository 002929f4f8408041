/** A connector's lifecycle state as the store keeps it (src/store/store-schema.ts ConnectorState). */
export type ConnectorState = "registered" | "scheduled" | "processing" | "processed" | "failed" | "disabled";

export interface StateLook {
  /** The word shown: state is never told by colour alone. */
  label: string;
  /** CSS modifier picking the colour. */
  tone: "neutral" | "info" | "busy" | "ok" | "bad" | "off";
  /** A symbol beside the word, for a quick scan (hidden from screen readers, which read the label). */
  symbol: string;
  /** What the state means, for the tooltip and screen readers. */
  meaning: string;
}

const LOOKS: Record<ConnectorState, StateLook> = {
  registered: { label: "Registered", tone: "neutral", symbol: "○", meaning: "known to the main job, waiting for its first run" },
  scheduled: { label: "Scheduled", tone: "info", symbol: "◷", meaning: "waiting for its next scheduled run" },
  processing: { label: "Processing", tone: "busy", symbol: "↻", meaning: "a run is pulling from Wiz now" },
  processed: { label: "Processed", tone: "ok", symbol: "✓", meaning: "the last run finished" },
  failed: { label: "Failed", tone: "bad", symbol: "✕", meaning: "the last run failed; see the error and its fix" },
  disabled: { label: "Disabled", tone: "off", symbol: "⏸", meaning: "not running: enable it to sync again" },
};

/** How a state is shown; an unknown state (a newer server) is shown by its own name. */
export function stateLook(state: string): StateLook {
  return (LOOKS as Record<string, StateLook>)[state] ?? { label: state ? state[0]?.toUpperCase() + state.slice(1) : "Unknown", tone: "neutral", symbol: "?", meaning: "a state this console does not know" };
}
