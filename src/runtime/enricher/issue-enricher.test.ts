import { describe, expect, it } from "vitest";
import { ISSUE_NOTE_MAX_LENGTH } from "../../wiz/operations/issue/issue-note-text.js";
import { adaptRuntimePayload } from "../adapters/runtime-adapter.registry.js";
import type { FoldedEvent } from "../fold/folded-event.js";
import { noteMarker, runtimeNoteText } from "./issue-enricher.js";

function eventWith(process: Record<string, unknown>): FoldedEvent {
  const result = adaptRuntimePayload(
    "generic",
    { sensor: "ebpf-probe", ruleId: "shell-spawn", title: "Shell spawned by a web server", occurredAt: "2026-03-01T10:00:00Z", severity: "HIGH", context: { process } },
    { id: "0190a1b2-0000-7000-8000-000000000001", receivedAt: "2026-03-01T10:00:01.000Z" },
  );
  if (!result.ok) throw result.error;
  const at = Date.parse("2026-03-01T10:00:00Z");
  return { eventId: "0190a1b2-0000-7000-8000-000000000001.abcdef12", dataSourceId: "ds", entityId: "e", providerId: "arn:aws:ec2:us-east-1:1:instance/i-1", cloudPlatform: "AWS", rung: "providerId", exact: true, matchedBy: "providerId", alert: result.alert, severity: "HIGH", count: 3, firstSeen: at, lastSeen: at, issueId: null, noteId: null };
}

describe("the runtime note on a Wiz issue", () => {
  it("fits Wiz's note limit with a long process tree, keeping the link and the marker that finds it again", () => {
    const event = eventWith({ name: "sh", pid: 42, commandLine: "x".repeat(480), ancestors: Array.from({ length: 200 }, (_, i) => `worker-process-${i}`) });
    const text = runtimeNoteText(event, "http://127.0.0.1:8787/api/runtime/alerts/");
    expect(text.length).toBeLessThanOrEqual(ISSUE_NOTE_MAX_LENGTH);
    expect(text).toContain("[…truncated by wizbridge]");
    expect(text.endsWith(noteMarker(event.eventId))).toBe(true);
    expect(text).toContain(`Link: http://127.0.0.1:8787/api/runtime/alerts/${encodeURIComponent(event.eventId)}`);
  });

  it("leaves a note that fits unchanged", () => {
    const event = eventWith({ name: "sh", pid: 42, ancestors: ["nginx"] });
    const text = runtimeNoteText(event, "http://127.0.0.1:8787/api/runtime/alerts/");
    expect(text).not.toContain("truncated");
    expect(text).toContain("Process tree: sh <- nginx");
  });
});
