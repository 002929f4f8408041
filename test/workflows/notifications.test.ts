import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyWebhookSignature } from "../../src/sinks/webhook/webhook-signature.js";
import type { Notification } from "../../src/workflows/notify/notification.js";
import { notifierConfigSchema } from "../../src/workflows/notify/notifier-config.js";
import { createNotifier } from "../../src/workflows/notify/create-notifier.js";
import type { WorkflowReport } from "../../src/workflows/report/workflow-report.js";
import { makeTestPki, startReceiver, startSmtpServer } from "./workflow-harness.js";

const report: WorkflowReport = {
  workflow: "triage-digest",
  title: "Wiz triage: 2 critical issues open/in_progress",
  generatedAt: "2026-01-01T07:00:00.000Z",
  summary: ["2 issues OPEN or IN_PROGRESS: 2 CRITICAL, 0 HIGH, 0 MEDIUM, 0 LOW, 0 INFORMATIONAL."],
  severityCounts: { CRITICAL: 2, HIGH: 0, MEDIUM: 0, LOW: 0, INFORMATIONAL: 0 },
  tables: [{ title: "CRITICAL issues", columns: ["Issue", "Severity"], rows: [[{ text: "Public bucket <prod>", href: "https://app.wiz.io/issues#~(issue~'i-1)" }, "CRITICAL"]] }],
  data: { totals: { CRITICAL: 2 } },
};

const notification: Notification = {
  title: report.title,
  summary: report.summary,
  items: [
    { text: "CRITICAL Public bucket <prod>", href: "https://app.wiz.io/issues#~(issue~'i-1)" },
    { text: "CRITICAL Admin key exposed", href: "https://app.wiz.io/issues#~(issue~'i-2)" },
  ],
  report,
};

/** A webhook URL's secret part, as Slack and Teams put it in the path. */
const SECRET_PATH = "/services/T0000/B0000/XyZsecretTokenValue123";

