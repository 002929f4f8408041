import { createSocket, type Socket as DatagramSocket } from "node:dgram";
import { lookup } from "node:dns/promises";
import { connect as connectTcp, isIP, type Socket } from "node:net";
import { connect as connectTls, type ConnectionOptions, type TLSSocket } from "node:tls";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { Logger } from "pino";
import { SinkUnavailableError } from "../sink.js";

export type SyslogProtocol = "tcp" | "tls" | "udp";

export interface SyslogTransportOptions {
  sinkId: string;
  host: string;
  port: number;
  protocol: SyslogProtocol;
  /** TLS options from tlsConnectionOptions() (files already read); protocol tls only. */
  tls?: ConnectionOptions;
  connectTimeoutMs: number;
  writeTimeoutMs: number;
  logger: Logger;
}

/** How the connection was opened, for `sink test`. */
export interface SyslogConnectionInfo {
  /** `connected to 127.0.0.1:514 over tcp`, with the TLS version and the server certificate's subject for tls. */
  detail: string;
}

/**
 * Where framed syslog messages go. TCP and TLS: one stream connection, opened on the first send and again
 * on the next send after the receiver closed it. UDP: one connected datagram socket, one message per datagram.
 */
export interface SyslogTransport {
  /** Opens the connection if none is open (TCP connect, TLS handshake, UDP connect). */
  open(): Promise<SyslogConnectionInfo>;
  /**
   * TCP/TLS: writes `frames` (one buffer of whole frames) and resolves once the bytes are handed to the
   * kernel and the connection is still up a turn of the event loop later. UDP: sends each buffer as one
   * datagram and resolves once the kernel took them all. The buffers must stay untouched until it settles.
   */
  send(frames: Buffer | readonly Buffer[]): Promise<void>;
  /** Why the connection is known to be broken now (UDP: an ICMP "port unreachable" came back), if it is. */
  failure(): Error | undefined;
  close(): Promise<void>;
}

export function createSyslogTransport(options: SyslogTransportOptions): SyslogTransport {
  return options.protocol === "udp" ? new DatagramTransport(options) : new StreamTransport(options);
}

/** `tcp://host:port` for messages (never a secret: the TLS options are not shown). */
export function syslogTarget(o: Pick<SyslogTransportOptions, "protocol" | "host" | "port">): string {
  const host = isIP(o.host) === 6 ? `[${o.host}]` : o.host;
  return `${o.protocol}://${host}:${o.port}`;
}

/** How long a TLS 1.3 connection waits after the handshake for the server to accept the client (see connect). */
const TLS13_CONFIRM_WAIT_MS = 1_000;

const TLS_TRUST_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
]);

/**
 * What went wrong connecting, its likely cause and what to change, from the error code. Never includes a
 * TLS option (the key passphrase is one).
 */
