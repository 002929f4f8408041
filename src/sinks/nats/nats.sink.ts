import { JetStreamApiCodes, JetStreamApiError, jetstreamManager, RetentionPolicy, StorageType, type StreamUpdateConfig } from "@nats-io/jetstream";
import { connect, nanos, type NatsConnection } from "@nats-io/transport-node";
import { SinkConfigError, SinkUnavailableError, type Sink, type SinkRecord, type SinkTestStep } from "../sink.js";
import type { SinkContext } from "../sink-context.js";
import { sinkTestRecord } from "../sink-settings.js";
import { JetStreamBatchPublisher } from "./jetstream-batch-publisher.js";
import { explainConnectError, natsConnectionOptions, reconnectDelayOf } from "./nats-connection.js";
import { redactSecrets } from "./nats-errors.js";
import { NATS_DEFAULTS, natsServers, type NatsSinkSettings } from "./nats-settings.js";
import { compileSubjectTemplate, subjectCovers, type SubjectTemplate } from "./nats-subject.js";

/** One connection and what hangs off it; replaced when the client gives up for good. */
interface Session {
  nc: NatsConnection;
  publisher: JetStreamBatchPublisher;
  /** False from a disconnect until the client reconnected: writes fail fast meanwhile. */
  connected: boolean;
}

/**
 * NATS JetStream. Effectively-once: each event is published with `Nats-Msg-Id` = event id and
 * `Nats-Expected-Stream` = the configured stream, and `write` resolves only when JetStream sent a PubAck
 * for every event of the batch, i.e. the stream stored it (on disk with file storage, replicated to a
 * quorum when the stream has replicas). A PubAck marked `duplicate` counts as stored: the stream already
 * holds that event. A crash or a dropped connection between publish and PubAck leaves the batch in the
 * outbox; the retry is dropped by JetStream as a duplicate when it arrives within the stream's
 * duplicate window (default 2 minutes), so the stream holds each event once. A retry later than the
 * window (a long outage after a publish whose PubAck was lost) can store an event twice: consumers that
 * must never see a duplicate should also deduplicate on Nats-Msg-Id.
 *
 * While the connection is down the client reconnects for ever with a growing delay, and every write
 * fails at once (nothing is buffered in the client), so the events wait in the outbox.
 */
export class NatsSink implements Sink {
  readonly guarantee = "effectively-once" as const;
  private readonly subjects: SubjectTemplate;
  private readonly streamName: string;
  private session: Session | undefined;
  private connecting: Promise<Session> | undefined;
  private closed = false;
  /** When the current outage began, for the reconnect delay (cleared when connected again). */
  private outageSince: number | undefined;

  constructor(
    readonly id: string,
    private readonly settings: NatsSinkSettings,
    private readonly context: SinkContext,
  ) {
    this.subjects = compileSubjectTemplate(settings.subject ?? NATS_DEFAULTS.subject);
    this.streamName = settings.stream ?? NATS_DEFAULTS.stream;
  }

  async write(batch: readonly SinkRecord[]): Promise<void> {
    if (batch.length === 0) return;
    const session = await this.open();
    await session.publisher.publish(batch);
  }

  /** Creates the stream capturing the subjects, or adds the subjects and the duplicate window to it. */
  async setup(): Promise<string[]> {
    const session = await this.open(false);
    return this.ensureStream(session.nc);
  }

  async selfTest(): Promise<SinkTestStep[]> {
    const steps: SinkTestStep[] = [];
    let session: Session;
    try {
      session = await this.open(false);
      const info = session.nc.info;
      steps.push({
        step: "connect",
        ok: true,
        detail: `connected to ${session.nc.getServer()} (nats-server ${info?.version ?? "?"}, ${this.settings.tls || info?.tls_required ? "TLS" : "no TLS"}, ${this.authMethod()})`,
      });
    } catch (error) {
      const problem = error instanceof SinkConfigError ? { message: error.reason, fix: error.fix } : explainConnectError(error instanceof SinkUnavailableError && error.cause !== undefined ? error.cause : error, this.settings);
      steps.push({ step: "connect", ok: false, detail: problem.message, fix: problem.fix });
      return steps;
    }

    const testSubject = this.subjects.subjectOf("wizbridge-sink-test", "issues");
    try {
      const jsm = await jetstreamManager(session.nc);
      const info = await jsm.streams.info(this.streamName);
      const captured = (info.config.subjects ?? []).filter((f) => subjectCovers(f, testSubject));
      if (captured.length === 0) {
        steps.push({
          step: "JetStream stream",
          ok: false,
          detail: `stream ${this.streamName} exists but captures ${(info.config.subjects ?? []).join(", ") || "no subjects"}, not ${testSubject}.`,
          fix: `Run \`wizbridge sink setup ${this.id}\` to add ${this.subjects.capture} to stream ${this.streamName}, or change subject to match it.`,
        });
        return steps;
      }
      const windowS = Math.round((info.config.duplicate_window ?? 0) / 1e9);
      steps.push({ step: "JetStream stream", ok: true, detail: `stream ${this.streamName} captures ${this.subjects.capture} (via ${captured.join(", ")}); duplicate window ${windowS} s; ${info.state.messages} messages` });
    } catch (error) {
      const problem = this.explainStreamError(error);
      steps.push({ step: "JetStream stream", ok: false, detail: problem.message, fix: problem.fix });
      return steps;
    }

    const record = sinkTestRecord(this.id, this.context.now());
    try {
      await this.write([record]);
      steps.push({ step: "publish test event", ok: true, detail: `JetStream acknowledged the marked test event ${record.eventId} on ${testSubject} (stream ${this.streamName})` });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      steps.push({
        step: "publish test event",
        ok: false,
        detail: this.redact(error instanceof SinkConfigError ? error.reason : message),
        fix: error instanceof SinkConfigError ? error.fix : "Check the stream's limits (max_msg_size, max_bytes with discard new) and the user's publish permission on the subject.",
      });
    }
    return steps;
  }

