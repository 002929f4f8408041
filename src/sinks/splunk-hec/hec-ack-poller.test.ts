import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { SinkUnavailableError } from "../sink.js";
import { HecAckFatalError, HecAckPoller, type HecAckQuery } from "./hec-ack-poller.js";

const pollers: HecAckPoller[] = [];
afterEach(() => {
  for (const p of pollers.splice(0)) p.close();
});

function poller(query: HecAckQuery, clock: { now: number } = { now: 0 }, timeoutMs = 60_000): HecAckPoller {
  const p = new HecAckPoller({ sinkId: "splunk", query, intervalMs: 5, timeoutMs, now: () => clock.now, logger: pino({ level: "silent" }) });
  pollers.push(p);
  return p;
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("HecAckPoller", () => {
  it("asks about every pending ackId in one query and resolves each once Splunk says true", async () => {
    const indexed = new Set<number>();
    const queries: number[][] = [];
    const p = poller((ids) => {
      queries.push([...ids]);
      return Promise.resolve(new Map(ids.map((id) => [id, indexed.has(id)])));
    });
    const done: number[] = [];
    const waits = [1, 2, 3].map((id) => p.wait(id).then(() => void done.push(id)));
    await until(() => queries.length >= 2);
    expect(queries[0]).toEqual([1, 2, 3]);
    expect(done).toEqual([]);
    indexed.add(2);
    await until(() => done.length === 1);
    expect(done).toEqual([2]);
    indexed.add(1).add(3);
    await Promise.all(waits);
    expect(done.sort()).toEqual([1, 2, 3]);
    const asked = queries.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(queries.length).toBe(asked);
  });

  it("keeps waiting through a transient query failure, and fails the waits on a fatal one", async () => {
    let calls = 0;
    const p = poller(() => {
      calls += 1;
      if (calls === 1) return Promise.reject(new SinkUnavailableError("busy"));
      return Promise.reject(new HecAckFatalError(new Error("ACK is disabled")));
    });
    const error = await p.wait(7).catch((e: unknown) => e);
    expect(calls).toBe(2);
    expect((error as Error).message).toBe("ACK is disabled");
    expect(p.pendingCount).toBe(0);
  });

  it("fails a wait that stays unconfirmed past the timeout with a retryable error", async () => {
    const clock = { now: 0 };
    const p = poller(() => {
      clock.now += 400;
      return Promise.resolve(new Map());
    }, clock, 1_000);
    const error = await p.wait(3).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkUnavailableError);
    expect((error as Error).message).toMatch(/did not confirm within 1000 ms.*ackId 3/);
  });

  it("stops asking about forgotten ackIds, and fails what is pending on close", async () => {
    const queries: number[][] = [];
    const p = poller((ids) => {
      queries.push([...ids]);
      return Promise.resolve(new Map());
    });
    void p.wait(1).catch(() => undefined);
    const pending = p.wait(2);
    p.forget([1]);
    await until(() => queries.length > 0);
    expect(queries.at(-1)).toEqual([2]);
    p.close();
    await expect(pending).rejects.toBeInstanceOf(SinkUnavailableError);
    await expect(p.wait(3)).rejects.toThrow(/closed/);
  });
});
