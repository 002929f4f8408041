import { isUtf8 } from "node:buffer";
import { createSocket, type Socket as DatagramSocket } from "node:dgram";
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from "node:net";
import { createServer as createTlsServer, type TLSSocket } from "node:tls";

/**
 * A syslog receiver for tests and the bench: TCP (RFC 6587 octet counting, and non-transparent LF framing
 * when a frame starts with `<`), TLS (RFC 5425) and UDP (RFC 5426) listeners on 127.0.0.1, port 0. Every
 * message is parsed back into its RFC 5424 fields (structured data unescaped per section 6.3.3) and kept.
 * Written from the RFCs, not from wizbridge's encoder, so a test checks one against the other.
 */

export interface SyslogStructuredElement {
  id: string;
  /** In order; a name may repeat (RFC 5424 allows it). */
  params: Array<[string, string]>;
}

export interface ParsedSyslogMessage {
  pri: number;
  facility: number;
  severity: number;
  version: number;
  /** `-` stays `-` in every header field. */
  timestamp: string;
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  structuredData: SyslogStructuredElement[];
  /** MSG began with the UTF-8 BOM (RFC 5424 section 6.4). */
  bom: boolean;
  /** MSG without the BOM, decoded as UTF-8 ("" when absent). */
  msg: string;
  /** SYSLOG-MSG length in bytes (without the frame). */
  bytes: number;
}

export interface ReceivedSyslogMessage extends ParsedSyslogMessage {
  transport: "tcp" | "tls" | "udp";
  framing: "octet-counting" | "lf" | "datagram";
  /** Which TCP/TLS connection it came on (1-based, in accept order); 0 for UDP. */
  connection: number;
}

export class SyslogParseError extends Error {
  override readonly name = "SyslogParseError";
}

const SP = 0x20;

/**
 * Parses one SYSLOG-MSG (RFC 5424 section 6) from its bytes; throws SyslogParseError when it is not one.
 * `withMsg` false leaves MSG undecoded ("", bom false): the bench only counts event ids.
 */
