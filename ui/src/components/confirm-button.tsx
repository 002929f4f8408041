import { useState, type ReactNode } from "react";

/** A button for something hard to undo: the first press asks, in the page (no browser dialog), the second does it. */
export function ConfirmButton({ label, question, confirmLabel, onConfirm, disabled, tone = "danger" }: { label: string; question: ReactNode; confirmLabel: string; onConfirm: () => void; disabled?: boolean; tone?: "danger" | "plain" }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className={tone === "danger" ? "button-danger" : ""} disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={label}>
      <span>{question}</span>{" "}
      <button
        type="button"
        className="button-danger"
        autoFocus
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>{" "}
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
