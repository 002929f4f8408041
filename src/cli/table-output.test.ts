import { describe, expect, it } from "vitest";
import { renderRecord, renderTable, renderTableRows, tableColumns, tableLayout } from "./table-output.js";

const issues = [
  { id: "a1", severity: "HIGH", status: "OPEN", type: "TOXIC_COMBINATION", entitySnapshot: { name: "bucket-1", region: "eu" }, notes: [], createdAt: "2025-01-01T00:00:00Z", url: "https://x" },
  { id: "b2", severity: "LOW", status: "RESOLVED", type: "CLOUD_CONFIGURATION", entitySnapshot: { name: "vm-with-a-very-long-name-that-goes-on-and-on-and-on" }, notes: [], createdAt: "2025-01-02T00:00:00Z", url: null },
];

describe("table output", () => {
  it("picks the main columns: preferred fields first, then other scalars, nested objects by their name", () => {
    expect(tableColumns(issues)).toEqual(["id", "type", "status", "severity", "entitySnapshot.name", "createdAt", "url"]);
    expect(tableColumns(issues, 3)).toEqual(["id", "type", "status"]);
  });

  it("renders aligned rows under headers, cutting long cells", () => {
    const lines = renderTable(issues, tableLayout(issues, ["id", "severity", "entitySnapshot.name", "url"])).split("\n");
    expect(lines).toEqual([
      "ID  SEVERITY  ENTITY_SNAPSHOT                           URL",
      "--  --------  ----------------------------------------  ---------",
      "a1  HIGH      bucket-1                                  https://x",
      "b2  LOW       vm-with-a-very-long-name-that-goes-on-a…",
    ]);
    expect(renderTable([])).toBe("(no records)");
  });

  it("keeps the first page's layout for later pages, cutting cells to its widths", () => {
    const layout = tableLayout(issues.slice(0, 1), ["id", "status", "entitySnapshot.name"]);
    expect(renderTableRows(issues.slice(1), layout)).toBe("b2  RESOL…  vm-with-a-very…");
  });

  it("renders one object as key/value lines", () => {
    expect(renderRecord({ id: "n1", text: "hello", serviceAccount: { id: "s", name: "bot" }, tags: ["a", "b"] })).toBe("id              n1\ntext            hello\nserviceAccount  bot\ntags            a,b");
  });
});