export function parseRfc5424(bytes: Buffer, withMsg = true): ParsedSyslogMessage {
  let at = 0;
  const fail = (what: string): never => {
    throw new SyslogParseError(`${what} at byte ${at}: ${JSON.stringify(bytes.subarray(0, 80).toString("latin1"))}`);
  };
  if (bytes[at] !== 0x3c) fail("PRI must start with <");
  const close = bytes.indexOf(0x3e, 1);
  if (close < 2 || close > 4) fail("PRI must be 1-3 digits in <>");
  const priText = bytes.toString("latin1", 1, close);
  if (!/^(?:0|[1-9]\d{0,2})$/.test(priText)) fail(`PRI ${priText} is not a number without leading zeros`);
  const pri = Number(priText);
  if (pri > 191) fail(`PRI ${pri} is above 191`);
  at = close + 1;
  const token = (name: string): string => {
    const end = bytes.indexOf(SP, at);
    if (end < 0 || end === at) fail(`${name} missing`);
    const text = bytes.toString("latin1", at, end);
    if (!/^[\x21-\x7e]+$/.test(text)) fail(`${name} is not PRINTUSASCII`);
    at = end + 1;
    return text;
  };
  const versionText = token("VERSION");
  if (!/^[1-9]\d{0,2}$/.test(versionText)) fail("VERSION must be a number");
  const timestamp = token("TIMESTAMP");
  if (timestamp !== "-" && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})$/.test(timestamp)) fail(`TIMESTAMP ${timestamp} is not RFC 5424`);
  const hostname = token("HOSTNAME");
  const appName = token("APP-NAME");
  const procId = token("PROCID");
  const msgId = token("MSGID");
  if (hostname.length > 255 || appName.length > 48 || procId.length > 128 || msgId.length > 32) fail("a header field is longer than RFC 5424 allows");
  const structuredData: SyslogStructuredElement[] = [];
  if (bytes[at] === 0x2d) {
    at += 1;
  } else {
    if (bytes[at] !== 0x5b) fail("STRUCTURED-DATA must be - or [");
    while (bytes[at] === 0x5b) {
      at += 1;
      const idEnd = sdNameEnd(bytes, at);
      if (idEnd === at) fail("SD-ID missing");
      const element: SyslogStructuredElement = { id: bytes.toString("latin1", at, idEnd), params: [] };
      at = idEnd;
      while (bytes[at] === SP) {
        at += 1;
        const nameEnd = sdNameEnd(bytes, at);
        if (nameEnd === at || bytes[nameEnd] !== 0x3d || bytes[nameEnd + 1] !== 0x22) fail("SD-PARAM must be NAME=\"VALUE\"");
        const name = bytes.toString("latin1", at, nameEnd);
        at = nameEnd + 2;
        // PARAM-VALUE: `\"`, `\\` and `\]` stand for the character; a backslash before anything else is itself.
        const valueStart = at;
        let escaped = false;
        for (;;) {
          if (at >= bytes.length) fail("PARAM-VALUE not closed");
          const b = bytes[at] as number;
          if (b === 0x5c && (bytes[at + 1] === 0x22 || bytes[at + 1] === 0x5c || bytes[at + 1] === 0x5d)) {
            escaped = true;
            at += 2;
          } else if (b === 0x22) {
            break;
          } else if (b === 0x5d) {
            fail("unescaped ] inside PARAM-VALUE");
          } else {
            at += 1;
          }
        }
        let decoded = bytes.subarray(valueStart, at);
        at += 1;
        if (escaped) {
          const out: number[] = [];
          for (let k = 0; k < decoded.length; k += 1) {
            const b = decoded[k] as number;
            if (b === 0x5c && (decoded[k + 1] === 0x22 || decoded[k + 1] === 0x5c || decoded[k + 1] === 0x5d)) {
              out.push(decoded[k + 1] as number);
              k += 1;
            } else out.push(b);
          }
          decoded = Buffer.from(out);
        }
        if (!isUtf8(decoded)) fail("PARAM-VALUE is not UTF-8");
        element.params.push([name, decoded.toString("utf8")]);
      }
      if (bytes[at] !== 0x5d) fail("SD-ELEMENT must end with ]");
      at += 1;
      structuredData.push(element);
    }
  }
  let bom = false;
  let msg = "";
  if (at < bytes.length) {
    if (bytes[at] !== SP) fail("MSG must follow STRUCTURED-DATA after one space");
  }
  if (withMsg && at < bytes.length) {
    at += 1;
    if (bytes[at] === 0xef && bytes[at + 1] === 0xbb && bytes[at + 2] === 0xbf) {
      bom = true;
      at += 3;
    }
    const body = bytes.subarray(at);
    if (bom && !isUtf8(body)) fail("MSG after the BOM is not UTF-8");
    msg = body.toString("utf8");
  }
  return { pri, facility: pri >> 3, severity: pri & 7, version: Number(versionText), timestamp, hostname, appName, procId, msgId, structuredData, bom, msg, bytes: bytes.length };
}

/** SD-NAME: 1-32 PRINTUSASCII except `=`, SP, `]`, `"`. */
function sdNameEnd(bytes: Buffer, from: number): number {
  let at = from;
  while (at < bytes.length && at - from < 32) {
    const b = bytes[at] as number;
    if (b < 0x21 || b > 0x7e || b === 0x3d || b === 0x5d || b === 0x22) break;
    at += 1;
  }
  return at;
}

/** The value of one SD-PARAM of a message (first element with that id, first param with that name). */
export function sdParam(message: ParsedSyslogMessage, id: string, name: string): string | undefined {
  return message.structuredData.find((e) => e.id === id)?.params.find(([n]) => n === name)?.[1];
}

