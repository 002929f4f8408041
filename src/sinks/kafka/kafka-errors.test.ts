import { AuthenticationError, MultipleErrors, NetworkError, ResponseError } from "@platformatic/kafka";
import { describe, expect, it } from "vitest";
import { configFix, diagnoseConnection, metadataTopicErrors, partitionVerdict } from "./kafka-errors.js";

describe("Kafka error classification", () => {
  it("decides per partition answer: dead-letter only what can never be stored", () => {
    const verdicts = Object.fromEntries(
      (
        [
          [0, 1],
          [10, 1],
          [10, 5],
          [87, 3],
          [29, 1],
          [6, 1],
          [3, 1],
          [19, 1],
          [7, 1],
          [20, 1],
          [45, 1],
          [46, 1],
          [13, 1],
        ] as const
      ).map(([code, n]) => [`${code}x${n}`, partitionVerdict(code, n)]),
    );
    expect(verdicts).toEqual({
      "0x1": "ok",
      "10x1": "reject", // MESSAGE_TOO_LARGE, alone
      "10x5": "split",
      "87x3": "reject", // INVALID_RECORD
      "29x1": "config", // TOPIC_AUTHORIZATION_FAILED: an ACL, not the event
      "6x1": "stale", // NOT_LEADER_OR_FOLLOWER
      "3x1": "stale", // UNKNOWN_TOPIC_OR_PARTITION
      "19x1": "retry", // NOT_ENOUGH_REPLICAS: refused before appending
      "7x1": "uncertain", // REQUEST_TIMED_OUT: may be stored
      "20x1": "uncertain", // NOT_ENOUGH_REPLICAS_AFTER_APPEND
      "45x1": "sequence",
      "46x1": "duplicate",
      "13x1": "uncertain", // NETWORK_EXCEPTION
    });
    expect(configFix(29, "wiz.issues")).toMatch(/not bad events.*WRITE and DESCRIBE on topic wiz\.issues/);
  });

  it("reads topic errors out of a failed Metadata call", () => {
    const error = new MultipleErrors("metadata failed 2 times.", [
      new ResponseError(3, 12, { "/topics/0": 3 }, { topics: [{ name: "wiz.issues", errorCode: 3, partitions: [] }, { name: "wiz.threats", errorCode: 0, partitions: [{}, {}] }] }),
    ]);
    expect([...metadataTopicErrors(error)]).toEqual([["wiz.issues", "UNKNOWN_TOPIC_OR_PARTITION"]]);
  });

  it("diagnoses connection failures with a fix, never echoing more than codes and the broker's words", () => {
    const refused = new MultipleErrors("Cannot connect to any broker.", [new NetworkError("Connection to 127.0.0.1:1 failed.", { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }) })]);
    expect(diagnoseConnection(refused, "127.0.0.1:1")).toMatchObject({ config: false, message: expect.stringContaining("connection refused") as string });
    const tls = new NetworkError("Connection to k:9093 failed.", { cause: Object.assign(new Error("self-signed certificate"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" }) });
    expect(diagnoseConnection(tls, "k:9093")).toMatchObject({ config: true, fix: expect.stringContaining("tls.caFile") as string });
    const sasl = new NetworkError("Connection to k:9092 failed.", { cause: new AuthenticationError("SASL authentication failed.") });
    expect(diagnoseConnection(sasl, "k:9092")).toMatchObject({ config: true, fix: expect.stringContaining("sasl.username") as string });
    const timeout = new NetworkError("Connection to k:9092 timed out.");
    expect(diagnoseConnection(timeout, "k:9092")).toMatchObject({ config: false, fix: expect.stringContaining("advertised.listeners") as string });
  });
});
