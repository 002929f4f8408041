import { readFileSync } from "node:fs";
import { createTransport, type Transporter } from "nodemailer";
import { renderHtmlReport } from "../report/html-report.js";
import { renderMarkdownReport } from "../report/markdown-report.js";
import type { Notification, Notifier } from "./notification.js";
import { NotificationError } from "./notification-error.js";

export interface SmtpNotifierSpec {
  host: string;
  port: number;
  /** starttls: plain connection upgraded with STARTTLS, refused if the server cannot (port 587); tls: TLS from the start (465); none: loopback relays only. */
  security: "starttls" | "tls" | "none";
  auth?: { user: string; pass: string };
  from: string;
  /** Default recipients; a project report sends each project's mail to its owners instead. */
  to: string[];
  /** Extra trusted CA certificates (PEM file) for a relay with a private CA. */
  caFile?: string;
  timeoutSeconds: number;
}

/** The message: the digest's title as subject, the Markdown report as text, the self-contained HTML report as HTML. */
export function smtpMessage(notification: Notification, spec: Pick<SmtpNotifierSpec, "from" | "to">): { from: string; to: string[]; subject: string; text: string; html: string } {
  return {
    from: spec.from,
    to: notification.recipients ?? spec.to,
    subject: notification.title.replace(/[\r\n]+/g, " "),
    text: renderMarkdownReport(notification.report),
    html: renderHtmlReport(notification.report),
  };
}

/** Sends each notification as an e-mail through an SMTP relay (nodemailer), with STARTTLS or TLS and login. */
export function smtpNotifier(name: string, spec: SmtpNotifierSpec): Notifier {
  let transport: Transporter | undefined;
  const open = (): Transporter => {
    transport ??= createTransport({
      host: spec.host,
      port: spec.port,
      secure: spec.security === "tls",
      requireTLS: spec.security === "starttls",
      ignoreTLS: spec.security === "none",
      ...(spec.auth ? { auth: { user: spec.auth.user, pass: spec.auth.pass } } : {}),
      ...(spec.caFile ? { tls: { ca: readFileSync(spec.caFile, "utf8") } } : {}),
      connectionTimeout: spec.timeoutSeconds * 1000,
      greetingTimeout: spec.timeoutSeconds * 1000,
      socketTimeout: spec.timeoutSeconds * 1000,
      // nodemailer's own logger would print the conversation, AUTH included.
      logger: false,
      debug: false,
    });
    return transport;
  };
  return {
    name,
    type: "smtp",
    async send(notification) {
      const message = smtpMessage(notification, spec);
      if (message.to.length === 0) throw new NotificationError(name, "has no recipients: set `to` in the notifier's config.");
      try {
        await open().sendMail(message);
      } catch (error) {
        throw new NotificationError(name, `${spec.host}:${spec.port} did not take the mail: ${smtpReason(error)}`);
      }
    },
    close: async () => {
      transport?.close();
      transport = undefined;
    },
  };
}

// nodemailer's codes, with what to change; the server's own answer is kept, credentials never are.
function smtpReason(error: unknown): string {
  const e = error as { code?: string; responseCode?: number; response?: string; message?: string };
  const answer = (e.response ?? e.message ?? String(error)).split("\n")[0]?.slice(0, 200) ?? "";
  switch (e.code) {
    case "EAUTH":
      return `login refused (${answer}); check auth.user and auth.pass.`;
    case "ETLS":
      return `TLS failed (${answer}); with security: starttls the server must offer STARTTLS, and its certificate must be trusted (caFile).`;
    case "ECONNECTION":
    case "ESOCKET":
    case "ETIMEDOUT":
      return `no connection (${answer}); check host, port and security (587: starttls, 465: tls).`;
    case "EENVELOPE":
      return `a sender or recipient was refused (${answer}); check from and to.`;
    default:
      return `${answer}${e.responseCode ? ` (SMTP ${e.responseCode})` : ""}.`;
  }
}
