import type { Dispatcher } from "undici";

/** Bytes of an answer read and thrown away after its head, so the connection can be reused; past this it is closed. */
export const ANSWER_DRAIN_LIMIT = 1024 * 1024;

/**
 * The first `headBytes` bytes of an HTTP answer's body; the rest is drained (up to `drainLimit`, then the body is
 * destroyed) so the connection can be reused. A body cut short gives what had arrived: the status is still worth
 * reporting. The caller decodes the bytes.
 */
export async function readAnswerHead(response: Dispatcher.ResponseData, headBytes: number, drainLimit: number = ANSWER_DRAIN_LIMIT): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let kept = 0;
  let total = 0;
  try {
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (kept < headBytes) {
        chunks.push(chunk);
        kept += chunk.length;
      }
      if (total > drainLimit) {
        response.body.destroy();
        break;
      }
    }
  } catch {
    // A body cut short still has a status worth reporting.
  }
  return Buffer.concat(chunks).subarray(0, headBytes);
}