export function connectFailureOf(o: Pick<SyslogTransportOptions, "sinkId" | "protocol" | "host" | "port">, error: unknown): { message: string; fix: string; code: string } {
  const target = syslogTarget(o);
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? "";
  const said = error instanceof Error ? error.message : String(error);
  const usual = o.protocol === "tls" ? "TLS syslog usually listens on 6514" : "plain syslog usually listens on 514";
  const fixEndpoint = `check host (${o.host}), port (${o.port}) and protocol (${o.protocol}) of sink ${o.sinkId}: ${usual}, and the receiver must listen for ${o.protocol} there`;
  if (code === "ECONNREFUSED" && o.protocol === "udp") return { code, message: `nothing listens on ${target} (the host answered ICMP port unreachable)`, fix: fixEndpoint };
  if (code === "ECONNREFUSED") return { code, message: `nothing accepts ${o.protocol} connections at ${target} (connection refused)`, fix: fixEndpoint };
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME") return { code, message: `cannot resolve host ${o.host} (${code})`, fix: `check host of sink ${o.sinkId} (a name DNS knows, or an IP address)` };
  if (code === "ETIMEDOUT" || code === "EHOSTUNREACH" || code === "ENETUNREACH" || code === "CONNECT_TIMEOUT")
    return { code, message: `cannot reach ${target} (${code})`, fix: `${fixEndpoint}; a firewall may drop the packets` };
  if (TLS_TRUST_CODES.has(code)) return { code, message: `the TLS certificate of ${target} is not trusted (${code})`, fix: `set tls.caFile of sink ${o.sinkId} to the PEM of the CA that signed the receiver's certificate` };
  if (code === "CERT_HAS_EXPIRED" || code === "CERT_NOT_YET_VALID") return { code, message: `the TLS certificate of ${target} is not valid now (${code})`, fix: "renew the receiver's certificate (or fix this machine's clock)" };
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID")
    return { code, message: `the TLS certificate of ${target} does not name ${o.host} (${code})`, fix: `connect by a name the certificate holds, or set tls.serverName of sink ${o.sinkId} to it` };
  if (o.protocol === "tls" && (/CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA/.test(code) || /certificate required|bad certificate|unknown ca/i.test(said)))
    return {
      code: code || "TLS_CLIENT_CERTIFICATE",
      message: `${target} refused this client's certificate (${code || said})`,
      fix: `the receiver requires mutual TLS: set tls.certFile and tls.keyFile of sink ${o.sinkId} to a certificate its CA signed`,
    };
  if (o.protocol === "tls" && (code === "ECONNRESET" || code === "EPROTO" || /wrong version number|packet length too long|handshake/i.test(said)))
    return {
      code: code || "TLS_HANDSHAKE",
      message: `the TLS handshake with ${target} failed (${code || said})`,
      fix: `the port may serve plain syslog (then set protocol: tcp), or the receiver refused this client (it may require a client certificate: tls.certFile and tls.keyFile of sink ${o.sinkId})`,
    };
  return { code: code || "UNKNOWN", message: `cannot connect to ${target} (${code || said})`, fix: fixEndpoint };
}

function unavailable(o: SyslogTransportOptions, error: unknown): SinkUnavailableError {
  const f = connectFailureOf(o, error);
  return new SinkUnavailableError(`syslog sink ${o.sinkId}: ${f.message}; ${f.fix}.`, { cause: error });
}

/** One stream connection and why it went away (set by the socket's events, read before and after each write). */
interface Connection {
  socket: Socket | TLSSocket;
  gone: Error | undefined;
}

class StreamTransport implements SyslogTransport {
  private connection: Connection | undefined;
  private info: SyslogConnectionInfo | undefined;

  constructor(private readonly o: SyslogTransportOptions) {}

  async open(): Promise<SyslogConnectionInfo> {
    if (this.connection && this.connection.gone === undefined && this.info) return this.info;
    if (this.connection) {
      // The receiver closed it (or it broke) since the last write: reconnect now, on this write.
      this.o.logger.info({ sink: this.o.sinkId, reason: this.connection.gone?.message }, "syslog connection was closed; reconnecting");
      this.connection.socket.destroy();
      this.connection = undefined;
    }
    const socket = await this.connect();
    const connection: Connection = { socket, gone: undefined };
    const lose = (error: Error): void => {
      connection.gone ??= error;
    };
    socket.on("error", lose);
    socket.on("end", () => lose(new Error("the receiver closed the connection")));
    socket.on("close", () => lose(new Error("the connection closed")));
    // Syslog receivers send nothing back; read and drop whatever comes so the socket sees the close.
    socket.resume();
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    this.connection = connection;
    this.info = { detail: this.describe(socket) };
    return this.info;
  }

