import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "../../sim/index.js";
import { simClient, startTestSimulator } from "../sim-client.test-fixtures.js";
import { WizClient } from "../wiz-client.js";
import { WizInputError, WizPermissionError } from "../wiz-errors.js";
import { ISSUE_NOTE_MAX_LENGTH, ISSUE_NOTE_TRUNCATION_MARKER } from "./issue/issue-note-text.js";
import { executeOperationRequest, parseOperationRequest } from "./operation-request.js";

let sim: Simulator;
let client: WizClient;

beforeAll(async () => {
  sim = await startTestSimulator();
  client = new WizClient(simClient(sim));
});
afterAll(async () => {
  await client.core.close();
  await sim.close();
});

function refusal(raw: unknown): WizInputError {
  try {
    parseOperationRequest(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(WizInputError);
    return error as WizInputError;
  }
  throw new Error("the request was accepted");
}

describe("parseOperationRequest", () => {
  it("takes the documented envelope, with or without integration_service and parameters", () => {
    const parameters = { issueId: "6f0b5b1a-6d1e-4a51-9b3f-1d2c3b4a5e6f", patch: { status: "IN_PROGRESS" } };
    expect(parseOperationRequest({ integration_service: "wiz", resource: "issue", operation: "update", parameters })).toEqual({ resource: "issue", operation: "update", parameters });
    expect(parseOperationRequest({ resource: "issue", operation: "severityCounts" })).toEqual({ resource: "issue", operation: "severityCounts", parameters: {} });
  });

  it("refuses another integration, an unknown resource or operation, listing what exists", () => {
    expect(refusal({ integration_service: "jira", resource: "issue", operation: "list" }).message).toContain('set "integration_service": "wiz" or leave it out');
    const resource = refusal({ resource: "issues", operation: "list" });
    expect(resource.message).toContain('There is no Wiz resource "issues"');
    expect(resource.message).toContain("issue, cloudResource, vulnerabilityFinding, versionControlResource, project, forensics, detection, threat, graphSearch");
    const operation = refusal({ resource: "threat", operation: "update" });
    expect(operation.message).toContain('The resource threat has no operation "update"');
    expect(operation.message).toContain('set "operation" to one of list, get');
    expect(refusal({ resource: "issue", operation: "list", filterBy: {} }).message).toContain('move filterBy into "parameters"');
    expect(refusal([{ resource: "issue" }]).message).toContain("not an envelope object");
    expect(refusal({ resource: "issue", operation: "list", parameters: [] }).message).toContain("not an object");
  });
});

describe("executeOperationRequest", () => {
  it("runs a read and returns the operation's result", async () => {
    const counts = await executeOperationRequest(client, parseOperationRequest({ resource: "issue", operation: "severityCounts", parameters: {} }), { allowMutations: false });
    expect(counts).toHaveProperty("totalCount");
  });

  it("refuses a mutating operation when mutations are not allowed, naming the role, before sending", async () => {
    const before = sim.requests.list().length;
    const request = parseOperationRequest({ resource: "issue", operation: "clearDueAt", parameters: { issueId: String(sim.tenant.issues.get(0).id) } });
    const error = await executeOperationRequest(client, request, { allowMutations: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WizPermissionError);
    expect((error as WizPermissionError).message).toMatch(/issue\.clearDueAt changes data in Wiz.*admin role/);
    expect(sim.requests.list()).toHaveLength(before);
  });

  it("refuses a long note, or cuts it with a marker when the workflow asks for that", async () => {
    const issueId = String(sim.tenant.issues.get(1).id);
    const text = `${"runtime context ".repeat(120)}end`;
    const request = parseOperationRequest({ resource: "issue", operation: "createNote", parameters: { input: { issueId, text } } });
    await expect(executeOperationRequest(client, request, { allowMutations: true })).rejects.toThrow(/Wiz refuses notes longer than about 1500/);
    const note = (await executeOperationRequest(client, request, { allowMutations: true, truncateLongNotes: true })) as { text: string };
    expect(note.text).toHaveLength(ISSUE_NOTE_MAX_LENGTH);
    expect(note.text.endsWith(ISSUE_NOTE_TRUNCATION_MARKER)).toBe(true);
    expect(sim.requests.list({ rootField: "createIssueNote" }).at(-1)?.variables).toEqual({ input: { issueId, text: note.text } });
  });
});
