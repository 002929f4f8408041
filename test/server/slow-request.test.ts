import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INGEST_TOKEN, startApiHarness, type ApiHarness } from "./api-harness.js";

/** Whether an HTTP answer's head and its whole Content-Length body have arrived. */
function isWholeAnswer(text: string): boolean {
  const end = text.indexOf("\r\n\r\n");
  if (end < 0) return false;
  const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end))?.[1];
  return length === undefined || Buffer.byteLength(text.slice(end + 4)) >= Number(length);
}

/**
 * Sends the request head (and `bodyStart`, not the whole body the Content-Length announces) on a raw socket and
 * returns what the server sent: until it closed the connection, or (`untilAnswer`) until the first bytes of an
 * answer arrived, or until `waitMs` passed.
 */
function partialRequest(url: URL, head: string, bodyStart: string, options: { untilAnswer?: boolean; waitMs?: number } = {}): Promise<{ answer: string; closed: boolean }> {
  const waitMs = options.waitMs ?? 45_000;
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ answer: Buffer.concat(chunks).toString("utf8"), closed: false });
    }, waitMs);
    socket.on("connect", () => socket.write(`${head}\r\n\r\n${bodyStart}`));
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      if (options.untilAnswer && isWholeAnswer(Buffer.concat(chunks).toString("utf8"))) {
        clearTimeout(timer);
        socket.destroy();
        resolve({ answer: Buffer.concat(chunks).toString("utf8"), closed: false });
      }
    });
    socket.on("error", reject);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({ answer: Buffer.concat(chunks).toString("utf8"), closed: true });
    });
  });
}

describe("slow and unauthenticated request bodies", () => {
  let h: ApiHarness;
  let url: URL;
  beforeAll(async () => {
    h = await startApiHarness({ server: { requestTimeoutMs: 500 } });
    url = new URL(h.server.http.url);
  });
  afterAll(async () => {
    await h.close();
  });

  it("a body that never finishes is cut off after server.requestTimeoutMs (408, connection closed)", async () => {
    const head = ["POST /ingest/falco HTTP/1.1", `Host: ${url.host}`, `Authorization: Bearer ${INGEST_TOKEN}`, "Content-Type: application/json", "Content-Length: 1000"].join("\r\n");
    const { answer, closed } = await partialRequest(url, head, '{"rule": "trickle');
    expect(closed).toBe(true);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    // Nothing of the cut-off request was stored.
    expect((await h.inject("GET", "/api/runtime/summary", h.bearer.viewer)).json().total).toBe(0);
  });

  it("a wrong ingest bearer token is refused from the headers, before the body is sent", async () => {
    const head = ["POST /ingest/falco HTTP/1.1", `Host: ${url.host}`, "Authorization: Bearer wrong-token-wrong-token", "Content-Type: application/json", "Content-Length: 100000000"].join("\r\n");
    const { answer } = await partialRequest(url, head, "", { untilAnswer: true });
    expect(answer).toMatch(/^HTTP\/1\.1 401/);
    expect(answer).toContain('"error":"unauthorized"');
  });

  it("an API route without a token is refused from the headers, before the body is sent", async () => {
    const head = ["POST /api/maps/test HTTP/1.1", `Host: ${url.host}`, "Content-Type: application/json", "Content-Length: 100000000"].join("\r\n");
    const { answer } = await partialRequest(url, head, "", { untilAnswer: true });
    expect(answer).toMatch(/^HTTP\/1\.1 401/);
  });
});
