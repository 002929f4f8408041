/** RFC 5426 section 3.2: the largest UDP payload over IPv4 (65,535 - 8 UDP - 20 IP header bytes). */
export const UDP_MAX_MESSAGE_BYTES = 65_507;

/** What an unset key of a syslog sink means. */
export const SYSLOG_DEFAULTS = Object.freeze({
  protocol: "tcp",
  udpPort: 514,
  tcpPort: 514,
  tlsPort: 6514,
  facility: "local0",
  appName: "wizbridge",
  format: "json",
  framing: "octet-counting",
  udpMaxMessageBytes: 65_000,
  streamMaxMessageBytes: 1024 * 1024,
  connectTimeoutMs: 10_000,
  writeTimeoutMs: 30_000,
  leefDelimiter: "\t",
} as const);

/** The port the settings mean: the configured one, else the protocol's usual one (514 udp/tcp, 6514 tls). */
export function syslogPortOf(s: { port?: number | undefined; protocol?: "tcp" | "tls" | "udp" | undefined }): number {
  const protocol = s.protocol ?? SYSLOG_DEFAULTS.protocol;
  return s.port ?? (protocol === "tls" ? SYSLOG_DEFAULTS.tlsPort : protocol === "udp" ? SYSLOG_DEFAULTS.udpPort : SYSLOG_DEFAULTS.tcpPort);
}