export interface FakeSyslogServerOptions {
  /** PEM key and certificate for the TLS listener (none: no TLS listener). */
  tls?: { key: Buffer | string; cert: Buffer | string; ca?: Buffer | string; requireClientCert?: boolean };
  /** Keep every parsed message (default true). The bench sets false and reads only `eventIds`. */
  keepMessages?: boolean;
  /** The SD-ID whose `eventId` param is counted in `eventIds` (default wiz@32473). */
  eventIdElement?: string;
}

export interface FakeSyslogServer {
  readonly host: string;
  readonly tcpPort: number;
  readonly tlsPort: number | undefined;
  readonly udpPort: number;
  /** Parsed messages in arrival order (empty when keepMessages is false). */
  readonly messages: ReceivedSyslogMessage[];
  /** Distinct `eventId` values of the wizbridge structured data element. */
  readonly eventIds: Set<string>;
  /** Messages received (kept or not). */
  readonly received: number;
  /** Frames or datagrams that were not RFC 5424, with why. */
  readonly parseErrors: string[];
  /** TCP and TLS connections accepted so far. */
  readonly connections: number;
  /** Subjects (CN) of the client certificates TLS connections presented. */
  readonly clientCertificates: string[];
  /** Closes every open TCP/TLS connection from the server side (the listeners stay up). */
  dropConnections(): void;
  /** Closes the TCP listener and every TCP/TLS connection: connecting to tcpPort is refused until listenAgain(). */
  stopTcp(): Promise<void>;
  /** Listens on the same TCP port again. */
  listenAgain(): Promise<void>;
  /** Resolves once `predicate` holds, polling; rejects after `timeoutMs` (default 30 s) naming what it waited for. */
  waitFor(predicate: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeSyslogServer(options: FakeSyslogServerOptions = {}): Promise<FakeSyslogServer> {
  const host = "127.0.0.1";
  const keep = options.keepMessages ?? true;
  const idElement = options.eventIdElement ?? "wiz@32473";
  const messages: ReceivedSyslogMessage[] = [];
  const eventIds = new Set<string>();
  const parseErrors: string[] = [];
  const clientCertificates: string[] = [];
  const open = new Set<Socket>();
  let received = 0;
  let connections = 0;

  const accept = (message: Buffer, transport: ReceivedSyslogMessage["transport"], framing: ReceivedSyslogMessage["framing"], connection: number): void => {
    let parsed: ParsedSyslogMessage;
    try {
      parsed = parseRfc5424(message, keep);
    } catch (error) {
      parseErrors.push((error as Error).message);
      return;
    }
    received += 1;
    const id = sdParam(parsed, idElement, "eventId");
    if (id !== undefined) eventIds.add(id);
    if (keep) messages.push({ ...parsed, transport, framing, connection });
  };

  const onConnection = (socket: Socket, transport: "tcp" | "tls"): void => {
    connections += 1;
    const connection = connections;
    open.add(socket);
    socket.on("close", () => open.delete(socket));
    socket.on("error", () => undefined);
    if (transport === "tls") {
      const cert = (socket as TLSSocket).getPeerCertificate();
      if (cert?.subject?.CN) clientCertificates.push(String(cert.subject.CN));
    }
    const fatal = (why: string): void => {
      parseErrors.push(why);
      socket.destroy();
    };
    // Bytes of a frame not complete yet: the start of the next frame, or a fixed-size buffer being filled
    // when the octet count is known (each byte is copied once, however many chunks the frame spans).
    let pending: Buffer = Buffer.alloc(0);
    let filling: { frame: Buffer; have: number } | undefined;
    socket.on("data", (chunk: Buffer) => {
      let data = chunk;
      if (filling) {
        const take = Math.min(filling.frame.length - filling.have, data.length);
        data.copy(filling.frame, filling.have, 0, take);
        filling.have += take;
        if (filling.have < filling.frame.length) return;
        accept(filling.frame, transport, "octet-counting", connection);
        filling = undefined;
        data = data.subarray(take);
      }
      if (pending.length > 0) data = Buffer.concat([pending, data]);
      pending = Buffer.alloc(0);
      let at = 0;
      for (;;) {
        if (at >= data.length) break;
        const first = data[at] as number;
        if (first >= 0x31 && first <= 0x39) {
          // RFC 6587 3.4.1: MSG-LEN SP SYSLOG-MSG, MSG-LEN without leading zeros.
          const space = data.indexOf(SP, at);
          if (space < 0 || space - at > 10) {
            if (data.length - at > 10) return fatal("octet count longer than 10 digits");
            break;
          }
          const lengthText = data.toString("latin1", at, space);
          if (!/^[1-9]\d*$/.test(lengthText)) return fatal(`bad octet count ${JSON.stringify(lengthText)}`);
          if (Number(lengthText) > 64 * 1024 * 1024) return fatal(`octet count ${lengthText} is over 64 MiB`);
          const end = space + 1 + Number(lengthText);
          if (data.length < end) {
            filling = { frame: Buffer.allocUnsafe(Number(lengthText)), have: data.length - space - 1 };
            data.copy(filling.frame, 0, space + 1);
            at = data.length;
            break;
          }
          accept(data.subarray(space + 1, end), transport, "octet-counting", connection);
          at = end;
        } else if (first === 0x3c) {
          // RFC 6587 3.4.2: non-transparent framing, the message ends at LF.
          const lf = data.indexOf(0x0a, at);
          if (lf < 0) break;
          const end = lf > at && data[lf - 1] === 0x0d ? lf - 1 : lf;
          accept(data.subarray(at, end), transport, "lf", connection);
          at = lf + 1;
        } else if (first === 0x0a || first === 0x0d || first === 0x00) {
          at += 1;
        } else {
          return fatal(`a frame must start with an octet count or <, not byte ${first}`);
        }
      }
      if (at < data.length) pending = Buffer.from(data.subarray(at));
    });
  };

  let tcp = createTcpServer((socket) => onConnection(socket, "tcp"));
  await listen(tcp, host);
  const tcpPort = (tcp.address() as AddressInfo).port;
  let tlsServer: Server | undefined;
  if (options.tls) {
    const { key, cert, ca, requireClientCert } = options.tls;
    tlsServer = createTlsServer({ key, cert, ...(ca ? { ca } : {}), requestCert: requireClientCert === true, rejectUnauthorized: requireClientCert === true }, (socket) => onConnection(socket, "tls"));
    tlsServer.on("tlsClientError", () => undefined);
    await listen(tlsServer, host);
  }
  const udp: DatagramSocket = createSocket({ type: "udp4", recvBufferSize: 8 * 1024 * 1024 });
  udp.on("message", (datagram) => accept(datagram, "udp", "datagram", 0));
  udp.on("error", (error) => parseErrors.push(`udp: ${error.message}`));
  await new Promise<void>((resolve) => udp.bind(0, host, () => resolve()));

  return {
    host,
    tcpPort,
    tlsPort: tlsServer ? (tlsServer.address() as AddressInfo).port : undefined,
    udpPort: udp.address().port,
    messages,
    eventIds,
    get received() {
      return received;
    },
    parseErrors,
    get connections() {
      return connections;
    },
    clientCertificates,
    dropConnections() {
      for (const socket of open) socket.destroy();
    },
    async stopTcp() {
      const closing = closeServer(tcp);
      for (const socket of open) socket.destroy();
      await closing;
    },
    async listenAgain() {
      tcp = createTcpServer((socket) => onConnection(socket, "tcp"));
      await listen(tcp, host, tcpPort);
    },
    async waitFor(predicate, what, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`fake syslog server: gave up after ${timeoutMs} ms waiting for ${what} (received ${received}, parse errors: ${parseErrors.slice(0, 3).join("; ") || "none"})`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async close() {
      for (const socket of open) socket.destroy();
      await Promise.all([tcp.listening ? closeServer(tcp) : Promise.resolve(), tlsServer ? closeServer(tlsServer) : Promise.resolve(), new Promise<void>((resolve) => udp.close(() => resolve()))]);
    },
  };
}

function listen(server: Server, host: string, port = 0): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