  async close(): Promise<void> {
    this.closed = true;
    const session = this.session ?? (await this.connecting?.catch(() => undefined));
    this.session = undefined;
    if (!session) return;
    session.publisher.close(new SinkUnavailableError(`sink ${this.id} is closing; the batch stays in the outbox.`));
    if (!session.nc.isClosed()) await session.nc.close();
  }

  /** The live session; connects when there is none. While the client is reconnecting, fails at once. */
  private open(ensure = true): Promise<Session> {
    if (this.closed) return Promise.reject(new Error(`sink ${this.id} is closed.`));
    const session = this.session;
    if (session) {
      if (session.connected) return Promise.resolve(session);
      const since = this.outageSince === undefined ? "" : ` for ${Math.round((this.context.now() - this.outageSince) / 1000)} s`;
      return Promise.reject(new SinkUnavailableError(`the connection to NATS (${natsServers(this.settings).join(", ")}) is down${since}; the client is reconnecting and the batch stays in the outbox.`));
    }
    this.connecting ??= this.connect(ensure).finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connect(ensure: boolean): Promise<Session> {
    const { logger, baseDir } = this.context;
    this.outageSince = undefined;
    const options = natsConnectionOptions(this.id, this.settings, logger, baseDir, () => this.reconnectDelay());
    let nc: NatsConnection;
    try {
      nc = await connect(options);
    } catch (error) {
      const problem = explainConnectError(error, this.settings);
      // The client's own error never carries the credentials; it stays as the cause of a network problem only.
      throw problem.config ? new SinkConfigError(problem.message, problem.fix) : new SinkUnavailableError(`${problem.message} ${problem.fix}`, { cause: error });
    }
    const session: Session = {
      nc,
      publisher: new JetStreamBatchPublisher(nc, {
        sinkId: this.id,
        stream: this.streamName,
        subjects: this.subjects,
        ackTimeoutMs: this.settings.ackTimeoutMs ?? NATS_DEFAULTS.ackTimeoutMs,
        ...(this.settings.inboxPrefix !== undefined ? { inboxPrefix: this.settings.inboxPrefix } : {}),
      }),
      connected: true,
    };
    this.watch(session);
    if (ensure && this.settings.createStream) {
      try {
        const done = await this.ensureStream(nc);
        for (const line of done) logger.info({ sink: this.id }, line);
      } catch (error) {
        session.publisher.close(new SinkUnavailableError("stream setup failed"));
        await nc.close().catch(() => undefined);
        throw error;
      }
    }
    if (this.closed) {
      session.publisher.close(new SinkUnavailableError(`sink ${this.id} is closed.`));
      await nc.close().catch(() => undefined);
      throw new Error(`sink ${this.id} is closed.`);
    }
    this.session = session;
    logger.info({ sink: this.id, server: nc.getServer(), stream: this.streamName }, "connected to NATS JetStream");
    return session;
  }

  /** Follows the client's status: a disconnect fails the batches waiting for PubAcks and makes writes fail fast. */
  private watch(session: Session): void {
    const { logger } = this.context;
    const servers = natsServers(this.settings).join(", ");
    void (async () => {
      for await (const status of session.nc.status()) {
        switch (status.type) {
          case "disconnect":
            session.connected = false;
            this.outageSince ??= this.context.now();
            session.publisher.failAll(new SinkUnavailableError(`lost the connection to NATS (${servers}) before JetStream acknowledged the batch; it stays in the outbox and is retried.`));
            logger.warn({ sink: this.id, server: status.server }, "NATS connection lost; reconnecting, writes fail until it is back");
            break;
          case "reconnect":
            session.connected = true;
            this.outageSince = undefined;
            logger.info({ sink: this.id, server: status.server }, "NATS connection restored");
            break;
          case "error": {
            const message = this.redact(status.error.message);
            if (status.error.name === "PermissionViolationError") {
              session.publisher.failAll(
                new SinkConfigError(
                  `NATS refused an operation: ${message}.`,
                  "Grant this user publish permission on the sink's subjects and subscribe permission on its reply inbox (_INBOX.> or inboxPrefix.>).",
                ),
              );
            }
            logger.warn({ sink: this.id, error: message }, "NATS reported an error");
            break;
          }
          default:
            break;
        }
      }
    })().catch((error: unknown) => logger.warn({ sink: this.id, error: this.redact(String(error)) }, "NATS status watch ended"));
    void session.nc.closed().then((error) => {
      session.connected = false;
      session.publisher.close(new SinkUnavailableError(`the connection to NATS (${servers}) closed; the batch stays in the outbox.`));
      if (this.session === session) this.session = undefined;
      if (error && !this.closed) logger.warn({ sink: this.id, error: this.redact(error.message) }, "NATS connection closed; the next write connects again");
    });
  }

  private async ensureStream(nc: NatsConnection): Promise<string[]> {
    const name = this.streamName;
    const want = this.subjects.capture;
    const windowS = this.settings.duplicateWindowSeconds ?? NATS_DEFAULTS.duplicateWindowSeconds;
    const windowNs = nanos(windowS * 1000);
    try {
      const jsm = await jetstreamManager(nc);
      let config;
      try {
        config = (await jsm.streams.info(name)).config;
      } catch (error) {
        if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)) throw error;
      }
      if (!config) {
        await jsm.streams.add({ name, subjects: [want], duplicate_window: windowNs, storage: StorageType.File, retention: RetentionPolicy.Limits });
        return [`created JetStream stream ${name} capturing ${want} (file storage, duplicate window ${windowS} s)`];
      }
      const subjects = config.subjects ?? [];
      const update: Partial<StreamUpdateConfig> = {};
      const done: string[] = [];
      if (!subjects.some((f) => subjectCovers(f, want))) {
        update.subjects = [...subjects, want];
        done.push(`added ${want} to the subjects of JetStream stream ${name}`);
      }
      if (config.duplicate_window !== windowNs) {
        update.duplicate_window = windowNs;
        done.push(`set the duplicate window of JetStream stream ${name} to ${windowS} s (was ${Math.round((config.duplicate_window ?? 0) / 1e9)} s)`);
      }
      if (done.length === 0) return [`JetStream stream ${name} already captures ${want} with a duplicate window of ${windowS} s; nothing to change`];
      await jsm.streams.update(name, update);
      return done;
    } catch (error) {
      if (error instanceof SinkConfigError) throw error;
      const problem = this.explainStreamError(error);
      throw new SinkConfigError(`setting up JetStream stream ${name} failed: ${problem.message}`, problem.fix);
    }
  }

  private explainStreamError(error: unknown): { message: string; fix: string } {
    const message = this.redact(error instanceof Error ? error.message : String(error));
    const name = error instanceof Error ? error.name : "";
    const setup = `Run \`wizbridge sink setup ${this.id}\` (or set createStream: true) to create stream ${this.streamName} capturing ${this.subjects.capture}.`;
    if (name === "JetStreamNotEnabled" || /jetstream is not enabled|not enabled for account/i.test(message)) {
      return { message: `JetStream is not enabled (${message}).`, fix: "Start nats-server with -js (or a jetstream {} block in its configuration) and enable JetStream for the account." };
    }
    if (error instanceof JetStreamApiError) {
      if (error.code === JetStreamApiCodes.StreamNotFound) return { message: `JetStream has no stream ${this.streamName} (${message}).`, fix: setup };
      if (error.code === 10065) return { message: `another stream already captures ${this.subjects.capture} (${message}).`, fix: "Set stream: to the name of the stream that captures these subjects, or change subject." };
    }
    if (name === "PermissionViolationError" || /permission/i.test(message)) {
      return { message: `NATS refused a JetStream API call (${message}).`, fix: "Grant this user publish permission on $JS.API.> (at least $JS.API.STREAM.INFO.<stream>, and STREAM.CREATE/UPDATE for setup)." };
    }
    if (name === "TimeoutError" || /timeout/i.test(message)) return { message: `the JetStream API did not answer (${message}).`, fix: "Check that JetStream is enabled and healthy (nats-server -js; a clustered stream needs a leader)." };
    return { message, fix: setup };
  }

  private reconnectDelay(): number {
    const now = this.context.now();
    this.outageSince ??= now;
    return reconnectDelayOf(now - this.outageSince);
  }

  private authMethod(): string {
    const s = this.settings;
    if (s.token !== undefined) return "token auth";
    if (s.user !== undefined) return `user ${s.user}`;
    if (s.credsFile !== undefined) return "creds file";
    if (s.nkeySeedFile !== undefined) return "nkey";
    return "no auth";
  }

  private redact(text: string): string {
    return redactSecrets(text, [this.settings.token, this.settings.password]);
  }
}
