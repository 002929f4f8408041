import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";
import { once } from "node:events";
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { pathToFileURL } from "node:url";
import zlib from "node:zlib";

/**
 * A one-broker Kafka cluster in a node:net server, speaking the wire protocol the way @platformatic/kafka
 * speaks it (written from Kafka's protocol guide, not from the client's code, so it checks the client
 * rather than mirroring it): size-prefixed requests with header v1/v2, ApiVersions v3, Metadata v12,
 * InitProducerId v4-5, Produce v9-11 (RecordBatch v2 with its CRC-32C checked, none/gzip/zstd
 * compression, idempotent sequence numbers checked per producer and partition like a real broker),
 * CreateTopics v7 and SASL (PLAIN, SCRAM-SHA-256/512). Only those versions are advertised, so the client
 * picks them. Records are kept per topic and partition with offsets; failures can be scripted.
 */

const API = { Produce: 0, Metadata: 3, SaslHandshake: 17, ApiVersions: 18, CreateTopics: 19, InitProducerId: 22, SaslAuthenticate: 36 } as const;

/** The versions implemented here: [min, max, first flexible version]. */
const SUPPORTED: ReadonlyMap<number, readonly [number, number, number]> = new Map([
  [API.Produce, [9, 11, 9]],
  [API.Metadata, [12, 12, 9]],
  [API.SaslHandshake, [1, 1, 99]],
  [API.ApiVersions, [3, 3, 3]],
  [API.CreateTopics, [7, 7, 5]],
  [API.InitProducerId, [4, 5, 2]],
  [API.SaslAuthenticate, [2, 2, 2]],
]);

/** Kafka error codes the fake returns (names as in Kafka's protocol guide). */
export const KAFKA_ERROR_CODES = {
  NONE: 0,
  CORRUPT_MESSAGE: 2,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  NOT_LEADER_OR_FOLLOWER: 6,
  REQUEST_TIMED_OUT: 7,
  MESSAGE_TOO_LARGE: 10,
  NOT_ENOUGH_REPLICAS: 19,
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: 20,
  INVALID_REQUIRED_ACKS: 21,
  TOPIC_AUTHORIZATION_FAILED: 29,
  UNSUPPORTED_SASL_MECHANISM: 33,
  ILLEGAL_SASL_STATE: 34,
  UNSUPPORTED_VERSION: 35,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_PARTITIONS: 37,
  INVALID_REPLICATION_FACTOR: 38,
  INVALID_REQUEST: 42,
  OUT_OF_ORDER_SEQUENCE_NUMBER: 45,
  DUPLICATE_SEQUENCE_NUMBER: 46,
  INVALID_PRODUCER_EPOCH: 47,
  SASL_AUTHENTICATION_FAILED: 58,
  UNSUPPORTED_COMPRESSION_TYPE: 76,
  INVALID_RECORD: 87,
} as const;

export type KafkaErrorName = keyof typeof KAFKA_ERROR_CODES;

export interface FakeKafkaBrokerOptions {
  /** Topics that exist at start: name -> partition count. */
  topics?: Record<string, number>;
  /** Metadata requests with allow_auto_topic_creation create unknown topics with this many partitions (off by default, as auto.create.topics.enable=false). */
  autoCreatePartitions?: number;
  /** SASL users (name -> password) and the mechanisms offered; without it, no authentication. */
  sasl?: { users: Record<string, string>; mechanisms?: Array<"PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512"> };
  /** PEM key and certificate: the listener speaks TLS. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Largest record batch (bytes, as on the wire) a partition takes: Kafka's max.message.bytes, default 1048588. */
  maxMessageBytes?: number;
  /**
   * What a retried batch the broker already holds gets: "none" (default, as Kafka 2+: the original offset,
   * no error, nothing appended) or "DUPLICATE_SEQUENCE_NUMBER" (as older brokers).
   */
  duplicateResponse?: "none" | "DUPLICATE_SEQUENCE_NUMBER";
  /** Keep record values (default true); the bench turns it off to hold only keys. */
  storeValues?: boolean;
}

export interface StoredKafkaRecord {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  value: Buffer | null;
  headers: Array<[string, string]>;
  timestamp: number;
  producerId: bigint;
  producerEpoch: number;
  sequence: number;
}

/** One partition's batch of a Produce request, as the broker saw it. */
export interface ProducedBatchLog {
  topic: string;
  partition: number;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  records: number;
  compression: "none" | "gzip" | "snappy" | "lz4" | "zstd" | "unknown";
  errorCode: number;
  /** The batch repeated one the broker already held (a retry): acknowledged, not appended. */
  duplicate: boolean;
}

export interface ProduceRequestLog {
  clientId: string | null;
  apiVersion: number;
  acks: number;
  timeoutMs: number;
  transactionalId: string | null;
  batches: ProducedBatchLog[];
}

interface Partition {
  records: StoredKafkaRecord[];
  /** Next offset; counts records even when values are not stored. */
  logEndOffset: number;
}

interface Topic {
  id: Buffer;
  partitions: Partition[];
}

interface ProducerPartitionState {
  epoch: number;
  lastSeq: number;
  /** The last five batches (Kafka's NumBatchesToRetain): a retry of one of them is a duplicate. */
  batches: Array<{ firstSeq: number; lastSeq: number; baseOffset: number }>;
}