  async send(frames: Buffer | readonly Buffer[]): Promise<void> {
    await this.open();
    const connection = this.connection as Connection;
    const { socket } = connection;
    const { sinkId, writeTimeoutMs } = this.o;
    const target = syslogTarget(this.o);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        connection.gone ??= new Error(`write timed out after ${writeTimeoutMs} ms`);
        socket.destroy();
        reject(new SinkUnavailableError(`syslog sink ${sinkId}: ${target} did not take the batch within ${writeTimeoutMs} ms (the receiver reads too slowly or hangs); the batch is sent again on a new connection. Raise writeTimeoutMs if the receiver is merely slow.`));
      }, writeTimeoutMs);
      const done = (error?: Error | null): void => {
        clearTimeout(timer);
        if (error) reject(this.lost(target, error));
        else resolve();
      };
      const buffers = Buffer.isBuffer(frames) ? [frames] : (frames as readonly Buffer[]);
      if (buffers.length === 0) return done();
      for (let i = 0; i < buffers.length - 1; i += 1) socket.write(buffers[i] as Buffer);
      socket.write(buffers[buffers.length - 1] as Buffer, done);
    });
    // The kernel has the bytes; a close the receiver sent before reading them shows up within a turn or two.
    await nextTurn();
    if (connection.gone) throw this.lost(target, connection.gone);
  }

  failure(): Error | undefined {
    return this.connection?.gone;
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    if (!connection || connection.socket.destroyed) return;
    const { socket } = connection;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => socket.destroy(), this.o.writeTimeoutMs);
      socket.once("close", () => {
        clearTimeout(timer);
        resolve();
      });
      socket.end();
    });
  }

  private lost(target: string, cause: Error): SinkUnavailableError {
    return new SinkUnavailableError(
      `syslog sink ${this.o.sinkId}: the connection to ${target} broke during the write (${(cause as NodeJS.ErrnoException).code ?? cause.message}); the batch is sent again on a new connection, and the receiver may show the part it had read twice.`,
      { cause },
    );
  }

  private connect(): Promise<Socket | TLSSocket> {
    const { host, port, protocol, connectTimeoutMs } = this.o;
    return new Promise((resolve, reject) => {
      let socket: Socket | TLSSocket;
      try {
        socket =
          protocol === "tls"
            ? connectTls({ host, port, ...(isIP(host) === 0 ? { servername: host } : {}), ...this.o.tls })
            : connectTcp({ host, port });
      } catch (error) {
        reject(unavailable(this.o, error));
        return;
      }
      const timer = setTimeout(() => {
        socket.destroy();
        reject(unavailable(this.o, Object.assign(new Error(`no answer within connectTimeoutMs (${connectTimeoutMs} ms)`), { code: "CONNECT_TIMEOUT" })));
      }, connectTimeoutMs);
      const fail = (error: Error): void => {
        clearTimeout(timer);
        socket.destroy();
        reject(unavailable(this.o, error));
      };
      socket.once("error", fail);
      const connected = (): void => {
        clearTimeout(timer);
        socket.off("error", fail);
        socket.off("close", closed);
        resolve(socket);
      };
      const closed = (): void => fail(Object.assign(new Error("the receiver closed the connection during the TLS handshake"), { code: "ECONNRESET" }));
      if (protocol !== "tls") {
        socket.once("connect", connected);
        return;
      }
      socket.once("close", closed);
      socket.once("secureConnect", () => {
        // TLS 1.3 ends the client's handshake before the server has checked the client certificate: a
        // refusal arrives as an alert afterwards. Wait for the server's session ticket (it sends one once
        // it accepted us), the alert, or a short grace period, so a refused client fails here, not silently
        // on its first batch.
        if ((socket as TLSSocket).getProtocol() !== "TLSv1.3") return connected();
        const grace = setTimeout(confirmed, Math.min(TLS13_CONFIRM_WAIT_MS, connectTimeoutMs / 2));
        function confirmed(): void {
          clearTimeout(grace);
          socket.off("session", confirmed);
          // Not from inside the 'session' event: Node keeps a write made within it unsent.
          setImmediate(connected);
        }
        socket.once("session", confirmed);
        socket.once("error", () => clearTimeout(grace));
        socket.once("close", () => clearTimeout(grace));
      });
    });
  }

  private describe(socket: Socket | TLSSocket): string {
    const target = syslogTarget(this.o);
    if (this.o.protocol !== "tls") return `connected to ${target} over tcp (from ${socket.localAddress ?? "?"}:${socket.localPort ?? "?"})`;
    const tlsSocket = socket as TLSSocket;
    const subject = tlsSocket.getPeerCertificate()?.subject;
    const cn = subject ? (Array.isArray(subject.CN) ? subject.CN.join(",") : subject.CN) : undefined;
    const verified = tlsSocket.authorized ? "verified" : `NOT verified (${String(tlsSocket.authorizationError ?? "insecureSkipVerify")})`;
    return `TLS handshake with ${target} done (${tlsSocket.getProtocol() ?? "TLS"}, ${tlsSocket.getCipher()?.name ?? "?"}; server certificate ${cn ? `CN=${cn}` : "without CN"} ${verified})`;
  }
}

