import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { parse, YAMLParseError } from "yaml";
import { z } from "zod";
import { CliInputError } from "./cli-input-error.js";

/** One named tenant connection in the profile file; keys are the CLI flags in camelCase. */
export const connectionProfileSchema = z.strictObject({
  clientId: z.string().optional(),
  clientSecret: z.string().optional(),
  region: z.string().optional(),
  endpoint: z.string().optional(),
  tenantType: z.enum(["commercial", "gov", "govcloud"]).optional(),
  authFlavor: z.enum(["cognito", "auth0"]).optional(),
  tokenUrl: z.string().optional(),
  audience: z.string().optional(),
  proxy: z.string().optional(),
  caFile: z.string().optional(),
  allowNonWizHosts: z.boolean().optional(),
});

export type ConnectionProfile = z.infer<typeof connectionProfileSchema>;

const profileFileSchema = z.record(z.string(), connectionProfileSchema.nullable());

export const DEFAULT_PROFILE = "default";

/** `$WIZBRIDGE_CONFIG`, else `~/.config/wizbridge/profiles.yaml` (XDG_CONFIG_HOME honoured). */
export function profileFilePath(env: NodeJS.ProcessEnv, home: string = homedir()): string {
  if (env.WIZBRIDGE_CONFIG) return env.WIZBRIDGE_CONFIG;
  return join(env.XDG_CONFIG_HOME || join(home, ".config"), "wizbridge", "profiles.yaml");
}

/**
 * The profile to use. A profile named with --profile must exist; without one, the `default` profile is
 * used when the file has it, and no file at all is fine (flags and env vars may say everything).
 */
export function loadConnectionProfile(path: string, name: string | undefined, readFile: (path: string) => string = (p) => readFileSync(p, "utf8")): ConnectionProfile {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" && name === undefined) return {};
    throw new CliInputError(
      `The profile file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})${name === undefined ? "" : `, and --profile ${name} needs it`}.`,
      "create it (a YAML map from profile name to clientId, clientSecret, region or endpoint...), point WIZBRIDGE_CONFIG at it, or drop --profile and pass flags or WIZ_* environment variables.",
    );
  }
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    const at = error instanceof YAMLParseError && error.linePos ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}` : "";
    // First line only: the rest is a code frame quoting the file, which may hold a secret.
    throw new CliInputError(`The profile file ${path} is not valid YAML${at}: ${(error as Error).message.split("\n")[0]}`, "fix the YAML; each profile is a map under its name, e.g.\n  default:\n    clientId: ...\n    region: us17");
  }
  const parsed = profileFileSchema.safeParse(document ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(top level)"}: ${i.message}`).join("; ");
    throw new CliInputError(
      `The profile file ${path} is not a map of profiles: ${issues}.`,
      "allowed keys per profile: clientId, clientSecret, region, endpoint, tenantType, authFlavor, tokenUrl, audience, proxy, caFile, allowNonWizHosts.",
    );
  }
  const profiles = parsed.data;
  const wanted = name ?? DEFAULT_PROFILE;
  const profile = Object.hasOwn(profiles, wanted) ? profiles[wanted] : undefined;
  if (profile === undefined) {
    if (name === undefined) return {};
    const known = Object.keys(profiles);
    throw new CliInputError(`There is no profile "${name}" in ${path}${known.length > 0 ? ` (it has: ${known.join(", ")})` : " (it has none)"}.`, "pick one of those names, or add the profile to the file.");
  }
  return profile ?? {};
}
