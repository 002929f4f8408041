/** What stops a long-running command: the caller's signal (tests), or else SIGINT/SIGTERM. */
export interface CommandStop {
  readonly signal: AbortSignal;
  /** Removes the process signal handlers; call when the command returns. */
  release(): void;
}

export function commandStopOf(external?: AbortSignal): CommandStop {
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  if (external) external.addEventListener("abort", onSignal, { once: true });
  else {
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  }
  return {
    signal: stop.signal,
    release: () => {
      external?.removeEventListener("abort", onSignal);
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
