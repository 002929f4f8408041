import { z } from "zod";
import { isLoopbackHost } from "../../sinks/webhook/webhook-url.js";

/** `workflows.actions.<name>`: what threat-response runs for a detection routed to it. */
export const actionConfigSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("command"),
    /** Program and arguments, run without a shell; the detection arrives as JSON on stdin. */
    command: z.array(z.string().min(1)).min(1, "name the program to run, e.g. [/opt/response/isolate.sh, --aws]"),
    /** Extra environment; the action gets only PATH, HOME, LANG and these (never wizbridge's own secrets). */
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name"), z.string()).optional(),
    cwd: z.string().min(1).optional(),
    timeoutSeconds: z.number().positive().max(3600).default(60),
  }),
  z.strictObject({
    type: z.literal("webhook"),
    url: z
      .url({ error: "must be an absolute http(s) URL" })
      .refine((url) => new URL(url).protocol === "https:" || (new URL(url).protocol === "http:" && isLoopbackHost(new URL(url).hostname)), {
        error: "must use https (plain http only to localhost / 127.0.0.1)",
      }),
    headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, "must be an HTTP header name"), z.string()).optional(),
    timeoutSeconds: z.number().positive().max(300).default(30),
  }),
]);

export type ActionConfig = z.output<typeof actionConfigSchema>;
