import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerConsoleRoutes } from "./console.routes.js";
import { buildHttpApp } from "./http-server.js";

const logger = pino({ level: "silent" });

function builtConsole(): string {
  const dir = mkdtempSync(join(tmpdir(), "wizbridge-console-"));
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), '<!doctype html><html><body><div id="root"></div><script type="module" src="/assets/index-abc123.js"></script></body></html>');
  writeFileSync(join(dir, "assets", "index-abc123.js"), "console.log('console');");
  writeFileSync(join(dir, "assets", "index-abc123.css"), "body{}");
  writeFileSync(join(dir, "secret.txt"), "outside assets");
  return dir;
}

describe("the console's static files", () => {
  let app: FastifyInstance;
  let unbuilt: FastifyInstance;

  beforeAll(async () => {
    const directory = builtConsole();
    app = await buildHttpApp({ logger, metrics: async () => "", plugins: [(a) => registerConsoleRoutes(a, { directory })] });
    unbuilt = await buildHttpApp({ logger, metrics: async () => "", plugins: [(a) => registerConsoleRoutes(a, { directory: mkdtempSync(join(tmpdir(), "wizbridge-no-console-")) })] });
  });
  afterAll(async () => {
    await app.close();
    await unbuilt.close();
  });

  it("GET / and the console's page paths answer index.html, uncached, with a strict content security policy", async () => {
    for (const url of ["/", "/integrations", "/connect", "/connectors/prod", "/sinks", "/runtime", "/runtime/alerts/a-1", "/maps", "/maps/my-map", "/operations"]) {
      const response = await app.inject({ method: "GET", url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(response.headers["cache-control"]).toBe("no-cache");
      expect(response.headers["content-security-policy"]).toContain("script-src 'self'");
      expect(response.headers["x-content-type-options"]).toBe("nosniff");
      expect(response.body).toContain('<div id="root">');
    }
  });

  it("assets are served with their content type and cached for good (their names carry a hash)", async () => {
    const js = await app.inject({ method: "GET", url: "/assets/index-abc123.js" });
    expect(js.statusCode).toBe(200);
    expect(js.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(js.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(js.body).toBe("console.log('console');");
    const css = await app.inject({ method: "GET", url: "/assets/index-abc123.css" });
    expect(css.headers["content-type"]).toBe("text/css; charset=utf-8");
  });

  it("never serves a file outside assets/, and a missing asset says to reload", async () => {
    for (const url of ["/assets/../secret.txt", "/assets/%2e%2e%2fsecret.txt", "/assets/..%2Fsecret.txt", "/assets/.hidden", "/assets/sub/../../secret.txt"]) {
      const response = await app.inject({ method: "GET", url });
      expect(response.statusCode, url).toBe(404);
      expect(response.body).not.toContain("outside assets");
    }
    const missing = await app.inject({ method: "GET", url: "/assets/index-old999.js" });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toContain("reload the page");
  });

  it("API, intake, webhook, MCP and metrics paths never fall back to the console page", async () => {
    for (const url of ["/api/connectors", "/api/nope", "/ingest/falco", "/webhooks/wiz/prod", "/mcp", "/metrics", "/nope", "/connectors"]) {
      const response = await app.inject({ method: "GET", url });
      expect(response.body, url).not.toContain('<div id="root">');
    }
  });

  it("when the console was not built, its pages say how to build it (and that the API works meanwhile)", async () => {
    const response = await unbuilt.inject({ method: "GET", url: "/connectors/prod" });
    expect(response.statusCode).toBe(503);
    expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(response.body).toContain("The wizbridge console is not built");
    expect(response.body).toContain("npm run build");
    expect(response.body).toContain("/api/connectors");
  });
});
