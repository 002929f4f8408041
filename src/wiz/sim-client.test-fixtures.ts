import { Writable } from "node:stream";
import { pino, type Logger } from "pino";
import { startSimulator, type Simulator, type SimulatorOptions } from "../sim/index.js";
import type { ConnectionSettingsInput } from "./connection-settings.js";
import { TokenProvider, type TokenCredentials } from "./token-provider.js";
import { Transport } from "./transport.js";
import { WizClientCore, type WizClientCoreOptions } from "./wiz-client-core.js";

/** A tiny tenant, unthrottled unless a test asks for a limit, so only what a test injects goes wrong. */
export function startTestSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ seed: 7, size: "tiny", rateLimit: { requestsPerSecond: 0 }, ...options });
}

export function simSettings(sim: Simulator, overrides: Partial<ConnectionSettingsInput> = {}): ConnectionSettingsInput {
  return {
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    endpoint: sim.graphqlUrl,
    tokenUrl: sim.tokenUrl,
    audience: sim.audience,
    allowNonWizHosts: true,
    ...overrides,
  };
}

/** Recorded backoff: the delays the retry policy asked for, slept for a hundredth of their length. */
export function recordingSleep(scale = 0.01): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    sleep: (ms: number) => {
      delays.push(ms);
      return new Promise((resolve) => setTimeout(resolve, ms * scale));
    },
  };
}

/** A client on the simulator with small backoff, no pacing and tokens on simulator time. */
export function simClient(sim: Simulator, options: Omit<Partial<WizClientCoreOptions>, "settings"> & { settings?: Partial<ConnectionSettingsInput> } = {}): WizClientCore {
  const { settings, ...rest } = options;
  return new WizClientCore({
    now: () => sim.clock.now(),
    rateLimit: { requestsPerSecond: 0, maxConcurrency: 16 },
    retry: { baseDelayMs: 5, throttleBaseDelayMs: 5, maxDelayMs: 50 },
    ...rest,
    settings: simSettings(sim, settings),
  });
}

/** A TokenProvider that remembers every token it handed out, so tests can look for them in logs and errors. */
export class RecordingTokenProvider extends TokenProvider {
  readonly issued = new Set<string>();

  override async getToken(credentials: TokenCredentials): Promise<string> {
    const token = await super.getToken(credentials);
    this.issued.add(token);
    return token;
  }
}

export function recordingTokenProvider(sim: Simulator): RecordingTokenProvider {
  return new RecordingTokenProvider({ transport: new Transport(), now: () => sim.clock.now() });
}

/** A debug-level pino logger writing into a string, to grep what the SDK logs. */
export function capturedLogger(): { logger: Logger; output: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString("utf8"));
      done();
    },
  });
  return { logger: pino({ level: "debug" }, stream), output: () => chunks.join("") };
}

export const ISSUES_PAGE = /* GraphQL */ `
  query IssuesPage($first: Int, $after: String, $filterBy: IssueFilters) {
    issuesV2(first: $first, after: $after, filterBy: $filterBy) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id severity }
    }
  }
`;

export interface IssuesPageData {
  issuesV2: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: Array<{ id: string; severity: string }>;
  };
}

export const CREATE_NOTE = /* GraphQL */ `
  mutation CreateNote($input: CreateIssueNoteInput!) {
    createIssueNote(input: $input) { issueNote { id text } }
  }
`;
