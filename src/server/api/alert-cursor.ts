/** Where a page of the alert list ended: the last alert's receive time and id (the list's order). */
export interface AlertCursor {
  receivedAt: number;
  id: string;
}

/** The opaque `nextCursor` for a page ending at this alert (base64url of its position, no data beyond it). */
export function alertCursorOf(last: { receivedAt: string; id: string }): string {
  return Buffer.from(JSON.stringify([Date.parse(last.receivedAt), last.id]), "utf8").toString("base64url");
}

/** A cursor back into a position, or null when the text is not one this API gave out. */
export function parseAlertCursor(text: string): AlertCursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [receivedAt, id] = value as [unknown, unknown];
    return typeof receivedAt === "number" && Number.isSafeInteger(receivedAt) && typeof id === "string" && id.length > 0 ? { receivedAt, id } : null;
  } catch {
    return null;
  }
}
