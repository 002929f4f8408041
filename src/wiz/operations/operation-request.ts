import { WizInputError, WizPermissionError } from "../wiz-errors.js";
import { truncateIssueNote } from "./issue/issue-note-text.js";
import { operationId } from "./operation-definition.js";
import { findOperation, OPERATIONS, RESOURCES, type RegisteredOperation } from "./registry.js";

/**
 * One request envelope as workflow tools write it (OPERATIONS.md):
 * `{"integration_service": "wiz", "resource": "issue", "operation": "update", "parameters": {...}}`.
 * `parameters` are Wiz's own GraphQL variable shapes; they are validated by the operation, not here.
 */
export interface OperationRequest {
  resource: string;
  operation: string;
  parameters: Record<string, unknown>;
}

/** What runs the operation: a WizClient (or anything with its generic `run`). */
export interface OperationRequestClient {
  run(resource: string, name: string, input: unknown, options?: { signal?: AbortSignal }): Promise<unknown>;
}

export interface ExecuteOperationOptions {
  /** Run operations that change data in Wiz; when false they are refused before anything is sent. */
  allowMutations: boolean;
  /** Aborts the request (the HTTP route passes the client's disconnect, the CLI Ctrl+C). */
  signal?: AbortSignal;
  /**
   * Cut note text longer than Wiz accepts (issue createNote's input.text, update's patch.note) to fit, ending
   * with a marker, instead of refusing it: for workflows whose notes are generated, not typed.
   */
  truncateLongNotes?: boolean;
}

const ENVELOPE_KEYS = ["integration_service", "resource", "operation", "parameters"] as const;

/**
 * Checks an envelope (an HTTP body, one line of `wizbridge run`, a workflow step) and returns its resource,
 * operation and parameters. Refusals name the field and list what is accepted; nothing is sent to Wiz.
 */
export function parseOperationRequest(raw: unknown): OperationRequest {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw refused(`The request is ${describe(raw)}, not an envelope object.`, "a request is one JSON object per operation.", 'send {"resource": "issue", "operation": "list", "parameters": {"first": 10}}.');
  }
  const envelope = raw as Record<string, unknown>;
  const unknownKeys = Object.keys(envelope).filter((key) => !(ENVELOPE_KEYS as readonly string[]).includes(key));
  if (unknownKeys.length > 0) {
    throw refused(
      `The request has unknown field${unknownKeys.length > 1 ? "s" : ""} ${unknownKeys.join(", ")}.`,
      "an envelope holds only integration_service, resource, operation and parameters; an operation's own fields belong inside parameters.",
      `move ${unknownKeys.join(", ")} into "parameters" (or drop ${unknownKeys.length > 1 ? "them" : "it"}).`,
      unknownKeys[0],
    );
  }
  const service = envelope.integration_service;
  if (service !== undefined && service !== "wiz") {
    throw refused(
      `integration_service is ${JSON.stringify(service)}, but wizbridge only runs Wiz operations.`,
      "the envelope was meant for another integration.",
      'set "integration_service": "wiz" or leave it out.',
      "integration_service",
    );
  }
  const resource = envelope.resource;
  if (typeof resource !== "string" || !(RESOURCES as readonly string[]).includes(resource)) {
    throw refused(
      typeof resource === "string" ? `There is no Wiz resource ${JSON.stringify(resource)}.` : "The request has no resource.",
      "a misspelt or missing resource name (names are camelCase, e.g. cloudResource).",
      `set "resource" to one of ${RESOURCES.join(", ")}.`,
      "resource",
    );
  }
  const operations = OPERATIONS.filter((op) => op.resource === resource).map((op) => op.name as string);
  const operation = envelope.operation;
  if (typeof operation !== "string" || !operations.includes(operation)) {
    throw refused(
      typeof operation === "string" ? `The resource ${resource} has no operation ${JSON.stringify(operation)}.` : `The request names resource ${resource} but no operation.`,
      "a misspelt or missing operation name (names are camelCase, e.g. clearDueAt).",
      `set "operation" to one of ${operations.join(", ")}.`,
      "operation",
    );
  }
  const parameters = envelope.parameters ?? {};
  if (parameters === null || typeof parameters !== "object" || Array.isArray(parameters)) {
    throw refused(
      `parameters of ${resource}.${operation} is ${describe(parameters)}, not an object.`,
      "parameters hold the operation's GraphQL variables by name.",
      'give an object such as {"filterBy": {"status": ["OPEN"]}, "first": 10}, or {} for none.',
      "parameters",
    );
  }
  return { resource, operation, parameters: parameters as Record<string, unknown> };
}

/**
 * Runs one parsed request on the client: the operation's result (the first page for lists). A mutating
 * operation is refused when `allowMutations` is false, before anything is sent. Parameters are validated
 * by the operation's input (a WizInputError naming the field).
 */
export async function executeOperationRequest(client: OperationRequestClient, request: OperationRequest, options: ExecuteOperationOptions): Promise<unknown> {
  const definition = definitionOf(request);
  if (definition.mutating && !options.allowMutations) throw mutationRefused(definition);
  const parameters = options.truncateLongNotes ? withNotesFitted(request) : request.parameters;
  return client.run(request.resource, request.operation, parameters, { signal: options.signal });
}

/** The parameters with the note text of createNote / update cut to fit; everything else unchanged. */
function withNotesFitted(request: OperationRequest): Record<string, unknown> {
  const at = request.resource === "issue" ? ({ createNote: ["input", "text"], update: ["patch", "note"] } as Record<string, [string, string]>)[request.operation] : undefined;
  if (!at) return request.parameters;
  const [outer, field] = at;
  const holder = request.parameters[outer];
  if (holder === null || typeof holder !== "object" || Array.isArray(holder)) return request.parameters;
  const text = (holder as Record<string, unknown>)[field];
  if (typeof text !== "string") return request.parameters;
  return { ...request.parameters, [outer]: { ...holder, [field]: truncateIssueNote(text) } };
}

/** True when the request's operation changes data in Wiz (so a caller can check the role before running it). */
export function isMutatingRequest(request: OperationRequest): boolean {
  return definitionOf(request).mutating;
}

function definitionOf(request: OperationRequest): RegisteredOperation {
  const found = findOperation(request.resource, request.operation);
  if (found) return found;
  // A request built without parseOperationRequest gets the same refusal (it throws for an unknown pair).
  parseOperationRequest({ resource: request.resource, operation: request.operation });
  throw new Error(`unreachable: ${request.resource}.${request.operation} passed the envelope check but is not registered`);
}

function mutationRefused(definition: RegisteredOperation): WizPermissionError {
  const id = operationId(definition);
  return new WizPermissionError(
    {
      what: `${id} changes data in Wiz and this caller may only read.`,
      cause: "mutating operations need the admin role (an admin API token; `wizbridge mcp --allow-mutations` for a local MCP server).",
      fix: `use a token with the admin role, or a read-only operation instead; nothing was sent to Wiz.`,
    },
    { code: "MUTATION_NOT_ALLOWED", operationName: id, status: 403, retryable: false, mayHaveExecuted: false },
  );
}

function refused(what: string, cause: string, fix: string, path?: string): WizInputError {
  return new WizInputError({ what, cause, fix: `${fix} Nothing was sent to Wiz.` }, { code: "INVALID_REQUEST", path, mayHaveExecuted: false });
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
