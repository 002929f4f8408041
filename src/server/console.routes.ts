import { readFile, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import type { FastifyInstance, FastifyReply } from "fastify";
import { packageRoot } from "../version.js";

/**
 * The console's pages: real paths, answered with index.html so a reload or a bookmark opens the same page.
 * Listed one by one so /api, /ingest, /webhooks, /mcp and /metrics can never fall back to the console.
 */
export const CONSOLE_PAGE_PATHS: readonly string[] = Object.freeze(["/", "/integrations", "/connect", "/connectors/*", "/sinks", "/runtime", "/runtime/*", "/maps", "/maps/*", "/operations"]);

export interface ConsoleRoutesOptions {
  /** Where the console's build is (`vite build --config ui/vite.config.ts`); default: dist/console of the package. */
  directory?: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

// Built file names are letters, digits, '-', '_' and one or more dots: nothing that can climb out of assets/.
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

// The console talks only to this server: no CDN, no inline script; styles set by React need no inline sheet,
// 'unsafe-inline' for styles covers the charts' SVG style attributes.
const SECURITY_HEADERS = {
  "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

/** The page served instead of the console when it was not built: says how to build it and that the API works. */
export function consoleNotBuiltPage(directory: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>wizbridge: the console is not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 44rem; margin: 3rem auto; line-height: 1.5">
<h1>The wizbridge console is not built</h1>
<p>This wizbridge serves its web console from <code>${escapeHtml(directory)}</code>, which has no <code>index.html</code>.</p>
<p>Build it with <code>npm run build</code> (or <code>npx vite build --config ui/vite.config.ts</code>) in the wizbridge checkout, then reload this page. The main job does not need a restart.</p>
<p>Meanwhile the API works: <code>curl -H "Authorization: Bearer $TOKEN" http://&lt;this server&gt;/api/connectors</code>.</p>
</body></html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readIfFile(path: string): Promise<Buffer | undefined> {
  try {
    if (!(await stat(path)).isFile()) return undefined;
    return await readFile(path);
  } catch {
    return undefined;
  }
}

/**
 * Serves the web console's static build: GET / and the console's page paths answer index.html (no caching, so
 * a rebuilt console is picked up), /assets/* the hashed bundles (cached for a year: their names change with
 * their content). No token is needed for these files: they hold no data; the page asks for a token and
 * sends it to /api. Files are read per request, so building the console while the main job runs works.
 */
export async function registerConsoleRoutes(app: FastifyInstance, options: ConsoleRoutesOptions = {}): Promise<void> {
  const directory = options.directory ?? join(packageRoot(), "dist", "console");

  const sendIndex = async (reply: FastifyReply) => {
    const index = await readIfFile(join(directory, "index.html"));
    reply.headers({ ...SECURITY_HEADERS, "cache-control": "no-cache" });
    if (!index) return reply.code(503).type("text/html; charset=utf-8").send(consoleNotBuiltPage(directory));
    return reply.type("text/html; charset=utf-8").send(index);
  };
  for (const path of CONSOLE_PAGE_PATHS) app.get(path, async (_request, reply) => sendIndex(reply));

  app.get<{ Params: { "*": string } }>("/assets/*", async (request, reply) => {
    const name = request.params["*"];
    const body = ASSET_NAME.test(name) ? await readIfFile(join(directory, "assets", name)) : undefined;
    if (!body) {
      return reply
        .code(404)
        .headers({ "x-content-type-options": "nosniff", "cache-control": "no-cache" })
        .send({ error: "not_found", message: `The console has no asset ${JSON.stringify(name)}; it was probably rebuilt since this page loaded: reload the page.` });
    }
    return reply
      .headers({ "x-content-type-options": "nosniff", "cache-control": "public, max-age=31536000, immutable" })
      .type(CONTENT_TYPES[extname(name).toLowerCase()] ?? "application/octet-stream")
      .send(body);
  });
}
