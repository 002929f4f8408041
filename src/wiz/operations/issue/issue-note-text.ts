import { z } from "zod";

/**
 * The longest note wizbridge sends. Wiz refuses very long notes (about 1,500 characters, OPERATIONS.md), so
 * a longer one is refused before sending rather than failing, or being cut, at Wiz.
 */
export const ISSUE_NOTE_MAX_LENGTH = 1500;

/** What a truncated note ends with, so a reader knows text is missing and where the rest lives. */
export const ISSUE_NOTE_TRUNCATION_MARKER = " […truncated by wizbridge]";

/** A note's text: not blank, at most ISSUE_NOTE_MAX_LENGTH characters; the refusal says how to fit it. */
export function issueNoteText(field: string, base: z.ZodString = z.string()) {
  return base
    .regex(/\S/, { error: "must contain some text" })
    .max(ISSUE_NOTE_MAX_LENGTH, {
      error: (issue: { input?: unknown }) =>
        `is ${typeof issue.input === "string" ? issue.input.length : "too many"} characters; Wiz refuses notes longer than about ${ISSUE_NOTE_MAX_LENGTH}: shorten ${field}, split it into several notes, or (workflows) run with truncateLongNotes to cut it with a marker`,
    });
}

/** The text cut to fit a note, ending with the marker; text that fits is returned unchanged. */
export function truncateIssueNote(text: string, marker: string = ISSUE_NOTE_TRUNCATION_MARKER, maxLength: number = ISSUE_NOTE_MAX_LENGTH): string {
  if (text.length <= maxLength) return text;
  return `${text.slice(0, Math.max(0, maxLength - marker.length))}${marker}`;
}
