import { Kind, parse, type OperationDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { PAGE_SIZE_CAPS, ROOT_FIELD_SCOPES } from "../../sim/graphql/schema.js";
import { operationId } from "./operation-definition.js";
import { findOperation, OPERATION_MAP, OPERATIONS, RESOURCES } from "./registry.js";

function operationOf(document: string): OperationDefinitionNode {
  const found = parse(document).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!found) throw new Error("no operation in document");
  return found;
}

const rootFields = (node: OperationDefinitionNode): string[] => node.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));

describe("the operation registry", () => {
  it("holds the 26 operations of issue 4, each once", () => {
    expect(OPERATIONS.map(operationId)).toEqual([
      "issue.list", "issue.get", "issue.getEvidence", "issue.update", "issue.clearDueAt", "issue.createNote", "issue.deleteNote",
      "issue.groupedCount", "issue.severityCounts", "cloudResource.list", "cloudResource.get", "cloudResource.listIDs",
      "vulnerabilityFinding.list", "versionControlResource.list", "project.list", "project.getTeam", "forensics.copyToExternalAccount",
      "detection.list", "detection.get", "threat.list", "threat.get", "graphSearch.run", "graphSearch.resolveResourceGraphID",
      "upload.requestUpload", "upload.uploadDocument", "upload.getSystemActivity",
    ]);
    expect(RESOURCES).toEqual(["issue", "cloudResource", "vulnerabilityFinding", "versionControlResource", "project", "forensics", "detection", "threat", "graphSearch", "upload"]);
  });

  it("maps resource -> name -> definition, and finds operations by name", () => {
    expect(OPERATION_MAP.issue.list).toBe(OPERATIONS[0]);
    expect(OPERATION_MAP.upload.uploadDocument.custom).toBe(true);
    expect(findOperation("detection", "list")).toBe(OPERATION_MAP.detection.list);
    expect(findOperation("issue", "toString")).toBeUndefined();
    expect(findOperation("nope", "list")).toBeUndefined();
    expect(Object.isFrozen(OPERATION_MAP)).toBe(true);
  });

  it.each(OPERATIONS.filter((op) => !op.custom).map((op) => [operationId(op), op] as const))(
    "%s: mutating flag, scopes and page cap agree with its document",
    (_id, op) => {
      const node = operationOf(op.document);
      const roots = rootFields(node);
      // requestSecurityScanUpload is a query that reserves a slot, so it is never replayed either.
      expect(op.mutating).toBe(node.operation === "mutation" || roots.includes("requestSecurityScanUpload"));
      expect(op.scopes.length).toBeGreaterThan(0);
      for (const scope of op.scopes) expect(roots.some((root) => ROOT_FIELD_SCOPES[root]?.includes(scope))).toBe(true);
      if (op.paginated) {
        expect(roots).toHaveLength(1);
        expect(op.paginated.pageCap).toBe(PAGE_SIZE_CAPS[roots[0] as string]);
        expect(node.variableDefinitions?.map((v) => v.variable.name.value)).toEqual(expect.arrayContaining(["first", "after"]));
      }
    },
  );

  it.each(OPERATIONS.map((op) => [operationId(op), op] as const))("%s: input is a strict object the CLI and MCP can describe as JSON Schema", (_id, op) => {
    const schema = z.toJSONSchema(op.input, { io: "input" }) as { type?: string; additionalProperties?: boolean };
    expect(schema.type).toBe("object");
    expect(schema.additionalProperties).toBe(false);
    expect(op.description.length).toBeGreaterThan(20);
  });

  it("runs custom and multi-request operations through execute", () => {
    const executed = OPERATIONS.filter((op) => op.execute).map(operationId);
    expect(executed).toEqual(["issue.update", "upload.uploadDocument"]);
    expect(OPERATIONS.filter((op) => op.custom).map(operationId)).toEqual(["upload.uploadDocument"]);
  });
});