class DatagramTransport implements SyslogTransport {
  private socket: DatagramSocket | undefined;
  private gone: Error | undefined;
  private info: SyslogConnectionInfo | undefined;

  constructor(private readonly o: SyslogTransportOptions) {}

  async open(): Promise<SyslogConnectionInfo> {
    if (this.socket && this.gone === undefined && this.info) return this.info;
    this.socket?.close();
    this.socket = undefined;
    this.gone = undefined;
    let address: { address: string; family: number };
    try {
      address = await lookup(this.o.host);
    } catch (error) {
      throw unavailable(this.o, error);
    }
    const socket = createSocket(address.family === 6 ? "udp6" : "udp4");
    await new Promise<void>((resolve, reject) => {
      const fail = (error: Error): void => {
        socket.close();
        reject(unavailable(this.o, error));
      };
      socket.once("error", fail);
      // A connected UDP socket gets the kernel's ICMP "port unreachable" as ECONNREFUSED on a later send.
      socket.connect(this.o.port, address.address, () => {
        socket.off("error", fail);
        resolve();
      });
    });
    socket.on("error", (error) => {
      this.gone ??= error;
    });
    this.socket = socket;
    this.info = { detail: `UDP socket sends to ${syslogTarget(this.o)} (${address.address}); UDP has no connection, so nothing confirms a receiver is there` };
    return this.info;
  }

  async send(frames: Buffer | readonly Buffer[]): Promise<void> {
    await this.open();
    const socket = this.socket as DatagramSocket;
    const datagrams = Buffer.isBuffer(frames) ? [frames] : (frames as readonly Buffer[]);
    let failure: Error | undefined;
    await new Promise<void>((resolve) => {
      let pending = datagrams.length;
      if (pending === 0) return resolve();
      for (const datagram of datagrams) {
        socket.send(datagram, (error) => {
          if (error) failure ??= error;
          pending -= 1;
          if (pending === 0) resolve();
        });
      }
    });
    // A refusal from this host (ICMP port unreachable) comes back within a turn or two.
    await nextTurn();
    const error = failure ?? this.gone;
    if (error) {
      this.gone ??= error;
      const code = (error as NodeJS.ErrnoException).code ?? error.message;
      const cause =
        code === "ECONNREFUSED"
          ? `the receiver's host reported the UDP port closed (ICMP port unreachable): nothing listens on ${syslogTarget(this.o)}; check host, port and protocol`
          : `sending failed (${code})`;
      throw new SinkUnavailableError(`syslog sink ${this.o.sinkId}: ${cause}. The batch is sent again; datagrams sent before the error may arrive twice, and earlier ones may have been lost without notice (UDP).`, { cause: error });
    }
  }

  failure(): Error | undefined {
    return this.gone;
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return;
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}
