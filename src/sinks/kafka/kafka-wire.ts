import { Writer, kGetApi, kGetBootstrapConnection, kGetConnection, produceV11, type Admin, type API, type Broker, type Connection, type initProducerIdV5 } from "@platformatic/kafka";

type InitProducerIdResponse = initProducerIdV5.InitProducerIdResponse;
export type ProduceResponse = produceV11.ProduceResponse;

/**
 * The few protocol calls the sink makes itself on the library's connections (which bring TLS, SASL,
 * reconnection and API-version negotiation): InitProducerId, and Produce with record batches the sink
 * encodes and numbers itself. The library's Producer numbers a partition's batches only when a whole
 * send succeeds, so after a partial failure it would reuse sequence numbers the broker already holds.
 */

/** Produce versions whose request layout encodeProduceRequest writes (flexible, 9 to 11). */
const PRODUCE_VERSIONS = { min: 9, max: 11 } as const;

export class KafkaWireError extends Error {
  override readonly name = "KafkaWireError";
  constructor(
    message: string,
    /** True when the request may have reached the broker (its answer is unknown). */
    readonly sent: boolean,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}

function viaCallback<T>(call: (callback: (error: Error | null, value: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => call((error, value) => (error ? reject(error) : resolve(value))));
}

/** The Produce version the library negotiated with the brokers (ApiVersions). */
export async function produceVersion(client: Admin): Promise<number> {
  const api = await viaCallback<API<unknown[], unknown>>((cb) => client[kGetApi]("Produce", cb));
  if (api.version < PRODUCE_VERSIONS.min) {
    throw new Error(`the brokers speak Produce up to v${api.version}; wizbridge needs v${PRODUCE_VERSIONS.min}+ (Kafka 2.4 or later)`);
  }
  return Math.min(api.version, PRODUCE_VERSIONS.max);
}

/** A new idempotent producer id and epoch (InitProducerId without a transactional id). */
export async function initProducerId(client: Admin, timeoutMs: number): Promise<{ producerId: bigint; producerEpoch: number }> {
  const connection = await viaCallback<Connection>((cb) => client[kGetBootstrapConnection](cb));
  const api = await viaCallback<API<[string | null, number, bigint, number], InitProducerIdResponse>>((cb) => client[kGetApi]("InitProducerId", cb));
  const response = await api.async(connection, null, timeoutMs, -1n, -1);
  return { producerId: response.producerId, producerEpoch: response.producerEpoch };
}

/**
 * One Produce request to `broker`. Resolves with the broker's answer, partition errors included (they are
 * in the answer, not thrown). Rejects with KafkaWireError: `sent` false when no connection could be had
 * (nothing reached the broker), true when the connection failed or no answer came within `deadlineMs`
 * (the socket is then destroyed: Kafka answers a connection's requests in order, so a stuck one blocks
 * the rest, and a graceful close could wait on a broker that no longer answers).
 */
export function sendProduce(client: Admin, broker: Broker, version: number, body: readonly Buffer[], deadlineMs: number): Promise<ProduceResponse> {
  return new Promise<ProduceResponse>((resolve, reject) => {
    let settled = false;
    let connection: Connection | undefined;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const timer = setTimeout(() => {
      finish(() => reject(new KafkaWireError(`broker ${broker.host}:${broker.port} did not answer a produce within ${deadlineMs} ms`, connection !== undefined)));
      connection?.socket?.destroy();
    }, deadlineMs);
    client[kGetConnection](broker, (error, got) => {
      if (error || !got) {
        finish(() => reject(new KafkaWireError(`cannot connect to broker ${broker.host}:${broker.port}`, false, { cause: error })));
        return;
      }
      if (settled) return;
      connection = got;
      got.send(
        0,
        version,
        () => {
          const writer = Writer.create();
          for (const part of body) writer.append(part);
          return writer;
        },
        produceV11.parseResponse,
        true,
        true,
        (failure: Error | null, response: unknown) => {
          // The library's parser throws on any partition error; the answer itself rides on the error.
          const answered = (failure as { response?: { responses?: unknown } } | null)?.response;
          if (answered && Array.isArray(answered.responses)) finish(() => resolve(answered as ProduceResponse));
          else if (failure) finish(() => reject(new KafkaWireError(`the connection to ${broker.host}:${broker.port} failed during a produce`, true, { cause: failure })));
          else finish(() => resolve(response as ProduceResponse));
        },
      );
    });
  });
}
