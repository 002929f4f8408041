import { stateLook } from "../logic/connector-state";

/** A connector's state as a coloured badge that also says the state in words (never colour alone). */
export function StateBadge({ state }: { state: string }) {
  const look = stateLook(state);
  return (
    <span className={`badge badge-${look.tone}`} title={look.meaning} data-state={state}>
      <span aria-hidden="true">{look.symbol} </span>
      {look.label}
    </span>
  );
}

/** A pass/fail/other status word in a badge (checks, sink health, alert states). */
export function StatusBadge({ status }: { status: string }) {
  const tone = /^(pass|ok|succeeded|linked|confirmed|closed|healthy)$/i.test(status) ? "ok" : /^(fail|failed|failing|open|unresolved|dead[-_ ]?lettered|error)$/i.test(status) ? "bad" : /^(skip|skipped|disabled)$/i.test(status) ? "off" : "info";
  return (
    <span className={`badge badge-${tone}`} data-status={status}>
      {status.toUpperCase()}
    </span>
  );
}
