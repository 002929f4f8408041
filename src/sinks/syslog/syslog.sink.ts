import { lookup } from "node:dns/promises";
import { hostname as osHostname } from "node:os";
import { createSecureContext, type ConnectionOptions } from "node:tls";
import type { WizSeverity } from "../../model/canonical/common.js";
import { packageVersion } from "../../version.js";
import { SinkRejectedError, type Sink, type SinkRecord, type SinkTestStep } from "../sink.js";
import type { SinkContext } from "../sink-context.js";
import { sinkTestRecord, tlsConnectionOptions } from "../sink-settings.js";
import { parseLeefDelimiter } from "./leef-payload.js";
import { SYSLOG_FACILITIES, SYSLOG_SEVERITIES } from "./rfc5424-message.js";
import { SyslogBatchEncoder, type SyslogFraming } from "./syslog-batch-encoder.js";
import { SYSLOG_DEFAULTS, syslogPortOf } from "./syslog-defaults.js";
import type { SyslogSinkSettings } from "./syslog.sink-type.js";
import { connectFailureOf, createSyslogTransport, syslogTarget, type SyslogProtocol, type SyslogTransport, type SyslogTransportOptions } from "./syslog-transport.js";

/** Wiz tier -> syslog severity when severityMap does not say: crit, err, warning, notice, info (info for none). */
export const DEFAULT_SEVERITY_MAP: Readonly<Record<WizSeverity | "NONE", number>> = { CRITICAL: 2, HIGH: 3, MEDIUM: 4, LOW: 5, INFORMATIONAL: 6, NONE: 6 };

/** How long `sink test` waits after the test event for a refusal (ICMP port unreachable, a closed connection). */
const REFUSAL_WAIT_MS = 500;

/** What tests and the bench may replace; production takes the defaults. */
export interface SyslogSinkDependencies {
  transport?: SyslogTransport;
  /** HOSTNAME when the settings name none (default os.hostname()). */
  hostname?: string;
  /** PROCID (default this process's pid). */
  procId?: string;
  /** CEF/LEEF product version (default wizbridge's package version). */
  version?: string;
}

/**
 * Syslog (RFC 5424) over TCP or TLS with octet-counting framing (RFC 6587 3.4.1, RFC 5425), or over UDP
 * (RFC 5426), with the WizEvent as JSON, CEF or LEEF in MSG.
 *
 * Guarantee: best-effort, whatever the protocol. Syslog has no application-level acknowledgement. Over TCP
 * and TLS, `write` resolves when the whole batch was handed to the kernel and the connection was still up a
 * turn of the event loop after that flush; a write on a connection that broke fails, so the outbox keeps
 * the batch and sends it again on a new connection (the next write reconnects). What it cannot see: a
 * receiver that dies (or drops its queue) after the kernel accepted the bytes loses them although the
 * batch was acknowledged, and a batch sent again after a break may show twice (the receiver had read part
 * of it). Over UDP `write` resolves when the kernel took the datagrams; a datagram can be lost without any
 * sign (full receive buffer, network), and nothing can confirm receipt. At-least-once would need an
 * acknowledging protocol (RFC 3195 RELP/BEEP), which is out of scope.
 */
