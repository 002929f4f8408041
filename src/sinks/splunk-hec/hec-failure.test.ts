import { describe, expect, it } from "vitest";
import { SinkUnavailableError } from "../sink.js";
import { parseAckStatus, parseHecAnswer } from "./hec-answer.js";
import { eventOutcomeOf, explainNetworkFailure, SplunkHecConfigError, type HecFailureContext } from "./hec-failure.js";

const context = (retryAfterMs?: number): HecFailureContext => ({
  sinkId: "splunk",
  origin: "https://splunk:8088",
  retryAfterMs,
  indexAt: (n) => (n === 1 ? { index: "wiz_det", key: "streams.detections.index" } : undefined),
});

function outcome(status: number, body: object | string, retryAfterMs?: number) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return eventOutcomeOf(status, parseHecAnswer(text), text, context(retryAfterMs));
}

function failure(status: number, body: object | string, retryAfterMs?: number): Error {
  const result = outcome(status, body, retryAfterMs);
  if (result.kind !== "failed") throw new Error(`expected a failure, got ${result.kind}`);
  return result.error;
}

describe("HEC answers", () => {
  it("reads HEC's JSON and its acknowledgement status, and nothing else", () => {
    expect(parseHecAnswer('{"text":"Success","code":0,"ackId":7}')).toEqual({ text: "Success", code: 0, ackId: 7 });
    expect(parseHecAnswer('{"text":"Invalid data format","code":6,"invalid-event-number":3}')).toEqual({ text: "Invalid data format", code: 6, invalidEventNumber: 3 });
    expect(parseHecAnswer("<html>Bad gateway</html>")).toBeUndefined();
    expect(parseAckStatus('{"acks":{"0":true,"12":false}}')).toEqual(new Map([[0, true], [12, false]]));
    expect(parseAckStatus('{"text":"ACK is disabled","code":14}')).toBeUndefined();
  });

  it("accepts a 200 with or without an ackId", () => {
    expect(outcome(200, { text: "Success", code: 0, ackId: 4 })).toEqual({ kind: "accepted", ackId: 4 });
    expect(outcome(200, { text: "Success", code: 0 })).toEqual({ kind: "accepted" });
  });

  it("blames one event for codes 6, 12, 13 and 15, with its number and Splunk's words", () => {
    for (const [code, text] of [[6, "Invalid data format"], [12, "Event field is required"], [13, "Event field cannot be blank"], [15, "Error in handling indexed fields"]] as const) {
      const result = outcome(400, { text, code, "invalid-event-number": 2 });
      expect(result).toMatchObject({ kind: "invalid-event", eventNumber: 2 });
      expect(result.kind === "invalid-event" && result.reason).toContain(`"${text}" (code ${code})`);
    }
    expect(outcome(400, { text: "Invalid data format", code: 6 })).toMatchObject({ kind: "invalid-event" });
  });

  it("treats 413 as a body to split", () => {
    expect(outcome(413, { text: "Content-Length of 2000000 too large (maximum is 1000000)" })).toMatchObject({ kind: "too-large" });
  });

  it("makes busy, throttled and failing Splunk retryable with its Retry-After", () => {
    const busy = failure(503, { text: "Server is busy", code: 9 }, 5_000);
    expect(busy).toBeInstanceOf(SinkUnavailableError);
    expect((busy as SinkUnavailableError).retryAfterMs).toBe(5_000);
    expect(busy.message).toMatch(/queues are full.*after the wait Splunk asked for/);
    expect(failure(429, "Too Many Requests")).toBeInstanceOf(SinkUnavailableError);
    expect(failure(500, { text: "Internal server error", code: 8 })).toBeInstanceOf(SinkUnavailableError);
    expect(failure(503, { text: "HEC is unhealthy, queues are full", code: 18 })).toBeInstanceOf(SinkUnavailableError);
  });

  it("turns token, index, acknowledgement, channel and URL problems into set-up errors that name the fix", () => {
    for (const [status, code, text] of [[403, 1, "Token disabled"], [401, 2, "Token is required"], [401, 3, "Invalid authorization"], [403, 4, "Invalid token"]] as const) {
      const error = failure(status, { text, code });
      expect(error).toBeInstanceOf(SplunkHecConfigError);
      expect(error.message).toMatch(/fix the token/);
      expect((error as SplunkHecConfigError).fix).toMatch(/token/);
    }
    expect(failure(400, { text: "Incorrect index", code: 7, "invalid-event-number": 1 }).message).toMatch(/index "wiz_det" \(from sinks\.splunk\.streams\.detections\.index\)/);
    expect(failure(400, { text: "Incorrect index", code: 7 }).message).toMatch(/the index of one of the events/);
    expect(failure(400, { text: "ACK is disabled", code: 14 }).message).toMatch(/enable indexer acknowledgement on the token.*ack\.enabled: false/);
    expect(failure(400, { text: "Data channel is missing", code: 10 }).message).toMatch(/ack\.enabled: true/);
    expect(failure(400, { text: "Invalid data channel", code: 11 }).message).toMatch(/channel/);
    expect(failure(404, "Not found").message).toMatch(/8088.*8089/);
    for (const error of [failure(404, "x"), failure(400, { text: "ACK is disabled", code: 14 })]) expect(error.message).toMatch(/Nothing is dead-lettered/);
  });

  it("explains network failures with what to check", () => {
    const refused = explainNetworkFailure(Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:8088"), { code: "ECONNREFUSED" }), { sinkId: "splunk", origin: "https://splunk:8088", https: true });
    expect(refused.fix).toMatch(/HEC is enabled.*8088/);
    const tls = explainNetworkFailure(Object.assign(new Error("self-signed certificate"), { code: "SELF_SIGNED_CERT_IN_CHAIN" }), { sinkId: "splunk", origin: "https://splunk:8088", https: true });
    expect(tls.fix).toMatch(/tls\.caFile.*cacert\.pem/);
  });
});
