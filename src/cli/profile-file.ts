import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { parse, YAMLParseError } from "yaml";
import { z } from "zod";
import { loadMasterKey } from "../store/master-key.js";
import { credentialAad, SecretBoxError, type SecretBox } from "../store/secret-box.js";
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

/** A secret as the profile file keeps it: `{encrypted: "wb1:..."}` (sealed with the master key beside the file), or plain text. */
export const storedSecretSchema = z.union([z.string(), z.strictObject({ encrypted: z.string() })]);

/** The profile keys that hold secrets, sealed by `wizbridge login`. */
export const PROFILE_SECRET_FIELDS = ["clientSecret"] as const;
export type ProfileSecretField = (typeof PROFILE_SECRET_FIELDS)[number];

const storedProfileSchema = connectionProfileSchema.extend({ clientSecret: storedSecretSchema.optional() });
export type StoredConnectionProfile = z.infer<typeof storedProfileSchema>;

const profileFileSchema = z.record(z.string(), storedProfileSchema.nullable());

/** The AAD of a profile secret: bound to the profile's name and the key, so a value pasted elsewhere does not open. */
export function profileSecretAad(profile: string, field: ProfileSecretField): string {
  return credentialAad(`profile:${profile}`, field);
}

/** How loadConnectionProfile opens encrypted secrets and reports plain-text ones. */
export interface ProfileSecretOptions {
  /** For WIZBRIDGE_MASTER_KEY; without it only the key file beside the profile file is used. */
  env?: NodeJS.ProcessEnv;
  /** One line for a secret kept in plain text (the CLI prints it on stderr). */
  warn?: (line: string) => void;
  /** The master key; default: WIZBRIDGE_MASTER_KEY, else master.key beside the profile file. */
  openBox?: () => SecretBox;
  /** False when a flag or env var gives the secret: the profile's is then left out, unopened and unmentioned. */
  needSecret?: boolean;
}

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
export function loadConnectionProfile(
  path: string,
  name: string | undefined,
  readFile: (path: string) => string = (p) => readFileSync(p, "utf8"),
  secrets: ProfileSecretOptions = {},
): ConnectionProfile {
  const found = readStoredProfile(path, name, readFile);
  if (!found) return {};
  return openProfileSecrets(path, found.name, found.profile, secrets);
}

/** The named (or default) profile as stored, secrets still sealed; undefined when there is none and none was asked for. */
export function readStoredProfile(path: string, name: string | undefined, readFile: (path: string) => string = (p) => readFileSync(p, "utf8")): { name: string; profile: StoredConnectionProfile } | undefined {
  const profiles = readProfileFile(path, name, readFile);
  if (profiles === undefined) return undefined;
  const wanted = name ?? DEFAULT_PROFILE;
  const profile = Object.hasOwn(profiles, wanted) ? profiles[wanted] : undefined;
  if (profile === undefined) {
    if (name === undefined) return undefined;
    const known = Object.keys(profiles);
    throw new CliInputError(`There is no profile "${name}" in ${path}${known.length > 0 ? ` (it has: ${known.join(", ")})` : " (it has none)"}.`, "pick one of those names, or add the profile to the file.");
  }
  return { name: wanted, profile: profile ?? {} };
}

/** Every profile of the file as stored; undefined when the file does not exist and no profile was asked for. */
export function readProfileFile(path: string, name: string | undefined, readFile: (path: string) => string = (p) => readFileSync(p, "utf8")): Record<string, StoredConnectionProfile | null> | undefined {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" && name === undefined) return undefined;
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
      "allowed keys per profile: clientId, clientSecret (text, or {encrypted: ...} as `wizbridge login` writes it), region, endpoint, tenantType, authFlavor, tokenUrl, audience, proxy, caFile, allowNonWizHosts.",
    );
  }
  return parsed.data;
}

/** Opens a stored profile's sealed secrets (loading the master key only when one is sealed); hints at plain-text ones. */
function openProfileSecrets(path: string, name: string, stored: StoredConnectionProfile, options: ProfileSecretOptions): ConnectionProfile {
  const { clientSecret, ...rest } = stored;
  if (clientSecret === undefined || options.needSecret === false) return rest;
  if (typeof clientSecret === "string") {
    options.warn?.(`note: profile "${name}" in ${path} keeps clientSecret in plain text; run \`wizbridge login --profile ${name}\` to store it encrypted.`);
    return { ...rest, clientSecret };
  }
  try {
    const box = options.openBox ? options.openBox() : loadMasterKey({ dataDir: dirname(path), env: options.env ?? {}, create: false });
    return { ...rest, clientSecret: box.open(clientSecret.encrypted, profileSecretAad(name, "clientSecret")) };
  } catch (error) {
    if (!(error instanceof SecretBoxError)) throw error;
    throw new CliInputError(
      `The clientSecret of profile "${name}" in ${path} cannot be decrypted: ${error.message}`,
      `set the master key it was sealed with, or store the secret again with \`wizbridge login --profile ${name}\`.`,
    );
  }
}