export class SyslogSink implements Sink {
  readonly guarantee = "best-effort" as const;
  private readonly transport: SyslogTransport;
  private readonly encoder: SyslogBatchEncoder;
  private readonly transportOptions: SyslogTransportOptions;
  private readonly protocol: SyslogProtocol;
  /** Batches (and sink test's connect) go one after another: the encoder's buffer is reused, frames never interleave. */
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    readonly id: string,
    private readonly settings: SyslogSinkSettings,
    private readonly context: SinkContext,
    dependencies: SyslogSinkDependencies = {},
  ) {
    this.protocol = settings.protocol ?? SYSLOG_DEFAULTS.protocol;
    const port = syslogPortOf(settings);
    const tls = this.protocol === "tls" ? this.tlsOptions() : undefined;
    this.transportOptions = {
      sinkId: id,
      host: settings.host,
      port,
      protocol: this.protocol,
      ...(tls ? { tls } : {}),
      connectTimeoutMs: settings.connectTimeoutMs ?? SYSLOG_DEFAULTS.connectTimeoutMs,
      writeTimeoutMs: settings.writeTimeoutMs ?? SYSLOG_DEFAULTS.writeTimeoutMs,
      logger: context.logger,
    };
    this.transport = dependencies.transport ?? createSyslogTransport(this.transportOptions);
    const framing: SyslogFraming = this.protocol === "udp" ? "datagram" : (settings.framing ?? SYSLOG_DEFAULTS.framing);
    this.encoder = new SyslogBatchEncoder({
      facility: typeof settings.facility === "number" ? settings.facility : SYSLOG_FACILITIES[settings.facility ?? SYSLOG_DEFAULTS.facility],
      severities: severitiesOf(settings.severityMap),
      hostname: settings.hostname ?? dependencies.hostname ?? osHostname(),
      appName: settings.appName ?? SYSLOG_DEFAULTS.appName,
      procId: dependencies.procId ?? String(process.pid),
      format: settings.format ?? SYSLOG_DEFAULTS.format,
      framing,
      maxMessageBytes: settings.maxMessageBytes ?? (this.protocol === "udp" ? SYSLOG_DEFAULTS.udpMaxMessageBytes : SYSLOG_DEFAULTS.streamMaxMessageBytes),
      truncate: settings.truncate ?? false,
      version: dependencies.version ?? packageVersion(),
      leefDelimiter: parseLeefDelimiter(settings.leef?.delimiter ?? SYSLOG_DEFAULTS.leefDelimiter) ?? SYSLOG_DEFAULTS.leefDelimiter,
      protocol: this.protocol,
    });
    if (this.protocol === "udp") {
      context.logger.warn(
        { sink: id },
        `syslog sink ${id} sends over UDP: a datagram the network or a busy receiver drops is lost without any error, and nothing confirms receipt. Use protocol: tcp or tls when every event must arrive.`,
      );
    }
  }

  /** `tcp://host:port`. */
  get target(): string {
    return syslogTarget(this.transportOptions);
  }

  write(batch: readonly SinkRecord[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`syslog sink ${this.id} is closed; it takes no more writes (the batch stays in the outbox).`));
    return this.serialized(() => this.deliver(batch));
  }

  async selfTest(): Promise<SinkTestStep[]> {
    const steps: SinkTestStep[] = [];
    const { host } = this.transportOptions;
    try {
      const addresses = await lookup(host, { all: true });
      steps.push({ step: "resolve", ok: true, detail: `${host} is ${addresses.map((a) => a.address).join(", ")}` });
    } catch (error) {
      const f = connectFailureOf(this.transportOptions, error);
      steps.push({ step: "resolve", ok: false, detail: f.message, fix: f.fix });
      return steps;
    }
    const connectStep = this.protocol === "tls" ? "connect + TLS handshake" : this.protocol === "udp" ? "open UDP socket" : "connect";
    try {
      const info = await this.serialized(() => this.transport.open());
      steps.push({ step: connectStep, ok: true, detail: info.detail });
    } catch (error) {
      const f = connectFailureOf(this.transportOptions, (error as Error).cause ?? error);
      steps.push({ step: connectStep, ok: false, detail: f.message, fix: f.fix });
      return steps;
    }
    const test = sinkTestRecord(this.id, this.context.now());
    try {
      await this.write([test]);
      steps.push({ step: "send test event", ok: true, detail: `sent one marked test event (event id ${test.eventId}, MSGID ${test.stream}) to ${this.target}` });
    } catch (error) {
      const cause = (error as Error).cause;
      const f = cause ? connectFailureOf(this.transportOptions, cause) : undefined;
      steps.push({ step: "send test event", ok: false, detail: f?.message ?? (error instanceof Error ? error.message : String(error)), fix: f?.fix ?? `check that the receiver at ${this.target} takes ${this.protocol} syslog with this framing and format (its log says why it closed)` });
      return steps;
    }
    // Nothing acknowledges syslog, but a refusal says so: a closed UDP port on a reachable host answers ICMP
    // port unreachable, a TCP/TLS receiver that rejects what it read closes the connection.
    await new Promise((resolve) => setTimeout(resolve, REFUSAL_WAIT_MS));
    const failure = this.transport.failure();
    if (failure) {
      const code = (failure as NodeJS.ErrnoException).code;
      const f = this.protocol === "udp" || code !== undefined ? connectFailureOf(this.transportOptions, failure) : undefined;
      steps.push({
        step: "report",
        ok: false,
        detail: f?.message ?? `${this.target} closed the connection right after the test event (${failure.message})`,
        fix: f?.fix ?? `check the receiver's log: it may expect another framing (framing: lf for receivers that split lines), protocol or format`,
      });
      return steps;
    }
    steps.push({
      step: "report",
      ok: true,
      detail:
        this.protocol === "udp"
          ? `UDP is fire-and-forget: nothing can confirm the receiver got the test event. Search the SIEM for event id ${test.eventId} to be sure.`
          : `the receiver kept the connection open after taking the test event; syslog has no acknowledgement, so search the SIEM for event id ${test.eventId} to be sure it was parsed and stored.`,
    });
    return steps;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    await this.transport.close();
  }

  /** Runs `task` after every task queued before it: one connection, one batch on the wire at a time. */
  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async deliver(batch: readonly SinkRecord[]): Promise<void> {
    if (batch.length === 0) return;
    const encoded = this.encoder.encode(batch);
    if (encoded.sent.length > 0) await this.transport.send(encoded.frames);
    if (encoded.truncated > 0) this.context.logger.warn({ sink: this.id, events: encoded.truncated }, "syslog messages over maxMessageBytes were cut to fit (truncate: true)");
    if (encoded.rejected.size > 0) throw new SinkRejectedError(encoded.rejected, new Set(encoded.sent));
  }

  /** TLS options with the files read now, and the key loaded now: a wrong path or passphrase fails at start. */
  private tlsOptions(): ConnectionOptions {
    const options = tlsConnectionOptions(this.id, this.settings.tls, this.context.logger, this.context.baseDir) ?? { rejectUnauthorized: true };
    try {
      createSecureContext(options);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "";
      // OpenSSL's own words name the failing step (bad decrypt...) and never the passphrase.
      throw new Error(
        `sinks.${this.id}.tls: cannot load the TLS files (${code || (error as Error).message}); check that tls.caFile, tls.certFile and tls.keyFile are PEM files, that the key matches the certificate, and tls.keyPassphrase for an encrypted key.`,
        { cause: error },
      );
    }
    return options;
  }
}

function severitiesOf(map: SyslogSinkSettings["severityMap"]): Record<WizSeverity | "NONE", number> {
  const out = { ...DEFAULT_SEVERITY_MAP };
  for (const [tier, value] of Object.entries(map ?? {}) as Array<[WizSeverity | "NONE", number | keyof typeof SYSLOG_SEVERITIES | undefined]>) {
    if (value === undefined) continue;
    out[tier] = typeof value === "number" ? value : SYSLOG_SEVERITIES[value];
  }
  return out;
}