describe("chat and webhook notifiers, received by real HTTP servers on 127.0.0.1", () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver((request) => (request.path.startsWith("/gone") ? { status: 404, body: "no_service" } : { status: 200, body: "ok" }));
  });
  afterAll(async () => {
    await receiver.close();
  });

  it("Slack: an incoming-webhook body with a text fallback, a header and mrkdwn links to the portal", async () => {
    const before = receiver.requests.length;
    const slack = createNotifier("chat", notifierConfigSchema.parse({ type: "slack", url: `${receiver.url}${SECRET_PATH}` }));
    await slack.send(notification);
    const got = receiver.requests.slice(before);
    expect(got).toHaveLength(1);
    expect(got[0]?.path).toBe(SECRET_PATH);
    expect(got[0]?.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(got[0]?.body ?? "{}") as { text: string; blocks: Array<{ type: string; text?: { text: string } }> };
    expect(body.text).toContain(report.title);
    expect(body.blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: report.title, emoji: false } });
    const mrkdwn = body.blocks.map((b) => b.text?.text ?? "").join("\n");
    // Slack's own escaping of < and > in text, and its <url|text> link form.
    expect(mrkdwn).toContain("<https://app.wiz.io/issues#~(issue~'i-1)|CRITICAL Public bucket &lt;prod&gt;>");
    expect(mrkdwn).toContain("<https://app.wiz.io/issues#~(issue~'i-2)|CRITICAL Admin key exposed>");
  });

  it("Teams: one Adaptive Card in a message attachment, with Markdown links", async () => {
    const before = receiver.requests.length;
    const teams = createNotifier("teams", notifierConfigSchema.parse({ type: "teams", url: `${receiver.url}/webhookb2/abc` }));
    await teams.send(notification);
    const body = JSON.parse(receiver.requests[before]?.body ?? "{}") as {
      type: string;
      attachments: Array<{ contentType: string; content: { type: string; version: string; body: Array<{ text: string }> } }>;
    };
    expect(body.type).toBe("message");
    expect(body.attachments[0]?.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(body.attachments[0]?.content.type).toBe("AdaptiveCard");
    const texts = body.attachments[0]?.content.body.map((b) => b.text).join("\n") ?? "";
    expect(texts).toContain("Wiz triage: 2 critical issues open/in\\_progress");
    expect(texts).toContain("- [CRITICAL Admin key exposed](https://app.wiz.io/issues#~(issue~'i-2))");
  });

  it("generic webhook: the digest and the whole report as JSON, signed with the shared secret", async () => {
    const before = receiver.requests.length;
    const secret = "webhook-shared-secret-1";
    const hook = createNotifier("soc", notifierConfigSchema.parse({ type: "webhook", url: `${receiver.url}/hooks/wiz`, headers: { "X-Team": "soc" }, secret }), { now: () => Date.parse("2026-01-01T07:00:00Z") });
    await hook.send(notification);
    const got = receiver.requests[before];
    expect(got?.headers["x-team"]).toBe("soc");
    const body = JSON.parse(got?.body ?? "{}") as Record<string, unknown>;
    expect(body).toMatchObject({ source: "wizbridge", workflow: "triage-digest", title: report.title, items: notification.items, report });
    const check = verifyWebhookSignature(secret, got?.headers["x-wizbridge-signature"], got?.body ?? "", Date.parse("2026-01-01T07:00:30Z"));
    expect(check.ok).toBe(true);
  });

  it("a refused notification names the receiver by origin only: the URL's secret path never shows", async () => {
    const slack = createNotifier("chat", notifierConfigSchema.parse({ type: "slack", url: `${receiver.url}/gone${SECRET_PATH}` }));
    const error = await slack.send(notification).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toContain(`notifier chat: ${receiver.url} answered HTTP 404: no_service`);
    expect(error?.message).toContain("create a new incoming webhook");
    expect(error?.message).not.toContain("XyZsecretTokenValue123");
  });

  it("a digest addressed to named recipients (a project's owners) is not posted to chat", async () => {
    const before = receiver.requests.length;
    const slack = createNotifier("chat", notifierConfigSchema.parse({ type: "slack", url: `${receiver.url}/services/x` }));
    await slack.send({ ...notification, recipients: ["owner@example.com"] });
    expect(receiver.requests.length).toBe(before);
  });

  it("refuses plain-http URLs to other hosts, where the secret URL would cross a network in clear", () => {
    const result = notifierConfigSchema.safeParse({ type: "slack", url: "http://hooks.slack.com/services/T/B/X" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe("must use https (plain http only to localhost / 127.0.0.1)");
  });
});

describe("e-mail over SMTP with STARTTLS and login (a real smtp-server)", () => {
  let pki: ReturnType<typeof makeTestPki>;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  const account = { user: "wizbridge", pass: "smtp-password-sentinel-42" };

  beforeAll(async () => {
    pki = makeTestPki();
    smtp = await startSmtpServer(pki, account);
  });
  afterAll(async () => {
    await smtp.close();
    pki.cleanup();
  });

  const mailer = (pass: string) =>
    createNotifier(
      "mail",
      notifierConfigSchema.parse({ type: "smtp", host: "127.0.0.1", port: smtp.port, security: "starttls", auth: { user: account.user, pass }, from: "wizbridge <wizbridge@example.com>", to: ["secops@example.com"], caFile: pki.caFile }),
    );

  it("upgrades with STARTTLS, logs in and delivers the Markdown text and the self-contained HTML report", async () => {
    const mail = mailer(account.pass);
    try {
      await mail.send(notification);
      await mail.send({ ...notification, title: "Wiz project digest: Data Lake", recipients: ["zoe.anderson@vandelay.com"] });
    } finally {
      await mail.close();
    }
    expect(smtp.mails).toHaveLength(2);
    const [first, second] = smtp.mails;
    expect(first).toMatchObject({ from: "wizbridge@example.com", to: ["secops@example.com"], secure: true, user: account.user });
    expect(first?.raw).toMatch(/^Subject: Wiz triage: 2 critical issues open\/in_progress/m);
    expect(first?.raw).toContain("Content-Type: text/plain");
    expect(first?.raw).toContain("Content-Type: text/html");
    // The HTML part (quoted-printable) carries the inline chart.
    expect(first?.raw.replace(/=\r?\n/g, "")).toContain("<svg");
    expect(second?.to).toEqual(["zoe.anderson@vandelay.com"]);
  });

  it("a refused login says which settings to check and never shows the password", async () => {
    const mail = mailer("wrong-password-sentinel-77");
    const error = await mail.send(notification).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    await mail.close();
    expect(error?.message).toMatch(/^notifier mail: 127\.0\.0\.1:\d+ did not take the mail: login refused .*check auth\.user and auth\.pass\.$/);
    expect(error?.message).not.toContain("wrong-password-sentinel-77");
  });

  it("refuses login over a plain connection to a remote relay", () => {
    const result = notifierConfigSchema.safeParse({ type: "smtp", host: "smtp.example.com", security: "none", auth: { user: "u", pass: "p" }, from: "a@example.com", to: ["b@example.com"] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain("would send the password in clear");
  });
});