interface ProduceScript {
  kind: "error" | "drop" | "stall";
  error?: KafkaErrorName;
  afterAppend: boolean;
  times: number;
}

const COMPRESSION_NAMES = ["none", "gzip", "snappy", "lz4", "zstd"] as const;
const RETAINED_BATCHES = 5;
const NODE_ID = 1;

/** A running fake broker; `bootstrap` is its `host:port`. */
export class FakeKafkaBroker {
  readonly produceRequests: ProduceRequestLog[] = [];
  /** Every request's API key, version and client id, in arrival order. */
  readonly requests: Array<{ apiKey: number; apiVersion: number; clientId: string | null }> = [];
  /** SASL exchanges that failed, with the user name tried. */
  readonly authFailures: string[] = [];
  /** Retried batches the broker dropped because it held them already. */
  duplicatesDropped = 0;
  private readonly topics = new Map<string, Topic>();
  private readonly deniedTopics = new Set<string>();
  private readonly rejectMarkers: Array<{ marker: Buffer; error: "MESSAGE_TOO_LARGE" | "INVALID_RECORD" }> = [];
  private readonly scripts: ProduceScript[] = [];
  private readonly producerStates = new Map<string, ProducerPartitionState>();
  private readonly sockets = new Set<Socket>();
  private nextProducerId = 1000n;
  private readonly maxMessageBytes: number;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly options: FakeKafkaBrokerOptions,
  ) {
    this.maxMessageBytes = options.maxMessageBytes ?? 1_048_588;
    for (const [name, partitions] of Object.entries(options.topics ?? {})) this.createTopic(name, partitions);
  }

  static async start(options: FakeKafkaBrokerOptions = {}): Promise<FakeKafkaBroker> {
    const holder: { broker?: FakeKafkaBroker } = {};
    const onSocket = (socket: Socket): void => holder.broker?.accept(socket);
    const server = options.tls ? createTlsServer({ key: options.tls.key, cert: options.tls.cert }, onSocket) : createNetServer(onSocket);
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const broker = new FakeKafkaBroker(server, (server.address() as AddressInfo).port, options);
    holder.broker = broker;
    return broker;
  }

  get bootstrap(): string {
    return `127.0.0.1:${this.port}`;
  }

  createTopic(name: string, partitions: number): void {
    if (this.topics.has(name)) return;
    this.topics.set(name, { id: randomBytes(16), partitions: Array.from({ length: partitions }, () => ({ records: [], logEndOffset: 0 })) });
  }

  hasTopic(name: string): boolean {
    return this.topics.has(name);
  }

  /** Every stored record, by topic (all topics when omitted), in partition then offset order. */
  records(topic?: string): StoredKafkaRecord[] {
    const names = topic === undefined ? [...this.topics.keys()] : [topic];
    return names.flatMap((name) => this.topics.get(name)?.partitions.flatMap((p) => p.records) ?? []);
  }

  /** Records appended across all topics (counted even when values are not stored). */
  recordCount(): number {
    let n = 0;
    for (const topic of this.topics.values()) for (const p of topic.partitions) n += p.logEndOffset;
    return n;
  }

  /** Distinct record keys held, across all topics. */
  distinctKeys(): number {
    const keys = new Set<string | null>();
    for (const topic of this.topics.values()) for (const p of topic.partitions) for (const r of p.records) keys.add(r.key);
    return keys.size;
  }

  /** Produce and Metadata for this topic answer TOPIC_AUTHORIZATION_FAILED (a missing ACL). */
  denyTopic(name: string): void {
    this.deniedTopics.add(name);
  }

  /** A partition batch holding a record whose value contains `marker` is refused with `error` (INVALID_RECORD names the record). */
  rejectRecordsContaining(marker: string, error: "MESSAGE_TOO_LARGE" | "INVALID_RECORD"): void {
    this.rejectMarkers.push({ marker: Buffer.from(marker), error });
  }

  /** The next `times` Produce requests answer `error` for every partition; `afterAppend` stores the records first (a leader that appended, then timed out waiting for replicas). */
  failNextProduce(error: KafkaErrorName, options: { times?: number; afterAppend?: boolean } = {}): void {
    this.scripts.push({ kind: "error", error, afterAppend: options.afterAppend ?? false, times: options.times ?? 1 });
  }

  /** The next `times` Produce requests lose their connection: before anything is stored, or after (`afterAppend`). */
  dropConnectionOnNextProduce(options: { times?: number; afterAppend?: boolean } = {}): void {
    this.scripts.push({ kind: "drop", afterAppend: options.afterAppend ?? false, times: options.times ?? 1 });
  }

  /** The next `times` Produce requests are never answered (the connection stays open), as a hung broker. */
  stallNextProduce(options: { times?: number } = {}): void {
    this.scripts.push({ kind: "stall", afterAppend: false, times: options.times ?? 1 });
  }

  /** Closes every client connection (a broker restart as the clients see it); the listener stays. */
  dropAllConnections(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
    await once(this.server, "close").catch(() => undefined);
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    const session: Session = { authenticated: !this.options.sasl, mechanism: undefined, scram: undefined, stalled: false };
    const chunks: Buffer[] = [];
    let buffered = 0;
    let need = 4;
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      buffered += chunk.length;
      while (buffered >= need) {
        const data = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, buffered);
        chunks.length = 0;
        const size = data.readInt32BE(0);
        if (size < 0 || size > 100 * 1024 * 1024) {
          socket.destroy();
          return;
        }
        if (data.length < 4 + size) {
          chunks.push(data);
          need = 4 + size;
          break;
        }
        const frame = data.subarray(4, 4 + size);
        const rest = data.subarray(4 + size);
        buffered = rest.length;
        need = 4;
        if (rest.length > 0) chunks.push(rest);
        if (session.stalled) continue;
        if (!this.handle(socket, session, frame)) {
          socket.destroy();
          return;
        }
        if (socket.destroyed) return;
      }
    });
  }

  /** One request; false when the connection must close (as a real broker does on a request it cannot take). */
  private handle(socket: Socket, session: Session, frame: Buffer): boolean {
    const r = new Reader(frame);
    const apiKey = r.int16();
    const apiVersion = r.int16();
    const correlationId = r.int32();
    const clientId = r.nullableString();
    this.requests.push({ apiKey, apiVersion, clientId });
    const supported = SUPPORTED.get(apiKey);
    if (apiKey === API.ApiVersions && supported && (apiVersion < supported[0] || apiVersion > supported[1])) {
      // Kafka answers an ApiVersions version it does not know in v0 form, listing what it does support.
      this.send(socket, correlationId, false, apiVersionsBody(0, KAFKA_ERROR_CODES.UNSUPPORTED_VERSION));
      return true;
    }
    if (!supported || apiVersion < supported[0] || apiVersion > supported[1]) return false;
    const flexible = apiVersion >= supported[2];
    if (flexible) r.skipTaggedFields();
    if (!session.authenticated && apiKey !== API.ApiVersions && apiKey !== API.SaslHandshake && apiKey !== API.SaslAuthenticate) return false;
    // ApiVersions answers always use response header v0, so a client can read them whatever it sent.
    const responseFlexible = flexible && apiKey !== API.ApiVersions;
    switch (apiKey) {
      case API.ApiVersions:
        this.send(socket, correlationId, false, apiVersionsBody(apiVersion, 0));
        return true;
      case API.SaslHandshake:
        return this.saslHandshake(socket, session, correlationId, r);
      case API.SaslAuthenticate:
        return this.saslAuthenticate(socket, session, correlationId, r);
      case API.Metadata:
        this.send(socket, correlationId, responseFlexible, this.metadata(r));
        return true;
      case API.InitProducerId:
        this.send(socket, correlationId, responseFlexible, this.initProducerId(r));
        return true;
      case API.CreateTopics:
        this.send(socket, correlationId, responseFlexible, this.createTopics(r));
        return true;
      case API.Produce:
        return this.produce(socket, session, correlationId, clientId, apiVersion, r);
      default:
        return false;
    }
  }

  private send(socket: Socket, correlationId: number, flexibleHeader: boolean, body: Writer): void {
    const header = new Writer().int32(correlationId);
    if (flexibleHeader) header.taggedFields();
    const head = header.toBuffer();
    const payload = body.toBuffer();
    const size = Buffer.allocUnsafe(4);
    size.writeInt32BE(head.length + payload.length);
    socket.write(Buffer.concat([size, head, payload]));
  }

  private saslHandshake(socket: Socket, session: Session, correlationId: number, r: Reader): boolean {
    const mechanism = r.string(false);
    const offered = this.options.sasl ? (this.options.sasl.mechanisms ?? ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]) : [];
    const ok = (offered as string[]).includes(mechanism);
    if (ok) session.mechanism = mechanism;
    const w = new Writer().int16(ok ? 0 : KAFKA_ERROR_CODES.UNSUPPORTED_SASL_MECHANISM).int32(offered.length);
    for (const m of offered) w.string(m, false);
    this.send(socket, correlationId, false, w);
    return true;
  }

  private saslAuthenticate(socket: Socket, session: Session, correlationId: number, r: Reader): boolean {
    const authBytes = r.compactBytes() ?? Buffer.alloc(0);
    r.skipTaggedFields();
    const users = this.options.sasl?.users ?? {};
    const answer = (error: number, message: string | null, bytes: Buffer): void => {
      this.send(socket, correlationId, true, new Writer().int16(error).compactNullableString(message).compactBytes(bytes).int64(0n).taggedFields());
    };
    const fail = (user: string): boolean => {
      this.authFailures.push(user);
      answer(KAFKA_ERROR_CODES.SASL_AUTHENTICATION_FAILED, `Authentication failed during authentication due to invalid credentials with SASL mechanism ${session.mechanism ?? "?"}`, Buffer.alloc(0));
      // Kafka closes the connection after a failed authentication.
      socket.end();
      return true;
    };
    if (session.mechanism === "PLAIN") {
      const [, user = "", password = ""] = authBytes.toString("utf8").split("\0");
      const expected = users[user];
      if (expected === undefined || !safeEqual(Buffer.from(password), Buffer.from(expected))) return fail(user);
      session.authenticated = true;
      answer(0, null, Buffer.alloc(0));
      return true;
    }
    if (session.mechanism === "SCRAM-SHA-256" || session.mechanism === "SCRAM-SHA-512") {
      const algorithm = session.mechanism === "SCRAM-SHA-256" ? "sha256" : "sha512";
      const text = authBytes.toString("utf8");
      if (!session.scram) {
        const bare = text.replace(/^n,[^,]*,/, "");
        const user = (/(?:^|,)n=([^,]*)/.exec(bare)?.[1] ?? "").replaceAll("=2C", ",").replaceAll("=3D", "=");
        const clientNonce = /(?:^|,)r=([^,]*)/.exec(bare)?.[1] ?? "";
        const salt = randomBytes(16);
        const serverFirst = `r=${clientNonce}${randomBytes(12).toString("base64url")},s=${salt.toString("base64")},i=4096`;
        session.scram = { user, bare, serverFirst, salt };
        answer(0, null, Buffer.from(serverFirst));
        return true;
      }
      const { user, bare, serverFirst, salt } = session.scram;
      session.scram = undefined;
      const password = users[user];
      const proof = Buffer.from(/(?:^|,)p=([^,]*)/.exec(text)?.[1] ?? "", "base64");
      const withoutProof = text.replace(/,p=[^,]*$/, "");
      if (password === undefined) return fail(user);
      const salted = pbkdf2Sync(password, salt, 4096, algorithm === "sha256" ? 32 : 64, algorithm);
      const authMessage = `${bare},${serverFirst},${withoutProof}`;
      const clientKey = createHmac(algorithm, salted).update("Client Key").digest();
      const storedKey = createHash(algorithm).update(clientKey).digest();
      const clientSignature = createHmac(algorithm, storedKey).update(authMessage).digest();
      if (proof.length !== clientKey.length) return fail(user);
      const recovered = Buffer.from(proof.map((b, i) => b ^ (clientSignature[i] as number)));
      if (!safeEqual(createHash(algorithm).update(recovered).digest(), storedKey)) return fail(user);
      const serverKey = createHmac(algorithm, salted).update("Server Key").digest();
      session.authenticated = true;
      answer(0, null, Buffer.from(`v=${createHmac(algorithm, serverKey).update(authMessage).digest("base64")}`));
      return true;
    }
    answer(KAFKA_ERROR_CODES.ILLEGAL_SASL_STATE, "SaslAuthenticate before SaslHandshake", Buffer.alloc(0));
    return false;
  }

  private metadata(r: Reader): Writer {
    const count = r.compactArrayLength();
    let names: string[] | null = null;
    if (count !== null) {
      names = [];
      for (let i = 0; i < count; i++) {
        r.skip(16); // topic_id: the client names topics
        names.push(r.compactNullableString() ?? "");
        r.skipTaggedFields();
      }
    }
    const allowAutoCreate = r.boolean();
    r.boolean(); // include_topic_authorized_operations
    const w = new Writer().int32(0);
    w.uvarint(2).int32(NODE_ID).compactString("127.0.0.1").int32(this.port).compactNullableString(null).taggedFields();
    w.compactNullableString("fake-kafka-cluster").int32(NODE_ID);
    const listed = names ?? [...this.topics.keys()];
    w.uvarint(listed.length + 1);
    for (const name of listed) {
      if (!this.topics.has(name) && allowAutoCreate && this.options.autoCreatePartitions !== undefined) this.createTopic(name, this.options.autoCreatePartitions);
      const topic = this.topics.get(name);
      const error = this.deniedTopics.has(name) ? KAFKA_ERROR_CODES.TOPIC_AUTHORIZATION_FAILED : topic ? 0 : KAFKA_ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION;
      w.int16(error).compactNullableString(name).raw(topic && error === 0 ? topic.id : Buffer.alloc(16)).boolean(false);
      const partitions = topic && error === 0 ? topic.partitions.length : 0;
      w.uvarint(partitions + 1);
      for (let p = 0; p < partitions; p++) {
        w.int16(0).int32(p).int32(NODE_ID).int32(0);
        for (let list = 0; list < 2; list++) w.uvarint(2).int32(NODE_ID); // replicas, isr
        w.uvarint(1); // offline replicas
        w.taggedFields();
      }
      w.int32(-2147483648).taggedFields();
    }
    return w.taggedFields();
  }

  private initProducerId(r: Reader): Writer {
    const transactionalId = r.compactNullableString();
    if (transactionalId !== null) return new Writer().int32(0).int16(KAFKA_ERROR_CODES.INVALID_REQUEST).int64(-1n).int16(-1).taggedFields();
    // An idempotent (non-transactional) producer always gets a fresh id, whatever it sent.
    const id = this.nextProducerId++;
    return new Writer().int32(0).int16(0).int64(id).int16(0).taggedFields();
  }

  private createTopics(r: Reader): Writer {
    const count = r.compactArrayLength() ?? 0;
    const asked: Array<{ name: string; partitions: number; replication: number }> = [];
    for (let i = 0; i < count; i++) {
      const name = r.compactString();
      const partitions = r.int32();
      const replication = r.int16();
      const assignments = r.compactArrayLength() ?? 0;
      for (let a = 0; a < assignments; a++) {
        r.int32();
        const brokers = r.compactArrayLength() ?? 0;
        r.skip(4 * brokers);
        r.skipTaggedFields();
      }
      const configs = r.compactArrayLength() ?? 0;
      for (let c = 0; c < configs; c++) {
        r.compactString();
        r.compactNullableString();
        r.skipTaggedFields();
      }
      r.skipTaggedFields();
      asked.push({ name, partitions, replication });
    }
    r.int32(); // timeout_ms
    const validateOnly = r.boolean();
    const w = new Writer().int32(0).uvarint(asked.length + 1);
    for (const t of asked) {
      const partitions = t.partitions === -1 ? 1 : t.partitions;
      const replication = t.replication === -1 ? 1 : t.replication;
      let error = 0;
      let message: string | null = null;
      if (this.topics.has(t.name)) [error, message] = [KAFKA_ERROR_CODES.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`];
      else if (partitions < 1) [error, message] = [KAFKA_ERROR_CODES.INVALID_PARTITIONS, "Number of partitions must be larger than 0."];
      else if (replication > 1) [error, message] = [KAFKA_ERROR_CODES.INVALID_REPLICATION_FACTOR, `Unable to replicate the partition ${replication} time(s): The target replication factor of ${replication} cannot be reached because only 1 broker(s) are registered.`];
      else if (!validateOnly) this.createTopic(t.name, partitions);
      const id = this.topics.get(t.name)?.id ?? Buffer.alloc(16);
      w.compactString(t.name).raw(id).int16(error).compactNullableString(message).int32(error ? -1 : partitions).int16(error ? -1 : replication).uvarint(1).taggedFields();
    }
    return w.taggedFields();
  }

  private produce(socket: Socket, session: Session, correlationId: number, clientId: string | null, apiVersion: number, r: Reader): boolean {
    const transactionalId = r.compactNullableString();
    const acks = r.int16();
    const timeoutMs = r.int32();
    const log: ProduceRequestLog = { clientId, apiVersion, acks, timeoutMs, transactionalId, batches: [] };
    this.produceRequests.push(log);
    const script = this.scripts[0];
    if (script) {
      script.times -= 1;
      if (script.times <= 0) this.scripts.shift();
    }
    if (script?.kind === "stall") {
      session.stalled = true;
      return true;
    }
    if (script?.kind === "drop" && !script.afterAppend) {
      socket.destroy();
      return true;
    }
    const appendAllowed = !script || script.kind === "drop" || script.afterAppend;
    const responses: Array<{ name: string; partitions: PartitionResponse[] }> = [];
    const topicCount = r.compactArrayLength() ?? 0;
    for (let t = 0; t < topicCount; t++) {
      const name = r.compactString();
      const partitionCount = r.compactArrayLength() ?? 0;
      const partitions: PartitionResponse[] = [];
      for (let p = 0; p < partitionCount; p++) {
        const index = r.int32();
        const length = r.uvarint();
        const records = length === 0 ? null : r.bytes(length - 1);
        r.skipTaggedFields();
        partitions.push(appendAllowed ? this.appendPartition(name, index, records, acks, log) : { index, errorCode: 0, baseOffset: -1, recordErrors: [], message: null });
      }
      r.skipTaggedFields();
      responses.push({ name, partitions });
    }
    if (script?.kind === "drop") {
      socket.destroy();
      return true;
    }
    if (script?.kind === "error") {
      const code = KAFKA_ERROR_CODES[script.error ?? "REQUEST_TIMED_OUT"];
      for (const topic of responses) for (const p of topic.partitions) [p.errorCode, p.baseOffset, p.message] = [code, -1, null];
    }
    if (acks === 0) return true;
    const w = new Writer().uvarint(responses.length + 1);
    for (const topic of responses) {
      w.compactString(topic.name).uvarint(topic.partitions.length + 1);
      for (const p of topic.partitions) {
        w.int32(p.index).int16(p.errorCode).int64(BigInt(p.baseOffset)).int64(-1n).int64(0n);
        w.uvarint(p.recordErrors.length + 1);
        for (const e of p.recordErrors) w.int32(e.index).compactNullableString(e.message).taggedFields();
        w.compactNullableString(p.message).taggedFields();
      }
      w.taggedFields();
    }
    w.int32(0).taggedFields();
    this.send(socket, correlationId, true, w);
    return true;
  }

  /** Validates and appends one partition's records (a single RecordBatch v2, as Produce v3+ requires). */
  private appendPartition(topicName: string, index: number, records: Buffer | null, acks: number, log: ProduceRequestLog): PartitionResponse {
    const answer = (errorCode: number, message: string | null = null, recordErrors: PartitionResponse["recordErrors"] = []): PartitionResponse => ({ index, errorCode, baseOffset: -1, recordErrors, message });
    const entry: ProducedBatchLog = { topic: topicName, partition: index, producerId: -1n, producerEpoch: -1, baseSequence: -1, records: 0, compression: "unknown", errorCode: 0, duplicate: false };
    log.batches.push(entry);
    const result = ((): PartitionResponse => {
      if (this.deniedTopics.has(topicName)) return answer(KAFKA_ERROR_CODES.TOPIC_AUTHORIZATION_FAILED);
      const partition = this.topics.get(topicName)?.partitions[index];
      if (!partition) return answer(KAFKA_ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION);
      if (acks !== -1 && acks !== 0 && acks !== 1) return answer(KAFKA_ERROR_CODES.INVALID_REQUIRED_ACKS);
      if (!records || records.length < 61) return answer(KAFKA_ERROR_CODES.CORRUPT_MESSAGE, "record batch shorter than its header");
      const batch = decodeBatchHeader(records);
      if (typeof batch === "string") return answer(KAFKA_ERROR_CODES.CORRUPT_MESSAGE, batch);
      Object.assign(entry, { producerId: batch.producerId, producerEpoch: batch.producerEpoch, baseSequence: batch.baseSequence, records: batch.count, compression: COMPRESSION_NAMES[batch.compression] ?? "unknown" });
      if (batch.size !== records.length) return answer(KAFKA_ERROR_CODES.INVALID_RECORD, "Produce requests with version 3 and above must contain exactly one record batch");
      if (batch.size > this.maxMessageBytes) return answer(KAFKA_ERROR_CODES.MESSAGE_TOO_LARGE, `The request included a message larger than the max message size the server will accept (${batch.size} > ${this.maxMessageBytes}).`);
      let decoded: DecodedRecord[];
      try {
        decoded = decodeRecords(records, batch);
      } catch (error) {
        return answer(batch.compression === 2 || batch.compression === 3 ? KAFKA_ERROR_CODES.UNSUPPORTED_COMPRESSION_TYPE : KAFKA_ERROR_CODES.CORRUPT_MESSAGE, String(error));
      }
      for (const { marker, error } of this.rejectMarkers) {
        const bad = decoded.flatMap((rec, i) => (rec.value?.includes(marker) ? [i] : []));
        if (bad.length === 0) continue;
        if (error === "MESSAGE_TOO_LARGE") return answer(KAFKA_ERROR_CODES.MESSAGE_TOO_LARGE, "The request included a message larger than the max message size the server will accept.");
        return answer(KAFKA_ERROR_CODES.INVALID_RECORD, "One or more records have been rejected", bad.map((i) => ({ index: i, message: "record rejected by the broker's validation" })));
      }
      let state: ProducerPartitionState | undefined;
      const stateKey = `${batch.producerId}:${topicName}:${index}`;
      if (batch.producerId >= 0n) {
        state = this.producerStates.get(stateKey);
        const lastSeq = (batch.baseSequence + batch.count - 1) | 0;
        if (state && batch.producerEpoch < state.epoch) return answer(KAFKA_ERROR_CODES.INVALID_PRODUCER_EPOCH);
        if (state && batch.producerEpoch === state.epoch) {
          const held = state.batches.find((b) => b.firstSeq === batch.baseSequence && b.lastSeq === lastSeq);
          if (held) {
            entry.duplicate = true;
            this.duplicatesDropped += 1;
            if (this.options.duplicateResponse === "DUPLICATE_SEQUENCE_NUMBER") return answer(KAFKA_ERROR_CODES.DUPLICATE_SEQUENCE_NUMBER);
            return { index, errorCode: 0, baseOffset: held.baseOffset, recordErrors: [], message: null };
          }
          if (batch.baseSequence !== ((state.lastSeq + 1) | 0)) return answer(KAFKA_ERROR_CODES.OUT_OF_ORDER_SEQUENCE_NUMBER, `Out of order sequence number for producer ${batch.producerId} at offset ${partition.logEndOffset} in partition ${topicName}-${index}: ${batch.baseSequence} (incoming seq. number), ${state.lastSeq} (current end sequence number)`);
        } else if (batch.baseSequence !== 0) {
          return answer(KAFKA_ERROR_CODES.OUT_OF_ORDER_SEQUENCE_NUMBER, `Out of order sequence number for new producer ${batch.producerId}: ${batch.baseSequence} (incoming seq. number), expected 0`);
        }
      }
      const baseOffset = partition.logEndOffset;
      const storeValues = this.options.storeValues ?? true;
      decoded.forEach((rec, i) => {
        partition.records.push({
          topic: topicName,
          partition: index,
          offset: baseOffset + i,
          key: rec.key === null ? null : rec.key.toString("utf8"),
          value: storeValues && rec.value ? Buffer.from(rec.value) : null,
          headers: storeValues ? rec.headers.map(([k, v]) => [k.toString("utf8"), v === null ? "" : v.toString("utf8")]) : [],
          timestamp: batch.baseTimestamp + rec.timestampDelta,
          producerId: batch.producerId,
          producerEpoch: batch.producerEpoch,
          sequence: batch.baseSequence + i,
        });
      });
      partition.logEndOffset += decoded.length;
      if (batch.producerId >= 0n) {
        const next: ProducerPartitionState = state && state.epoch === batch.producerEpoch ? state : { epoch: batch.producerEpoch, lastSeq: -1, batches: [] };
        next.lastSeq = (batch.baseSequence + batch.count - 1) | 0;
        next.batches.push({ firstSeq: batch.baseSequence, lastSeq: next.lastSeq, baseOffset });
        if (next.batches.length > RETAINED_BATCHES) next.batches.shift();
        this.producerStates.set(stateKey, next);
      }
      return { index, errorCode: 0, baseOffset, recordErrors: [], message: null };
    })();
    entry.errorCode = result.errorCode;
    return result;
  }
}

interface Session {
  authenticated: boolean;
  mechanism: string | undefined;
  scram: { user: string; bare: string; serverFirst: string; salt: Buffer } | undefined;
  /** A stalled request blocks the connection: Kafka answers a connection's requests in order. */
  stalled: boolean;
}

interface PartitionResponse {
  index: number;
  errorCode: number;
  baseOffset: number;
  recordErrors: Array<{ index: number; message: string | null }>;
  message: string | null;
}

interface BatchHeader {
  size: number;
  compression: number;
  baseTimestamp: number;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  count: number;
  lastOffsetDelta: number;
}

interface DecodedRecord {
  timestampDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Array<[Buffer, Buffer | null]>;
}

function apiVersionsBody(version: number, errorCode: number): Writer {
  const w = new Writer().int16(errorCode);
  if (version >= 3) {
    w.uvarint(SUPPORTED.size + 1);
    for (const [key, [min, max]] of SUPPORTED) w.int16(key).int16(min).int16(max).taggedFields();
    return w.int32(0).taggedFields();
  }
  w.int32(SUPPORTED.size);
  for (const [key, [min, max]] of SUPPORTED) w.int16(key).int16(min).int16(max);
  return w;
}

/**
 * RecordBatch v2 header: baseOffset int64, batchLength int32, partitionLeaderEpoch int32, magic int8,
 * crc uint32 (CRC-32C of everything after it), attributes int16, lastOffsetDelta int32, baseTimestamp int64,
 * maxTimestamp int64, producerId int64, producerEpoch int16, baseSequence int32, records count int32.
 */
function decodeBatchHeader(b: Buffer): BatchHeader | string {
  const batchLength = b.readInt32BE(8);
  const size = 12 + batchLength;
  if (batchLength < 49 || size > b.length) return `batch length ${batchLength} does not fit the ${b.length} bytes sent`;
  const magic = b.readInt8(16);
  if (magic !== 2) return `magic ${magic}: only RecordBatch v2 is taken`;
  const crc = b.readUInt32BE(17);
  const computed = crc32c(b.subarray(21, size));
  if (crc !== computed) return `CRC-32C mismatch: batch says ${crc.toString(16)}, content gives ${computed.toString(16)}`;
  const attributes = b.readInt16BE(21);
  return {
    size,
    compression: attributes & 0x07,
    lastOffsetDelta: b.readInt32BE(23),
    baseTimestamp: Number(b.readBigInt64BE(27)),
    producerId: b.readBigInt64BE(43),
    producerEpoch: b.readInt16BE(51),
    baseSequence: b.readInt32BE(53),
    count: b.readInt32BE(57),
  };
}

/** The batch's records: varint-framed, zigzag varints, after decompressing the records section. */
function decodeRecords(b: Buffer, header: BatchHeader): DecodedRecord[] {
  let body = b.subarray(61, header.size);
  switch (header.compression) {
    case 0:
      break;
    case 1:
      body = zlib.gunzipSync(body);
      break;
    case 4: {
      const zstd = (zlib as unknown as { zstdDecompressSync?: (b: Buffer) => Buffer }).zstdDecompressSync;
      if (!zstd) throw new Error("zstd needs a Node.js with zlib zstd support");
      body = zstd(body);
      break;
    }
    default:
      throw new Error(`compression ${COMPRESSION_NAMES[header.compression] ?? header.compression} is not implemented by the fake broker`);
  }
  const r = new Reader(body);
  const out: DecodedRecord[] = [];
  for (let i = 0; i < header.count; i++) {
    const length = r.varint();
    const end = r.position + length;
    r.int8(); // attributes
    const timestampDelta = r.varlong();
    const offsetDelta = r.varint();
    if (offsetDelta !== i) throw new Error(`record ${i} has offset delta ${offsetDelta}`);
    const key = r.varintBytes();
    const value = r.varintBytes();
    const headerCount = r.varint();
    const headers: Array<[Buffer, Buffer | null]> = [];
    for (let h = 0; h < headerCount; h++) headers.push([r.varintBytes() ?? Buffer.alloc(0), r.varintBytes()]);
    if (r.position !== end) throw new Error(`record ${i} length ${length} does not match its fields`);
    out.push({ timestampDelta, key, value, headers });
  }
  if (r.position !== body.length) throw new Error("bytes left after the last record");
  if (header.lastOffsetDelta !== header.count - 1) throw new Error(`lastOffsetDelta ${header.lastOffsetDelta} with ${header.count} records`);
  return out;
}

function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** CRC-32C (Castagnoli), slicing-by-8: the record batch checksum. */
const CRC_TABLE = ((): Uint32Array => {
  const t = new Uint32Array(8 * 256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  for (let i = 0; i < 256; i++) for (let s = 1; s < 8; s++) t[s * 256 + i] = ((t[(s - 1) * 256 + i] as number) >>> 8) ^ (t[(t[(s - 1) * 256 + i] as number) & 0xff] as number);
  return t;
})();

export function crc32c(buf: Uint8Array): number {
  const t = CRC_TABLE;
  let crc = 0xffffffff;
  let i = 0;
  const n = buf.length;
  while (n - i >= 8) {
    crc ^= (buf[i] as number) | ((buf[i + 1] as number) << 8) | ((buf[i + 2] as number) << 16) | ((buf[i + 3] as number) << 24);
    crc =
      (t[1792 + (crc & 0xff)] as number) ^
      (t[1536 + ((crc >>> 8) & 0xff)] as number) ^
      (t[1280 + ((crc >>> 16) & 0xff)] as number) ^
      (t[1024 + (crc >>> 24)] as number) ^
      (t[768 + (buf[i + 4] as number)] as number) ^
      (t[512 + (buf[i + 5] as number)] as number) ^
      (t[256 + (buf[i + 6] as number)] as number) ^
      (t[buf[i + 7] as number] as number);
    i += 8;
  }
  while (i < n) crc = (t[(crc ^ (buf[i++] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Big-endian reader with Kafka's compact (unsigned varint) and record (zigzag varint) encodings. */
class Reader {
  position = 0;
  constructor(private readonly b: Buffer) {}
  skip(n: number): void {
    this.position += n;
  }
  int8(): number {
    return this.b.readInt8(this.position++);
  }
  boolean(): boolean {
    return this.b.readUInt8(this.position++) !== 0;
  }
  int16(): number {
    const v = this.b.readInt16BE(this.position);
    this.position += 2;
    return v;
  }
  int32(): number {
    const v = this.b.readInt32BE(this.position);
    this.position += 4;
    return v;
  }
  bytes(n: number): Buffer {
    if (this.position + n > this.b.length) throw new RangeError("read past the end of the request");
    const v = this.b.subarray(this.position, this.position + n);
    this.position += n;
    return v;
  }
  uvarint(): number {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = this.b[this.position++];
      if (byte === undefined) throw new RangeError("varint past the end");
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
      shift += 7;
      if (shift > 63) throw new RangeError("varint too long");
    }
  }
  varint(): number {
    const v = this.uvarint();
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }
  varlong(): number {
    return this.varint();
  }
  varintBytes(): Buffer | null {
    const n = this.varint();
    return n < 0 ? null : this.bytes(n);
  }
  /** Request header client_id: INT16 length, -1 for null. */
  nullableString(): string | null {
    const n = this.int16();
    return n < 0 ? null : this.bytes(n).toString("utf8");
  }
  string(compact: boolean): string {
    return compact ? this.compactString() : (this.nullableString() ?? "");
  }
  compactNullableString(): string | null {
    const n = this.uvarint();
    return n === 0 ? null : this.bytes(n - 1).toString("utf8");
  }
  compactString(): string {
    return this.compactNullableString() ?? "";
  }
  compactBytes(): Buffer | null {
    const n = this.uvarint();
    return n === 0 ? null : this.bytes(n - 1);
  }
  compactArrayLength(): number | null {
    const n = this.uvarint();
    return n === 0 ? null : n - 1;
  }
  skipTaggedFields(): void {
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      this.uvarint(); // tag
      this.skip(this.uvarint());
    }
  }
}

class Writer {
  private parts: Buffer[] = [];
  private scratch = Buffer.allocUnsafe(16);
  private fixed(n: number, write: (b: Buffer) => void): this {
    const b = Buffer.allocUnsafe(n);
    write(b);
    this.parts.push(b);
    return this;
  }
  raw(b: Buffer): this {
    this.parts.push(b);
    return this;
  }
  boolean(v: boolean): this {
    return this.fixed(1, (b) => b.writeUInt8(v ? 1 : 0));
  }
  int16(v: number): this {
    return this.fixed(2, (b) => b.writeInt16BE(v));
  }
  int32(v: number): this {
    return this.fixed(4, (b) => b.writeInt32BE(v));
  }
  int64(v: bigint): this {
    return this.fixed(8, (b) => b.writeBigInt64BE(v));
  }
  uvarint(v: number): this {
    let n = 0;
    let rest = v;
    while (rest >= 0x80) {
      this.scratch[n++] = (rest & 0x7f) | 0x80;
      rest = Math.floor(rest / 128);
    }
    this.scratch[n++] = rest;
    this.parts.push(Buffer.from(this.scratch.subarray(0, n)));
    return this;
  }
  string(v: string, compact: boolean): this {
    if (compact) return this.compactString(v);
    const b = Buffer.from(v, "utf8");
    return this.int16(b.length).raw(b);
  }
  compactString(v: string): this {
    return this.compactNullableString(v);
  }
  compactNullableString(v: string | null): this {
    if (v === null) return this.uvarint(0);
    const b = Buffer.from(v, "utf8");
    return this.uvarint(b.length + 1).raw(b);
  }
  compactBytes(v: Buffer): this {
    return this.uvarint(v.length + 1).raw(v);
  }
  taggedFields(): this {
    return this.uvarint(0);
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/**
 * `node kafka-broker.js --topics wiz.issues=6,... [--no-values]`: runs the fake in its own process (the
 * bench, so the sink never shares its event loop), prints `listening 127.0.0.1:<port>`, and answers
 * `{type: "count"}` IPC messages with `{records, distinctKeys, cpuMicros}`.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const topicsArg = args[args.indexOf("--topics") + 1] ?? "";
  const topics = Object.fromEntries(
    topicsArg
      .split(",")
      .filter(Boolean)
      .map((t) => {
        const [name = "", partitions = "1"] = t.split("=");
        return [name, Number(partitions)];
      }),
  );
  const broker = await FakeKafkaBroker.start({ topics, storeValues: !args.includes("--no-values") });
  process.on("message", (message: { type?: string }) => {
    if (message.type === "count") {
      const cpu = process.cpuUsage();
      process.send?.({ records: broker.recordCount(), distinctKeys: broker.distinctKeys(), cpuMicros: cpu.user + cpu.system });
    }
  });
  process.on("disconnect", () => void broker.close().then(() => process.exit(0)));
  console.log(`listening ${broker.bootstrap}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
